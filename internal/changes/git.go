package changes

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// ErrGitNotFound is wrapped by every error that comes from git not being
// installed or not being on $PATH.
var ErrGitNotFound = errors.New("git executable not found in $PATH")

// Error is a git command that failed. Its message is the subcommand and the
// first line git wrote to standard error, which is almost always the one that
// says what went wrong ("not a git repository", "bad object …").
type Error struct {
	Cmd    string // git subcommand, e.g. "diff-tree"
	Stderr string // the first meaningful line of git's standard error, without "fatal: "
	Err    error  // the underlying error: *exec.ExitError, ErrGitNotFound, …

	stderr []byte // all of it
}

func (e *Error) Error() string {
	if e.Stderr != "" {
		return "git " + e.Cmd + ": " + e.Stderr
	}
	return "git " + e.Cmd + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// exitCode is the exit status of the failed command, or -1 when it did not
// run to completion.
func (e *Error) exitCode() int {
	if ee, ok := errors.AsType[*exec.ExitError](e.Err); ok {
		return ee.ExitCode()
	}
	return -1
}

// command prepares a git command run in dir. Standard input is empty unless
// the caller sets it, so git never waits on a terminal.
func command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = pathEnv()
	return cmd
}

// pathVars are the variables through which git finds the repository. A git
// hook may receive them relative to the directory it runs in (a pre-commit
// hook's GIT_INDEX_FILE can name a temporary index), and ftgate runs git in
// another directory under -C.
var pathVars = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY"}

// pathEnv returns the environment with pathVars made absolute against the
// current directory, or nil (inherit unchanged) when none is relative.
func pathEnv() []string {
	var fixed []string
	for _, k := range pathVars {
		if v := os.Getenv(k); v != "" && !filepath.IsAbs(v) {
			if abs, err := filepath.Abs(v); err == nil {
				fixed = append(fixed, k+"="+abs)
			}
		}
	}
	if fixed == nil {
		return nil
	}
	// Later entries win in exec's de-duplication.
	return append(os.Environ(), fixed...)
}

// run runs git in dir and returns its standard output.
func run(dir string, args ...string) ([]byte, error) {
	cmd := command(dir, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, newError(args, stderr.Bytes(), err)
	}
	return out, nil
}

// newError builds an *Error for a failed git invocation.
func newError(args []string, stderr []byte, err error) *Error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	if errors.Is(err, exec.ErrNotFound) {
		err = ErrGitNotFound
	}
	return &Error{Cmd: sub, Stderr: firstLine(stderr), Err: err, stderr: stderr}
}

// firstLine picks the line of git's standard error worth showing: the first
// "fatal:" or "error:" line (git may print hints and warnings before it), else
// the first non-blank line, with git's severity prefix removed.
func firstLine(stderr []byte) string {
	var first string
	for line := range strings.SplitSeq(string(stderr), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		for _, p := range []string{"fatal: ", "error: "} {
			if rest, ok := strings.CutPrefix(line, p); ok {
				return rest
			}
		}
		if first == "" {
			first = line
		}
	}
	return first
}

// headBuffer keeps the first max bytes written to it; it collects the
// standard error of long-lived processes, which is written by exec's copying
// goroutine while we may be reading it.
type headBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *headBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *headBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf)
}
