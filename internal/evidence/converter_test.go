package evidence

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The JSON-MIN and CSV files label-studio-converter wrote from Label Studio
// JSON exports (testdata/labelstudio-converter) read to the same ratings as
// the JSON they came from, and both to what a plain reading of that JSON
// gives: each annotation not cancelled or skipped, its single choice for
// the question, by the user's email (the id when completed_by is a bare
// integer), which is how the converter names annotators.
func TestConverterExportsReadAsTheirJSON(t *testing.T) {
	dir := "testdata"
	for _, c := range []struct {
		json, base, question string
		ratings              int
	}{
		{"labelstudio/converter-csv_test2.json", "csv_test2", "uri_selection", 1},
		{"labelstudio/converter-csv_test_history.json", "csv_test_history", "sentiment", 1},
		{"contract-risk/labelstudio.json", "contract-risk", "risk", 450},
		// Krippendorff's 41 filled cells of 48; the cancelled annotation
		// is dropped.
		{"k2011c/labelstudio.json", "k2011c", "severity", 41},
	} {
		t.Run(c.base, func(t *testing.T) {
			want, email := plainLabelStudio(t, filepath.Join(dir, c.json), c.question)
			if len(want) != c.ratings {
				t.Fatalf("plain reading of %s: %d ratings, want %d", c.json, len(want), c.ratings)
			}
			fsys := os.DirFS(dir)
			a, err := ReadAnnotations(fsys, c.json, 0, AnnotationOptions{Question: c.question})
			if err != nil {
				t.Fatal(err)
			}
			if got := tripleSet(a, email); !slices.Equal(got, want) {
				t.Errorf("%s:\n got %q\nwant %q", c.json, got, want)
			}
			for _, file := range []string{c.base + ".min.json", c.base + ".csv"} {
				a, err := ReadAnnotations(fsys, "labelstudio-converter/"+file, 0, AnnotationOptions{Question: c.question})
				if err != nil {
					t.Fatal(err)
				}
				if got := tripleSet(a, nil); !slices.Equal(got, want) {
					t.Errorf("%s:\n got %q\nwant %q", file, got, want)
				}
			}
		})
	}
}

// plainLabelStudio reads a Label Studio JSON export with encoding/json
// alone, following the export's documented structure, and returns its
// ratings for question as sorted "unit|annotator|label" strings, with the
// user id to email map of its completed_by objects.
func plainLabelStudio(t *testing.T, path, question string) ([]string, map[string]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tasks []struct {
		ID          json.Number `json:"id"`
		Annotations []struct {
			CompletedBy  any  `json:"completed_by"`
			WasCancelled bool `json:"was_cancelled"`
			Skipped      bool `json:"skipped"`
			Result       []struct {
				FromName string `json:"from_name"`
				Value    struct {
					Choices []string `json:"choices"`
				} `json:"value"`
			} `json:"result"`
		} `json:"annotations"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&tasks); err != nil {
		t.Fatal(err)
	}
	email := map[string]string{}
	var out []string
	for _, task := range tasks {
		for _, ann := range task.Annotations {
			if ann.WasCancelled || ann.Skipped {
				continue
			}
			var who string
			switch by := ann.CompletedBy.(type) {
			case map[string]any:
				who = by["email"].(string)
				email[fmt.Sprint(by["id"])] = who
			default:
				who = fmt.Sprint(by)
			}
			for _, r := range ann.Result {
				if r.FromName == question {
					if len(r.Value.Choices) != 1 {
						t.Fatalf("%s: task %s: %d choices", path, task.ID, len(r.Value.Choices))
					}
					out = append(out, task.ID.String()+"|"+who+"|"+strings.TrimSpace(r.Value.Choices[0]))
				}
			}
		}
	}
	slices.Sort(out)
	return out, email
}

// tripleSet lists a's ratings as sorted "unit|annotator|label" strings,
// annotators renamed through rename where it has them.
func tripleSet(a *Annotations, rename map[string]string) []string {
	var out []string
	for u := range a.NumUnits() {
		for _, r := range a.UnitRatings(u) {
			who := a.Annotators[r.Annotator]
			if n, ok := rename[who]; ok {
				who = n
			}
			out = append(out, a.UnitID(u)+"|"+who+"|"+a.Labels[r.Label])
		}
	}
	slices.Sort(out)
	return out
}

// With no question named, JSON-MIN and CSV exports name it when exactly one
// column can be it; otherwise the refusal lists the columns that might.
func TestLabelStudioMinCSVQuestionInferred(t *testing.T) {
	fsys := os.DirFS("testdata/labelstudio-converter")
	for _, file := range []string{"contract-risk.min.json", "contract-risk.csv"} {
		got, err := ReadAnnotations(fsys, file, 0, AnnotationOptions{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		named, err := ReadAnnotations(fsys, file, 0, AnnotationOptions{Question: "risk"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tripleSet(got, nil), tripleSet(named, nil)) || got.NumUnits() != 150 {
			t.Errorf("%s: inferred question read %d units, differently from --question risk", file, got.NumUnits())
		}
	}
	for file, want := range map[string]string{
		"k2011c.min.json": `k2011c.min.json: 2 columns could be the question ("severity", "tone"); name one (--question, or necessary.data.question in the record)`,
		"k2011c.csv":      `k2011c.csv: 2 columns could be the question ("severity", "tone"); name one (--question, or necessary.data.question in the record)`,
		// One task: the answer cannot be told from the text.
		"csv_test_history.csv": `csv_test_history.csv: cannot tell which column is the question: "sentiment", "text" each hold one value per task, as task data does; name the question (--question, or necessary.data.question in the record)`,
		// Lists and objects of the task's data, and columns empty
		// throughout, are not candidates.
		"csv_test2.min.json": `csv_test2.min.json: cannot tell which column is the question: "_row_id", "title", "title_1", "uri", "uri_1", "uri_selection" each hold one value per task, as task data does; name the question (--question, or necessary.data.question in the record)`,
		"csv_test2.csv":      `csv_test2.csv: cannot tell which column is the question: "_row_id", "title", "title_1", "uri", "uri_1", "uri_selection" each hold one value per task, as task data does; name the question (--question, or necessary.data.question in the record)`,
	} {
		_, err := ReadAnnotations(fsys, file, 0, AnnotationOptions{})
		wantError(t, err, Malformed, want)
	}

	for _, c := range []struct{ name, file, data, want string }{
		// Every annotator agrees on both tasks, but "low" labels both:
		// a reused choice, while each text is its task's own.
		{"reused choice", "m.json", `[
{"id": 1, "text": "a", "q": "low", "annotator": "x@e"}, {"id": 1, "text": "a", "q": "low", "annotator": "y@e"},
{"id": 2, "text": "b", "q": "low", "annotator": "x@e"}]`, "q"},
		{"disagreement", "m.csv", "annotation_id,annotator,id,q,text\n1,x@e,1,low,a\n2,y@e,1,high,a\n", "q"},
		{"rating", "r.json", `[{"id": 1, "text": "a", "stars": [{"rating": 4}], "annotator": 3},
{"id": 1, "text": "a", "stars": [{"rating": 2}], "annotator": 5}]`, "stars"},
		{"rating csv", "r.csv", "annotation_id,annotator,id,stars,text\n1,3,1,\"[{\"\"rating\"\":4}]\",a\n2,5,1,\"[{\"\"rating\"\":2}]\",a\n", "stars"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := memFS(map[string]string{c.file: c.data})
			got, err := ReadAnnotations(fs, c.file, 0, AnnotationOptions{})
			if err != nil {
				t.Fatal(err)
			}
			named, err := ReadAnnotations(fs, c.file, 0, AnnotationOptions{Question: c.want})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := tripleSet(got, nil), tripleSet(named, nil); !slices.Equal(g, w) || len(g) == 0 {
				t.Errorf("inferred %q, named %q", g, w)
			}
		})
	}
	// A question named but absent: the columns that could hold answers,
	// in the same order on every read.
	for range 5 {
		_, err := ReadAnnotations(fsys, "k2011c.min.json", 0, AnnotationOptions{Question: "nope"})
		wantError(t, err, Malformed, `k2011c.min.json: question "nope" not found (the export holds "severity", "text", "tone")`)
	}
	// Two reused columns: a metadata column can look like a question.
	fs := memFS(map[string]string{"m.json": `[{"id": 1, "source": "web", "q": "a", "annotator": "x"},
{"id": 2, "source": "web", "q": "a", "annotator": "x"}]`})
	_, err := ReadAnnotations(fs, "m.json", 0, AnnotationOptions{})
	wantError(t, err, Malformed, `m.json: 2 columns could be the question ("q", "source"); name one (--question, or necessary.data.question in the record)`)
}

// partial.json (a task without annotations, a cancelled annotation, a
// rating answered by one of two annotators) and what the converter made of
// it read alike; the figures are counted by hand from partial.json.
func TestConverterPartialAnswers(t *testing.T) {
	fsys := os.DirFS("testdata/labelstudio-converter")
	want := map[string][]string{
		"q":     {"1|1|x", "1|2|y", "3|1|x", "3|2|x"},
		"stars": {"3|1|4"},
	}
	for _, file := range []string{"partial.json", "partial.min.json", "partial.csv"} {
		for q, w := range want {
			a, err := ReadAnnotations(fsys, file, 0, AnnotationOptions{Question: q})
			if err != nil {
				t.Fatalf("%s %s: %v", file, q, err)
			}
			if got := tripleSet(a, nil); !slices.Equal(got, w) {
				t.Errorf("%s %s:\n got %q\nwant %q", file, q, got, w)
			}
		}
		if file == "partial.json" {
			continue
		}
		// stars is answered in one row of task 3 and not the other: a
		// question, as q is.
		_, err := ReadAnnotations(fsys, file, 0, AnnotationOptions{})
		wantError(t, err, Malformed, file+`: 2 columns could be the question ("q", "stars"); name one (--question, or necessary.data.question in the record)`)
	}
}
