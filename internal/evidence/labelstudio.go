package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/maphash"
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
// row besides the task's data and the questions: the task's id and
// agreement, and the annotation's annotator, id, times and history (CSV).
// meta is Label Studio's name for a task's metadata.
var lsReserved = map[string]bool{
	"id": true, "annotator": true, "annotation_id": true, "created_at": true,
	"updated_at": true, "lead_time": true, "agreement": true, "history": true,
	"meta": true,
}

// lsAnswerShape is what a JSON-MIN or CSV value can be as an answer.
type lsAnswerShape int

const (
	lsNotAnswer lsAnswerShape = iota // a list or object no question writes: task data
	lsSingle                         // one choice or rating: a label
	lsMulti                          // several choices
)

// lsAnswer reads a JSON-MIN value (raw JSON) as the converter writes an
// answer: a string for one choice, {"choices": [...]} for several,
// [{"rating": n}] for a rating. A CSV cell holds the same, lists and
// objects as JSON text; asText says the value is a CSV cell.
func lsAnswer(raw []byte, asText bool) (label string, n int, shape lsAnswerShape) {
	t := bytes.TrimSpace(raw)
	if asText {
		if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
			return string(t), 1, lsSingle
		}
	} else if v, ok := jsonString(t); ok {
		return v, 1, lsSingle
	}
	if len(t) == 0 {
		return "", 0, lsNotAnswer
	}
	switch t[0] {
	case '{':
		var multi struct {
			Choices []json.RawMessage `json:"choices"`
		}
		if json.Unmarshal(t, &multi) != nil || multi.Choices == nil {
			return "", 0, lsNotAnswer
		}
		if len(multi.Choices) == 1 {
			if v, ok := jsonString(multi.Choices[0]); ok {
				return v, 1, lsSingle
			}
			return "", 0, lsNotAnswer
		}
		return "", len(multi.Choices), lsMulti
	case '[':
		// A rating: the converter keeps the result's value as a list of
		// one {"rating": n}.
		var ratings []map[string]json.RawMessage
		if json.Unmarshal(t, &ratings) != nil || len(ratings) != 1 || len(ratings[0]) != 1 {
			return "", 0, lsNotAnswer
		}
		if v, ok := jsonString(ratings[0]["rating"]); ok {
			return v, 1, lsSingle
		}
	}
	return "", 0, lsNotAnswer
}

// lsColumns judges, when no question is named, which JSON-MIN or CSV
// columns can be the question. Label Studio copies a task's data into
// every row of the task, so a data column holds one value per task; a
// column whose value differs between two rows of one task holds answers.
// A column holding the same value for two tasks reuses its values across
// tasks, as a question's choices are and free-text data is not, so it may
// be a question too. A column with one value per task, never reused, reads
// as data. Each column is judged on at most maxJudgedTasks tasks, which
// bounds the memory spent on free-text data columns.
type lsColumns struct {
	names []string // candidate columns, in order of first appearance
	cols  map[string]*lsColumn
	seed  maphash.Seed
	// The rows of the task being read, in a JSON-MIN export, which leaves
	// out an unanswered question's key: a column present in some rows of
	// a task and not in others holds answers. The converter writes a
	// task's rows together, so one task at a time is enough.
	task     string
	taskRows int
	present  map[string]int // rows of the task holding each column
}

const maxJudgedTasks = 1 << 14

type lsColumn struct {
	notAnswer bool // holds a value no question writes
	answered  bool // holds a value that is not empty
	question  bool // varies within a task, or repeats across tasks
	done      bool // judged: question, not an answer, or enough tasks seen
	// Hashes of the values, not the values: a data column may hold long
	// texts. A collision could only make a data column look reused.
	byTask map[string]uint64 // task → hash of its value
	taskOf map[uint64]string // hash of a non-empty value → its first task
}

func newLSColumns() *lsColumns {
	return &lsColumns{cols: make(map[string]*lsColumn), present: make(map[string]int), seed: maphash.MakeSeed()}
}

// row notes a JSON-MIN row of task holding the columns given.
func (j *lsColumns) row(task string, columns []string) {
	if task != j.task {
		j.endTask()
		j.task = task
	}
	j.taskRows++
	for _, k := range columns {
		j.present[k]++
	}
}

// endTask marks the columns missing from some of the task's rows.
func (j *lsColumns) endTask() {
	for k, n := range j.present {
		if c := j.column(k); n < j.taskRows && !c.notAnswer {
			c.question = true
			c.finish()
		}
	}
	clear(j.present)
	j.taskRows = 0
}

func (j *lsColumns) column(name string) *lsColumn {
	c := j.cols[name]
	if c == nil {
		c = &lsColumn{byTask: make(map[string]uint64), taskOf: make(map[uint64]string)}
		j.cols[name] = c
		j.names = append(j.names, name)
	}
	return c
}

// observe notes that column name holds value in a row of task. An empty
// value (an unanswered question, an empty data field) takes part in the
// comparison within a task but is never taken for a reused value.
func (j *lsColumns) observe(name, task string, value []byte, shape lsAnswerShape) {
	c := j.column(name)
	if len(value) > 0 {
		c.answered = true
	}
	switch shape {
	case lsNotAnswer:
		c.notAnswer, c.question = true, false
		c.finish()
	case lsMulti:
		// Several choices: an answer, whatever else the column holds.
		if !c.notAnswer {
			c.question = true
			c.finish()
		}
	}
	if c.done {
		return
	}
	v := maphash.Bytes(j.seed, value)
	if prev, ok := c.byTask[task]; ok {
		if prev != v {
			c.question = true
			c.finish()
		}
		return
	}
	if other, ok := c.taskOf[v]; ok && other != task {
		c.question = true
		c.finish()
		return
	}
	if len(c.byTask) >= maxJudgedTasks {
		c.finish()
		return
	}
	c.byTask[task] = v
	if len(value) > 0 {
		c.taskOf[v] = task
	}
}

func (c *lsColumn) finish() { c.done, c.byTask, c.taskOf = true, nil, nil }

// register tells the builder the question when exactly one column can be
// it, else the candidates for the message asking to name one.
func (j *lsColumns) register(b *builder) {
	j.endTask()
	var possible, all []string
	for _, n := range j.names {
		c := j.cols[n]
		if c.notAnswer || !c.answered {
			continue // task data, or a column empty throughout
		}
		all = append(all, n)
		if c.question {
			possible = append(possible, n)
		}
	}
	slices.Sort(possible)
	slices.Sort(all)
	switch {
	case len(possible) == 1:
		b.question(possible[0])
	case len(all) == 1:
		b.question(all[0]) // the only column that can hold an answer
	case len(possible) > 1:
		b.candidates, b.candidatesAreData = possible, false
	default:
		b.candidates, b.candidatesAreData = all, true
	}
}

type labelStudioMin struct{}

func (labelStudioMin) read(f *source, b *builder) error {
	s := newJSONArray(f)
	if err := s.open(); err != nil {
		return err
	}
	var judge *lsColumns
	if b.want == "" {
		judge = newLSColumns()
	}
	var keys []string
	for {
		var row map[string]json.RawMessage
		ok, err := s.next(&row)
		if err != nil {
			return err
		}
		if !ok {
			if judge != nil {
				judge.register(b)
			}
			return nil
		}
		at := fmt.Sprintf("[%d]", s.index)
		if row == nil {
			return s.errHere(Malformed, at, "want an object per annotation")
		}
		if judge != nil {
			task, _ := jsonString(row["id"])
			keys = keys[:0]
			for k := range row {
				if !lsReserved[k] && !isNull(row[k]) {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys) // columns in a stable order for the message
			for _, k := range keys {
				_, _, shape := lsAnswer(row[k], false)
				judge.observe(k, task, bytes.TrimSpace(row[k]), shape)
			}
			judge.row(task, keys)
			continue
		}
		// The question named: the task's own data may hold anything, so
		// only the named column is checked; the others that can hold an
		// answer are listed when it is not found.
		keys = keys[:0]
		for k, v := range row {
			if !lsReserved[k] {
				if _, _, shape := lsAnswer(v, false); shape != lsNotAnswer {
					keys = append(keys, k)
				}
			}
		}
		slices.Sort(keys) // a stable order for the message listing them
		for _, k := range keys {
			b.question(k)
		}
		raw, ok := row[b.want]
		if !ok || isNull(raw) {
			continue // this annotation did not answer the question
		}
		b.question(b.want)
		label, n, shape := lsAnswer(raw, false)
		switch shape {
		case lsMulti:
			return s.errHere(Malformed, at+"."+b.want, "%d choices selected: %s", n, multiLabelUnsupported)
		case lsNotAnswer:
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
	var judge *lsColumns
	if b.want == "" {
		judge = newLSColumns()
	}
	cQ := -1
	for i, h := range s.header {
		if lsReserved[h] {
			continue
		}
		if judge != nil {
			judge.column(h) // listed in header order, even in a file of no rows
			continue
		}
		b.question(h)
		if h == b.want {
			cQ = i
		}
	}
	if judge == nil && cQ < 0 {
		return nil // the caller reports the unknown question
	}
	for {
		ok, err := s.next()
		if err != nil {
			return err
		}
		if !ok {
			if judge != nil {
				judge.register(b)
			}
			return nil
		}
		if err := s.checkWidth(); err != nil {
			return err
		}
		if judge != nil {
			task := string(s.value(cID))
			for i, h := range s.header {
				if lsReserved[h] {
					continue
				}
				v := bytes.TrimSpace(s.value(i))
				shape := lsSingle
				if len(v) > 0 {
					_, _, shape = lsAnswer(v, true)
				}
				judge.observe(h, task, v, shape)
			}
			continue
		}
		v := strings.TrimSpace(string(s.value(cQ)))
		if v == "" {
			continue // this annotation did not answer the question
		}
		label, n, shape := lsAnswer([]byte(v), true)
		switch shape {
		case lsMulti:
			return s.cellErr(cQ, Malformed, "%d choices selected: %s", n, multiLabelUnsupported)
		case lsNotAnswer:
			return s.cellErr(cQ, Malformed, "not a single choice")
		}
		line, col := s.pos(cQ)
		at := func() finding.Position { return finding.Position{File: f.Path, Line: line, Col: col} }
		if e := b.add(string(s.value(cID)), string(s.value(cAnn)), label, at); e != nil {
			return e
		}
	}
}
