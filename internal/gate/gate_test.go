package gate

import (
	"context"
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

// TestPolicyChangeOwnFiles: a .cue file in .ftgate/ is policy (FT010);
// files ftgate writes there and policy test cases are not.
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
		{".ftgate/baseline.json", 0},
		{".ftgate/tests/a/decisions/ftd-1.yaml", 0},
		{".ftgate/tests/a/policy.cue", 0},
	} {
		tr := &Trees{Head: head, Policy: head, Diff: true, Changed: []changes.ChangedFile{{Path: c.path, Status: changes.Added}}}
		if got := PolicyChange(loader, tr, ""); len(got) != c.want {
			t.Errorf("%s: %d FT010 findings, want %d: %v", c.path, len(got), c.want, got)
		}
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
	}
	for _, c := range []struct {
		names []string
		want  bool
	}{
		{[]string{"evidence/evals.csv"}, true},
		{[]string{"notes/model-card.md"}, true},
		{[]string{"evidence/other.csv", "src/main.go"}, false},
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
