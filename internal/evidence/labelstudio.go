package evidence

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ftgate/ftgate/internal/finding"
)

// Label Studio exports (section 7.2). The JSON export is an array of
// tasks, each with its annotations; the unit is the task's id, the
// annotator the annotation's completed_by (an integer, or an object whose
// id is taken), the label the single choice of the question (the result's
// from_name). Cancelled annotations and predictions are not labels. The
// JSON-MIN and CSV exports flatten each annotation into one row: id,
// annotator and one column per question, holding the choice.

type lsTask struct {
	ID          json.RawMessage `json:"id"`
	Annotations []lsAnnotation  `json:"annotations"`
	Completions []lsAnnotation  `json:"completions"` // exports before 1.0
}

type lsAnnotation struct {
	CompletedBy  json.RawMessage `json:"completed_by"`
	WasCancelled bool            `json:"was_cancelled"`
	Skipped      bool            `json:"skipped"`
	Result       []lsResult      `json:"result"`
}

type lsResult struct {
	FromName string `json:"from_name"`
	Type     string `json:"type"`
	Value    struct {
		Choices []json.RawMessage `json:"choices"`
		Rating  json.RawMessage   `json:"rating"`
	} `json:"value"`
}

// lsQuestionTypes are the result types that give one label per
// annotation.
func lsQuestionType(t string) bool {
	return strings.EqualFold(t, "choices") || strings.EqualFold(t, "rating")
}

type labelStudioJSON struct{}

func (labelStudioJSON) read(f *source, b *builder) error {
	s := newJSONArray(f)
	if err := s.open(); err != nil {
		return err
	}
	for {
		var t lsTask
		ok, err := s.next(&t)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		at := fmt.Sprintf("[%d]", s.index)
		unit, ok := jsonString(t.ID)
		if !ok {
			return s.errHere(Malformed, at+".id", "task id is missing or not a string or number")
		}
		anns, key := t.Annotations, "annotations"
		if anns == nil {
			anns, key = t.Completions, "completions"
		}
		for i, a := range anns {
			if a.WasCancelled || a.Skipped {
				continue
			}
			ap := fmt.Sprintf("%s.%s[%d]", at, key, i)
			var label string
			found := false
			for j, r := range a.Result {
				if !lsQuestionType(r.Type) {
					continue
				}
				if !b.question(r.FromName) {
					continue
				}
				rp := fmt.Sprintf("%s.result[%d]", ap, j)
				if found {
					return s.errHere(Malformed, rp, "question %s answered twice in one annotation (per-region choices): %s", quote([]byte(r.FromName)), multiLabelUnsupported)
				}
				found = true
				switch {
				case strings.EqualFold(r.Type, "rating"):
					v, ok := jsonString(r.Value.Rating)
					if !ok {
						return s.errHere(Malformed, rp+".value.rating", "rating is missing or not a number")
					}
					label = v
				case len(r.Value.Choices) == 1:
					v, ok := jsonString(r.Value.Choices[0])
					if !ok {
						return s.errHere(Malformed, rp+".value.choices[0]", "choice is not a string")
					}
					label = v
				case len(r.Value.Choices) == 0:
					return s.errHere(Malformed, rp+".value.choices", "no choice selected")
				default:
					return s.errHere(Malformed, rp+".value.choices", "%d choices selected: %s", len(r.Value.Choices), multiLabelUnsupported)
				}
			}
			if !found {
				continue
			}
			annotator, err := lsAnnotator(a.CompletedBy)
			if err != "" {
				return s.errHere(Malformed, ap+".completed_by", "%s", err)
			}
			if e := b.add(unit, annotator, label, s.pos); e != nil {
				e.Msg = ap + ": " + e.Msg
				return e
			}
		}
	}
}

// lsAnnotator reads completed_by: an integer user id, or a user object
// whose id is taken (so that the same person is one annotator whichever
// form the export uses).
func lsAnnotator(raw json.RawMessage) (string, string) {
	if isNull(raw) {
		return "", "completed_by is missing: agreement needs to know who labelled"
	}
	if v, ok := jsonString(raw); ok {
		return v, ""
	}
	var user struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(raw, &user) == nil {
		if v, ok := jsonString(user.ID); ok {
			return v, ""
		}
	}
	return "", "completed_by is neither a user id nor an object with an id"
}

// lsReserved are the JSON-MIN and CSV columns Label Studio adds to each
// row besides the task's data and the questions.
var lsReserved = map[string]bool{
	"id": true, "annotator": true, "annotation_id": true, "created_at": true,
	"updated_at": true, "lead_time": true, "agreement": true,
}

type labelStudioMin struct{}

func (labelStudioMin) read(f *source, b *builder) error {
	s := newJSONArray(f)
	if err := s.open(); err != nil {
		return err
	}
	for {
		var row map[string]json.RawMessage
		ok, err := s.next(&row)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		at := fmt.Sprintf("[%d]", s.index)
		if row == nil {
			return s.errHere(Malformed, at, "want an object per annotation")
		}
		// A question's column holds a string (one choice) or, for several
		// choices, an object with a choices list; the task's own data may
		// hold anything, so only the named question is checked.
		keys := make([]string, 0, len(row))
		for k := range row {
			if !lsReserved[k] && lsMinCandidate(row[k]) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys) // a stable order for the message listing them
		for _, k := range keys {
			b.question(k)
		}
		if b.want == "" {
			continue
		}
		raw, ok := row[b.want]
		if !ok || isNull(raw) {
			continue // this annotation did not answer the question
		}
		b.question(b.want)
		label, ok := jsonString(raw)
		if !ok {
			var multi struct {
				Choices []json.RawMessage `json:"choices"`
			}
			if json.Unmarshal(raw, &multi) == nil && len(multi.Choices) > 1 {
				return s.errHere(Malformed, at+"."+b.want, "%d choices selected: %s", len(multi.Choices), multiLabelUnsupported)
			}
			return s.errHere(Malformed, at+"."+b.want, "not a single choice")
		}
		unit, ok := jsonString(row["id"])
		if !ok {
			return s.errHere(Malformed, at+".id", "task id is missing or not a string or number")
		}
		annotator, ok := jsonString(row["annotator"])
		if !ok {
			return s.errHere(Malformed, at+".annotator", "annotator is missing or not a string or number")
		}
		if e := b.add(unit, annotator, label, s.pos); e != nil {
			e.Msg = at + ": " + e.Msg
			return e
		}
	}
}

// lsMinCandidate reports whether a JSON-MIN value can be a question's
// answer: a string or number, or Label Studio's object of several
// choices.
func lsMinCandidate(raw json.RawMessage) bool {
	if _, ok := jsonString(raw); ok {
		return true
	}
	var multi struct {
		Choices []json.RawMessage `json:"choices"`
	}
	return json.Unmarshal(raw, &multi) == nil && multi.Choices != nil
}

type labelStudioCSV struct{}

func (labelStudioCSV) read(f *source, b *builder) error {
	s := newCSV(f.File)
	if err := s.readHeader(); err != nil {
		return err
	}
	idx, err := s.columns([]string{"id", "annotator"}, nil)
	if err != nil {
		return err
	}
	cID, cAnn := idx[0], idx[1]
	cQ := -1
	for i, h := range s.header {
		if !lsReserved[h] {
			b.question(h)
		}
		if b.want != "" && h == b.want {
			cQ = i
		}
	}
	if cQ < 0 {
		return nil // the caller reports the unknown question
	}
	for {
		ok, err := s.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := s.checkWidth(); err != nil {
			return err
		}
		v := strings.TrimSpace(string(s.value(cQ)))
		if v == "" {
			continue // this annotation did not answer the question
		}
		if strings.HasPrefix(v, "{") {
			var multi struct {
				Choices []string `json:"choices"`
			}
			if json.Unmarshal([]byte(v), &multi) == nil && len(multi.Choices) != 1 {
				return s.cellErr(cQ, Malformed, "%d choices selected: %s", len(multi.Choices), multiLabelUnsupported)
			}
			return s.cellErr(cQ, Malformed, "not a single choice")
		}
		line, col := s.pos(cQ)
		at := func() finding.Position { return finding.Position{File: f.Path, Line: line, Col: col} }
		if e := b.add(string(s.value(cID)), string(s.value(cAnn)), v, at); e != nil {
			return e
		}
	}
}
