package evidence

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// bom is the UTF-8 byte order mark some spreadsheet exports put first.
var bom = []byte{0xEF, 0xBB, 0xBF}

// lineReader yields a file's lines one at a time, without their "\n" or
// "\r\n" terminator, with the byte order mark removed from the first line
// and every line checked to be valid UTF-8. Lines are counted from 1; a
// final line without a terminator counts, an empty file has no lines.
type lineReader struct {
	br   *bufio.Reader
	path string
	line int    // number of the line last returned
	long []byte // holds a line longer than br's buffer
	eof  bool
}

func newLineReader(f *File) *lineReader {
	return &lineReader{br: f.br, path: f.Path}
}

// next returns the next line, valid until the following call, and false at
// the end of the file.
func (r *lineReader) next() ([]byte, bool, error) {
	if r.eof {
		return nil, false, nil
	}
	b, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// Rare: copy the pieces of an overlong line into one buffer. Its
		// length is bounded by the file's size cap.
		r.long = append(r.long[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = r.br.ReadSlice('\n')
			r.long = append(r.long, b...)
		}
		b = r.long
	}
	if err != nil {
		if err != io.EOF {
			return nil, false, readError(r.path, err)
		}
		r.eof = true
		if len(b) == 0 {
			return nil, false, nil
		}
	}
	r.line++
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	if r.line == 1 {
		b = bytes.TrimPrefix(b, bom)
	}
	if !utf8.Valid(b) {
		return nil, false, badUTF8(r.path, r.line, b)
	}
	return b, true, nil
}

// badUTF8 points at the first byte of line that is not valid UTF-8.
func badUTF8(path string, line int, b []byte) *Error {
	col := 1
	for i := 0; i < len(b); col++ {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return &Error{Path: path, Line: line, Col: col, Kind: Malformed,
				Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", b[i])}
		}
		i += size
	}
	return &Error{Path: path, Line: line, Col: 1, Kind: Malformed, Msg: "invalid UTF-8"}
}

// column returns the 1-based code-point column of offset off in line.
func column(line []byte, off int) int {
	off = max(0, min(off, len(line)))
	return utf8.RuneCount(line[:off]) + 1
}

// blank reports whether a line holds nothing but white space.
func blank(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}
