package detect

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// source is Python code ready for matching, made by tokenize: comments and
// triple-quoted strings (docstrings, prose) dropped, line endings (LF, CRLF,
// CR) made LF, backslash continuations joined, and the blanks before "(" and
// around "." dropped outside strings, so `SFTTrainer (` and
// `client .fine_tuning.jobs.create(` read as the calls they are. Ordinary
// string literals stay, since they hold model and dataset names; strs lists
// where they are so that a call written inside one is not a call.
type source struct {
	text []byte
	// anchors map offsets of text to offsets of base (see tokenize).
	anchors []anchor
	// strs are the [start, end) spans of string literals in text, in order.
	strs [][2]int
	// base is what was tokenized; baseLines, when set, gives the file line
	// of each of base's lines (a notebook's joined cells), else base's own
	// line numbers are the file's.
	base      []byte
	baseLines []int
}

// pythonSource tokenizes a Python file.
func pythonSource(text []byte) source { return tokenize(text, nil) }

// tokenize reads b as Python tokens. It is a scanner, not a parser: it
// knows comments, string literals with their prefixes and escapes,
// brackets and line continuations, which is all a call signature needs.
// Runs of ordinary bytes are copied whole; where output and input stop
// lining up (a dropped comment, blank or line break) an anchor records the
// shift, so positions map back to the file.
func tokenize(b []byte, baseLines []int) source {
	s := source{base: b, baseLines: baseLines, text: make([]byte, 0, len(b))}
	// copyTo appends b[from:to], which starts at input offset from.
	copyTo := func(from, to int) {
		if from >= to {
			return
		}
		if n := len(s.anchors); n == 0 || s.anchors[n-1].in+(len(s.text)-s.anchors[n-1].out) != from {
			s.anchors = append(s.anchors, anchor{out: len(s.text), in: from})
		}
		s.text = append(s.text, b[from:to]...)
	}
	depth := 0
	for i := 0; i < len(b); {
		// A run of bytes that need no decision.
		j := i
		for j < len(b) && !tokenSpecial[b[j]] {
			j++
		}
		copyTo(i, j)
		if i = j; i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case (c == '\r' || c == '\n') && depth == 0:
			if c == '\n' {
				copyTo(i, i+1)
				i++
			} else {
				s.text = append(s.text, '\n')
				s.anchors = append(s.anchors, anchor{out: len(s.text) - 1, in: i})
				i = skipNewline(b, i)
			}
		case c == '#':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '\\' && i+1 < len(b) && (b[i+1] == '\n' || b[i+1] == '\r'):
			// A line continuation: the next line goes on this one.
			i = skipNewline(b, i+1)
		case c == '"' || c == '\'':
			if i+2 < len(b) && b[i+1] == c && b[i+2] == c {
				// Triple-quoted text is prose, not code: it is dropped, a
				// blank kept so the tokens either side stay apart.
				end := stringEnd(b, i+3, c, true)
				s.text = append(s.text, ' ')
				s.anchors = append(s.anchors, anchor{out: len(s.text) - 1, in: i})
				i = end
				continue
			}
			end := stringEnd(b, i+1, c, false)
			start := len(s.text)
			copyTo(i, end)
			s.strs = append(s.strs, [2]int{start, len(s.text)})
			i = end
		case c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r':
			// Blanks, with line breaks inside brackets and continuations.
			j := i
			for j < len(b) {
				if b[j] == ' ' || b[j] == '\t' || b[j] == '\f' || (depth > 0 && (b[j] == '\n' || b[j] == '\r')) {
					j++
				} else if b[j] == '\\' && j+1 < len(b) && (b[j+1] == '\n' || b[j+1] == '\r') {
					j = skipNewline(b, j+1)
				} else {
					break
				}
			}
			prevDot := len(s.text) > 0 && s.text[len(s.text)-1] == '.'
			if prevDot || (j < len(b) && (b[j] == '(' || b[j] == '.')) {
				i = j // blanks before a call's "(" or around "." say nothing
				continue
			}
			for i < j {
				switch {
				case b[i] == '\r':
					s.text = append(s.text, '\n')
					s.anchors = append(s.anchors, anchor{out: len(s.text) - 1, in: i})
					i = skipNewline(b, i)
				case b[i] == '\\':
					i = skipNewline(b, i+1)
				default:
					copyTo(i, i+1)
					i++
				}
			}
		default:
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth = max(depth-1, 0)
			}
			copyTo(i, i+1)
			i++
		}
	}
	return s
}

// tokenSpecial marks the bytes tokenize decides on; any other byte is
// copied as it is.
var tokenSpecial = func() (t [256]bool) {
	for _, c := range []byte("\r\n#\\\"' \t\f()[]{}") {
		t[c] = true
	}
	return t
}()

// anchor says that output offset out comes from input offset in, and the
// bytes after it from the bytes after in, up to the next anchor.
type anchor struct{ out, in int }

// skipNewline returns the offset after the line ending at i (LF, CR or
// CRLF).
func skipNewline(b []byte, i int) int {
	if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
		return i + 2
	}
	return i + 1
}

// stringEnd returns the offset after the string literal whose body starts
// at i and is closed by q (or qqq when triple). A backslash escapes the next
// byte; an ordinary string ends, unterminated, at the end of its line.
func stringEnd(b []byte, i int, q byte, triple bool) int {
	for i < len(b) {
		switch c := b[i]; {
		case c == '\\':
			i += 2
			continue
		case c == q:
			if !triple {
				return i + 1
			}
			if i+2 < len(b) && b[i+1] == q && b[i+2] == q {
				return i + 3
			}
		case !triple && (c == '\n' || c == '\r'):
			return i
		}
		i++
	}
	return len(b)
}

// inString reports whether off lies inside a string literal.
func (s source) inString(off int) bool {
	i, _ := slices.BinarySearchFunc(s.strs, off, func(span [2]int, off int) int {
		switch {
		case span[1] <= off:
			return -1
		case span[0] > off:
			return 1
		}
		return 0
	})
	return i < len(s.strs) && s.strs[i][0] <= off && off < s.strs[i][1]
}

// at returns the file line and the column (in code points) of offset off of
// s.text.
func (s source) at(off int) (line, col int) {
	o := len(s.base)
	if off < len(s.text) {
		i, found := slices.BinarySearchFunc(s.anchors, off, func(a anchor, off int) int { return cmp.Compare(a.out, off) })
		if !found {
			i--
		}
		if i >= 0 {
			o = s.anchors[i].in + off - s.anchors[i].out
		}
	}
	line, col = lineCol(s.base, o)
	if s.baseLines != nil {
		if line-1 < len(s.baseLines) {
			line = s.baseLines[line-1]
		} else {
			line = 0
		}
	}
	return line, col
}

// lineCol returns the 1-based line and column (in code points) of offset
// off of b, where a line ends at LF, CRLF or CR.
func lineCol(b []byte, off int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < off && i < len(b); i++ {
		if b[i] == '\n' || (b[i] == '\r' && (i+1 >= len(b) || b[i+1] != '\n')) {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(b[start:min(off, len(b))]) + 1
}

// fileLine returns the file line of offset off of s.text.
func (s source) fileLine(off int) int {
	line, _ := s.at(off)
	return line
}

// col returns the column of offset off of s.text.
func (s source) col(off int) int {
	_, col := s.at(off)
	return col
}

// header returns where the header of a class or def statement starting at
// line offset start ends (its ":" at bracket depth 0), or -1 when the line
// is no such statement: `class WeightedTrainer(Trainer):` declares a
// trainer, while `def go(): return SFTTrainer(...)` runs one after the
// colon.
func (s source) header(start int) int {
	line := s.text[start:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	t := bytes.TrimLeft(line, " \t")
	t = bytes.TrimPrefix(t, []byte("async "))
	if !bytes.HasPrefix(t, []byte("class ")) && !bytes.HasPrefix(t, []byte("def ")) {
		return -1
	}
	depth := 0
	for i := range line {
		if s.inString(start + i) {
			continue
		}
		switch line[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ':':
			if depth == 0 {
				return start + i
			}
		}
	}
	return start + len(line)
}

// notebookSource returns the code cells of a Jupyter notebook as Python
// source. A cell's source is the concatenation of its list of strings, as
// Jupyter joins it (a list may split a line, or a name, anywhere); each line
// of the result keeps the file line of the list element it starts in.
// IPython magics and shell escapes (lines starting with % or !) are not
// Python and are blanked. A notebook that does not parse is read as text,
// its JSON string escapes undone.
func notebookSource(data []byte) source {
	cells, ok := notebookCells(data)
	if !ok {
		return rawNotebook(data)
	}
	// Parts come in file order: lines are counted forward, once.
	line, counted := 1, 0
	var (
		base  []byte
		lines []int
	)
	for _, cell := range cells {
		start := len(base)
		atLineStart := true
		for _, part := range cell {
			line += bytes.Count(data[counted:part.off], []byte("\n"))
			counted = part.off
			for j := 0; j < len(part.text); j++ {
				if atLineStart {
					lines = append(lines, line)
				}
				atLineStart = part.text[j] == '\n'
			}
			base = append(base, part.text...)
		}
		blankMagics(base[start:])
		// Cells are separate blocks: an unterminated string or bracket does
		// not run into the next one.
		if !atLineStart {
			base = append(base, '\n')
		}
		base = append(base, '\n')
		lines = append(lines, 0)
	}
	return tokenize(base, lines)
}

// sourcePart is one string of a cell's source and where it is written.
type sourcePart struct {
	text string
	off  int
}

// notebookCells reads the source of a notebook's code cells, skipping
// everything else (outputs, which may be megabytes, included) without
// building it. ok is false when data is not a notebook's JSON.
func notebookCells(data []byte) (cells [][]sourcePart, ok bool) {
	r := jsonReader{b: data}
	r.space()
	if !r.eat('{') {
		return nil, false
	}
	for r.members() {
		key, ok := r.str()
		if !ok || !r.colon() {
			return nil, false
		}
		if key != "cells" {
			r.skip()
			continue
		}
		if !r.eat('[') {
			return nil, false
		}
		for r.elements() {
			if !r.eat('{') {
				r.skip()
				continue
			}
			var (
				code  bool
				parts []sourcePart
			)
			for r.members() {
				k, ok := r.str()
				if !ok || !r.colon() {
					return nil, false
				}
				switch k {
				case "cell_type":
					v, _ := r.str()
					code = v == "code"
				case "source":
					parts = r.strings()
				default:
					r.skip()
				}
			}
			if code {
				cells = append(cells, parts)
			}
		}
	}
	return cells, true
}

// jsonReader walks JSON that json.Valid accepted.
type jsonReader struct {
	b   []byte
	off int
}

func (r *jsonReader) space() {
	for r.off < len(r.b) && (r.b[r.off] == ' ' || r.b[r.off] == '\n' || r.b[r.off] == '\r' || r.b[r.off] == '\t') {
		r.off++
	}
}

func (r *jsonReader) eat(c byte) bool {
	r.space()
	if r.off < len(r.b) && r.b[r.off] == c {
		r.off++
		return true
	}
	return false
}

func (r *jsonReader) colon() bool { return r.eat(':') }

// members reports whether another member of the current object follows,
// consuming the comma; at the closing brace it consumes it and stops.
func (r *jsonReader) members() bool { return r.more('}') }

// elements is members for arrays.
func (r *jsonReader) elements() bool { return r.more(']') }

func (r *jsonReader) more(end byte) bool {
	r.space()
	if r.off >= len(r.b) {
		return false
	}
	switch r.b[r.off] {
	case end:
		r.off++
		return false
	case ',':
		r.off++
		r.space()
		return true
	}
	return true
}

// str reads a string value, or skips any other value and reports false.
func (r *jsonReader) str() (string, bool) {
	r.space()
	if r.off >= len(r.b) || r.b[r.off] != '"' {
		r.skip()
		return "", false
	}
	start := r.off
	r.off = jsonStringEnd(r.b, r.off+1)
	var s string
	if json.Unmarshal(r.b[start:r.off], &s) != nil {
		return "", false
	}
	return s, true
}

// strings reads a string, or a list of strings, with each one's offset.
func (r *jsonReader) strings() []sourcePart {
	r.space()
	if r.off < len(r.b) && r.b[r.off] == '"' {
		off := r.off
		s, _ := r.str()
		return []sourcePart{{s, off}}
	}
	if !r.eat('[') {
		r.skip()
		return nil
	}
	var out []sourcePart
	for r.elements() {
		r.space()
		off := r.off
		if s, ok := r.str(); ok {
			out = append(out, sourcePart{s, off})
		}
	}
	return out
}

// skip passes over one value. It always moves on, by one byte at least,
// so malformed input (a stray closing bracket) cannot stall a caller's
// loop.
func (r *jsonReader) skip() {
	r.space()
	start := r.off
	defer func() {
		if r.off == start && r.off < len(r.b) {
			r.off++
		}
	}()
	depth := 0
	for r.off < len(r.b) {
		switch c := r.b[r.off]; c {
		case '"':
			r.off = jsonStringEnd(r.b, r.off+1)
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				r.off++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		}
		r.off++
	}
}

// jsonStringEnd returns the offset after the JSON string whose body starts
// at i.
func jsonStringEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case '\\':
			i += 2
			continue
		case '"':
			return i + 1
		}
		i++
	}
	return len(b)
}

// blankMagics blanks lines that start with % or !: IPython magics and shell
// escapes.
func blankMagics(b []byte) {
	for start := 0; start < len(b); {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		line := b[start:end]
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && (t[0] == '%' || t[0] == '!') {
			for j := range line {
				line[j] = ' '
			}
		}
		start = end + 1
	}
}

// jsonEscapes undoes the escapes a notebook's JSON strings hold.
var jsonEscapes = strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, "", `\t`, " ")

// rawNotebook reads a notebook that does not parse line by line as text.
func rawNotebook(text []byte) source {
	var b strings.Builder
	for l := range strings.SplitSeq(string(text), "\n") {
		b.WriteString(jsonEscapes.Replace(l))
		b.WriteByte('\n')
	}
	out := strings.TrimSuffix(b.String(), "\n")
	if !utf8.ValidString(out) {
		out = strings.ToValidUTF8(out, " ")
	}
	return pythonSource([]byte(out))
}
