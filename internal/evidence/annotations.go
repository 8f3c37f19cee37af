package evidence

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"runtime"
	"slices"

	"github.com/ftgate/ftgate/internal/finding"
)

// ParseAnnotations reads raw labels. A header with an annotator or a label
// column is long format (unit,annotator,label, one row per rating; other
// columns ignored); any other header is wide format (unit,<annotator>,…,
// one row per unit, an empty cell for a missing label). Values are trimmed;
// units, annotators and labels are interned in order of first appearance,
// so no row's strings outlive the row: memory is the distinct values plus
// one 8-byte Rating per label and about 30 bytes per unit (its ID's record
// and index slot), and, while a file whose rows are not grouped by unit is
// read, 16 more bytes per row. A repeated (unit, annotator) is a Duplicate
// naming both lines. Every error is an *Error.
//
// The first pass reads optimistically: it checks for repeated ratings only
// once the ratings are grouped by unit, and gives up at the first problem.
// A file that fails it is read again by the exact pass, which checks every
// rating as it comes, so the error reported is the first in file order
// with the general CSV scanner's message and position.
func ParseAnnotations(fsys fs.FS, name string, maxBytes int64) (*Annotations, error) {
	if a, _, err := parseAnnotations(fsys, name, maxBytes, false); err != errRetry {
		return a, err
	}
	a, dup, err := parseAnnotations(fsys, name, maxBytes, true)
	var e *Error
	if errors.As(err, &e) && e.Kind == Duplicate && dup != nil {
		// Ratings keep no line numbers (that would cost memory on every
		// row), so the first occurrence is found by a further pass, which
		// interns identically and stops there.
		if first, ok := findRating(fsys, name, maxBytes, *dup); ok {
			e.Msg += fmt.Sprintf(" (first at line %d)", first.Line)
			e.Related = []finding.Position{first}
		}
	}
	return a, err
}

// errRetry ends an optimistic pass that met a problem: the exact pass
// finds and reports it.
var errRetry = errors.New("retry with the exact pass")

// parseAnnotations makes one pass; after a Duplicate error in the exact
// pass, it also returns the repeated pair.
func parseAnnotations(fsys fs.FS, name string, maxBytes int64, exact bool) (*Annotations, *ratingKey, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	p := newAnnotParser(f.Path)
	p.exact, p.size = exact, f.Size
	p.useHasher = !exact && f.Size >= hasherMinBytes && runtime.GOMAXPROCS(0) > 1
	p.file = f
	defer p.stopHasher()
	if err := p.parse(f); err != nil {
		if !exact && !isOpenError(err) {
			return nil, nil, errRetry
		}
		return nil, p.dup, err
	}
	if err := p.finish(); err != nil {
		return nil, nil, err
	}
	return p.a, nil, nil
}

// isOpenError reports whether err concerns the file as a whole (reading
// it, its size), which a second pass would only meet again.
func isOpenError(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Line == 0
}

// ratingKey identifies one (unit, annotator) pair by interned index.
type ratingKey struct{ unit, annotator uint32 }

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
	p.exact = true
	p.find = &key
	if err := p.parse(f); err != errFound {
		return finding.Position{}, false
	}
	return p.found, true
}

type annotParser struct {
	path string
	a    *Annotations

	units                  *unitIndex
	annotators, labels     map[string]int32
	recentAnn, recentLabel recent
	size                   int64 // the file's size, for reserving space
	reserved               bool  // reserve has acted

	// Rows come in runs naming one unit; files are usually grouped by
	// unit, so most rows only compare their unit with the run's. Run r's
	// ratings start at Ratings[runStart[r]], and runUnit[r] is its unit.
	// When a run returns to an earlier unit, finish groups the ratings.
	runStart []uint32
	runUnit  []uint32
	lastID   []byte // the current run's unit ID (a copy)
	lastU    uint32 // its number, known once interned
	inRun    bool
	// ordered holds while each run's unit ID has been greater than the
	// last (bytewise), as in a file sorted by unit: every run is then a
	// new unit and needs no lookup. The first run out of order indexes
	// the units so far, and every later run is looked up.
	ordered bool
	// hasher, when set, numbers the runs' units on another goroutine while
	// this one reads on; lastU is then unknown, which only the exact pass
	// (which has no hasher) needs. useHasher says whether to start one.
	hasher    *unitHasher
	useHasher bool

	file   *File // the file parsed, for parseSegments
	worker bool  // reads one segment for parseSegments

	// exact checks each rating against the unit's earlier ones as it is
	// read, with seen[u] holding bit a for annotator a < 64 and more for
	// the others.
	exact bool
	seen  []uint64
	more  map[ratingKey]struct{}
	dup   *ratingKey // the repeated pair, after a Duplicate error

	find  *ratingKey // in a findRating pass: the pair to look for
	found finding.Position
}

func newAnnotParser(path string) *annotParser {
	p := &annotParser{
		path:       path,
		a:          &Annotations{Path: path},
		annotators: make(map[string]int32),
		labels:     make(map[string]int32),
		ordered:    true,
	}
	p.units = newUnitIndex(&p.a.ids)
	return p
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
	if !p.exact {
		if ok, err := p.parseSegments(s, idx[0], idx[1], idx[2]); ok {
			return err
		}
	}
	return p.scanLong(s, s.lr.br, idx[0], idx[1], idx[2])
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
	// A long-format file without its header row reads as wide format, its
	// first row taken for the header: the annotators would be a rater's
	// name and a label, and the figures nonsense. Its first unit coming
	// back among the rows gives it away.
	firstUnit := s.header[0]
	headerLine, headerCol := s.pos(0)
	headerAsData := &Error{Path: p.path, Line: headerLine, Col: headerCol, Kind: Malformed,
		Msg: fmt.Sprintf("the first row reads as data, not a header: %s is also a unit in the rows below "+
			"(long format needs the header unit,annotator,label; wide format unit,<annotator>,…)", quote([]byte(firstUnit)))}
	firstUnitAgain := false
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
		if string(uv) == firstUnit {
			firstUnitAgain = true
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
				if e, ok := err.(*Error); ok && e.Kind == Duplicate && firstUnitAgain {
					return headerAsData // the cause, rather than its symptom
				}
				return err
			}
		}
	}
	if rows == 0 {
		return errorf(p.path, Malformed, "no rows after the header")
	}
	if firstUnitAgain {
		return headerAsData
	}
	return nil
}

// Limits of the flat layout: unit numbers, rating offsets and ID offsets
// are 32-bit.
const (
	maxUnits    = math.MaxInt32 - 1
	maxRatings  = math.MaxUint32 - 1
	maxIDBytes  = math.MaxUint32 - 1
	maxInterned = math.MaxInt32 - 1
)

// fits reports whether a row naming unit v stays within the limits. With
// a hasher the units are counted on its goroutine, which reports overflow
// at the end instead.
func (p *annotParser) fits(v []byte) bool {
	if len(p.a.Ratings) >= maxRatings || len(p.runStart) >= maxRatings {
		return false
	}
	return p.hasher != nil || p.a.ids.len() < maxUnits && len(p.a.ids.bytes)+idHeader+len(v) <= maxIDBytes
}

// unit numbers a unit ID, checking the limits first.
func (p *annotParser) unit(s *csvScanner, c int, v []byte) (uint32, error) {
	if !p.fits(v) {
		return 0, s.cellErr(c, Malformed, "more units, ratings or unit ID bytes than this format holds (%d)", uint32(maxRatings))
	}
	return p.unitOf(v), nil
}

// unitOf returns the number of unit v, which fits has admitted, starting a
// run when v is not the current run's unit. With a hasher the number is
// not known yet and unitOf returns 0.
func (p *annotParser) unitOf(v []byte) uint32 {
	if p.inRun && string(v) == string(p.lastID) {
		return p.lastU
	}
	rising := !p.inRun || string(v) > string(p.lastID)
	p.inRun = true
	p.lastID = append(p.lastID[:0], v...)
	p.runStart = append(p.runStart, uint32(len(p.a.Ratings)))
	if p.ordered {
		if rising {
			p.lastU = uint32(p.a.ids.len())
			p.a.ids.add(v)
			return p.lastU
		}
		p.index()
	}
	if p.hasher != nil {
		p.hasher.add(v)
		p.lastU = 0
		return 0
	}
	p.lastU, _ = p.units.intern(v)
	p.runUnit = append(p.runUnit, p.lastU)
	return p.lastU
}

// index ends the ordered runs: the units so far, one per run, go into the
// index (on the hasher's goroutine when there is one).
func (p *annotParser) index() {
	p.ordered = false
	known := p.a.ids.len()
	if p.useHasher {
		p.hasher = newUnitHasher(p.units, known)
		return
	}
	p.runUnit = make([]uint32, known, 2*known+16)
	for u := range known {
		p.runUnit[u] = uint32(u)
		p.units.insertKnown(uint32(u))
	}
}

// stopHasher ends the hasher, if one runs.
func (p *annotParser) stopHasher() {
	if p.hasher != nil {
		p.hasher.stop()
	}
}

// intern returns v's index in list, adding it on first sight. The map
// lookup with string(v) does not allocate; only a new value is copied.
func (p *annotParser) intern(s *csvScanner, c int, m map[string]int32, list *[]string, v []byte) (int32, error) {
	if i, ok := m[string(v)]; ok {
		return i, nil
	}
	if len(*list) >= maxInterned {
		return 0, s.cellErr(c, Malformed, "more than %d distinct values", maxInterned)
	}
	return p.fastIntern(m, list, v), nil
}

// rate records annotator a's label l for unit u; in the exact pass a
// second label by the same annotator is an error, c the cell it points at.
func (p *annotParser) rate(s *csvScanner, c int, u uint32, a, l int32) error {
	if p.exact {
		if p.find != nil && p.find.unit == u && p.find.annotator == uint32(a) {
			line, col := s.pos(c)
			p.found = finding.Position{File: p.path, Line: line, Col: col}
			return errFound
		}
		if p.repeated(u, a) {
			e := s.cellErr(c, Duplicate, "duplicate label for unit %s by annotator %s",
				quote(p.a.ids.id(int(u))), quote([]byte(p.a.Annotators[a])))
			p.dup = &ratingKey{u, uint32(a)}
			return e
		}
	}
	p.add(a, l)
	return nil
}

// repeated reports whether annotator a has rated unit u before, and notes
// that it now has.
func (p *annotParser) repeated(u uint32, a int32) bool {
	if a >= 64 {
		k := ratingKey{u, uint32(a)}
		if p.more == nil {
			p.more = make(map[ratingKey]struct{})
		}
		if _, ok := p.more[k]; ok {
			return true
		}
		p.more[k] = struct{}{}
		return false
	}
	for int(u) >= len(p.seen) {
		p.seen = append(p.seen, 0)
	}
	bit := uint64(1) << uint(a)
	dup := p.seen[u]&bit != 0
	p.seen[u] |= bit
	return dup
}

// add appends a rating.
func (p *annotParser) add(a, l int32) {
	p.a.Ratings = append(p.a.Ratings, Rating{Annotator: a, Label: l})
}

// finish groups the ratings by unit and, after an optimistic pass, checks
// that no annotator rated a unit twice (errRetry if one did, or if the
// hasher found more units than the format holds).
func (p *annotParser) finish() error {
	if p.hasher != nil {
		runUnit, overflow := p.hasher.wait()
		if overflow {
			return errRetry
		}
		p.runUnit = runUnit
	}
	a := p.a
	n := a.ids.len()
	if n > 0 {
		if p.ordered || len(p.runUnit) == n {
			// Every run brought a new unit, so run r is unit r and the
			// ratings are grouped already.
			a.bounds = append(p.runStart, uint32(len(a.Ratings)))
		} else {
			p.group()
		}
	}
	p.runStart, p.runUnit = nil, nil
	if !p.exact && a.hasRepeat() {
		return errRetry
	}
	return nil
}

// group sorts the ratings by unit, moving whole runs and keeping their
// order, so each unit's ratings stay in file order (a counting sort: the
// units are the keys).
func (p *annotParser) group() {
	a := p.a
	n := a.ids.len()
	runEnd := func(r int) uint32 {
		if r+1 < len(p.runStart) {
			return p.runStart[r+1]
		}
		return uint32(len(a.Ratings))
	}
	bounds := make([]uint32, n+1)
	for r, u := range p.runUnit {
		bounds[u+1] += runEnd(r) - p.runStart[r]
	}
	for u := range n {
		bounds[u+1] += bounds[u]
	}
	next := slices.Clone(bounds[:n])
	out := make([]Rating, len(a.Ratings))
	for r, u := range p.runUnit {
		from, to := p.runStart[r], runEnd(r)
		if to == from+1 {
			// The common run of a shuffled file: one rating.
			out[next[u]] = a.Ratings[from]
			next[u]++
			continue
		}
		next[u] += uint32(copy(out[next[u]:], a.Ratings[from:to]))
	}
	a.Ratings, a.bounds = out, bounds
}

// hasRepeat reports whether some annotator rated some unit twice.
func (a *Annotations) hasRepeat() bool {
	var many []int32 // scratch: annotators ≥ 64 of one unit
	for u := range a.NumUnits() {
		rs := a.UnitRatings(u)
		if len(rs) < 2 {
			continue
		}
		var seen uint64
		many = many[:0]
		for _, r := range rs {
			if r.Annotator >= 64 {
				many = append(many, r.Annotator)
				continue
			}
			bit := uint64(1) << uint(r.Annotator)
			if seen&bit != 0 {
				return true
			}
			seen |= bit
		}
		if len(many) > 1 {
			slices.Sort(many)
			for i := 1; i < len(many); i++ {
				if many[i] == many[i-1] {
					return true
				}
			}
		}
	}
	return false
}
