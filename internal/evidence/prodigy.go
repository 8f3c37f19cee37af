package evidence

import (
	"bytes"
	"encoding/json"
	"regexp"

	"github.com/ftgate/ftgate/internal/finding"
)

// Prodigy's `db-out` writes one JSON task per line (section 7.2). The unit
// is _input_hash (the same input shown to several annotators), the
// annotator _annotator_id, else _session_id. A choice task (one with
// options) is labelled by the single option id in accept; a binary task by
// its answer, accept or reject, with ignore dropped as Prodigy's own
// training does.

type prodigyTask struct {
	InputHash   json.RawMessage   `json:"_input_hash"`
	AnnotatorID json.RawMessage   `json:"_annotator_id"`
	SessionID   json.RawMessage   `json:"_session_id"`
	Answer      string            `json:"answer"`
	Accept      []json.RawMessage `json:"accept"`
	Options     json.RawMessage   `json:"options"`
	Label       string            `json:"label"`
	ViewID      string            `json:"_view_id"`
}

// A db-out file holds one dataset, whose questions are named here by the
// kind of task: "choice" (the option ids in accept), a binary task's
// label (accept or reject for that label), or "answer" for a binary task
// without one.
const (
	prodigyChoice = "choice"
	prodigyBinary = "answer"
)

// timestampSession matches the session names Prodigy makes up when the
// annotator gives none (the app opened without ?session=name): a date, or
// a date and time, after an optional dataset name.
var timestampSession = regexp.MustCompile(`(^|-)\d{4}-\d{2}-\d{2}(_\d{2}-\d{2}-\d{2})?$`)

type prodigyJSONL struct{}

func (prodigyJSONL) read(f *source, b *builder) error {
	lr := newLineReader(f.File)
	for {
		line, ok, err := lr.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if blank(line) {
			continue
		}
		at := finding.Position{File: f.Path, Line: lr.line, Col: 1}
		lineErr := func(format string, args ...any) error {
			return b.errAt(at, Malformed, format, args...)
		}
		var t prodigyTask
		if err := json.Unmarshal(line, &t); err != nil {
			if se, ok := err.(*json.SyntaxError); ok {
				at.Col = column(line, int(se.Offset)-1)
				return lineErr("invalid JSON: %s", se.Error())
			}
			if te, ok := err.(*json.UnmarshalTypeError); ok {
				return lineErr("%s: want %s, found a JSON %s", te.Field, goKindText(te.Type.Kind().String()), te.Value)
			}
			return lineErr("invalid JSON: %s", oneLine(err.Error()))
		}
		if bytes.TrimSpace(line)[0] != '{' {
			return lineErr("want one JSON object per line (a Prodigy task)")
		}
		choice := !isNull(t.Options) || t.ViewID == "choice"
		q := prodigyBinary
		switch {
		case choice:
			q = prodigyChoice
		case t.Label != "":
			// A binary task asks about one label ("is this
			// new-dataset?"): each label is a question of its own.
			q = t.Label
		}
		if !b.question(q) {
			continue
		}
		if t.Answer == "ignore" {
			continue
		}
		var label string
		if choice {
			switch {
			case t.Answer != "accept":
				// A rejected choice task says the options did not fit,
				// not which label holds.
				if t.Answer == "" {
					return lineErr("answer is missing (want accept, reject or ignore)")
				}
				continue
			case len(t.Accept) == 0:
				return lineErr("accept: no option chosen")
			case len(t.Accept) > 1:
				return lineErr("accept: %d options chosen: %s", len(t.Accept), multiLabelUnsupported)
			}
			v, ok := jsonString(t.Accept[0])
			if !ok {
				return lineErr("accept[0]: not an option id")
			}
			label = v
		} else {
			switch t.Answer {
			case "accept", "reject":
				label = t.Answer
			case "":
				return lineErr("answer is missing (want accept, reject or ignore)")
			default:
				return lineErr("answer %s is not accept, reject or ignore", quote([]byte(t.Answer)))
			}
		}
		unit, ok := jsonString(t.InputHash)
		if !ok {
			return lineErr("_input_hash is missing: cannot tell which tasks show the same input")
		}
		annotator, ok := jsonString(t.AnnotatorID)
		if !ok {
			annotator, ok = jsonString(t.SessionID)
		}
		if !ok {
			return lineErr("neither _annotator_id nor _session_id is set: agreement needs annotator identities")
		}
		if timestampSession.MatchString(annotator) {
			return lineErr("annotator %s is a session Prodigy named by its start time, not a person: agreement needs annotator identities (open the app with ?session=NAME, or set PRODIGY_ALLOWED_SESSIONS)", quote([]byte(annotator)))
		}
		if err := b.add(unit, annotator, label, func() finding.Position { return at }); err != nil {
			return err
		}
	}
}
