package evidence

import (
	"bytes"
	"errors"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// memFS builds a repository from file contents.
func memFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return fsys
}

// wantError checks that err is an *Error of kind with exactly the message
// want, and returns it.
func wantError(t *testing.T, err error, kind Kind, want string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if got := e.Error(); got != want {
		t.Errorf("error:\n got %q\nwant %q", got, want)
	}
	if e.Kind != kind {
		t.Errorf("kind = %v, want %v", e.Kind, kind)
	}
	return e
}

// checkPosition is the fuzz invariant: an error is an *Error whose
// position lies inside data.
func checkPosition(t *testing.T, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if bytes.ContainsAny([]byte(e.Error()), "\r\n") {
		t.Fatalf("message is not one line: %q", e.Error())
	}
	lines := bytes.Split(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] == '\n' {
		lines = lines[:len(lines)-1]
	}
	switch {
	case e.Line < 0 || e.Col < 0:
		t.Fatalf("negative position in %q", e.Error())
	case e.Line == 0:
		if e.Col != 0 {
			t.Fatalf("column without line in %q", e.Error())
		}
	case e.Line > len(lines):
		t.Fatalf("line %d past the file's %d lines: %q", e.Line, len(lines), e.Error())
	case e.Col < 1 || e.Col > utf8.RuneCount(lines[e.Line-1])+1:
		t.Fatalf("column %d outside line %d (%q): %q", e.Col, e.Line, lines[e.Line-1], e.Error())
	}
}

// annotView is Annotations as nested lists, for comparing parses.
type annotView struct {
	Units, Annotators, Labels []string
	Ratings                   [][]Rating
}

func viewOf(a *Annotations) annotView {
	v := annotView{Annotators: a.Annotators, Labels: a.Labels}
	for u := range a.NumUnits() {
		v.Units = append(v.Units, a.UnitID(u))
		v.Ratings = append(v.Ratings, append([]Rating{}, a.UnitRatings(u)...))
	}
	return v
}
