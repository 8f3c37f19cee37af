package gate

import (
	"fmt"
	"strings"
	"time"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/register"
	"github.com/ftgate/ftgate/internal/rules"
)

// dueFindings are a scheduled audit's expiry check (SPEC §5): an FT008
// error for each accepted record's review_by and each waiver that runs out
// within days of today, past ones included, at its place in the record. A
// review_by already past is left out where judging reported the record's
// FT008 (expired) itself.
func dueFindings(recs []*record.Record, judged []finding.Finding, today time.Time, days int) []finding.Finding {
	byPath := make(map[string]*record.Record, len(recs))
	for _, r := range recs {
		byPath[r.Path] = r
	}
	expired := map[string]bool{}
	for _, f := range judged {
		if f.Rule == rules.FT008.RuleID() {
			expired[f.Record] = true
		}
	}
	var out []finding.Finding
	for _, d := range register.DueOf(recs, today, days) {
		if d.What == "review_by" && d.DaysLeft < 0 && expired[d.Path] {
			continue
		}
		r := byPath[d.Path]
		pos, hint := r.Pos("review_by"), "re-evaluate prompting on the newest models and renew review_by, or supersede the record"
		if strings.HasPrefix(d.What, "waiver ") {
			pos, hint = r.Pos("waivers"), "meet the waived rule, or renew the waiver with its approver, before it expires"
		}
		out = append(out, finding.Finding{
			Rule: rules.FT008.RuleID(), Severity: finding.Error, Record: d.Path, Pos: pos,
			Message: fmt.Sprintf("%s %s %s %s: due within the audit's %d days", d.ID, d.What, d.Date, when(d.DaysLeft), days),
			Hint:    hint,
		})
	}
	return out
}

// when says in words when a day count runs out or ran out.
func when(daysLeft int) string {
	switch {
	case daysLeft == 0:
		return "runs out today"
	case daysLeft == 1:
		return "runs out tomorrow"
	case daysLeft > 1:
		return fmt.Sprintf("runs out in %d days", daysLeft)
	case daysLeft == -1:
		return "ran out yesterday"
	}
	return fmt.Sprintf("ran out %d days ago", -daysLeft)
}
