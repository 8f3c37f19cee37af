package evidence

import (
	"errors"
	"fmt"
	"io/fs"
	"math"

	"github.com/ftgate/ftgate/internal/finding"
)

// ParseAnnotations reads raw labels. A header with an annotator or a label
// column is long format (unit,annotator,label, one row per rating; other
// columns ignored); any other header is wide format (unit,<annotator>,…,
// one row per unit, an empty cell for a missing label). Values are trimmed;
// units, annotators and labels are interned in order of first appearance,
// so no row's strings outlive the row (memory is the distinct values plus
// one 8-byte Rating per label). A repeated
// (unit, annotator) is a Duplicate naming both lines. Every error is an
// *Error.
func ParseAnnotations(fsys fs.FS, name string, maxBytes int64) (*Annotations, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return nil, err
	}
	p := newAnnotParser(f.Path)
	err = p.parse(f)
	f.Close()
	if err == nil {
		return p.a, nil
	}
	var e *Error
	if errors.As(err, &e) && e.Kind == Duplicate && p.dup != nil {
		// Ratings keep no line numbers (that would cost memory on every
		// row), so the first occurrence is found by a second pass, which
		// interns identically and stops there.
		if first, ok := findRating(fsys, name, maxBytes, *p.dup); ok {
			e.Msg += fmt.Sprintf(" (first at line %d)", first.Line)
			e.Related = []finding.Position{first}
		}
	}
	return nil, err
}

// ratingKey identifies one (unit, annotator) pair by interned index.
type ratingKey struct{ unit, annotator int32 }

// errFound stops a findRating pass.
var errFound = errors.New("found")

// findRating returns where the first rating of key appears.
func findRating(fsys fs.FS, name string, maxBytes int64, key ratingKey) (finding.Position, bool) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return finding.Position{}, false
	}
	defer f.Close()
	p := newAnnotParser(f.Path)
	p.find = &key
	if err := p.parse(f); err != errFound {
		return finding.Position{}, false
	}
	return p.found, true
}

type annotParser struct {
	path string
	a    *Annotations

	units, annotators, labels map[string]int32
	// seen[u] has bit a set once annotator a (< 64) rated unit u: a cheap
	// duplicate check for the common case; more annotators scan the unit's
	// ratings instead.
	seen []uint64
	// recentAnn and recentLabel spare the fast path a map lookup per row.
	recentAnn, recentLabel recent
	// The last unit looked up: files are usually grouped by unit, so most
	// rows skip the unit map.
	lastUnit string
	lastU    int32
	most     int // the most ratings any unit has so far
	// slab is the block new units' rating lists are cut from (see
	// ratingSlab).
	slab []Rating

	dup   *ratingKey // the repeated pair, after a Duplicate error
	find  *ratingKey // in a findRating pass: the pair to look for
	found finding.Position
}

func newAnnotParser(path string) *annotParser {
	return &annotParser{
		path:       path,
		a:          &Annotations{Path: path},
		units:      make(map[string]int32),
		annotators: make(map[string]int32),
		labels:     make(map[string]int32),
		lastU:      -1,
	}
}

func (p *annotParser) parse(f *File) error {
	s := newCSV(f)
	if err := s.readHeader(); err != nil {
		return err
	}
	for _, h := range s.header {
		if h == "annotator" || h == "label" {
			return p.parseLong(s)
		}
	}
	return p.parseWide(s)
}

func (p *annotParser) parseLong(s *csvScanner) error {
	idx, err := s.columns([]string{"unit", "annotator", "label"}, nil)
	if err != nil {
		return err
	}
	if p.find == nil {
		// The common pass reads rows with the purpose-built scanner of
		// annotations_scan.go; a findRating pass, which runs only to
		// place an error, keeps the general one.
		return p.scanLong(s, idx[0], idx[1], idx[2])
	}
	rows := 0
	for {
		ok, err := s.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		rows++
		if err := p.longRow(s, idx[0], idx[1], idx[2]); err != nil {
			return err
		}
	}
	if rows == 0 {
		return errorf(p.path, Malformed, "no rows after the header")
	}
	return nil
}

// longRow adds the rating of the record s holds, with the general CSV
// scanner's checks and messages.
func (p *annotParser) longRow(s *csvScanner, cUnit, cAnn, cLabel int) error {
	if err := s.checkWidth(); err != nil {
		return err
	}
	uv, av, lv := s.value(cUnit), s.value(cAnn), s.value(cLabel)
	switch {
	case len(uv) == 0:
		return s.cellErr(cUnit, Malformed, "unit is empty")
	case len(av) == 0:
		return s.cellErr(cAnn, Malformed, "annotator is empty")
	case len(lv) == 0:
		return s.cellErr(cLabel, Malformed, "label is empty")
	}
	u, err := p.unit(s, cUnit, uv)
	if err != nil {
		return err
	}
	a, err := p.intern(s, cAnn, p.annotators, &p.a.Annotators, av)
	if err != nil {
		return err
	}
	l, err := p.intern(s, cLabel, p.labels, &p.a.Labels, lv)
	if err != nil {
		return err
	}
	return p.rate(s, cUnit, u, a, l)
}

func (p *annotParser) parseWide(s *csvScanner) error {
	if len(s.header) < 2 {
		return &Error{Path: p.path, Line: s.headerLine, Col: 1, Kind: Malformed,
			Msg: "no annotator columns (want unit,<annotator>,… or unit,annotator,label)"}
	}
	// Annotators are the header's columns after the first, interned in
	// header order.
	cols := make([]int32, len(s.header))
	for j := 1; j < len(s.header); j++ {
		name := s.header[j]
		if name == "" {
			return s.headerErr(j, Malformed, "annotator column %d has no name", j+1)
		}
		if prev, dup := p.annotators[name]; dup {
			first := 0
			for k := 1; k < j; k++ {
				if cols[k] == prev {
					first = k
					break
				}
			}
			line, col := s.pos(first)
			e := s.headerErr(j, Duplicate, "annotator %s heads columns %d and %d", quote([]byte(name)), first+1, j+1)
			e.Related = []finding.Position{{File: p.path, Line: line, Col: col}}
			return e
		}
		a, err := p.intern(s, j, p.annotators, &p.a.Annotators, []byte(name))
		if err != nil {
			return err
		}
		cols[j] = a
	}
	rows := 0
	for {
		ok, err := s.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		rows++
		if err := s.checkWidth(); err != nil {
			return err
		}
		uv := s.value(0)
		if len(uv) == 0 {
			return s.cellErr(0, Malformed, "unit is empty")
		}
		u, err := p.unit(s, 0, uv)
		if err != nil {
			return err
		}
		for j := 1; j < len(s.cells); j++ {
			lv := s.value(j)
			if len(lv) == 0 {
				continue // missing label
			}
			l, err := p.intern(s, j, p.labels, &p.a.Labels, lv)
			if err != nil {
				return err
			}
			if err := p.rate(s, j, u, cols[j], l); err != nil {
				return err
			}
		}
	}
	if rows == 0 {
		return errorf(p.path, Malformed, "no rows after the header")
	}
	return nil
}

// unit interns a unit ID, growing the per-unit slices for a new one.
func (p *annotParser) unit(s *csvScanner, c int, v []byte) (int32, error) {
	if p.lastU >= 0 && string(v) == p.lastUnit {
		return p.lastU, nil
	}
	n := len(p.a.Units)
	u, err := p.intern(s, c, p.units, &p.a.Units, v)
	if err != nil {
		return 0, err
	}
	if len(p.a.Units) > n {
		// Size the new unit's list for the most labels a unit has had so
		// far: units usually get the same number, and it spares the
		// appends' regrowth. The cap bounds the waste on a skewed file.
		p.a.Ratings = append(p.a.Ratings, make([]Rating, 0, min(max(p.most, 1), 64)))
		p.seen = append(p.seen, 0)
	}
	p.lastUnit, p.lastU = p.a.Units[u], u
	return u, nil
}

// intern returns v's index in list, adding it on first sight. The map
// lookup with string(v) does not allocate; only a new value is copied.
func (p *annotParser) intern(s *csvScanner, c int, m map[string]int32, list *[]string, v []byte) (int32, error) {
	if i, ok := m[string(v)]; ok {
		return i, nil
	}
	if len(*list) >= math.MaxInt32 {
		return 0, s.cellErr(c, Malformed, "more than %d distinct values", math.MaxInt32)
	}
	str := string(v)
	i := int32(len(*list))
	m[str] = i
	*list = append(*list, str)
	return i, nil
}

// rate records annotator a's label l for unit u, failing on a second label
// by the same annotator; c is the cell an error points at.
func (p *annotParser) rate(s *csvScanner, c int, u, a, l int32) error {
	if p.find != nil && p.find.unit == u && p.find.annotator == a {
		line, col := s.pos(c)
		p.found = finding.Position{File: p.path, Line: line, Col: col}
		return errFound
	}
	dup := false
	if a < 64 {
		bit := uint64(1) << uint(a)
		dup = p.seen[u]&bit != 0
		p.seen[u] |= bit
	} else {
		for _, r := range p.a.Ratings[u] {
			if r.Annotator == a {
				dup = true
				break
			}
		}
	}
	if dup {
		p.dup = &ratingKey{u, a}
		return s.cellErr(c, Duplicate, "duplicate label for unit %s by annotator %s",
			quote([]byte(p.a.Units[u])), quote([]byte(p.a.Annotators[a])))
	}
	p.a.Ratings[u] = append(p.a.Ratings[u], Rating{Annotator: a, Label: l})
	p.most = max(p.most, len(p.a.Ratings[u]))
	return nil
}
