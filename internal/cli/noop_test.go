package cli

import (
	"strings"
	"testing"
)

// TestStagedNoop holds the pre-commit path to SPEC §6: when no staged name
// could be a config, a record or policy, `check --staged` runs one git
// process, `git diff --cached --name-only -z`, and reads no policy. The
// repository's committed policy is broken, so reading it would exit 2; git
// is wrapped on PATH by a script that logs every invocation. The same
// repository with a candidate staged shows that the wrapper sees the rest
// of a check and that the policy is then read.
func TestStagedNoop(t *testing.T) {
	g := newGitLog(t)
	g.git("init", "-q", "-b", "main")
	g.write(".ftgate/policy.cue", "package ftgate\n\nthresholds: agreement: min: 0.1\n")
	g.write("README.md", "# models\n")
	g.git("add", "-A")
	g.git("commit", "-q", "-m", "base")
	check := func() (int, string, []string) { return g.ftgate("check", "--staged") }

	// Names that cannot matter: no candidate suffix, not under .ftgate/ or
	// the records directory.
	g.write("README.md", "# models\n\nupdated\n")
	g.write("src/train.go", "package main\n")
	g.write("notes/Modelfile.txt", "FROM x\n")
	g.git("add", "-A")
	code, out, calls := check()
	if code != ExitPass {
		t.Fatalf("no-op path: exit %d, want 0 (was the policy read?)\n%s", code, out)
	}
	if len(calls) != 1 || !strings.HasPrefix(calls[0], "diff --cached --name-only -z") {
		t.Errorf("no-op path ran git %d times: %q; want one git diff --cached --name-only -z", len(calls), calls)
	}

	// A staged config is a candidate: the whole check runs, reads the
	// broken policy from HEAD, and fails closed.
	g.write("training/sft.yaml", "base_model: m\ndatasets:\n  - path: d\nnum_epochs: 1\n")
	g.git("add", "-A")
	code, out, calls = check()
	if code != ExitError || !strings.Contains(out, ".ftgate/policy.cue") {
		t.Errorf("candidate staged: exit %d, want 2 naming the broken policy\n%s", code, out)
	}
	if len(calls) < 2 {
		t.Errorf("candidate staged: git ran %d times, want the full check's calls: %q", len(calls), calls)
	}
}
