package evidence

import (
	"io/fs"
	"path"
	"strings"
)

// CountExamples counts the examples of a training set: non-blank lines of
// JSONL (.jsonl, .ndjson, or .json holding one value a line), each of which
// must be valid JSON; data rows of CSV or TSV (.csv, .tsv; the header
// excluded, quoted fields may span lines); and non-blank lines of any other
// file. Every file must be UTF-8. Every error is an *Error.
func CountExamples(fsys fs.FS, name string, maxBytes int64) (int, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	switch strings.ToLower(path.Ext(f.Path)) {
	case ".jsonl", ".ndjson", ".json":
		return countLines(f, true)
	case ".csv", ".tsv":
		return countRows(f)
	}
	return countLines(f, false)
}

// countLines counts non-blank lines, checking each is JSON when asked.
func countLines(f *File, jsonl bool) (int, error) {
	lr := newLineReader(f)
	n := 0
	for {
		line, ok, err := lr.next()
		if err != nil {
			return 0, err
		}
		if !ok {
			return n, nil
		}
		if blank(line) {
			continue
		}
		if jsonl {
			if e := checkJSON(f.Path, lr.line, line); e != nil {
				if n == 0 && strings.TrimSpace(string(line)) == "[" {
					e.Msg += " (want one JSON value a line, not a JSON array)"
				}
				return 0, e
			}
		}
		n++
	}
}

// countRows counts CSV records after the header. Rows are not checked
// against the header's width: a training set is only counted.
func countRows(f *File) (int, error) {
	s := newCSV(f)
	n := -1 // the header is not an example
	for {
		ok, err := s.next()
		if err != nil {
			return 0, err
		}
		if !ok {
			return max(n, 0), nil
		}
		n++
	}
}
