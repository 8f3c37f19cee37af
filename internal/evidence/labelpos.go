package evidence

import (
	"io/fs"

	"github.com/ftgate/ftgate/internal/finding"
)

// LabelPosition returns where label first appears in the annotations file
// name (CSV, long or wide format), for a finding about the label that the
// statistics could not use. Ratings keep no positions, so this reads the
// file again; it is called only on that error path. ok is false when the
// file cannot be read or holds no such label in a CSV cell.
func LabelPosition(fsys fs.FS, name string, maxBytes int64, label string) (pos finding.Position, ok bool) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return pos, false
	}
	defer f.Close()
	s := newCSV(f)
	if s.readHeader() != nil {
		return pos, false
	}
	cols := make([]int, 0, len(s.header))
	for i := range s.header {
		if i > 0 {
			cols = append(cols, i) // wide format: every annotator column
		}
	}
	for _, h := range s.header {
		if h == "annotator" || h == "label" {
			c, err := s.column("label")
			if err != nil {
				return pos, false
			}
			cols = []int{c}
			break
		}
	}
	for {
		more, err := s.next()
		if err != nil || !more {
			return pos, false
		}
		if s.checkWidth() != nil {
			continue
		}
		for _, c := range cols {
			if string(s.value(c)) == label {
				line, col := s.pos(c)
				return finding.Position{File: f.Path, Line: line, Col: col}, true
			}
		}
	}
}
