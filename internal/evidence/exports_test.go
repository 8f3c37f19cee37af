package evidence

import (
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Each export of a set of ratings reads to exactly the structure the long
// CSV of the same ratings, in the order the export lists them, reads to:
// same units, annotators and labels in the same order, same ratings.
func TestExportsEqualLongFormat(t *testing.T) {
	labels := []string{"low", "medium", "high"}
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		ts := genTriples(r, 5+r.IntN(60), 2+r.IntN(5), labels)
		shuffled := slices.Clone(ts)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		prodigyTS := make([]triple, len(shuffled))
		for i, t := range shuffled {
			t.annotator = "tickets-" + t.annotator
			prodigyTS[i] = t
		}
		cases := []struct {
			name, format, file, data string
			want                     []triple
		}{
			{"labelstudio", FormatLabelStudio, "export.json", labelStudioExport(r, ts), asUserIDs(byUnit(ts))},
			{"labelstudio-min", FormatLabelStudioMin, "min.json", labelStudioMinExport(shuffled), shuffled},
			{"labelstudio-csv", FormatLabelStudioCSV, "ls.csv", labelStudioCSVExport(shuffled), shuffled},
			{"prodigy", FormatProdigy, "db-out.jsonl", prodigyExport(r, shuffled), prodigyTS},
			{"argilla", FormatArgilla, "records.json", argillaExport(r, ts), byUnit(ts)},
		}
		for _, c := range cases {
			fsys := memFS(map[string]string{c.file: c.data, "long.csv": longCSV(c.want)})
			want, err := ParseAnnotations(fsys, "long.csv", 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{FormatAuto, c.format} {
				got, err := ReadAnnotations(fsys, c.file, 0, AnnotationOptions{Format: format, Question: "priority"})
				if c.format == FormatProdigy {
					// One dataset, one question: Prodigy's is named by the
					// task kind.
					got, err = ReadAnnotations(fsys, c.file, 0, AnnotationOptions{Format: format})
				}
				if err != nil {
					t.Fatalf("seed %d %s (format %q): %v", seed, c.name, format, err)
				}
				if !reflect.DeepEqual(viewOf(got), viewOf(want)) {
					t.Fatalf("seed %d %s (format %q):\n got %+v\nwant %+v", seed, c.name, format, viewOf(got), viewOf(want))
				}
			}
		}
	}
}

func TestSniffAnnotations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ts := genTriples(r, 4, 3, []string{"a", "b"})
	files := map[string]string{
		"long.csv":     longCSV(ts),
		"wide.csv":     "unit,ana,bo\n1,a,b\n",
		"ls.json":      labelStudioExport(r, ts),
		"min.json":     labelStudioMinExport(ts),
		"ls.csv":       labelStudioCSVExport(ts),
		"db-out.jsonl": prodigyExport(r, ts),
		"argilla.json": argillaExport(r, ts),
		"bom.json":     "\ufeff" + labelStudioMinExport(ts),
	}
	want := map[string]string{
		"long.csv": FormatCSV, "wide.csv": FormatCSV, "ls.json": FormatLabelStudio, "min.json": FormatLabelStudioMin,
		"ls.csv": FormatLabelStudioCSV, "db-out.jsonl": FormatProdigy, "argilla.json": FormatArgilla, "bom.json": FormatLabelStudioMin,
	}
	fsys := memFS(files)
	for name, w := range want {
		got, err := sniffAnnotations(fsys, name, 0)
		if err != nil || got != w {
			t.Errorf("%s: got %q, %v; want %q", name, got, err, w)
		}
	}
}

// The real Label Studio exports in testdata read as their content says.
func TestLabelStudioRealExports(t *testing.T) {
	fsys := os.DirFS("testdata/labelstudio")
	for _, c := range []struct {
		file, unit, annotator, label string
	}{
		{"converter-csv_test2.json", "4", "1", "Yes \" \"\" \n \t \t а б в"},
		{"converter-csv_test_history.json", "6141", "14", "Positive"},
	} {
		a, err := ReadAnnotations(fsys, c.file, 0, AnnotationOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		v := viewOf(a)
		want := annotView{Units: []string{c.unit}, Annotators: []string{c.annotator}, Labels: []string{c.label},
			Ratings: [][]Rating{{{Annotator: 0, Label: 0}}}}
		if !reflect.DeepEqual(v, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.file, v, want)
		}
	}
	// Only polygon regions: nothing agreement can be computed on.
	_, err := ReadAnnotations(fsys, "converter-json_min-data.json", 0, AnnotationOptions{})
	wantError(t, err, Malformed, "converter-json_min-data.json: no single-choice question found: nothing to compute agreement on")
}

func TestExportErrors(t *testing.T) {
	cases := []struct {
		name, file, data string
		opt              AnnotationOptions
		kind             Kind
		want             string
	}{
		{"ls multi-choice", "t.json", `[
  {"id": 1, "annotations": [
    {"completed_by": 1, "result": [{"from_name": "q", "type": "choices", "value": {"choices": ["a", "b"]}}]}]}
]`, AnnotationOptions{}, Malformed,
			"t.json:2:3: [0].annotations[0].result[0].value.choices: 2 choices selected: multi-label agreement is not supported: give each unit one label per annotator"},
		{"ls several questions", "t.json", `[{"id": 1, "annotations": [{"completed_by": 1, "result": [
  {"from_name": "tone", "type": "choices", "value": {"choices": ["a"]}},
  {"from_name": "priority", "type": "choices", "value": {"choices": ["b"]}}]}]}]`, AnnotationOptions{}, Malformed,
			`t.json: the export holds 2 questions ("tone", "priority"); name one (--question, or necessary.data.question in the record)`},
		{"ls unknown question", "t.json", `[{"id": 1, "annotations": [{"completed_by": 1, "result": [
  {"from_name": "tone", "type": "choices", "value": {"choices": ["a"]}}]}]}]`, AnnotationOptions{Question: "prio"}, Malformed,
			`t.json: question "prio" not found (the export holds "tone")`},
		{"ls no completed_by", "t.json", "[\n {\"id\": 1, \"annotations\": [{\"result\": [{\"from_name\": \"q\", \"type\": \"choices\", \"value\": {\"choices\": [\"a\"]}}]}]}]",
			AnnotationOptions{}, Malformed, "t.json:2:2: [0].annotations[0].completed_by: completed_by is missing: agreement needs to know who labelled"},
		{"ls duplicate", "t.json", "[\n{\"id\": 1, \"annotations\": [{\"completed_by\": 1, \"result\": [{\"from_name\": \"q\", \"type\": \"choices\", \"value\": {\"choices\": [\"a\"]}}]}]},\n" +
			"{\"id\": 1, \"annotations\": [{\"completed_by\": {\"id\": 1}, \"result\": [{\"from_name\": \"q\", \"type\": \"choices\", \"value\": {\"choices\": [\"b\"]}}]}]}]",
			AnnotationOptions{}, Duplicate, `t.json:3:1: [1].annotations[0]: duplicate label for unit "1" by annotator "1" (first at line 2:1)`},
		{"ls syntax", "t.json", "[\n{\"id\": 1,,}]", AnnotationOptions{Format: FormatLabelStudio}, Malformed,
			"t.json:2:10: invalid JSON: invalid character ',' looking for beginning of object key string"},
		{"ls syntax later", "t.json", "[\n{\"id\": 1, \"annotations\": []},\n {\"id\": 2,,}]", AnnotationOptions{Format: FormatLabelStudio}, Malformed,
			"t.json:3:11: invalid JSON: invalid character ',' looking for beginning of object key string"},
		{"ls syntax after bom", "t.json", "\ufeff[\n{\"id\": 1, \"annotations\": []},\n {\"id\": 2,,}]", AnnotationOptions{Format: FormatLabelStudio}, Malformed,
			"t.json:3:11: invalid JSON: invalid character ',' looking for beginning of object key string"},
		{"ls bad element after bom", "t.json", "\ufeff[\n{\"id\": 1, \"annotations\": []},\n {\"id\": 2, \"annotations\": 3}]", AnnotationOptions{Format: FormatLabelStudio}, Malformed,
			"t.json:3:2: [1].annotations: want an array, found a JSON number"},
		{"ls truncated", "t.json", "[\n{\"id\": 1, \"annotations\": [", AnnotationOptions{Format: FormatLabelStudio}, Malformed,
			"t.json:2:1: the JSON ends early (unclosed array or object)"},
		{"ls wrong type", "t.json", "[\n{\"id\": 1, \"annotations\": {}}]", AnnotationOptions{Format: FormatLabelStudio}, Malformed,
			"t.json:2:1: [0].annotations: want an array, found a JSON object"},
		{"min multi", "t.json", "[\n{\"id\": 1, \"annotator\": \"a@x\", \"q\": {\"choices\": [\"a\", \"b\"]}}]", AnnotationOptions{}, Malformed,
			"t.json:2:1: [0].q: 2 choices selected: multi-label agreement is not supported: give each unit one label per annotator"},
		{"min several", "t.json", "[\n{\"id\": 1, \"annotator\": \"a@x\", \"text\": \"hi\", \"q\": \"a\"}]", AnnotationOptions{}, Malformed,
			`t.json: cannot tell which column is the question: "q", "text" each hold one value per task, as task data does; name the question (--question, or necessary.data.question in the record)`},
		{"ls csv multi", "t.csv", "annotation_id,annotator,id,q\n1,a@x,7,\"{\"\"choices\"\": [\"\"a\"\", \"\"b\"\"]}\"\n", AnnotationOptions{Question: "q"}, Malformed,
			"t.csv:2:9: 2 choices selected: multi-label agreement is not supported: give each unit one label per annotator"},
		{"prodigy timestamp session", "d.jsonl", `{"_input_hash": 1, "answer": "accept", "_session_id": "2024-02-06_10-17-19", "_annotator_id": "2024-02-06_10-17-19"}` + "\n",
			AnnotationOptions{}, Malformed,
			`d.jsonl:1:1: annotator "2024-02-06_10-17-19" is a session Prodigy named by its start time, not a person: agreement needs annotator identities (open the app with ?session=NAME, or set PRODIGY_ALLOWED_SESSIONS)`},
		{"prodigy dataset timestamp session", "d.jsonl", `{"_input_hash": 1, "answer": "reject", "_session_id": "news-2026-09-06"}` + "\n",
			AnnotationOptions{}, Malformed,
			`d.jsonl:1:1: annotator "news-2026-09-06" is a session Prodigy named by its start time, not a person: agreement needs annotator identities (open the app with ?session=NAME, or set PRODIGY_ALLOWED_SESSIONS)`},
		{"prodigy anonymous", "d.jsonl", `{"_input_hash": 1, "answer": "accept"}` + "\n", AnnotationOptions{}, Malformed,
			"d.jsonl:1:1: neither _annotator_id nor _session_id is set: agreement needs annotator identities"},
		{"prodigy multi", "d.jsonl", "\n" + `{"_input_hash": 1, "options": [], "answer": "accept", "accept": ["a", "b"], "_session_id": "x-ana"}` + "\n",
			AnnotationOptions{}, Malformed,
			"d.jsonl:2:1: accept: 2 options chosen: multi-label agreement is not supported: give each unit one label per annotator"},
		{"prodigy syntax", "d.jsonl", `{"_input_hash": 1, "answer": "accept", "_session_id": "x-ana"}` + "\n" + `{"_input_hash": 2 "answer"}` + "\n",
			AnnotationOptions{}, Malformed, "d.jsonl:2:19: invalid JSON: invalid character '\"' after object key:value pair"},
		{"prodigy duplicate", "d.jsonl", `{"_input_hash": 1, "answer": "accept", "_session_id": "x-ana"}` + "\n" + `{"_input_hash": 1, "answer": "reject", "_session_id": "x-ana"}` + "\n",
			AnnotationOptions{}, Duplicate, `d.jsonl:2:1: duplicate label for unit "1" by annotator "x-ana" (first at line 1:1)`},
		{"argilla multi", "r.json", "[\n{\"id\": \"r1\", \"responses\": {\"topics\": [{\"value\": [\"a\", \"b\"], \"user_id\": \"u1\"}]}}]",
			AnnotationOptions{}, Malformed,
			"r.json:2:1: [0].responses.topics[0].value: 2 labels given: multi-label agreement is not supported: give each unit one label per annotator"},
		{"argilla no user", "r.json", "[\n{\"id\": \"r1\", \"responses\": {\"q\": [{\"value\": \"a\"}]}}]", AnnotationOptions{}, Malformed,
			"r.json:2:1: [0].responses.q[0].user_id: user_id is missing: agreement needs to know who answered"},
		{"not an export", "x.json", "[{\"a\": 1}]", AnnotationOptions{}, Malformed,
			`x.json:1:2: [0]: a JSON array, but not an export ftgate reads (want Label Studio tasks with "annotations", Label Studio JSON-MIN rows with "annotator", or Argilla records with "responses")`},
		{"csv with question", "l.csv", "unit,annotator,label\n1,a,x\n", AnnotationOptions{Question: "q"}, Malformed,
			`l.csv: a question ("q") names a column of an export; this CSV holds unit, annotator and label columns`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := memFS(map[string]string{c.file: c.data})
			_, err := ReadAnnotations(fsys, c.file, 0, c.opt)
			e := wantError(t, err, c.kind, c.want)
			checkPosition(t, []byte(c.data), e)
		})
	}
}

// Ignored, cancelled, draft and rejected-choice answers are not labels.
func TestExportsDropNonLabels(t *testing.T) {
	files := map[string]string{
		"p.jsonl": strings.Join([]string{
			`{"_input_hash": 1, "answer": "accept", "_session_id": "d-ana"}`,
			`{"_input_hash": 1, "answer": "ignore", "_session_id": "d-bo"}`,
			`{"_input_hash": 1, "answer": "reject", "_annotator_id": "d-cy", "_session_id": "d-cy"}`,
		}, "\n"),
		"a.json": `[{"id": "r1", "responses": {"q": [
			{"value": "x", "user_id": "u1", "status": "submitted"},
			{"value": "y", "user_id": "u2", "status": "draft"},
			{"value": "z", "user_id": "u3", "status": "discarded"},
			{"value": 3, "user_id": "u4"}]}}]`,
	}
	fsys := memFS(files)
	a, err := ReadAnnotations(fsys, "p.jsonl", 0, AnnotationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := viewOf(a), (annotView{Units: []string{"1"}, Annotators: []string{"d-ana", "d-cy"}, Labels: []string{"accept", "reject"},
		Ratings: [][]Rating{{{0, 0}, {1, 1}}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("prodigy:\n got %+v\nwant %+v", got, want)
	}
	a, err = ReadAnnotations(fsys, "a.json", 0, AnnotationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := viewOf(a), (annotView{Units: []string{"r1"}, Annotators: []string{"u1", "u4"}, Labels: []string{"x", "3"},
		Ratings: [][]Rating{{{0, 0}, {1, 1}}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("argilla:\n got %+v\nwant %+v", got, want)
	}
}

// Real Prodigy exports: an older one without annotator identities is
// refused; a workshop's, with a label per binary task, reads that label
// as its question.
func TestProdigyRealExports(t *testing.T) {
	fsys := os.DirFS("testdata/prodigy")
	_, err := ReadAnnotations(fsys, "annotated_github-issues-DOCUMENTATION-textcat.head40.jsonl", 0, AnnotationOptions{})
	wantError(t, err, Malformed, "annotated_github-issues-DOCUMENTATION-textcat.head40.jsonl:1:1: neither _annotator_id nor _session_id is set: agreement needs annotator identities")
	_, err = ReadAnnotations(fsys, "pydata-ams-2023.jsonl", 0, AnnotationOptions{Question: "answer"})
	wantError(t, err, Malformed, `pydata-ams-2023.jsonl: question "answer" not found (the export holds "new-dataset")`)
}
