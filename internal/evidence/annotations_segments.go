package evidence

import (
	"bytes"
	"io"
	"runtime"
	"sync"
)

// segmentMinBytes is the file size from which the optimistic pass reads a
// long-format file grouped by unit in two halves at once. Tests lower it.
var segmentMinBytes int64 = 8 << 20

// parseSegments reads the rows of a large long-format file grouped by unit
// on two goroutines, one half of the file each, and joins the halves: on a
// grouped file each half holds its own units, so the join is cheap, and the
// reading, which is nearly all of the work, is split between two cores.
// It returns false, having read nothing from s, when the file does not
// suit: too small, one core, a reader without ReadAt, a header that is not
// a plain first line, rows that do not look grouped, or either half
// meeting a row the fast path cannot take (a quoted field may cross the
// halves' boundary). The sequential reader then does the work.
func (p *annotParser) parseSegments(s *csvScanner, cUnit, cAnn, cLabel int) (bool, error) {
	f := p.file
	ra, ok := f.f.(io.ReaderAt)
	if !ok || f.Size < segmentMinBytes || runtime.GOMAXPROCS(0) < 2 || s.headerLine != 1 {
		return false, nil
	}
	if !looksGrouped(s, cUnit) {
		return false, nil
	}
	start, ok := lineAfter(ra, 0, f.Size)
	if !ok {
		return false, nil
	}
	if head := make([]byte, start); readFull(ra, head, 0) != nil || bytes.IndexByte(head, '"') >= 0 {
		return false, nil
	}
	split, ok := lineAfter(ra, start+(f.Size-start)/2, f.Size)
	if !ok || split >= f.Size {
		return false, nil
	}

	var halves [2]*annotParser
	var errs [2]error
	read := func(i int, off, n int64) {
		q := newAnnotParser(p.path)
		q.worker = true
		q.size = n
		if i == 0 {
			q.size = f.Size // its list of ratings will take the other half's
		}
		halves[i] = q
		errs[i] = q.scanLong(s, io.NewSectionReader(ra, off, n), cUnit, cAnn, cLabel)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		read(1, split, f.Size-split)
	}()
	read(0, start, split-start)
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		return false, nil
	}
	// The halves end where the file did when it was opened; a file that
	// has grown since is read again by the sequential reader, which holds
	// it to the size cap.
	var more [1]byte
	if n, _ := ra.ReadAt(more[:], f.Size); n > 0 {
		return false, nil
	}
	first := halves[0]
	if !first.absorb(halves[1]) {
		return false, nil
	}
	p.a, p.units = first.a, first.units
	p.annotators, p.labels = first.annotators, first.labels
	p.runStart, p.runUnit, p.ordered = first.runStart, first.runUnit, first.ordered
	return true, nil
}

// looksGrouped reports whether the rows s has buffered after the header
// come in runs of one unit: at least 16 rows, on average more than one and
// a half to a unit.
func looksGrouped(s *csvScanner, cUnit int) bool {
	data, _ := s.lr.br.Peek(s.lr.br.Buffered())
	cuts := make([]int, len(s.header))
	rows, runs := 0, 0
	var last []byte
	for {
		n, nl, plain := scanRow(data, s.comma, cuts)
		if nl < 0 {
			break
		}
		if !plain || n != len(s.header) {
			return false
		}
		unit := cellOf(data[:nl], cuts, cUnit, plain)
		if rows == 0 || !bytes.Equal(unit, last) {
			runs++
		}
		rows++
		last = unit
		data = data[nl+1:]
	}
	return rows >= 16 && 2*rows > 3*runs
}

// lineAfter returns the offset just past the first '\n' at or after off,
// looking no further than 64 KiB.
func lineAfter(ra io.ReaderAt, off, size int64) (int64, bool) {
	buf := make([]byte, min(64<<10, size-off))
	if readFull(ra, buf, off) != nil {
		return 0, false
	}
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		return 0, false
	}
	return off + int64(i) + 1, true
}

func readFull(ra io.ReaderAt, buf []byte, off int64) error {
	_, err := ra.ReadAt(buf, off)
	if err == io.EOF {
		err = nil
	}
	return err
}

// absorb appends the rows another parser read after q's to q's: its
// annotators, labels and units are numbered on from q's, in order of
// first appearance. It returns false when the whole would pass the
// format's limits, which the sequential reader then reports.
func (q *annotParser) absorb(r *annotParser) bool {
	ids, rids := &q.a.ids, &r.a.ids
	if len(q.a.Ratings)+len(r.a.Ratings) >= maxRatings ||
		ids.len()+rids.len() >= maxUnits || len(ids.bytes)+len(rids.bytes) > maxIDBytes ||
		len(q.a.Annotators)+len(r.a.Annotators) >= maxInterned || len(q.a.Labels)+len(r.a.Labels) >= maxInterned {
		return false
	}
	annotator := q.renumber(q.annotators, &q.a.Annotators, r.a.Annotators)
	label := q.renumber(q.labels, &q.a.Labels, r.a.Labels)
	base := uint32(len(q.a.Ratings))
	for _, rt := range r.a.Ratings {
		q.a.Ratings = append(q.a.Ratings, Rating{Annotator: annotator[rt.Annotator], Label: label[rt.Label]})
	}
	for _, at := range r.runStart {
		q.runStart = append(q.runStart, base+at)
	}

	n := ids.len()
	if q.ordered && r.ordered && (n == 0 || rids.len() == 0 || string(rids.id(0)) > string(ids.id(n-1))) {
		// Both halves rise, the second above the first: its units are
		// new, in order.
		for u := range rids.len() {
			ids.add(rids.id(u))
		}
		return true
	}
	if q.ordered {
		q.index()
	}
	unit := make([]uint32, rids.len())
	for u := range unit {
		unit[u], _ = q.units.intern(rids.id(u))
	}
	if r.ordered {
		q.runUnit = append(q.runUnit, unit...)
	} else {
		for _, u := range r.runUnit {
			q.runUnit = append(q.runUnit, unit[u])
		}
	}
	return true
}

// renumber interns names into q's list and returns each one's index there.
func (q *annotParser) renumber(m map[string]int32, list *[]string, names []string) []int32 {
	index := make([]int32, len(names))
	for i, name := range names {
		index[i] = q.fastIntern(m, list, []byte(name))
	}
	return index
}
