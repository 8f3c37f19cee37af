package evidence

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/finding"
)

// Kind classifies why an evidence file could not be used. Every kind is
// reported as FT004; the kind lets the hint say what to fix.
type Kind int

// Kinds of evidence errors.
const (
	Missing    Kind = iota + 1 // the file (or a symlink's target) does not exist
	Unreadable                 // I/O error, directory, special file, symlink loop
	Malformed                  // content does not follow the format
	TooLarge                   // over the evidence.max_bytes cap
	LFSPointer                 // a Git LFS pointer was committed instead of the data
	Outside                    // absolute path, ".." or a symlink leaving the repository
	Duplicate                  // a repeated key (iteration, unit and annotator, column)
)

func (k Kind) String() string {
	switch k {
	case Missing:
		return "missing"
	case Unreadable:
		return "unreadable"
	case Malformed:
		return "malformed"
	case TooLarge:
		return "too large"
	case LFSPointer:
		return "LFS pointer"
	case Outside:
		return "outside repository"
	case Duplicate:
		return "duplicate"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is an evidence problem at a place in a file. Line and Col are
// 1-based (Col counts Unicode code points); Line is 0 when the problem
// concerns the whole file. The caller reports it as FT004 at Pos().
type Error struct {
	Path string
	Line int
	Col  int
	Kind Kind
	Msg  string
	// Related points at an earlier occurrence for Duplicate errors.
	Related []finding.Position
	// Err is the underlying cause, when there is one (an I/O error).
	Err error
}

// Error returns a one-line message, "path:line:col: msg" or "path: msg".
func (e *Error) Error() string {
	p := e.Pos()
	if strings.ContainsAny(p.File, "\r\n") {
		// Repository paths may hold newlines; the message must stay on one line.
		p.File = strconv.Quote(p.File)
	}
	if p.File == "" {
		p.File = `""`
	}
	return p.String() + ": " + e.Msg
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Pos returns where the error lies.
func (e *Error) Pos() finding.Position {
	return finding.Position{File: e.Path, Line: e.Line, Col: e.Col}
}

// errorf builds a whole-file error.
func errorf(path string, kind Kind, format string, args ...any) *Error {
	return &Error{Path: path, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// quote renders a value taken from a file for a message: quoted (so that
// control characters and newlines cannot break the one-line format) and cut
// to a readable length.
func quote(b []byte) string {
	const max = 40
	if utf8.RuneCount(b) > max {
		n := 0
		for range max {
			_, size := utf8.DecodeRune(b[n:])
			n += size
		}
		return strconv.Quote(string(b[:n])) + "…"
	}
	return strconv.Quote(string(b))
}
