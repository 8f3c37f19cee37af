package evidence

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"time"

	"github.com/ftgate/ftgate/internal/finding"
)

// techniques lists the prompt-engineering techniques an eval history may
// name.
var techniques = []string{"zero_shot", "few_shot", "rag", "cot", "self_consistency", "other"}

const techniqueList = "zero_shot, few_shot, rag, cot, self_consistency, other"

// ParseHistory reads an eval history, CSV with the header
// iteration,score,n,technique,date[,model] (n and model may be absent;
// other columns are ignored), and returns its rows sorted by iteration.
// Every error is an *Error; a repeated iteration is a Duplicate.
func ParseHistory(fsys fs.FS, name string, maxBytes int64) (*History, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseHistory(f)
}

func parseHistory(f *File) (*History, error) {
	s := newCSV(f)
	if err := s.readHeader(); err != nil {
		return nil, err
	}
	idx, err := s.columns([]string{"iteration", "score", "technique", "date"}, []string{"n", "model"})
	if err != nil {
		return nil, err
	}
	cIter, cScore, cTech, cDate, cN, cModel := idx[0], idx[1], idx[2], idx[3], idx[4], idx[5]

	h := &History{Path: f.Path}
	first := make(map[int]finding.Position) // iteration → where it first appeared
	for {
		ok, err := s.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := s.checkWidth(); err != nil {
			return nil, err
		}
		row := EvalRow{Line: s.line}

		v := s.value(cIter)
		if len(v) == 0 {
			return nil, s.cellErr(cIter, Malformed, "iteration is empty")
		}
		row.Iteration, err = strconv.Atoi(string(v))
		if err != nil {
			return nil, s.cellErr(cIter, Malformed, "iteration %s is not an integer", quote(v))
		}
		if p, dup := first[row.Iteration]; dup {
			e := s.cellErr(cIter, Duplicate, "duplicate iteration %d (first at line %d)", row.Iteration, p.Line)
			e.Related = []finding.Position{p}
			return nil, e
		}
		line, col := s.pos(cIter)
		first[row.Iteration] = finding.Position{File: f.Path, Line: line, Col: col}

		v = s.value(cScore)
		if len(v) == 0 {
			return nil, s.cellErr(cScore, Malformed, "score is empty")
		}
		row.Score, err = strconv.ParseFloat(string(v), 64)
		if err != nil {
			return nil, s.cellErr(cScore, Malformed, "score %s is not a number", quote(v))
		}
		if !(row.Score >= 0 && row.Score <= 1) {
			return nil, s.cellErr(cScore, Malformed, "score %s is outside [0, 1]", quote(v))
		}

		if cN >= 0 {
			if v = s.value(cN); len(v) > 0 {
				n, err := strconv.Atoi(string(v))
				if err != nil || n < 0 {
					return nil, s.cellErr(cN, Malformed, "n %s is not a non-negative integer", quote(v))
				}
				row.N = n
			}
		}

		v = s.value(cTech)
		if len(v) == 0 {
			return nil, s.cellErr(cTech, Malformed, "technique is empty (want one of %s)", techniqueList)
		}
		tech, bad := parseTechnique(string(v))
		if bad != "" {
			return nil, s.cellErr(cTech, Malformed, "%s", techniqueError(string(v), bad))
		}
		row.Technique = tech

		v = s.value(cDate)
		if len(v) == 0 {
			return nil, s.cellErr(cDate, Malformed, "date is empty (want YYYY-MM-DD)")
		}
		if _, err := time.Parse(time.DateOnly, string(v)); err != nil {
			return nil, s.cellErr(cDate, Malformed, "date %s is not a valid YYYY-MM-DD date", quote(v))
		}
		row.Date = string(v)
		_, row.DateCol = s.pos(cDate)

		if cModel >= 0 {
			row.Model = string(s.value(cModel))
		}
		h.Rows = append(h.Rows, row)
	}
	if len(h.Rows) == 0 {
		return nil, errorf(f.Path, Malformed, "no rows after the header")
	}
	slices.SortStableFunc(h.Rows, func(a, b EvalRow) int { return cmp.Compare(a.Iteration, b.Iteration) })
	return h, nil
}

// CheckDates refuses an eval dated after today or after the decision
// (decided, YYYY-MM-DD; ignored when it does not parse): evidence from the
// future would make the record look fresher than it is (FT008). It returns
// an *Error at the first such row in file order.
func (h *History) CheckDates(decided string, today time.Time) error {
	limit, what := today, "today"
	if d, err := time.Parse(time.DateOnly, decided); err == nil && d.Before(today) {
		limit, what = d, "the decision"
	}
	var bad *EvalRow
	for i := range h.Rows {
		row := &h.Rows[i]
		d, err := time.Parse(time.DateOnly, row.Date)
		if err != nil || !d.After(limit) {
			continue
		}
		if bad == nil || row.Line < bad.Line {
			bad = row
		}
	}
	if bad == nil {
		return nil
	}
	return &Error{Path: h.Path, Line: bad.Line, Col: max(bad.DateCol, 1), Kind: Malformed,
		Msg: fmt.Sprintf("date %s is after %s (%s): an eval cannot postdate the decision it supports",
			bad.Date, what, limit.Format(time.DateOnly))}
}
