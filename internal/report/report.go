package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

// Reporter renders a result in one format.
type Reporter interface {
	// Report writes r to w. It returns the first error writing to w.
	Report(w io.Writer, r *result.Result) error
}

// Options tune a reporter. A format ignores the options that mean nothing
// to it (JSON has no colour).
type Options struct {
	// Color marks severities and verdicts with ANSI colours. The caller
	// decides it (a terminal, and NO_COLOR unset) so that reporters never
	// look at the environment and their output in tests is fixed.
	Color bool
	// PathPrefix goes before every file path the github and sarif formats
	// print: the checked directory (-C) relative to the repository's top
	// level, slash-terminated, since GitHub resolves annotation and code
	// scanning paths from there. The other formats print paths as the
	// check saw them.
	PathPrefix string
	// Verbose lists in the text format what it otherwise counts: the files
	// the policy excluded.
	Verbose bool
}

// A format is one entry of the list of output formats.
type format struct {
	name string
	new  func(Options) Reporter
}

// formats is every output format, in the order the --format help lists
// them. Adding a format is adding its file and one line here.
var formats = []format{
	{"text", newText},
	{"json", newJSON},
	{"sarif", newSARIF},
	{"github", newGitHub},
	{"markdown", newMarkdown},
}

// Formats returns the names of the output formats, for --format help and
// validation.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// New returns the reporter for the named format with default options.
func New(name string) (Reporter, error) {
	return NewWithOptions(name, Options{})
}

// NewWithOptions returns the reporter for the named format. An unknown name
// is an error listing the known ones.
func NewWithOptions(name string, opt Options) (Reporter, error) {
	for _, f := range formats {
		if f.name == name {
			return f.new(opt), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (known formats: %s)", name, strings.Join(Formats(), ", "))
}

// ErrorInfo describes the failure that stopped a run (exit 2): a bad flag, a
// judging policy that does not load, git or the GitHub API failing. File,
// Line and Col point at the input at fault when there is one.
type ErrorInfo struct {
	Message string
	File    string
	Line    int
	Col     int
}

// errorWriter is implemented by a format that has its own shape for a
// failed run, as JSON does.
type errorWriter interface {
	writeError(w io.Writer, e ErrorInfo) error
}

// WriteError writes e in the named format: for json the document
// {"version": 1, "result": "error", "error": {…}}, for text (and every
// format without a shape of its own) the line "ftgate: file:line:col: message".
//
// An unknown format falls back to text rather than failing, because the
// error being reported may well be that very format name.
func WriteError(w io.Writer, format string, e ErrorInfo) error {
	if r, err := New(format); err == nil {
		if ew, ok := r.(errorWriter); ok {
			return ew.writeError(w, e)
		}
	}
	return writeTextError(w, e)
}

// position is e's place in the finding vocabulary, so that errors and
// findings print positions the same way.
func (e ErrorInfo) position() finding.Position {
	return finding.Position{File: e.File, Line: e.Line, Col: e.Col}
}
