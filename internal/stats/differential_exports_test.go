package stats

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ftgate/ftgate/internal/evidence"
)

// The differential comparison also runs on labels read from the exports of
// annotation tools: each dataset is written in one tool's layout (the
// layouts taking turns) and read back by evidence.ReadAnnotations, so that
// what the readers produce meets sklearn, statsmodels and nltk as the long
// CSV does.

// exportFormats are the layouts the datasets take turns in.
var exportFormats = []string{
	evidence.FormatLabelStudio, evidence.FormatLabelStudioMin, evidence.FormatLabelStudioCSV,
	evidence.FormatProdigy, evidence.FormatArgilla,
}

// exportAnnotations writes the first raters columns of d in the layout of
// format and reads them back, the format detected from the content.
func exportAnnotations(t *testing.T, d dataset, raters int, format string) *evidence.Annotations {
	t.Helper()
	type obj = map[string]any
	var file string
	var b strings.Builder
	switch format {
	case evidence.FormatLabelStudio:
		var tasks []obj
		for u, row := range d.Rows {
			var anns []obj
			for r, x := range row[:raters] {
				anns = append(anns, obj{"completed_by": obj{"id": r + 1, "email": fmt.Sprintf("r%d@example.com", r+1)}, "was_cancelled": false,
					"result": []obj{{"from_name": "label", "to_name": "text", "type": "choices", "value": obj{"choices": []string{fmt.Sprint(x)}}}}})
			}
			tasks = append(tasks, obj{"id": u + 1, "data": obj{"text": "t"}, "annotations": anns, "predictions": []obj{}})
		}
		file = "export.json"
		writeJSON(t, &b, tasks)
	case evidence.FormatLabelStudioMin:
		var rows []obj
		for u, row := range d.Rows {
			for r, x := range row[:raters] {
				rows = append(rows, obj{"id": u + 1, "annotator": fmt.Sprintf("r%d@example.com", r+1), "label": fmt.Sprint(x), "annotation_id": len(rows) + 1, "lead_time": 1.5})
			}
		}
		file = "min.json"
		writeJSON(t, &b, rows)
	case evidence.FormatLabelStudioCSV:
		b.WriteString(`"annotation_id","annotator","id","label","lead_time"` + "\n")
		n := 0
		for u, row := range d.Rows {
			for r, x := range row[:raters] {
				n++
				fmt.Fprintf(&b, "%d,\"r%d@example.com\",%d,\"%d\",1.5\n", n, r+1, u+1, x)
			}
		}
		file = "export.csv"
	case evidence.FormatProdigy:
		for u, row := range d.Rows {
			for r, x := range row[:raters] {
				line, _ := json.Marshal(obj{"text": "t", "options": []obj{}, "_input_hash": u + 1, "answer": "accept",
					"accept": []string{fmt.Sprint(x)}, "_session_id": fmt.Sprintf("ds-r%d", r+1), "_annotator_id": fmt.Sprintf("ds-r%d", r+1)})
				b.Write(line)
				b.WriteByte('\n')
			}
		}
		file = "db-out.jsonl"
	case evidence.FormatArgilla:
		var recs []obj
		for u, row := range d.Rows {
			var resp []obj
			for r, x := range row[:raters] {
				resp = append(resp, obj{"value": x, "user_id": fmt.Sprintf("user-%d", r+1)})
			}
			recs = append(recs, obj{"id": fmt.Sprint(u + 1), "fields": obj{"text": "t"}, "responses": obj{"label": resp}, "status": "completed"})
		}
		file = "records.json"
		writeJSON(t, &b, recs)
	}
	fsys := fstest.MapFS{file: {Data: []byte(b.String())}}
	a, err := evidence.ReadAnnotations(fsys, file, 0, evidence.AnnotationOptions{Question: questionOf(format)})
	if err != nil {
		t.Fatalf("dataset %s as %s: %v", d.ID, format, err)
	}
	return a
}

func questionOf(format string) string {
	if format == evidence.FormatProdigy {
		return "" // one question, named by the task kind
	}
	return "label"
}

func writeJSON(t *testing.T, b *strings.Builder, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(data)
}

// firstPair returns the breakdown's figure for the first two raters.
func firstPair(t *testing.T, a *evidence.Annotations, opt AgreementOptions) *float64 {
	t.Helper()
	pairs, _, err := Breakdown(a, opt)
	if err != nil {
		t.Fatal(err)
	}
	first, second := a.Annotators[0], a.Annotators[1]
	for _, p := range pairs {
		if p.A == min(first, second) && p.B == max(first, second) {
			return p.Value
		}
	}
	t.Fatalf("no pair %s–%s in %+v", first, second, pairs)
	return nil
}
