package evidence

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadExports feeds tool exports to ReadAnnotations under each format
// and through detection. Invariants: no panic, and every error is an
// *Error on one line whose position lies inside the file. Seeds: the real
// and generated exports in testdata.
func FuzzReadExports(f *testing.F) {
	for _, name := range []string{
		"labelstudio/converter-csv_test2.json", "k2011c/labelstudio.json", "k2011c/labelstudio-min.json",
		"k2011c/labelstudio.csv", "k2011c/db-out.jsonl", "k2011c/argilla.json",
		"labelstudio-converter/partial.min.json", "labelstudio-converter/partial.csv",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 4<<10 {
			data = data[:4<<10] // a truncated export is a seed too
		}
		f.Add(data)
	}
	f.Add([]byte("[\n{\"id\": 1,,}]"))
	f.Add([]byte(`{"_input_hash": 1, "answer": "accept", "_session_id": "d-ana"}`))
	formats := append([]string{FormatAuto}, AnnotationFormats()[1:]...)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := memFS(map[string]string{"e.json": string(data)})
		for _, format := range formats {
			for _, q := range []string{"", "severity"} {
				_, err := ReadAnnotations(fsys, "e.json", 0, AnnotationOptions{Format: format, Question: q})
				checkPosition(t, data, err)
			}
		}
	})
}

// FuzzReadPromptfoo feeds promptfoo result files to ReadHistory, with the
// same invariants.
func FuzzReadPromptfoo(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "promptfoo", "results-1.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:2000])
	f.Add([]byte(`{"results": {"version": 3, "timestamp": "2026-01-01T00:00:00Z", "prompts": [{"label": "rag+cot", "metrics": {"score": 1, "testPassCount": 1, "testFailCount": 1}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := memFS(map[string]string{"r.json": string(data)})
		_, err := ReadHistory(fsys, []string{"r.json"}, 0)
		checkPosition(t, data, err)
	})
}
