package evidence

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// The promptfoo result files in testdata were produced by promptfoo
// itself; the expected rows are worked out by hand from their metrics in
// testdata/promptfoo/PROVENANCE.md.
func TestReadHistoryPromptfoo(t *testing.T) {
	fsys := os.DirFS("testdata/promptfoo")
	want := []EvalRow{
		{Iteration: 1, Score: 0, N: 4, Technique: "zero_shot", Date: "2026-12-04"},
		{Iteration: 2, Score: 0.75, N: 4, Technique: "few_shot", Date: "2026-12-04"},
		{Iteration: 3, Score: 0.75, N: 4, Technique: "rag+cot", Date: "2026-12-04"},
		{Iteration: 4, Score: 0.25, N: 4, Technique: "cot", Date: "2026-12-04"},
		{Iteration: 5, Score: 0.75, N: 4, Technique: "self_consistency", Date: "2026-12-04"},
		{Iteration: 6, Score: 1, N: 4, Technique: "rag+few_shot", Date: "2026-12-04"},
	}
	third := append(slices.Clone(want),
		EvalRow{Iteration: 7, Score: 1, N: 4, Technique: "rag+few_shot", Date: "2026-12-04"},
		EvalRow{Iteration: 8, Score: 1, N: 4, Technique: "rag+cot", Date: "2026-12-04"},
		EvalRow{Iteration: 9, Score: 1, N: 4, Technique: "self_consistency", Date: "2026-12-04"},
	)
	for _, c := range []struct {
		names []string
		want  []EvalRow
	}{
		{[]string{"results-1.json", "results-2.json"}, want},
		{[]string{"results-2.json", "results-1.json"}, want}, // order by time, not by name
		{[]string{"results-3.json", "results-*.json"}, third},
		{[]string{"*.json"}, third},
	} {
		h, err := ReadHistory(fsys, c.names, 0)
		if err != nil {
			t.Fatalf("%v: %v", c.names, err)
		}
		if !reflect.DeepEqual(h.Rows, c.want) {
			t.Errorf("%v:\n got %+v\nwant %+v", c.names, h.Rows, c.want)
		}
	}
	h, err := ReadHistory(fsys, []string{"results-1.json"}, 0)
	if err != nil || len(h.Rows) != 3 || h.Rows[2].Technique != "rag+cot" {
		t.Fatalf("one file: %+v, %v", h, err)
	}
	if got := h.Rows[2].Techniques(); !reflect.DeepEqual(got, []string{"rag", "cot"}) {
		t.Errorf("Techniques() = %q", got)
	}
}

func TestReadHistoryCSVAndErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"h.csv":         {Data: []byte("iteration,score,n,technique,date\n1,0.5,100,rag+cot,2026-01-02\n2,0.6,100,few_shot,2026-01-03\n")},
		"bad.csv":       {Data: []byte("iteration,score,n,technique,date\n1,0.5,100,rag+cat,2026-01-02\n")},
		"v2.json":       {Data: []byte(`{"results": {"version": 2, "timestamp": "2026-01-01T00:00:00Z", "prompts": []}}`)},
		"nores.json":    {Data: []byte(`{"evalId": "x", "config": {"a": [1, {"b": 2}]}}`)},
		"nometric.json": {Data: []byte(`{"results": {"version": 3, "timestamp": "2026-01-01T00:00:00Z", "results": [{"x": 1}], "prompts": [{"label": "rag", "metrics": {"score": 1}}]}}`)},
		"zero.json":     {Data: []byte(`{"results": {"version": 3, "timestamp": "2026-01-01T00:00:00Z", "prompts": [{"label": "rag", "metrics": {"score": 0, "testPassCount": 0, "testFailCount": 0, "testErrorCount": 0}}]}}`)},
		"syntax.json":   {Data: []byte("{\"results\": {\"version\": 3,\n \"timestamp\" 1}}")},
		"other.json":    {Data: []byte(`{"results": {"version": 3, "timestamp": "2026-02-01T23:30:00-02:00", "prompts": [{"label": "My prompt", "metrics": {"score": 1.5, "testPassCount": 1, "testFailCount": 1, "testErrorCount": 1}}]}}`)},
	}
	h, err := ReadHistory(fsys, []string{"h.csv"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if h.Rows[0].Technique != "rag+cot" || !reflect.DeepEqual(h.Rows[0].Techniques(), []string{"rag", "cot"}) {
		t.Errorf("csv row: %+v", h.Rows[0])
	}
	h, err = ReadHistory(fsys, []string{"other.json"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Rows, []EvalRow{{Iteration: 1, Score: 0.5, N: 3, Technique: "other", Date: "2026-02-02"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("other.json: got %+v, want %+v", got, want)
	}
	for name, want := range map[string]string{
		"bad.csv":       `bad.csv:2:11: technique "rag+cat": "cat" is not one of zero_shot, few_shot, rag, cot, self_consistency, other (several are joined by +, as in rag+cot)`,
		"v2.json":       "v2.json: results.version 2: ftgate reads promptfoo results version 3 (promptfoo 0.60 or later)",
		"nores.json":    "nores.json: no results object: not a promptfoo result file (promptfoo eval -o results.json)",
		"nometric.json": "nometric.json: results.prompts[0].metrics: score, testPassCount and testFailCount are required",
		"zero.json":     "zero.json: results.prompts[0].metrics: no tests were run",
		"syntax.json":   "syntax.json:2:13: invalid JSON: expected colon after object key",
	} {
		_, err := ReadHistory(fsys, []string{name}, 0)
		if err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", name, err, want)
		}
	}
	_, err = ReadHistory(fsys, []string{"none-*.json"}, 0)
	if err == nil || !strings.Contains(err.Error(), "no file matches") {
		t.Errorf("empty glob: %v", err)
	}
}
