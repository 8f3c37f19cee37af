package cli

import (
	"io/fs"
	"os"
	"os/exec"
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
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not on PATH")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	example, err := filepath.Abs("../../testdata/example")
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
	err = filepath.WalkDir(example, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(example, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(repo, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(repo, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(repo, "data/contract-risk/train.jsonl")); err != nil || st.Size() <= 64<<10 {
		t.Fatalf("the example's training set should be over 64 KiB: %v", err)
	}
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
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "pr")
	config := filepath.Join(repo, "training/contract-risk/axolotl.yaml")
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, append(data, "# one more run\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	git("commit", "-q", "-am", "edit the contract-risk config")

	cmd := exec.Command(filepath.Join(bin, "ftgate"), "check", "--base", "main", "--today", "2026-11-27")
	cmd.Dir = repo
	cmd.Env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("check --base main: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "1 config judged") {
		t.Errorf("check --base main did not judge the edited config:\n%s", out)
	}
	logged, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	calls := strings.Split(strings.TrimRight(string(logged), "\n"), "\n")
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
