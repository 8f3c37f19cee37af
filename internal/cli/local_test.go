package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/record"
)

// TestRulesDocIsCurrent keeps docs/rules.md equal to what `ftgate explain
// --format markdown` renders from internal/rules; UPDATE_GOLDEN=1 rewrites
// it.
func TestRulesDocIsCurrent(t *testing.T) {
	want, err := rulesMarkdown()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join("..", "..", "docs", "rules.md")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(name, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/rules.md is stale: run UPDATE_GOLDEN=1 go test ./internal/cli -run TestRulesDocIsCurrent and review the diff")
	}
}

// TestInitRecordLoads checks that what init writes is a valid record, for
// configs of several frameworks, with and without evidence in place.
func TestInitRecordLoads(t *testing.T) {
	dir := t.TempDir()
	if err := copyTree(filepath.Join("..", "..", "testdata", "example"), dir); err != nil {
		t.Fatal(err)
	}
	loader, err := record.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	for i, config := range []string{"training/contract-risk/axolotl.yaml", "training/support-bot/sft.yaml", "data/support-bot/train.jsonl"} {
		// Every config of the example is covered already: write successors.
		code, stdout, stderr := run("init", "-C", dir, "--today", "2026-11-27", "--supersede", config)
		if code != ExitPass {
			t.Fatalf("init %s: exit %d\n%s%s", config, code, stdout, stderr)
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(stdout, "wrote "), " ")
		if want := fmt.Sprintf("decisions/ftd-%04d-", 9+i); !strings.HasPrefix(name, want) {
			t.Errorf("init %s wrote %s, want %s…", config, name, want)
		}
		rec := loader.LoadFile(changes.WorktreeFS(dir), name)
		if !rec.Valid {
			t.Errorf("%s does not load: %v", name, rec.Problems)
		}
		if !rec.Matches(config) && rec.TrainingSet() != config {
			t.Errorf("%s does not cover %s", name, config)
		}
	}
}

// TestBundledPolicyTests runs testdata/policy-tests against the example's
// policy, as docs/local.md shows.
func TestBundledPolicyTests(t *testing.T) {
	code, stdout, stderr := run("policy", "test", "-C", filepath.Join("..", "..", "testdata", "example"), filepath.Join("..", "..", "testdata", "policy-tests"))
	if code != ExitPass || !strings.Contains(stdout, " 0 failed, 0 errors") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}
