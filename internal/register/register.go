// Package register builds the decision register (`ftgate decisions`): every
// decision record with what it covers, when it is due for review, the
// waivers it holds and how fresh its evidence is. It judges nothing; it
// says what is due.
package register

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/record"
)

// Entry is one record in the register.
type Entry struct {
	Path    string
	ID      string
	Status  string
	Task    string
	Covers  []string
	Configs []string // the detected configs the record covers, sorted
	Decided string
	// ReviewBy is the record's review_by; DaysLeft the days from today to
	// it (negative once past), nil when review_by is not a date.
	ReviewBy string
	DaysLeft *int
	// NewestEval is the latest date in the record's eval history; empty
	// when the record names none or it cannot be read (EvalProblem says
	// why).
	NewestEval  string
	EvalProblem string
	Waivers     []Waiver
	// Valid is false when the record does not match the schema (FT002 in
	// a check); what could be read is still listed.
	Valid bool
}

// Waiver is one waiver of a record, with the days until it expires.
type Waiver struct {
	Rule     string
	Expires  string
	DaysLeft *int
}

// Due is something that runs out within the window `--expiring` asks about:
// an accepted record's review_by or one of its waivers.
type Due struct {
	Path     string // the record
	ID       string
	What     string // "review_by" or "waiver FT104"
	Date     string
	DaysLeft int
}

// Options say where the records and configs are.
type Options struct {
	FS         fs.FS
	Files      []string // every file of the tree, for detection
	RecordsDir string
	Detect     detect.Options
	// EvidenceMaxBytes caps an eval history read for its newest date.
	EvidenceMaxBytes int64
	Today            time.Time
}

// Build loads every record under the records directory, detects the
// configs in the tree and returns the register, sorted by record path.
func Build(loader *record.Loader, opt Options) ([]Entry, error) {
	recs, err := loader.LoadDir(opt.FS, opt.RecordsDir)
	if err != nil {
		return nil, err
	}
	det, err := detect.Detect(opt.FS, opt.Files, opt.Detect)
	if err != nil {
		return nil, err
	}
	today := opt.Today.UTC().Truncate(24 * time.Hour)
	entries := make([]Entry, 0, len(recs))
	for _, r := range recs {
		e := entryOf(r, today)
		for _, c := range det.Configs {
			if r.CoversConfig(c) {
				e.Configs = append(e.Configs, c.Path)
			}
		}
		if pc := r.Necessary.PromptCeiling; pc != nil && len(pc.History) > 0 {
			e.NewestEval, e.EvalProblem = newestEval(opt.FS, pc.History, opt.EvidenceMaxBytes)
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b Entry) int { return cmp.Compare(a.Path, b.Path) })
	return entries, nil
}

// entryOf is what the register says of r from the record alone: its dates
// and waivers, without the configs it matches or its newest eval.
func entryOf(r *record.Record, today time.Time) Entry {
	e := Entry{
		Path: r.Path, ID: r.ID, Status: r.Status, Task: r.Task, Covers: r.Covers,
		Decided: r.Decided, ReviewBy: r.ReviewBy, Valid: r.Valid,
		DaysLeft: daysUntil(r.ReviewBy, today),
	}
	for _, w := range r.Waivers {
		e.Waivers = append(e.Waivers, Waiver{Rule: w.Rule, Expires: w.Expires, DaysLeft: daysUntil(w.Expires, today)})
	}
	return e
}

// DueOf is Expiring over records already loaded: what runs out within days
// of today (a scheduled audit's check, beside the judging of every config).
func DueOf(recs []*record.Record, today time.Time, days int) []Due {
	today = today.UTC().Truncate(24 * time.Hour)
	entries := make([]Entry, 0, len(recs))
	for _, r := range recs {
		entries = append(entries, entryOf(r, today))
	}
	return Expiring(entries, days)
}

// Expiring lists what runs out within days of today: the review_by of each
// accepted record and its waivers, past ones included (they ran out
// already), soonest first. Records not accepted authorise nothing, so their
// dates are not due.
func Expiring(entries []Entry, days int) []Due {
	var due []Due
	for _, e := range entries {
		if e.Status != "accepted" {
			continue
		}
		if e.DaysLeft != nil && *e.DaysLeft <= days {
			due = append(due, Due{Path: e.Path, ID: e.ID, What: "review_by", Date: e.ReviewBy, DaysLeft: *e.DaysLeft})
		}
		for _, w := range e.Waivers {
			if w.DaysLeft != nil && *w.DaysLeft <= days {
				due = append(due, Due{Path: e.Path, ID: e.ID, What: "waiver " + w.Rule, Date: w.Expires, DaysLeft: *w.DaysLeft})
			}
		}
	}
	slices.SortStableFunc(due, func(a, b Due) int {
		return cmp.Or(cmp.Compare(a.DaysLeft, b.DaysLeft), cmp.Compare(a.Path, b.Path))
	})
	return due
}

// daysUntil is the whole days from today to date, nil when date is not
// YYYY-MM-DD.
func daysUntil(date string, today time.Time) *int {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil
	}
	d := int(t.Sub(today).Hours() / 24)
	return &d
}

// newestEval is the latest date in an eval history, or why it could not be
// read.
func newestEval(fsys fs.FS, names []string, maxBytes int64) (date, problem string) {
	h, err := evidence.ReadHistory(fsys, names, maxBytes)
	if err != nil {
		return "", fmt.Sprintf("%v", err)
	}
	for _, row := range h.Rows {
		date = max(date, row.Date)
	}
	return date, ""
}
