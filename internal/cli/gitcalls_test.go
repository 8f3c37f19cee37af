package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaseGitCalls counts the git processes `check --base` runs on the
// example repository, with git wrapped on PATH by a script that logs every
// invocation: each revision is resolved once although the diff and both
// trees need it, and one `git cat-file --batch` serves every blob, although
// detection stops reading the 141 KB training set after its first lines
// and the evidence count then reads all of it.
func TestBaseGitCalls(t *testing.T) {
	g := newGitLog(t)
	example, err := filepath.Abs("../../testdata/example")
	if err != nil {
		t.Fatal(err)
	}
	if err := copyTree(example, g.repo); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(g.repo, "data/contract-risk/train.jsonl")); err != nil || st.Size() <= 64<<10 {
		t.Fatalf("the example's training set should be over 64 KiB: %v", err)
	}
	g.git("init", "-q", "-b", "main")
	g.git("add", "-A")
	g.git("commit", "-q", "-m", "base")
	g.git("checkout", "-q", "-b", "pr")
	config := filepath.Join(g.repo, "training/contract-risk/axolotl.yaml")
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, append(data, "# one more run\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	g.git("commit", "-q", "-am", "edit the contract-risk config")

	code, out, calls := g.ftgate("check", "--base", "main", "--today", "2026-11-27")
	if code != ExitPass {
		t.Fatalf("check --base main: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "1 config judged") {
		t.Errorf("check --base main did not judge the edited config:\n%s", out)
	}
	logged := strings.Join(calls, "\n")
	count := map[string]int{}
	for _, c := range calls {
		count[c]++
	}
	for _, rev := range []string{"main", "HEAD"} {
		if n := count["rev-parse -q --verify "+rev+"^{commit}"]; n != 1 {
			t.Errorf("%s resolved %d times, want once; git ran:\n%s", rev, n, logged)
		}
	}
	if n := count["cat-file --batch"]; n != 1 {
		t.Errorf("git cat-file --batch started %d times, want once; git ran:\n%s", n, logged)
	}
}
