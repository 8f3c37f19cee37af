package gate

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/result"
)

var judgeDay = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// TestRunExample judges the bundled example as `check --all` does: the
// contract-risk config passes under its record, support-bot fails.
func TestRunExample(t *testing.T) {
	res, err := Run(context.Background(), Options{Mode: All, Dir: "../../testdata/example", Today: judgeDay})
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != result.Fail {
		t.Errorf("verdict %s, want fail", res.Result)
	}
	judged := map[string]string{}
	for _, c := range res.Configs {
		judged[c.Path] = c.Record
	}
	if judged["training/contract-risk/axolotl.yaml"] != "decisions/ftd-0007-contract-risk.yaml" {
		t.Errorf("contract-risk judged by %q; configs %v", judged["training/contract-risk/axolotl.yaml"], judged)
	}
	for _, f := range res.Findings {
		if f.Severity == finding.Error && f.Record != "decisions/ftd-0008-support-bot.yaml" {
			t.Errorf("error outside the support-bot record: %s", f)
		}
	}
}

// TestRunContextCancelled stops a run whose context is done.
func TestRunContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Mode: All, Dir: "../../testdata/example", Today: judgeDay}); err == nil {
		t.Fatal("a cancelled run returned no error")
	}
}

// TestPolicyChangeOwnFiles: a .cue file in .ftgate/ and the baseline are
// policy (FT010); the record schema and policy test cases are not.
func TestPolicyChangeOwnFiles(t *testing.T) {
	loader, err := record.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	head := fstest.MapFS{
		".ftgate/policy.cue":                   {Data: []byte("package ftgate\n")},
		".ftgate/record.schema.json":           {Data: []byte("{}")},
		".ftgate/tests/a/decisions/ftd-1.yaml": {Data: []byte("id: FTD-1\n")},
	}
	for _, c := range []struct {
		path string
		want int
	}{
		{".ftgate/policy.cue", 1},
		{".ftgate/record.schema.json", 0},
		{".ftgate/baseline.json", 1},
		{".ftgate/tests/a/decisions/ftd-1.yaml", 0},
		{".ftgate/tests/a/policy.cue", 0},
	} {
		tr := &Trees{Head: head, Policy: head, Diff: true, Changed: []changes.ChangedFile{{Path: c.path, Status: changes.Added}}}
		if got := PolicyChange(loader, tr, ""); len(got) != c.want {
			t.Errorf("%s: %d FT010 findings, want %d: %v", c.path, len(got), c.want, got)
		}
	}

	// A baseline the change breaks is an error at its position.
	head[".ftgate/baseline.json"] = &fstest.MapFile{Data: []byte("{\n  \"version\": 2,\n  \"configs\": []\n}\n")}
	tr := &Trees{Head: head, Policy: head, Diff: true, Changed: []changes.ChangedFile{{Path: ".ftgate/baseline.json", Status: changes.Modified}}}
	got := PolicyChange(loader, tr, "")
	if len(got) != 1 || got[0].Severity != finding.Error || got[0].Pos.Line != 2 || !strings.Contains(got[0].Message, "version 2: want 1") {
		t.Errorf("broken baseline: %v, want one FT010 error at line 2 naming the version", got)
	}
}

// TestAnyCandidate is the no-op predicate: any case of a config's
// extension, a record or the policy matters; other files do not.
func TestAnyCandidate(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  bool
	}{
		{[]string{"README.md", "main.go"}, false},
		{[]string{"README.md", "train/CONFIG.YAML"}, true},
		{[]string{"decisions/notes.txt"}, true},
		{[]string{".ftgate/policy.cue"}, true},
		{[]string{"src/x.go", "Modelfile"}, true},
	} {
		if got := AnyCandidate(c.names, "decisions"); got != c.want {
			t.Errorf("AnyCandidate(%q) = %v, want %v", c.names, got, c.want)
		}
	}
}

// TestNamedByRecords: the no-op path of --staged runs the check when a
// record names a staged file, whatever its type.
func TestNamedByRecords(t *testing.T) {
	tree := fstest.MapFS{
		"decisions/ftd-1.yaml": {Data: []byte("history: evidence/evals.csv\ndigests:\n  notes/model-card.md: sha256:00\n")},
		"README.md":            {Data: []byte("evidence/other.csv")},
		"decisions/ftd-2.json": {Data: []byte(`{"necessary": {"data": {"annotations": "evidence/json.csv"}}}`)},
		"decisions/ftd-3.yaml": {Data: []byte("coverage: {production: evidence/flow-a.csv, training: evidence/flow-b.csv}\nhistory: ./evidence/dotted.csv\nannotations: evidence/my labels.csv\ndigests: {evidence/keyed.csv: \"sha256:00\"}\n")},
	}
	for _, c := range []struct {
		names []string
		want  bool
	}{
		{[]string{"evidence/evals.csv"}, true},
		{[]string{"notes/model-card.md"}, true},
		{[]string{"evidence/other.csv", "src/main.go"}, false},
		// JSON, flow lists, "./", a value with a space, a digests key.
		{[]string{"evidence/json.csv"}, true},
		{[]string{"evidence/flow-b.csv"}, true},
		{[]string{"evidence/dotted.csv"}, true},
		{[]string{"evidence/my labels.csv"}, true},
		{[]string{"evidence/keyed.csv"}, true},
		// A prefix of a named path is not named.
		{[]string{"evidence/json"}, false},
	} {
		got, err := namedByRecords(tree, "decisions", c.names)
		if err != nil || got != c.want {
			t.Errorf("namedByRecords(%q) = %v, %v; want %v", c.names, got, err, c.want)
		}
	}
	if got, err := namedByRecords(tree, "records", []string{"evidence/evals.csv"}); err != nil || got {
		t.Errorf("without a records directory: %v, %v", got, err)
	}
}

// BenchmarkNamedByRecords is what the --staged no-op path adds to the one
// git process: a read of the example's records for a staged name nothing
// names.
func BenchmarkNamedByRecords(b *testing.B) {
	fsys := os.DirFS("../../testdata/example")
	for b.Loop() {
		if named, err := namedByRecords(fsys, "decisions", []string{"notes/unrelated.csv"}); err != nil || named {
			b.Fatal(named, err)
		}
	}
}
