package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

func TestNewRejectsUnknown(t *testing.T) {
	r, err := New("yaml")
	if err == nil {
		t.Fatalf("New(yaml) = %T, want an error", r)
	}
	msg := err.Error()
	if !strings.Contains(msg, `"yaml"`) {
		t.Errorf("error %q does not name the format", msg)
	}
	for _, f := range Formats() {
		if !strings.Contains(msg, f) {
			t.Errorf("error %q does not list format %s", msg, f)
		}
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	if !slices.Contains(got, "text") || !slices.Contains(got, "json") {
		t.Errorf("Formats() = %v, want text and json among them", got)
	}
	for _, name := range got {
		if _, err := NewWithOptions(name, Options{Color: true}); err != nil {
			t.Errorf("New(%s): %v", name, err)
		}
	}
	// The list is the caller's to keep.
	got[0] = "changed"
	if Formats()[0] == "changed" {
		t.Error("Formats returns the package's own slice")
	}
}

func TestNilResult(t *testing.T) {
	for _, name := range Formats() {
		r, _ := New(name)
		if err := r.Report(&bytes.Buffer{}, nil); err == nil {
			t.Errorf("%s: Report(nil) succeeded", name)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterErrors(t *testing.T) {
	for _, name := range Formats() {
		r, _ := New(name)
		if err := r.Report(failingWriter{}, passingRun()); err == nil {
			t.Errorf("%s: write error not returned", name)
		}
	}
}

func TestWriteErrorText(t *testing.T) {
	tests := []struct {
		format string
		e      ErrorInfo
		want   string
	}{
		{"text", ErrorInfo{Message: "unknown flag --frmat"}, "ftgate: unknown flag --frmat\n"},
		{
			"text",
			ErrorInfo{Message: "thresholds.agreement.min 0.5 is below the floor 0.667", File: ".ftgate/policy.cue", Line: 3, Col: 26},
			"ftgate: .ftgate/policy.cue:3:26: thresholds.agreement.min 0.5 is below the floor 0.667\n",
		},
		{"text", ErrorInfo{Message: "read policy", File: ".ftgate/x.cue"}, "ftgate: .ftgate/x.cue: read policy\n"},
		// The message of an exit 2 is one line, whatever it contains.
		{"text", ErrorInfo{Message: "git failed:\nfatal: bad object"}, "ftgate: git failed:\\nfatal: bad object\n"},
		// An unknown format may be the very error being reported: text.
		{"yaml", ErrorInfo{Message: `unknown format "yaml"`}, "ftgate: unknown format \"yaml\"\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteError(&buf, tt.format, tt.e); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("WriteError(%s, %+v) = %q, want %q", tt.format, tt.e, buf.String(), tt.want)
		}
	}
}

func TestWriteErrorJSON(t *testing.T) {
	tests := []struct {
		e    ErrorInfo
		want string
	}{
		{
			ErrorInfo{Message: "pass --base or --all"},
			`{"version":1,"result":"error","error":{"message":"pass --base or --all"}}`,
		},
		{
			ErrorInfo{Message: "thresholds.coverage.min 0.9 < floor 0.95", File: ".ftgate/policy.cue", Line: 7, Col: 20},
			`{"version":1,"result":"error","error":{"message":"thresholds.coverage.min 0.9 < floor 0.95","file":".ftgate/policy.cue","line":7,"col":20}}`,
		},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := WriteError(&buf, "json", tt.e); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		if !json.Valid(out) || !bytes.HasPrefix(out, []byte("{\n  \"version\": 1,")) {
			t.Errorf("not a version 1 document:\n%s", out)
		}
		// Compare compacted, so the test pins fields and order, not layout.
		var compact bytes.Buffer
		if err := json.Compact(&compact, out); err != nil {
			t.Fatal(err)
		}
		if compact.String() != tt.want {
			t.Errorf("WriteError(json, %+v) =\n%s\nwant\n%s", tt.e, compact.String(), tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"decisions/ftd-7.yaml", "decisions/ftd-7.yaml"},
		{"données/été.yaml", "données/été.yaml"},
		{"a\nb\tc\r", `a\nb\tc\r`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"rtl\u202efile", `rtl\u202efile`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"ok \ufffd", "ok \ufffd"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFigureFormatting(t *testing.T) {
	tests := []struct{ got, want string }{
		{usd(ptr(1234567.4)), "$1,234,567"},
		{usd(ptr(-1230.5)), "-$1,231"},
		{usd(ptr(999.0)), "$999"},
		{usd(nil), "n/a"},
		{percent(0.9825), "98.2%"},
		{percent(0.0001), "<0.1%"},
		{percent(0), "0.0%"},
		{plural(1, "error"), "1 error"},
		{plural(0, "notice"), "0 notices"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestVerdictsFollowFailOn(t *testing.T) {
	r := nilRun() // fails on warnings
	c := r.Configs[0]
	v := ruleVerdicts(r.Findings, c, failOn(r))
	if v["FT008"] != verdictFail {
		t.Errorf("a warning at --fail-on warning: verdict %q, want fail", v["FT008"])
	}
	r.FailOn = 0
	v = ruleVerdicts(r.Findings, c, failOn(r))
	if v["FT008"] != "warning" || v["FT101"] != verdictFail {
		t.Errorf("default fail-on: verdicts %v", v)
	}
	if _, ok := v["FT103"]; ok {
		t.Error("a rule without findings has a verdict")
	}
}

// TestTextPrintsARecordFindingOnce: a record judging a config and its
// training set is wrong once in the text; JSON keeps both configs' findings.
func TestTextPrintsARecordFindingOnce(t *testing.T) {
	pos := finding.Position{File: "decisions/r.yaml", Line: 9, Col: 5}
	r := &result.Result{Result: result.Fail, FailOn: finding.Error, Metrics: map[string]*result.Metrics{}}
	for _, cfg := range []string{"data/train.jsonl", "training/sft.yaml"} {
		r.Findings = append(r.Findings, finding.Finding{Rule: "FT102", Severity: finding.Error, Pos: pos,
			Message: "alpha 0.400 < 0.800 over 120 units, 4 annotators", Config: cfg, Record: "decisions/r.yaml"})
	}
	var text, js strings.Builder
	for name, w := range map[string]*strings.Builder{"text": &text, "json": &js} {
		rep, err := New(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.Report(w, r); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(text.String(), "[FT102]"); n != 1 {
		t.Errorf("text prints the finding %d times:\n%s", n, text.String())
	}
	if !strings.Contains(text.String(), "1 error,") && !strings.Contains(text.String(), "1 error:") {
		t.Errorf("summary counts the repeat:\n%s", text.String())
	}
	if n := strings.Count(js.String(), `"rule": "FT102"`); n != 2 {
		t.Errorf("json carries %d findings, want 2", n)
	}
}
