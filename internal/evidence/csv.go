package evidence

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// csvScanner reads RFC 4180 records one at a time, keeping for every cell
// the physical line and code-point column where it starts. It is written
// here rather than taken from encoding/csv because that reports byte
// columns and allocates a string per field, while evidence files reach a
// gigabyte and positions must count code points.
//
// Leniencies, all harmless for the formats read here: blank lines are
// skipped, spaces around a quoted field are allowed, and "\r\n" inside a
// quoted field becomes "\n". A quote inside an unquoted field, text after a
// closing quote and an unclosed quote are errors.
type csvScanner struct {
	lr    *lineReader
	path  string
	comma byte

	// raw is the current record's physical lines, joined by "\n". A
	// one-line record is read in place from the line reader's buffer (no
	// copy on the hot path); own holds raw once a record spans lines.
	raw   []byte
	own   []byte
	owned bool
	vals  []byte // the values of the current record's quoted cells
	cells []cell
	line  int // line where the current record starts

	header     []string // trimmed header names, once readHeader has run
	headerLine int      // line of the header row
}

// cell locates one value, vals[lo:hi] when quoted and raw[lo:hi]
// otherwise, starting at raw[off] on physical line line, whose first byte
// is raw[lineOff].
type cell struct {
	lo, hi  int
	quoted  bool
	line    int
	lineOff int
	off     int
}

func newCSV(f *File) *csvScanner {
	return &csvScanner{lr: newLineReader(f), path: f.Path, comma: delimiter(f.Path)}
}

// delimiter is a tab for .tsv files and a comma otherwise.
func delimiter(name string) byte {
	if strings.EqualFold(path.Ext(name), ".tsv") {
		return '\t'
	}
	return ','
}

// next reads the next record, skipping blank lines; false at the end.
func (s *csvScanner) next() (bool, error) {
	var first []byte
	for {
		b, ok, err := s.lr.next()
		if err != nil || !ok {
			return false, err
		}
		if len(b) > 0 {
			first = b
			break
		}
	}
	s.line = s.lr.line
	s.raw, s.owned = first, false
	s.vals = s.vals[:0]
	s.cells = s.cells[:0]
	if bytes.IndexByte(first, '"') < 0 {
		// The common case, no quotes at all: cut at each delimiter.
		pos := 0
		for {
			i := bytes.IndexByte(first[pos:], s.comma)
			if i < 0 {
				s.cells = append(s.cells, cell{lo: pos, hi: len(first), line: s.line, off: pos})
				return true, nil
			}
			s.cells = append(s.cells, cell{lo: pos, hi: pos + i, line: s.line, off: pos})
			pos += i + 1
		}
	}
	line, lineOff, pos := s.line, 0, 0
	for {
		c := cell{line: line, lineOff: lineOff, off: pos}
		q := pos
		for q < len(s.raw) && s.raw[q] == ' ' {
			q++
		}
		if q < len(s.raw) && s.raw[q] == '"' {
			openLine, openLineOff := line, lineOff
			c.quoted, c.lo = true, len(s.vals)
			pos = q + 1
			for {
				i := bytes.IndexByte(s.raw[pos:], '"')
				if i < 0 {
					// The quoted field goes on to the next physical line.
					s.vals = append(s.vals, s.raw[pos:]...)
					s.vals = append(s.vals, '\n')
					if !s.owned {
						// The next read reuses the buffer raw points into.
						s.own = append(s.own[:0], s.raw...)
						s.raw, s.owned = s.own, true
					}
					b, ok, err := s.lr.next()
					if err != nil {
						return false, err
					}
					if !ok {
						return false, s.errAt(openLine, openLineOff, q, Malformed, "quoted field is not closed")
					}
					s.raw = append(s.raw, '\n')
					lineOff = len(s.raw)
					s.raw = append(s.raw, b...)
					s.own = s.raw
					line = s.lr.line
					pos = lineOff
					continue
				}
				s.vals = append(s.vals, s.raw[pos:pos+i]...)
				pos += i + 1
				if pos < len(s.raw) && s.raw[pos] == '"' {
					s.vals = append(s.vals, '"')
					pos++
					continue
				}
				break
			}
			for pos < len(s.raw) && s.raw[pos] == ' ' {
				pos++
			}
			c.hi = len(s.vals)
			s.cells = append(s.cells, c)
			if pos == len(s.raw) {
				return true, nil
			}
			if s.raw[pos] != s.comma {
				return false, s.errAt(line, lineOff, pos, Malformed, "unexpected text after closing quote")
			}
			pos++
			continue
		}
		end := len(s.raw)
		i := bytes.IndexByte(s.raw[pos:], s.comma)
		if i >= 0 {
			end = pos + i
		}
		if j := bytes.IndexByte(s.raw[pos:end], '"'); j >= 0 {
			return false, s.errAt(line, lineOff, pos+j, Malformed, `bare " in unquoted field (quote the field and double the ")`)
		}
		c.lo, c.hi = pos, end
		s.cells = append(s.cells, c)
		if i < 0 {
			return true, nil
		}
		pos = end + 1
	}
}

// errAt builds an error at byte offset off of raw, on the physical line
// whose first byte is raw[lineOff].
func (s *csvScanner) errAt(line, lineOff, off int, kind Kind, format string, args ...any) *Error {
	return &Error{Path: s.path, Line: line, Col: s.col(lineOff, off), Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// col returns the code-point column of raw[off] on the physical line
// starting at raw[lineOff].
func (s *csvScanner) col(lineOff, off int) int {
	end := bytes.IndexByte(s.raw[lineOff:], '\n')
	if end < 0 {
		end = len(s.raw)
	} else {
		end += lineOff
	}
	return column(s.raw[lineOff:end], off-lineOff)
}

// value returns cell i's value with surrounding white space trimmed.
func (s *csvScanner) value(i int) []byte {
	c := s.cells[i]
	if c.quoted {
		return bytes.TrimSpace(s.vals[c.lo:c.hi])
	}
	return bytes.TrimSpace(s.raw[c.lo:c.hi])
}

// pos returns where cell i starts.
func (s *csvScanner) pos(i int) (line, col int) {
	c := s.cells[i]
	return c.line, s.col(c.lineOff, c.off)
}

// cellErr builds an error pointing at cell i.
func (s *csvScanner) cellErr(i int, kind Kind, format string, args ...any) *Error {
	c := s.cells[i]
	return s.errAt(c.line, c.lineOff, c.off, kind, format, args...)
}

// readHeader reads the header row. An empty file has none and is
// malformed: every format here starts with one.
func (s *csvScanner) readHeader() error {
	ok, err := s.next()
	if err != nil {
		return err
	}
	if !ok {
		return errorf(s.path, Malformed, "empty file; want a header row")
	}
	s.headerLine = s.line
	s.header = make([]string, len(s.cells))
	for i := range s.cells {
		s.header[i] = string(s.value(i))
	}
	return nil
}

// column returns the index of the header column named name, or -1. A name
// used twice is an error, since either column could be meant.
func (s *csvScanner) column(name string) (int, error) {
	at := -1
	for i, h := range s.header {
		if h != name {
			continue
		}
		if at >= 0 {
			return -1, s.headerErr(i, Malformed, "column %q appears twice (columns %d and %d)", name, at+1, i+1)
		}
		at = i
	}
	return at, nil
}

// columns looks up required and optional header names; the result holds
// one index per name, -1 for an absent optional one.
func (s *csvScanner) columns(required, optional []string) ([]int, error) {
	idx := make([]int, 0, len(required)+len(optional))
	for _, name := range required {
		i, err := s.column(name)
		if err != nil {
			return nil, err
		}
		if i < 0 {
			return nil, &Error{Path: s.path, Line: s.headerLine, Col: 1, Kind: Malformed,
				Msg: fmt.Sprintf("missing column %q (header: %s)", name, headerText(s.header))}
		}
		idx = append(idx, i)
	}
	for _, name := range optional {
		i, err := s.column(name)
		if err != nil {
			return nil, err
		}
		idx = append(idx, i)
	}
	return idx, nil
}

// headerErr points at header cell i. It is only valid while the header is
// the current record.
func (s *csvScanner) headerErr(i int, kind Kind, format string, args ...any) *Error {
	return s.cellErr(i, kind, format, args...)
}

// checkWidth requires the current record to have as many cells as the
// header: a row with more or fewer usually means an unquoted comma, which
// would silently shift every later value.
func (s *csvScanner) checkWidth() error {
	n, want := len(s.cells), len(s.header)
	if n == want {
		return nil
	}
	if n > want {
		return s.cellErr(want, Malformed, "row has %d fields, header has %d", n, want)
	}
	// Point just past the last cell, where the missing ones belong.
	lineOff := bytes.LastIndexByte(s.raw, '\n') + 1
	return s.errAt(s.lr.line, lineOff, len(s.raw), Malformed, "row has %d fields, header has %d", n, want)
}

// headerText renders header names for a message, cut to a readable length.
func headerText(names []string) string {
	const max = 8
	var b strings.Builder
	for i, n := range names {
		if i == max {
			b.WriteString(",…")
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
	}
	return quote([]byte(b.String()))
}
