package cli

import (
	"os"
	"os/exec"
	"path/filepath"
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
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not on PATH")
	}
	// The test binary is ftgate under that name (TestMain).
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "ftgate")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	log := filepath.Join(tmp, "git.log")
	wrapper := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + log + "'\nexec '" + realGit + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}

	repo := filepath.Join(tmp, "repo")
	env := append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+tmp, "NO_COLOR=1",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command(realGit, args...)
		cmd.Dir, cmd.Env = repo, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	git("init", "-q", "-b", "main")
	write(".ftgate/policy.cue", "package ftgate\n\nthresholds: agreement: min: 0.1\n")
	write("README.md", "# models\n")
	git("add", "-A")
	git("commit", "-q", "-m", "base")

	check := func() (int, string, []string) {
		t.Helper()
		if err := os.Remove(log); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		cmd := exec.Command(filepath.Join(bin, "ftgate"), "check", "--staged")
		cmd.Dir = repo
		cmd.Env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(log)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return code, string(out), strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	}

	// Names that cannot matter: no candidate suffix, not under .ftgate/ or
	// the records directory.
	write("README.md", "# models\n\nupdated\n")
	write("src/train.go", "package main\n")
	write("notes/Modelfile.txt", "FROM x\n")
	git("add", "-A")
	code, out, calls := check()
	if code != ExitPass {
		t.Fatalf("no-op path: exit %d, want 0 (was the policy read?)\n%s", code, out)
	}
	if len(calls) != 1 || !strings.HasPrefix(calls[0], "diff --cached --name-only -z") {
		t.Errorf("no-op path ran git %d times: %q; want one git diff --cached --name-only -z", len(calls), calls)
	}

	// A staged config is a candidate: the whole check runs, reads the
	// broken policy from HEAD, and fails closed.
	write("training/sft.yaml", "base_model: m\ndatasets:\n  - path: d\nnum_epochs: 1\n")
	git("add", "-A")
	code, out, calls = check()
	if code != ExitError || !strings.Contains(out, ".ftgate/policy.cue") {
		t.Errorf("candidate staged: exit %d, want 2 naming the broken policy\n%s", code, out)
	}
	if len(calls) < 2 {
		t.Errorf("candidate staged: git ran %d times, want the full check's calls: %q", len(calls), calls)
	}
}
