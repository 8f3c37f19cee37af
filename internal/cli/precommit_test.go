package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHook runs the hook this repository publishes
// (.pre-commit-hooks.yaml) through the real pre-commit client, as a team
// would use it: pre-commit builds ftgate from a clone of this repository with
// `go install` (the Go toolchain and module proxy, or a warm module cache, are
// needed), installs it as the git hook of a scratch repository, and every
// `git commit` there runs `ftgate check --staged`.
//
// It is slow (pre-commit builds the module) and needs the client, so it runs
// only with FTGATE_PRECOMMIT=1, as scripts/ci.d/20-pre-commit.sh sets.
func TestPreCommitHook(t *testing.T) {
	if os.Getenv("FTGATE_PRECOMMIT") != "1" {
		t.Skip("set FTGATE_PRECOMMIT=1 to run the pre-commit client test (scripts/ci.d/20-pre-commit.sh does)")
	}
	client, err := exec.LookPath("pre-commit")
	if err != nil {
		t.Fatalf("FTGATE_PRECOMMIT=1 but the pre-commit client is not on PATH: %v", err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	env := hookEnv(t, tmp)

	// The hook repository: a clone of this one at HEAD. A manifest not yet
	// committed here is committed in the clone, so the test checks the
	// manifest in the tree.
	hookRepo := filepath.Join(tmp, "ftgate")
	hookRun(t, env, "", "git", "clone", "-q", root, hookRepo)
	manifest, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cloned, _ := os.ReadFile(filepath.Join(hookRepo, ".pre-commit-hooks.yaml"))
	if !bytes.Equal(manifest, cloned) {
		hookWrite(t, filepath.Join(hookRepo, ".pre-commit-hooks.yaml"), string(manifest))
		hookRun(t, env, hookRepo, "git", "add", ".pre-commit-hooks.yaml")
		hookRun(t, env, hookRepo, "git", "commit", "-q", "-m", "the hook manifest of the working tree")
	}
	rev := strings.TrimSpace(hookRun(t, env, hookRepo, "git", "rev-parse", "HEAD"))

	// The repository under the hook: the example's policy and CODEOWNERS,
	// no training config yet.
	example := filepath.Join(root, "testdata", "example")
	work := filepath.Join(tmp, "work")
	if err := copyTree(example, work); err != nil {
		t.Fatal(err)
	}
	parked := filepath.Join(tmp, "parked")
	for _, dir := range []string{"training", "decisions", "evidence", "data"} {
		if err := os.MkdirAll(filepath.Join(parked, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(work, dir), filepath.Join(parked, dir, "x")); err != nil {
			t.Fatal(err)
		}
	}
	// --today keeps the example's record current whenever the test runs.
	hookWrite(t, filepath.Join(work, ".pre-commit-config.yaml"), `repos:
  - repo: `+hookRepo+`
    rev: `+rev+`
    hooks:
      - id: ftgate
        args: [--today, "2026-11-27"]
`)
	hookWrite(t, filepath.Join(work, "README.md"), "# models\n")
	hookRun(t, env, work, "git", "init", "-q", "-b", "main")
	hookRun(t, env, work, "git", "add", "-A")
	hookRun(t, env, work, "git", "commit", "-q", "-m", "base")
	hookRun(t, env, work, client, "install", "--install-hooks")

	// A commit that touches no training config passes.
	hookWrite(t, filepath.Join(work, "README.md"), "# models\n\nFine-tuning decisions live in decisions/.\n")
	hookRun(t, env, work, "git", "commit", "-q", "-am", "docs")

	// Staging an axolotl config no record covers is refused with FT001.
	hookRestore(t, parked, work, "training/contract-risk/axolotl.yaml")
	hookRun(t, env, work, "git", "add", "training/contract-risk/axolotl.yaml")
	out, err := hookCommand(env, work, "git", "commit", "-q", "-m", "fine-tune contract-risk")
	if err == nil {
		t.Fatalf("the commit of an uncovered config went through:\n%s", out)
	}
	if !strings.Contains(out, "covered by no decision record [FT001]") {
		t.Errorf("the refused commit does not name FT001:\n%s", out)
	}
	t.Logf("the refused commit:\n%s", out)
	// pre-commit try-repo on the hook repository says the same.
	out, err = hookCommand(env, work, client, "try-repo", hookRepo, "ftgate", "--ref", rev)
	if err == nil || !strings.Contains(out, "[FT001]") {
		t.Errorf("try-repo: err %v, want FT001:\n%s", err, out)
	}

	// With its record and the evidence, the same commit goes through.
	for _, p := range []string{
		"decisions/ftd-0007-contract-risk.yaml",
		"evidence/contract-risk/prompt-evals.csv",
		"evidence/contract-risk/labels.csv",
		"evidence/contract-risk/prod-scenarios.csv",
		"evidence/contract-risk/train-scenarios.csv",
		"data/contract-risk/train.jsonl",
	} {
		hookRestore(t, parked, work, p)
		hookRun(t, env, work, "git", "add", p)
	}
	out, err = hookCommand(env, work, "git", "commit", "-q", "-m", "fine-tune contract-risk, with its decision")
	if err != nil {
		t.Fatalf("the commit with a passing record was refused: %v\n%s", err, out)
	}
	if log := hookRun(t, env, work, "git", "log", "--format=%s", "-1"); !strings.Contains(log, "with its decision") {
		t.Errorf("HEAD is %q", log)
	}
}

// hookEnv is the environment of every command: a scratch HOME and
// pre-commit store, a fixed git identity, and the developer's module and
// build caches (a scratch HOME would otherwise move them), so that
// pre-commit's `go install` needs no network when the module cache is warm
// and does not rebuild the standard library.
func hookEnv(t *testing.T, tmp string) []string {
	t.Helper()
	caches, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	modcache, gocache, _ := strings.Cut(strings.TrimSpace(string(caches)), "\n")
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "PRE_COMMIT_HOME" || k == "GOMODCACHE" || k == "GOCACHE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+filepath.Join(tmp, "home"),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit"),
		"GOMODCACHE="+modcache,
		"GOCACHE="+gocache,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		"NO_COLOR=1",
	)
}

func hookCommand(env []string, dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func hookRun(t *testing.T, env []string, dir, name string, args ...string) string {
	t.Helper()
	out, err := hookCommand(env, dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func hookWrite(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hookRestore moves p from the parked example back into the work tree.
func hookRestore(t *testing.T, parked, work, p string) {
	t.Helper()
	top, rest, _ := strings.Cut(p, "/")
	data, err := os.ReadFile(filepath.Join(parked, top, "x", filepath.FromSlash(rest)))
	if err != nil {
		t.Fatal(err)
	}
	hookWrite(t, filepath.Join(work, filepath.FromSlash(p)), string(data))
}
