package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/result"
)

// Golden files live in testdata/golden/<case>.<ext>. Run
//
//	UPDATE_GOLDEN=1 go test ./internal/report
//
// to rewrite them, then review the diff. An environment variable rather than
// a flag: `go test ./... -update` fails in every package that defines no
// such flag.
var cases = []struct {
	name string
	run  func() *result.Result
}{
	{"fail", failingRun},
	{"pass", passingRun},
	{"nil", nilRun},
}

// extensions maps each format to the extension of its golden files.
var extensions = map[string]string{
	"text":     "txt",
	"json":     "json",
	"sarif":    "sarif",
	"github":   "github.txt",
	"markdown": "md",
}

func TestGolden(t *testing.T) {
	for _, format := range Formats() {
		ext, ok := extensions[format]
		if !ok {
			t.Errorf("format %s has no golden files: add it to extensions", format)
			continue
		}
		for _, c := range cases {
			t.Run(c.name+"."+ext, func(t *testing.T) {
				r, err := New(format)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := r.Report(&buf, c.run()); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "golden", c.name+"."+ext), buf.Bytes())
			})
		}
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run UPDATE_GOLDEN=1 go test ./internal/report to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (UPDATE_GOLDEN=1 rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestJSONDocument(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (jsonReporter{}).Report(&buf, c.run()); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			if !json.Valid(out) {
				t.Fatalf("invalid JSON:\n%s", out)
			}
			if !bytes.HasPrefix(out, []byte("{\n  \"version\": 1,")) {
				t.Errorf("document does not start with \"version\": 1:\n%.80s", out)
			}
			for _, bad := range []string{"NaN", "Inf"} {
				if bytes.Contains(out, []byte(bad)) {
					t.Errorf("document contains %s", bad)
				}
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			// Lists are always lists, never null or absent.
			for _, key := range []string{"configs", "excluded", "findings"} {
				if _, ok := doc[key].([]any); !ok {
					t.Errorf("%s is %T, want a list", key, doc[key])
				}
			}
			if _, ok := doc["metrics"].(map[string]any); !ok {
				t.Errorf("metrics is %T, want an object", doc["metrics"])
			}
		})
	}
}

func TestJSONNullFigures(t *testing.T) {
	var buf bytes.Buffer
	if err := (jsonReporter{}).Report(&buf, nilRun()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metrics map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]any{}
	for section, raw := range doc.Metrics["training/empty/lora.yaml"] {
		if section == "verdicts" {
			continue // a list; TestJSONVerdicts reads it
		}
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatalf("%s: %v", section, err)
		}
		m[section] = fields
	}
	for _, f := range []struct{ section, field string }{
		{"prompt_ceiling", "best_score"},
		{"prompt_ceiling", "gain"},
		{"prompt_ceiling", "noise"}, // NaN
		{"agreement", "value"},
		{"agreement", "ci_low"},
		{"coverage", "coverage"},
		{"cost", "monthly_saving_usd"}, // +Inf
		{"cost", "payback_months"},
	} {
		v, ok := m[f.section][f.field]
		if !ok || v != nil {
			t.Errorf("%s.%s = %v (present %v), want null", f.section, f.field, v, ok)
		}
	}
	if got := m["agreement"]["undefined"]; got != "no_variation" {
		t.Errorf("agreement.undefined = %v", got)
	}
	if _, ok := doc.Metrics["training/nil/a.yaml"]; ok {
		t.Error("a nil metrics entry is in the document")
	}
	if got := doc.Metrics["training/sections/b.jsonl"]; got == nil || len(got) != 0 {
		t.Errorf("metrics without sections = %v, want {}", got)
	}
}

// TestTextOneLinePerFinding checks that no file name or message can break
// the line structure: the findings take one line each, plus one per hint.
func TestTextOneLinePerFinding(t *testing.T) {
	r := failingRun()
	var buf bytes.Buffer
	if err := (textReporter{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	block, _, _ := strings.Cut(buf.String(), "\n\n")
	lines := strings.Split(block, "\n")
	want := 0
	for _, f := range r.Findings {
		want++
		if f.Hint != "" {
			want++
		}
	}
	if len(lines) != want {
		t.Errorf("findings take %d lines, want %d:\n%s", len(lines), want, block)
	}
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(l, "::") {
			t.Errorf("a file name forged a line: %q", l)
		}
	}
	if !strings.Contains(buf.String(), `training/a:b,c%0A\n::warning::x.yaml:12:7: error:`) {
		t.Errorf("escaped position missing:\n%s", buf.String())
	}
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestTextColor checks that colour only adds escapes: with them stripped,
// the output is the plain one, so tables stay aligned.
func TestTextColor(t *testing.T) {
	for _, c := range cases {
		var plain, color bytes.Buffer
		if err := (textReporter{}).Report(&plain, c.run()); err != nil {
			t.Fatal(err)
		}
		if err := (textReporter{color: true}).Report(&color, c.run()); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(plain.Bytes(), []byte("\x1b")) {
			t.Errorf("%s: plain output has escapes", c.name)
		}
		if !bytes.Contains(color.Bytes(), []byte(ansiRed)) && !bytes.Contains(color.Bytes(), []byte(ansiGreen)) {
			t.Errorf("%s: coloured output has no colour", c.name)
		}
		if got := ansiRE.ReplaceAllString(color.String(), ""); got != plain.String() {
			t.Errorf("%s: coloured output differs from plain beyond escapes:\n%s\n---\n%s", c.name, got, plain.String())
		}
	}
}

// TestGoldenVerbose: the text format counts the excluded files; -v lists
// them.
func TestGoldenVerbose(t *testing.T) {
	var buf bytes.Buffer
	r, err := NewWithOptions("text", Options{Verbose: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Report(&buf, failingRun()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "golden", "fail.verbose.txt"), buf.Bytes())
}

// TestJSONVerdicts: the JSON metrics carry each verdict as the result holds
// it, a figure that does not exist as a null value that does not hold.
func TestJSONVerdicts(t *testing.T) {
	var buf bytes.Buffer
	if err := (jsonReporter{}).Report(&buf, nilRun()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metrics map[string]struct {
			Verdicts []map[string]any `json:"verdicts"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	vs := doc.Metrics["training/empty/lora.yaml"].Verdicts
	if len(vs) != 8 {
		t.Fatalf("%d verdicts, want 8: %v", len(vs), vs)
	}
	want := map[string]any{"rule": "FT101", "figure": "gain", "value": nil, "op": "<=", "bar": 0.01, "holds": false}
	if got := vs[1]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("gain verdict %v, want %v", got, want)
	}
	if got := vs[3]; fmt.Sprint(got) != fmt.Sprint(map[string]any{"rule": "FT101", "figure": "converged", "value": nil, "bar": nil, "holds": false}) {
		t.Errorf("converged verdict %v", got)
	}
}
