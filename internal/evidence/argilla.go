package evidence

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Argilla v2 writes records (`dataset.records.to_json`) as an array of
// objects with id, fields, metadata, suggestions, vectors, status and
// responses: for each question a list of {value, user_id[, status]}
// (section 7.2). The unit is the record's id (its _server_id when the
// record has no id of its own), the annotator user_id, the label the
// response's value. Argilla's to_json writes no status per response
// (Record.to_dict keeps value and user_id), so its drafts read as labels;
// when a response does carry a status, only submitted ones count: drafts
// and discarded responses are not labels. Suggestions are a model's, never
// a label.

type argillaRecord struct {
	ID        json.RawMessage              `json:"id"`
	ServerID  json.RawMessage              `json:"_server_id"`
	Responses map[string][]argillaResponse `json:"responses"`
}

type argillaResponse struct {
	Value  json.RawMessage `json:"value"`
	UserID json.RawMessage `json:"user_id"`
	Status *string         `json:"status"`
}

type argillaJSON struct{}

func (argillaJSON) read(f *source, b *builder) error {
	s := newJSONArray(f)
	if err := s.open(); err != nil {
		return err
	}
	var names []string
	for {
		var r argillaRecord
		ok, err := s.next(&r)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		at := fmt.Sprintf("[%d]", s.index)
		// Questions in a stable order: map order would make the list in
		// an error message change from run to run.
		names = names[:0]
		for q := range r.Responses {
			names = append(names, q)
		}
		slices.Sort(names)
		for _, q := range names {
			if !b.question(q) {
				continue
			}
			unit, ok := jsonString(r.ID)
			if !ok {
				unit, ok = jsonString(r.ServerID)
			}
			if !ok {
				return s.errHere(Malformed, at+".id", "record has neither an id nor a _server_id")
			}
			for i, resp := range r.Responses[q] {
				rp := fmt.Sprintf("%s.responses.%s[%d]", at, q, i)
				if resp.Status != nil && *resp.Status != "submitted" {
					continue
				}
				label, ok := jsonString(resp.Value)
				if !ok {
					var many []json.RawMessage
					if json.Unmarshal(resp.Value, &many) == nil {
						if len(many) == 1 {
							label, ok = jsonString(many[0])
						}
						if !ok {
							return s.errHere(Malformed, rp+".value", "%d labels given: %s", len(many), multiLabelUnsupported)
						}
					} else {
						return s.errHere(Malformed, rp+".value", "not a single label (a span, ranking or text answer cannot be compared by agreement)")
					}
				}
				user, ok := jsonString(resp.UserID)
				if !ok {
					return s.errHere(Malformed, rp+".user_id", "user_id is missing: agreement needs to know who answered")
				}
				if e := b.add(unit, user, label, s.pos); e != nil {
					e.Msg = rp + ": " + e.Msg
					return e
				}
			}
		}
	}
}
