package cli

import (
	"bytes"
	"strings"
	"testing"
)

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"check"},
		{"check", "--all", "--staged"},
		{"check", "--all", "--format", "yaml"},
		{"check", "--all", "--fail-on", "notice"},
		{"check", "--all", "--today", "27/11/2026"},
		{"check", "--nope"},
		{"explain", "FT999"},
		{"no-such-command"},
	} {
		code, _, stderr := run(args...)
		if code != ExitError {
			t.Errorf("%v: exit %d, want %d", args, code, ExitError)
		}
		if lines := strings.Count(strings.TrimRight(stderr, "\n"), "\n"); stderr == "" || lines > 0 {
			t.Errorf("%v: stderr is not one line: %q", args, stderr)
		}
		if strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: stack trace: %q", args, stderr)
		}
	}
}

func TestPanicIsExitTwo(t *testing.T) {
	var errb bytes.Buffer
	code := Main([]string{"check", "--all", "-C", t.TempDir()}, strings.NewReader(""), panicWriter{}, &errb, func(string) string { return "" })
	if code != ExitError || !strings.HasPrefix(errb.String(), "ftgate: internal error: boom") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom") }
