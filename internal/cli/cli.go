// Package cli parses flags and environment, wires the stages of a check in
// order, and maps the outcome to an exit code. It holds no domain logic.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes: findings and failures never share a code.
const (
	ExitPass     = 0 // nothing at or above --fail-on
	ExitFindings = 1 // policy violations at or above --fail-on
	ExitError    = 2 // usage, configuration, I/O, git or API error
)

// usageError is a bad command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// exitError carries an exit code out of a command that already printed
// what it had to say.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// env is what a command may see of the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Main runs ftgate with args (without the program name) and returns the exit
// code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (code int) {
	// A bug must not read as a pass, nor spill a stack trace into a CI log:
	// it is exit 2 with one line.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "ftgate: internal error: %s (please report it)\n", oneLine(fmt.Sprint(r)))
			code = ExitError
		}
	}()
	tuneGC(getenv)
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitPass
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// Errors from cobra's own flag parsing and from commands that did not
	// print themselves.
	fmt.Fprintf(stderr, "ftgate: %s\n", oneLine(err.Error()))
	return ExitError
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "ftgate",
		Short: "Gate fine-tuning configs behind evidence that prompting has hit its ceiling",
		Long: `ftgate fails a change that adds or edits a fine-tuning training config unless a
committed decision record proves, with evidence ftgate recomputes, that prompt
optimisation has converged, annotators agree, training data covers production,
someone owns the model, and there is a quality gap or a latency/cost case.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{msg: err.Error() + " (see 'ftgate " + c.Name() + " --help')"}
	})
	root.AddCommand(newCheck(e), newDetect(e), newInit(e), newExplain(e), newStats(e), newPolicy(e), newDecisions(e), newBaseline(e), newVersion(e))
	return root
}

// tuneGC trades memory for time in a process that lives for one check: CUE
// allocates heavily, and at the default GOGC=100 a fifth of a check went to
// the collector (a check of the example's config: 38.5 ms, 31.8 ms at 400).
// A soft memory limit brings the collector back before the heap grows large
// on big evidence. Either setting the user makes in the environment wins.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}

// oneLine keeps a message on one line: messages name files whose names may
// hold newlines.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(strings.TrimSpace(s))
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
