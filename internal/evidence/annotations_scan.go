package evidence

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"unicode/utf8"
)

// scanChunk is how much of a long-format file the scanner reads at once.
// Large reads amortise the per-read cost; the buffer grows only for a
// record longer than it.
const scanChunk = 1 << 20

// scanLong reads the rows of a long-format file after its header (which s
// has read) with a scanner built for the one shape nearly every row has: a
// line without quotes whose cells are the header's width. Such a row is cut
// at its delimiters in the read buffer, without copying, and its three
// values are interned straight from it. Anything else (a quote, a row of
// the wrong width, an empty value, a repeated rating) is handed, as the
// complete record, to the general CSV scanner and the same checks as the
// findRating pass, so every message and position is the general scanner's.
//
// Memory stays bounded by the units, annotators and labels: the buffer is
// reused, and a row leaves behind only its Rating.
func (p *annotParser) scanLong(s *csvScanner, cUnit, cAnn, cLabel int) error {
	r := s.lr.br // positioned just after the header
	width := len(s.header)
	need := max(cUnit, cAnn, cLabel)
	buf := make([]byte, scanChunk)
	start, end := 0, 0
	eof := false
	line := s.lr.line // the last line read
	rows := 0
	var slow *csvScanner

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
		n, err := io.ReadAtLeast(r, buf[end:], 1)
		end += n
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
		nl := bytes.IndexByte(buf[start:end], '\n')
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
		// non-empty values, a rating not seen before.
		ok := bytes.IndexByte(b, '"') < 0 && utf8.Valid(b)
		if ok {
			n, pos := 0, 0
			for ok {
				i := bytes.IndexByte(b[pos:], s.comma)
				cell := b[pos:]
				if i >= 0 {
					cell = b[pos : pos+i]
				}
				if n <= need {
					switch n {
					case cUnit:
						cells[0] = cell
					case cAnn:
						cells[1] = cell
					case cLabel:
						cells[2] = cell
					}
				}
				n++
				if i < 0 {
					break
				}
				pos += i + 1
			}
			ok = n == width
		}
		if ok {
			for i := range cells {
				cells[i] = bytes.TrimSpace(cells[i])
				ok = ok && len(cells[i]) > 0
			}
		}
		ok = ok && len(p.a.Units) < math.MaxInt32-1 && len(p.a.Annotators) < math.MaxInt32-1 && len(p.a.Labels) < math.MaxInt32-1
		if ok {
			u := p.fastUnit(cells[0])
			a := p.recentIntern(&p.recentAnn, p.annotators, &p.a.Annotators, cells[1])
			l := p.recentIntern(&p.recentLabel, p.labels, &p.a.Labels, cells[2])
			ok = p.fastRate(u, a, l)
		}
		if ok {
			start = next
			continue
		}

		// The slow path: find where the record ends (a quoted field may
		// span lines), then let the general scanner read it.
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
		return errorf(p.path, Malformed, "no rows after the header")
	}
	return nil
}

// fastUnit is unit for the fast path, which has checked the interning
// limit.
func (p *annotParser) fastUnit(v []byte) int32 {
	if p.lastU >= 0 && string(v) == p.lastUnit {
		return p.lastU
	}
	n := len(p.a.Units)
	u := p.fastIntern(p.units, &p.a.Units, v)
	if len(p.a.Units) > n {
		p.a.Ratings = append(p.a.Ratings, p.ratingSlab())
		p.seen = append(p.seen, 0)
	}
	p.lastUnit, p.lastU = p.a.Units[u], u
	return u
}

// ratingSlab returns an empty list for a new unit's ratings, sized for the
// most ratings a unit has had so far and cut from a shared block, so that
// a million units cost a few hundred allocations rather than a million. A
// unit that outgrows its share is moved by append, as any slice is.
func (p *annotParser) ratingSlab() []Rating {
	c := min(max(p.most, 1), 64)
	if len(p.slab)+c > cap(p.slab) {
		p.slab = make([]Rating, 0, max(4096, 64*c))
	}
	r := p.slab[len(p.slab) : len(p.slab) : len(p.slab)+c]
	p.slab = p.slab[:len(p.slab)+c]
	return r
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

// recent remembers where a few annotator or label strings were interned,
// by a cheap key of their bytes. Annotators and labels are few (SPEC 6: at
// most 64 of each), and hashing every row's string into a map cost as much
// as the rest of the row together.
type recent [64]int32 // index+1 into the interned list; 0 is empty

func recentKey(v []byte) int {
	n := len(v)
	return (n*7 + int(v[0])*3 + int(v[n/2])*5 + int(v[n-1])*11) & 63
}

// recentIntern is fastIntern through the recent cache; v is non-empty.
func (p *annotParser) recentIntern(c *recent, m map[string]int32, list *[]string, v []byte) int32 {
	k := recentKey(v)
	if j := c[k]; j > 0 && (*list)[j-1] == string(v) {
		return j - 1
	}
	i := p.fastIntern(m, list, v)
	c[k] = i + 1
	return i
}

// fastRate is rate without the error: false for a repeated rating, which
// the slow path then reports with its position.
func (p *annotParser) fastRate(u, a, l int32) bool {
	if a < 64 {
		bit := uint64(1) << uint(a)
		if p.seen[u]&bit != 0 {
			return false
		}
		p.seen[u] |= bit
	} else {
		for _, r := range p.a.Ratings[u] {
			if r.Annotator == a {
				return false
			}
		}
	}
	p.a.Ratings[u] = append(p.a.Ratings[u], Rating{Annotator: a, Label: l})
	p.most = max(p.most, len(p.a.Ratings[u]))
	return true
}
