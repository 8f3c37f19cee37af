package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ftgate": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: each builds a
// real repository (git included) in a temporary directory, runs ftgate and
// checks its output and exit code. UPDATE_GOLDEN=1 rewrites the files the
// scripts compare stdout with.
func TestScripts(t *testing.T) {
	example, err := filepath.Abs("../../testdata/example")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       os.Getenv("UPDATE_GOLDEN") == "1",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			for k, v := range map[string]string{
				"HOME":                env.WorkDir,
				"GIT_AUTHOR_NAME":     "Ada",
				"GIT_AUTHOR_EMAIL":    "ada@example.com",
				"GIT_COMMITTER_NAME":  "Ada",
				"GIT_COMMITTER_EMAIL": "ada@example.com",
				"GIT_CONFIG_NOSYSTEM": "1",
				"GIT_AUTHOR_DATE":     "2026-11-01T12:00:00Z",
				"GIT_COMMITTER_DATE":  "2026-11-01T12:00:00Z",
				"NO_COLOR":            "1",
			} {
				env.Setenv(k, v)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// fixtures NAME DIR copies the tool exports in
			// internal/evidence/testdata/NAME (real files, with their
			// provenance) into DIR.
			"fixtures": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 || strings.ContainsAny(args[0], `/\.`) {
					ts.Fatalf("usage: fixtures NAME DIR")
				}
				src, err := filepath.Abs(filepath.Join("..", "evidence", "testdata", args[0]))
				ts.Check(err)
				ts.Check(copyTree(src, ts.MkAbs(args[1])))
			},
			// example DIR copies the bundled example repository into DIR.
			"example": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: example DIR")
				}
				ts.Check(copyTree(example, ts.MkAbs(args[0])))
			},
			// replace FILE OLD NEW replaces every OLD in FILE (\n and \t
			// are unescaped), failing when OLD is absent.
			"replace": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: replace FILE OLD NEW")
				}
				name := ts.MkAbs(args[0])
				data, err := os.ReadFile(name)
				ts.Check(err)
				unq := strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace
				old, repl := unq(args[1]), unq(args[2])
				if !bytes.Contains(data, []byte(old)) {
					ts.Fatalf("replace: %q not in %s", old, args[0])
				}
				ts.Check(os.WriteFile(name, bytes.ReplaceAll(data, []byte(old), []byte(repl)), 0o644))
			},
			// exitcode N PROG [ARGS...] runs PROG like exec (its stdout and
			// stderr are then checked with stdout/stderr) and fails unless
			// it exits with status N: exec alone cannot tell a finding (1)
			// from an error (2).
			"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exitcode N PROG [ARGS...]")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("%s: %v", args[1], err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
				}
			},
			// mvfile SRC DST renames SRC to DST (\n and \t in DST are
			// unescaped: txtar cannot name such a file), making DST's
			// directory.
			"mvfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: mvfile SRC DST")
				}
				dst := ts.MkAbs(strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(args[1]))
				ts.Check(os.MkdirAll(filepath.Dir(dst), 0o755))
				ts.Check(os.Rename(ts.MkAbs(args[0]), dst))
			},
			// pad FILE SIZE appends "#" comment lines to FILE until it holds
			// more than SIZE bytes: a file too large to judge, kept out of
			// the txtar.
			"pad": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: pad FILE SIZE")
				}
				size, err := strconv.Atoi(args[1])
				ts.Check(err)
				name := ts.MkAbs(args[0])
				data, err := os.ReadFile(name)
				ts.Check(err)
				line := []byte("# " + strings.Repeat("x", 77) + "\n")
				for len(data) <= size {
					data = append(data, line...)
				}
				ts.Check(os.WriteFile(name, data, 0o644))
			},
			// gitinit makes the work directory a repository with everything
			// in it committed on main.
			"gitinit": func(ts *testscript.TestScript, neg bool, args []string) {
				for _, a := range [][]string{
					{"init", "-q", "-b", "main"},
					{"add", "-A"},
					{"commit", "-q", "--allow-empty", "-m", "base"},
				} {
					ts.Exec("git", a...)
				}
			},
		},
	})
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("copy %s: not a regular file", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
