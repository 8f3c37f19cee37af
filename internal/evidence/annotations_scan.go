package evidence

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// scanChunk is how much of a long-format file the scanner reads at once.
// Large reads amortise the per-read cost; the buffer grows only for a
// record longer than it.
const scanChunk = 1 << 20

// scanLong reads the rows of a long-format file after its header (which s
// has read) with a scanner built for the one shape nearly every row has: a
// line without quotes whose cells are the header's width. Such a row is cut
// at its delimiters in the read buffer, eight bytes at a time and without
// copying, and its three values are interned straight from it. Anything
// else (a quote, a row of the wrong width, an empty value, a repeated
// rating in the exact pass) is handed, as the complete record, to the
// general CSV scanner and the same checks as any other pass, so every
// message and position is the general scanner's.
//
// Memory stays bounded by the units, annotators and labels: the buffer is
// reused, and a row leaves behind only its Rating.
//
// r holds the rows: s's own reader, positioned just after the header, or,
// for a worker of parseSegments, one segment of the file.
func (p *annotParser) scanLong(s *csvScanner, r io.Reader, cUnit, cAnn, cLabel int) error {
	width := len(s.header)
	buf := make([]byte, scanChunk)
	start, end := 0, 0
	eof := false
	line := s.lr.line // the last line read
	rows := 0
	var slow *csvScanner
	cuts := make([]int, width) // delimiter offsets within a row
	read := int64(0)           // bytes read from r

	// fill reads more of the file after buf[start:end], moving the
	// unread bytes to the front and growing buf when they fill it.
	fill := func() error {
		if start > 0 {
			end = copy(buf, buf[start:end])
			start = 0
		}
		if end == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
		if read >= scanChunk {
			p.reserve(read)
		}
		n, err := io.ReadAtLeast(r, buf[end:], 1)
		end += n
		read += int64(n)
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			eof = true
			return nil
		}
		if err != nil {
			return readError(p.path, err)
		}
		return nil
	}

	var cells [3][]byte // unit, annotator, label values of the row
	for {
		// Cut the row at its delimiters while looking for its end, in one
		// pass over its bytes.
		n, nl, plain := scanRow(buf[start:end], s.comma, cuts)
		if nl < 0 && !eof {
			if err := fill(); err != nil {
				return err
			}
			continue
		}
		var b []byte
		next := end
		terminated := nl >= 0
		if terminated {
			b = buf[start : start+nl]
			next = start + nl + 1
		} else {
			if start == end {
				break
			}
			b = buf[start:end]
		}
		lineStart := start
		line++
		if terminated && len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
		if len(b) == 0 {
			start = next
			continue // blank lines are skipped, as the CSV scanner does
		}
		rows++

		// The fast path: no quote, valid UTF-8, the header's width, three
		// non-empty values.
		ok := n == width && (plain || bytes.IndexByte(b, '"') < 0 && utf8.Valid(b))
		if ok {
			cells[0] = cellOf(b, cuts, cUnit, plain)
			cells[1] = cellOf(b, cuts, cAnn, plain)
			cells[2] = cellOf(b, cuts, cLabel, plain)
			ok = len(cells[0]) > 0 && len(cells[1]) > 0 && len(cells[2]) > 0
		}
		ok = ok && p.fits(cells[0]) && len(p.a.Annotators) < maxInterned && len(p.a.Labels) < maxInterned
		if ok {
			u := p.unitOf(cells[0])
			a := p.recentIntern(&p.recentAnn, p.annotators, &p.a.Annotators, cells[1])
			l := p.recentIntern(&p.recentLabel, p.labels, &p.a.Labels, cells[2])
			if p.exact {
				// A rating the exact pass must place (a repeat, or the
				// one a findRating pass looks for) takes the slow path,
				// which reports it.
				found := p.find != nil && p.find.unit == u && p.find.annotator == uint32(a)
				ok = !found && !p.repeated(u, a)
			}
			if ok {
				p.a.Ratings = append(p.a.Ratings, Rating{Annotator: a, Label: l})
				start = next
				continue
			}
		}

		// The slow path: find where the record ends (a quoted field may
		// span lines), then let the general scanner read it. A segment
		// worker cannot: a quoted field may cross its segment's ends.
		if p.worker {
			return errRetry
		}
		recEnd := next
		if quotes := bytes.Count(buf[lineStart:recEnd], []byte{'"'}); quotes%2 == 1 {
			for quotes%2 == 1 {
				nl := bytes.IndexByte(buf[recEnd:end], '\n')
				if nl < 0 {
					if eof {
						quotes += bytes.Count(buf[recEnd:end], []byte{'"'})
						recEnd = end
						break
					}
					off := recEnd - lineStart
					start = lineStart
					if err := fill(); err != nil {
						return err
					}
					lineStart, recEnd = start, start+off
					continue
				}
				quotes += bytes.Count(buf[recEnd:recEnd+nl], []byte{'"'})
				recEnd += nl + 1
			}
		}
		rec := buf[lineStart:recEnd]
		if slow == nil {
			slow = &csvScanner{lr: &lineReader{path: p.path}, path: p.path, comma: s.comma, header: s.header, headerLine: s.headerLine}
		}
		slow.lr.br = bufio.NewReader(bytes.NewReader(rec))
		slow.lr.eof = false
		slow.lr.line = line - 1
		if _, err := slow.next(); err != nil {
			return err
		}
		if err := p.longRow(slow, cUnit, cAnn, cLabel); err != nil {
			return err
		}
		line = slow.lr.line
		start = recEnd
	}
	if rows == 0 {
		if p.worker {
			return errRetry
		}
		return errorf(p.path, Malformed, "no rows after the header")
	}
	return nil
}

// reserve sizes the lists that grow with the rows for the whole file, by
// what the first read bytes of it filled, sparing a large file the
// appends' regrowth and copying. It acts once.
func (p *annotParser) reserve(read int64) {
	if p.reserved || p.size <= read {
		return
	}
	p.reserved = true
	scale := float64(p.size) / float64(read) * 1.1
	want := func(n int) int { return int(min(float64(n)*scale, maxRatings)) }
	p.a.Ratings = slices.Grow(p.a.Ratings, want(len(p.a.Ratings))-len(p.a.Ratings))
	p.runStart = slices.Grow(p.runStart, want(len(p.runStart))-len(p.runStart))
	ids := &p.a.ids
	if p.hasher != nil {
		// The hasher owns the IDs; it reserves room for as many units as
		// there will be runs, at most, when it next takes a batch.
		runs := cap(p.runStart)
		p.hasher.reserve(runs, runs*(idHeader+len(p.lastID)))
		return
	}
	ids.bytes = slices.Grow(ids.bytes, want(len(ids.bytes))-len(ids.bytes))
	ids.at = slices.Grow(ids.at, want(len(ids.at))-len(ids.at))
}

// SWAR constants: a byte repeated in every lane, and every lane's top bit.
const (
	lanes    = 0x0101010101010101
	laneHigh = 0x8080808080808080
	laneLow  = 0x7f7f7f7f7f7f7f7f
)

// zeroLanes has the top bit set in exactly the bytes of x that are zero.
// Unlike the shorter borrow trick, no lane spills into the next, so every
// set bit is a real match.
func zeroLanes(x uint64) uint64 {
	y := (x & laneLow) + laneLow
	return ^(y | x | laneLow)
}

// scanRow finds the end of the row at the start of b and its delimiters,
// eight bytes at a time, recording the first len(cuts) delimiter offsets.
// It returns the number of cells, the offset of the row's '\n' (−1 when b
// holds none), and whether the row is plain: no quote and no byte outside
// ASCII, so that it needs neither the quoting rules nor a UTF-8 check.
func scanRow(b []byte, comma byte, cuts []int) (cells, nl int, plain bool) {
	var special uint64
	n := 0
	cm, qm, lm := lanes*uint64(comma), uint64(lanes*'"'), uint64(lanes*'\n')
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		commas := zeroLanes(w ^ cm)
		odd := zeroLanes(w^qm) | w&laneHigh
		if newlines := zeroLanes(w ^ lm); newlines != 0 {
			// Only what precedes the first newline belongs to the row.
			before := newlines&-newlines - 1
			special |= odd & before
			n = cut(cuts, n, i, commas&before)
			return n + 1, i + bits.TrailingZeros64(newlines)>>3, special == 0
		}
		special |= odd
		n = cut(cuts, n, i, commas)
	}
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\n':
			return n + 1, i, special == 0
		case c == comma:
			if n < len(cuts) {
				cuts[n] = i
			}
			n++
		case c == '"' || c >= utf8.RuneSelf:
			special = 1
		}
	}
	return n + 1, -1, special == 0
}

// cut records the delimiters a word at offset i holds (their lanes' top
// bits set in m) after the n found before.
func cut(cuts []int, n, i int, m uint64) int {
	for ; m != 0; m &= m - 1 {
		if n < len(cuts) {
			cuts[n] = i + bits.TrailingZeros64(m)>>3
		}
		n++
	}
	return n
}

// cellOf returns cell c of row b, whose delimiters are at cuts, trimmed.
// A plain row (ASCII) needs trimming only when an end is a space or a
// control character.
func cellOf(b []byte, cuts []int, c int, plain bool) []byte {
	lo, hi := 0, len(b)
	if c > 0 {
		lo = cuts[c-1] + 1
	}
	if c < len(cuts)-1 {
		hi = cuts[c]
	}
	v := b[lo:hi]
	if !plain || len(v) > 0 && (v[0] <= ' ' || v[len(v)-1] <= ' ') {
		return bytes.TrimSpace(v)
	}
	return v
}

// fastIntern is intern without the error a fast-path row cannot meet.
func (p *annotParser) fastIntern(m map[string]int32, list *[]string, v []byte) int32 {
	if i, ok := m[string(v)]; ok {
		return i
	}
	str := string(v)
	i := int32(len(*list))
	m[str] = i
	*list = append(*list, str)
	return i
}

// recent remembers where a few annotator or label values were interned.
// Annotators and labels are few (SPEC 6: at most 64 of each), and hashing
// every row's value into a map cost as much as the rest of the row
// together. A value of at most 16 bytes is kept packed in two words, so
// that a row's value is matched by comparing words, without a call.
type recent [64]recentSlot

type recentSlot struct {
	w0, w1 uint64 // the value, zero-padded
	n      int32  // its length; 0 for an empty slot
	index  int32  // where it was interned
}

// recentIntern is fastIntern through the recent cache; v is non-empty.
func (p *annotParser) recentIntern(c *recent, m map[string]int32, list *[]string, v []byte) int32 {
	n := len(v)
	if n > 16 || cap(v) < 16 {
		return p.fastIntern(m, list, v)
	}
	// The bytes past v up to its capacity are the rest of the read
	// buffer: load 16 and clear what is not v.
	full := v[:16]
	w0, w1 := binary.LittleEndian.Uint64(full), binary.LittleEndian.Uint64(full[8:])
	if n <= 8 {
		w0 &= 1<<(8*uint(n)) - 1 // all ones when n is 8
		w1 = 0
	} else {
		w1 &= 1<<(8*uint(n-8)) - 1
	}
	k := ((w0 ^ w1*0x9e3779b97f4a7c15 ^ uint64(n)) * 0xbf58476d1ce4e5b9) >> 58
	if e := &c[k]; e.n == int32(n) && e.w0 == w0 && e.w1 == w1 {
		return e.index
	}
	i := p.fastIntern(m, list, v)
	c[k] = recentSlot{w0: w0, w1: w1, n: int32(n), index: i}
	return i
}
