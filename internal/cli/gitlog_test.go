package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitLog runs the ftgate test binary against a repository in a temp dir
// with git wrapped on PATH by a script that logs every invocation, so a
// test can count the git processes a command starts.
type gitLog struct {
	t       *testing.T
	realGit string
	bin     string // holds ftgate and the git wrapper
	log     string // one line per git invocation: its arguments
	repo    string
	env     []string
}

// newGitLog sets up the wrapper and an empty repository directory; it
// skips the test where git or symlinks are missing.
func newGitLog(t *testing.T) *gitLog {
	t.Helper()
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
	g := &gitLog{t: t, realGit: realGit, bin: filepath.Join(tmp, "bin"), log: filepath.Join(tmp, "git.log"), repo: filepath.Join(tmp, "repo")}
	for _, dir := range []string{g.bin, g.repo} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(self, filepath.Join(g.bin, "ftgate")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	wrapper := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + g.log + "'\nexec '" + realGit + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(g.bin, "git"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	g.env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+tmp, "NO_COLOR=1",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	return g
}

// git runs the real git in the repository, unlogged.
func (g *gitLog) git(args ...string) {
	g.t.Helper()
	cmd := exec.Command(g.realGit, args...)
	cmd.Dir, cmd.Env = g.repo, g.env
	if out, err := cmd.CombinedOutput(); err != nil {
		g.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// write writes a file of the repository, making its directories.
func (g *gitLog) write(name, data string) {
	g.t.Helper()
	p := filepath.Join(g.repo, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

// ftgate runs ftgate in the repository with a fresh log, returning its
// exit code, output and the git invocations it made.
func (g *gitLog) ftgate(args ...string) (int, string, []string) {
	g.t.Helper()
	if err := os.Remove(g.log); err != nil && !os.IsNotExist(err) {
		g.t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(g.bin, "ftgate"), args...)
	cmd.Dir = g.repo
	cmd.Env = append(g.env, "PATH="+g.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		g.t.Fatal(err)
	}
	data, err := os.ReadFile(g.log)
	if err != nil && !os.IsNotExist(err) {
		g.t.Fatal(err)
	}
	return code, string(out), strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}
