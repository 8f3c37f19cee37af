package evidence

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// triple is one rating as an export states it.
type triple struct{ unit, annotator, label string }

// genTriples makes a random annotation set: units rated by a random subset
// of annotators, so that some units have one label and are not pairable.
func genTriples(r *rand.Rand, units, annotators int, labels []string) []triple {
	var ts []triple
	for u := range units {
		for a := range annotators {
			if r.IntN(4) == 0 {
				continue
			}
			ts = append(ts, triple{fmt.Sprintf("%d", 1000+u), fmt.Sprintf("ann%d", a), labels[r.IntN(len(labels))]})
		}
	}
	return ts
}

// longCSV writes triples as the long-format CSV, in the order given.
func longCSV(ts []triple) string {
	var b strings.Builder
	b.WriteString("unit,annotator,label\n")
	for _, t := range ts {
		fmt.Fprintf(&b, "%s,%s,%s\n", t.unit, t.annotator, t.label)
	}
	return b.String()
}

// byUnit orders triples as the task-based exports list them: units in
// order of first appearance, each unit's ratings in their order.
func byUnit(ts []triple) []triple {
	var order []string
	groups := map[string][]triple{}
	for _, t := range ts {
		if _, ok := groups[t.unit]; !ok {
			order = append(order, t.unit)
		}
		groups[t.unit] = append(groups[t.unit], t)
	}
	var out []triple
	for _, u := range order {
		out = append(out, groups[u]...)
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

// labelStudioExport writes a Label Studio JSON export of ts (grouped by
// unit) with the noise a real one carries: a second question, a region
// result, cancelled annotations, predictions, completed_by in both forms.
func labelStudioExport(r *rand.Rand, ts []triple) string {
	type obj = map[string]any
	var tasks []obj
	var cur obj
	for _, t := range byUnit(ts) {
		if cur == nil || cur["id"] != mustInt(t.unit) {
			cur = obj{"id": mustInt(t.unit), "data": obj{"text": "ticket " + t.unit}, "annotations": []obj{},
				"predictions": []obj{{"result": []obj{{"from_name": "priority", "type": "choices", "value": obj{"choices": []string{"high"}}}}}}}
			tasks = append(tasks, cur)
		}
		user := any(userID(t.annotator))
		if r.IntN(2) == 0 {
			user = obj{"id": userID(t.annotator), "email": t.annotator + "@example.com", "first_name": "", "last_name": ""}
		}
		anns := cur["annotations"].([]obj)
		if r.IntN(5) == 0 {
			anns = append(anns, obj{"completed_by": user, "was_cancelled": true, "result": []obj{}})
		}
		anns = append(anns, obj{
			"id": len(anns) + 1, "completed_by": user, "was_cancelled": false, "ground_truth": false,
			"result": []obj{
				{"from_name": "tone", "to_name": "text", "type": "choices", "value": obj{"choices": []string{"neutral"}}},
				{"from_name": "span", "to_name": "text", "type": "labels", "value": obj{"start": 0, "end": 3, "labels": []string{"X", "Y"}}},
				{"from_name": "priority", "to_name": "text", "type": "choices", "value": obj{"choices": []string{t.label}}},
			},
		})
		cur["annotations"] = anns
	}
	return mustJSON(tasks)
}

func mustInt(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// userID is the numeric user id of annotator "annN": 100+N.
func userID(annotator string) int {
	return 100 + mustInt(strings.TrimPrefix(annotator, "ann"))
}

// asUserIDs renames annotators to the ids a Label Studio JSON export gives.
func asUserIDs(ts []triple) []triple {
	out := make([]triple, len(ts))
	for i, t := range ts {
		t.annotator = fmt.Sprint(userID(t.annotator))
		out[i] = t
	}
	return out
}

// labelStudioMinExport writes JSON-MIN rows of ts in the order given.
func labelStudioMinExport(ts []triple) string {
	var rows []map[string]any
	for i, t := range ts {
		rows = append(rows, map[string]any{
			"text": "ticket " + t.unit, "id": mustInt(t.unit), "priority": t.label, "annotator": t.annotator,
			"annotation_id": i + 1, "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z", "lead_time": 3.5,
		})
	}
	return mustJSON(rows)
}

// labelStudioCSVExport writes the CSV export of ts: sorted columns, every
// non-numeric value quoted, as the converter writes it.
func labelStudioCSVExport(ts []triple) string {
	var b strings.Builder
	b.WriteString(`"annotation_id","annotator","created_at","id","lead_time","priority","text","updated_at"` + "\n")
	for i, t := range ts {
		fmt.Fprintf(&b, "%d,%q,\"2026-10-01T10:00:00Z\",%s,3.5,%q,\"ticket %s, \"\"urgent\"\"\",\"2026-10-01T10:00:00Z\"\n",
			i+1, t.annotator, t.unit, t.label, t.unit)
	}
	return b.String()
}

// prodigyExport writes db-out lines of ts in the order given, as choice
// tasks, with ignored answers mixed in.
func prodigyExport(r *rand.Rand, ts []triple) string {
	var b strings.Builder
	for _, t := range ts {
		line := map[string]any{
			"text": "ticket " + t.unit, "options": []map[string]string{{"id": "low", "text": "Low"}, {"id": "high", "text": "High"}},
			"_view_id": "choice", "_input_hash": mustInt(t.unit), "_task_hash": -mustInt(t.unit),
			"answer": "accept", "accept": []string{t.label}, "_timestamp": 1791000000,
			"_annotator_id": "tickets-" + t.annotator, "_session_id": "tickets-" + t.annotator,
		}
		if r.IntN(6) == 0 {
			ign := map[string]any{}
			for k, v := range line {
				ign[k] = v
			}
			ign["answer"], ign["accept"] = "ignore", []string{}
			ign["_annotator_id"], ign["_session_id"] = "tickets-someone", "tickets-someone"
			j, _ := json.Marshal(ign)
			b.Write(j)
			b.WriteByte('\n')
		}
		j, _ := json.Marshal(line)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// argillaExport writes records of ts (grouped by unit) with a second
// question, suggestions and draft responses.
func argillaExport(r *rand.Rand, ts []triple) string {
	type obj = map[string]any
	var recs []obj
	var cur obj
	for _, t := range byUnit(ts) {
		if cur == nil || cur["id"] != t.unit {
			cur = obj{"id": t.unit, "fields": obj{"text": "ticket " + t.unit}, "metadata": obj{},
				"suggestions": obj{"priority": obj{"value": "high", "score": 0.9, "agent": "model"}},
				"responses":   obj{"priority": []obj{}, "comment": []obj{}}, "vectors": obj{}, "status": "completed",
				"_server_id": fmt.Sprintf("8c1b5c3e-0000-4000-8000-%012s", t.unit)}
			recs = append(recs, cur)
		}
		resp := cur["responses"].(obj)
		pr := resp["priority"].([]obj)
		if r.IntN(5) == 0 {
			pr = append(pr, obj{"value": "low", "user_id": "draft-user", "status": "draft"})
		}
		pr = append(pr, obj{"value": t.label, "user_id": t.annotator, "status": "submitted"})
		resp["priority"] = pr
		resp["comment"] = append(resp["comment"].([]obj), obj{"value": "fine", "user_id": t.annotator})
	}
	return mustJSON(recs)
}
