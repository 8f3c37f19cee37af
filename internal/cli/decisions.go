package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/register"
)

type decisionsFlags struct {
	policyFlags
	format   string
	records  string
	today    string
	expiring int
}

// decisionsFormats are the formats of the register.
var decisionsFormats = []string{"text", "markdown", "json"}

func newDecisions(e *env) *cobra.Command {
	var f decisionsFlags
	cmd := &cobra.Command{
		Use:   "decisions",
		Short: "List the decision records: what they cover, when they are due, their waivers",
		Long: `decisions prints the decision register: every record under the records directory
with its status, task, covers globs and the training configs they match, when it was
decided and is due for review (review_by, days left), its waivers and when they
expire, and the newest date in its eval history.

With --expiring DAYS it also lists what runs out within DAYS days — the review_by of
an accepted record, or one of its waivers, past dates included — and exits 1 when
anything does: run it on a schedule to hear about a decision before it lapses.
--format markdown suits a job summary or an issue. Exit 2 when the policy or the
records directory cannot be read; a record that does not parse is still listed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("expiring") {
				f.expiring = -1
			} else if f.expiring < 0 {
				return &usageError{msg: fmt.Sprintf("--expiring %d: want a number of days, 0 or more", f.expiring)}
			}
			err := runDecisions(e, f)
			if err == nil {
				return nil
			}
			var ee *exitError
			if errors.As(err, &ee) {
				return err
			}
			return detectError(e, f.format, err)
		},
	}
	fl := cmd.Flags()
	f.register(cmd)
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(decisionsFormats, ", "))
	fl.StringVar(&f.records, "records", "", "decision records `DIR` (default: the policy's records.dir)")
	fl.StringVar(&f.today, "today", "", "count days from `YYYY-MM-DD` (default: today, UTC)")
	fl.IntVar(&f.expiring, "expiring", 0, "list what runs out within `DAYS` days and exit 1 if anything does")
	return cmd
}

func runDecisions(e *env, f decisionsFlags) error {
	switch f.format {
	case "text", "markdown", "json":
	default:
		return &usageError{msg: fmt.Sprintf("--format %q: want %s", f.format, strings.Join(decisionsFormats, ", "))}
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if f.today != "" {
		t, err := time.Parse(time.DateOnly, f.today)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("--today %q: want YYYY-MM-DD", f.today)}
		}
		today = t
	}
	loader, pol, err := f.load()
	if err != nil {
		return policyFailed(e, err)
	}
	fsys := changes.WorktreeFS(f.dir)
	files, err := detectPaths(fsys, f.dir, nil)
	if err != nil {
		return err
	}
	records := pol.RecordsDir
	if f.records != "" {
		records = path.Clean(filepath.ToSlash(f.records))
	}
	entries, err := register.Build(loader, register.Options{
		FS: fsys, Files: files, RecordsDir: records,
		Detect:           detect.Options{Include: pol.Include, Exclude: pol.Exclude, RecordsDir: records, Pretrain: pol.Pretrain},
		EvidenceMaxBytes: pol.EvidenceMaxBytes,
		Today:            today,
	})
	if err != nil {
		return err
	}
	var due []register.Due
	if f.expiring >= 0 {
		due = register.Expiring(entries, f.expiring)
	}
	switch f.format {
	case "json":
		err = writeDecisionsJSON(e.stdout, entries, f.expiring, due)
	case "markdown":
		err = writeDecisionsMarkdown(e.stdout, entries, f.expiring, due)
	default:
		err = writeDecisionsText(e.stdout, entries, f.expiring, due)
	}
	if err != nil {
		return err
	}
	if len(due) > 0 {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// decisionJSON is one record of `ftgate decisions --format json` (SPEC §7.2).
type decisionJSON struct {
	Path     string   `json:"path"`
	ID       string   `json:"id,omitempty"`
	Status   string   `json:"status,omitempty"`
	Task     string   `json:"task,omitempty"`
	Covers   []string `json:"covers"`
	Configs  []string `json:"configs"`
	Decided  string   `json:"decided,omitempty"`
	ReviewBy string   `json:"review_by,omitempty"`
	DaysLeft *int     `json:"days_left"`
	// NewestEval is omitted when the record names no history or it cannot
	// be read: a string that does not apply (SPEC §7).
	NewestEval string       `json:"newest_eval,omitempty"`
	Waivers    []waiverJSON `json:"waivers"`
}

type waiverJSON struct {
	Rule     string `json:"rule"`
	Expires  string `json:"expires"`
	DaysLeft *int   `json:"days_left"`
}

type dueJSON struct {
	Path     string `json:"path"`
	ID       string `json:"id,omitempty"`
	What     string `json:"what"`
	Date     string `json:"date"`
	DaysLeft int    `json:"days_left"`
}

// writeDecisionsJSON prints the register; with --expiring it adds the
// window and what is due in it.
func writeDecisionsJSON(w io.Writer, entries []register.Entry, expiring int, due []register.Due) error {
	out := struct {
		Version  int            `json:"version"`
		Records  []decisionJSON `json:"records"`
		Expiring *int           `json:"expiring,omitempty"`
		Due      *[]dueJSON     `json:"due,omitempty"`
	}{Version: 1, Records: []decisionJSON{}}
	for _, en := range entries {
		d := decisionJSON{
			Path: en.Path, ID: en.ID, Status: en.Status, Task: en.Task,
			Covers: append([]string{}, en.Covers...), Configs: append([]string{}, en.Configs...),
			Decided: en.Decided, ReviewBy: en.ReviewBy, DaysLeft: en.DaysLeft,
			NewestEval: en.NewestEval, Waivers: []waiverJSON{},
		}
		for _, wv := range en.Waivers {
			d.Waivers = append(d.Waivers, waiverJSON{Rule: wv.Rule, Expires: wv.Expires, DaysLeft: wv.DaysLeft})
		}
		out.Records = append(out.Records, d)
	}
	if expiring >= 0 {
		out.Expiring = &expiring
		list := []dueJSON{}
		for _, d := range due {
			list = append(list, dueJSON(d))
		}
		out.Due = &list
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// daysText says how far a date is: "34 days left", "due today", "3 days
// overdue".
func daysText(days *int, past string) string {
	switch {
	case days == nil:
		return "not a date"
	case *days == 0:
		return "today"
	case *days == 1:
		return "1 day left"
	case *days > 0:
		return fmt.Sprintf("%d days left", *days)
	case *days == -1:
		return "1 day " + past
	}
	return fmt.Sprintf("%d days %s", -*days, past)
}

func writeDecisionsText(w io.Writer, entries []register.Entry, expiring int, due []register.Due) error {
	for _, en := range entries {
		head := fmt.Sprintf("%s: %s %s, task %s", en.Path, orDash(en.ID), orDash(en.Status), orDash(en.Task))
		if !en.Valid {
			head += " (does not match the record schema: see ftgate check)"
		}
		fmt.Fprintln(w, oneLine(head))
		fmt.Fprintf(w, "    covers %s\n", oneLine(listOrNone(en.Covers)))
		fmt.Fprintf(w, "    configs %s\n", oneLine(listOrNone(en.Configs)))
		if en.ReviewBy == "" {
			fmt.Fprintf(w, "    decided %s, no review_by\n", orDash(en.Decided))
		} else {
			fmt.Fprintf(w, "    decided %s, review by %s (%s)\n", orDash(en.Decided), oneLine(en.ReviewBy), daysText(en.DaysLeft, "overdue"))
		}
		switch {
		case en.NewestEval != "":
			fmt.Fprintf(w, "    newest eval %s\n", en.NewestEval)
		case en.EvalProblem != "":
			fmt.Fprintf(w, "    newest eval unknown: %s\n", oneLine(en.EvalProblem))
		}
		for _, wv := range en.Waivers {
			fmt.Fprintf(w, "    waiver %s expires %s (%s)\n", oneLine(wv.Rule), oneLine(wv.Expires), daysText(wv.DaysLeft, "expired"))
		}
	}
	summary := fmt.Sprintf("%d %s", len(entries), plural(len(entries), "record", "records"))
	if expiring >= 0 {
		for _, d := range due {
			fmt.Fprintf(w, "%s: %s %s %s is due (%s)\n", d.Path, orDash(d.ID), d.What, d.Date, daysText(&d.DaysLeft, "ago"))
		}
		summary += fmt.Sprintf(", %d due within %d %s", len(due), expiring, plural(expiring, "day", "days"))
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}

func writeDecisionsMarkdown(w io.Writer, entries []register.Entry, expiring int, due []register.Due) error {
	fmt.Fprintf(w, "## Decision register\n\n")
	if expiring >= 0 {
		if len(due) == 0 {
			fmt.Fprintf(w, "Nothing runs out within %d %s.\n\n", expiring, plural(expiring, "day", "days"))
		} else {
			fmt.Fprintf(w, "**Due within %d %s:**\n\n", expiring, plural(expiring, "day", "days"))
			for _, d := range due {
				fmt.Fprintf(w, "- %s %s: %s %s (%s)\n", mdCode(orDash(d.ID)), mdCode(d.Path), d.What, d.Date, daysText(&d.DaysLeft, "ago"))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "| record | status | task | configs | decided | review by | waivers | newest eval |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, en := range entries {
		var configs, waivers []string
		for _, c := range en.Configs {
			configs = append(configs, mdCode(c))
		}
		for _, wv := range en.Waivers {
			waivers = append(waivers, fmt.Sprintf("%s until %s (%s)", mdCode(wv.Rule), mdCode(wv.Expires), daysText(wv.DaysLeft, "expired")))
		}
		status := mdCode(orDash(en.Status))
		if !en.Valid {
			status += " (invalid)"
		}
		newest := en.NewestEval
		if newest == "" {
			newest = "—"
		}
		fmt.Fprintf(w, "| %s %s | %s | %s | %s | %s | %s (%s) | %s | %s |\n",
			mdCode(orDash(en.ID)), mdCode(en.Path), status, mdCode(orDash(en.Task)),
			orNone(strings.Join(configs, "<br>")), mdCode(orDash(en.Decided)), mdCode(orDash(en.ReviewBy)),
			daysText(en.DaysLeft, "overdue"), orNone(strings.Join(waivers, "<br>")), newest)
	}
	return nil
}

// mdCode puts a value from a record in a code span inside a table cell:
// backticks and pipes cannot end the span or the cell, nor a newline the row.
func mdCode(s string) string {
	s = strings.NewReplacer("`", "'", "|", `\|`, "\r", " ", "\n", " ").Replace(s)
	return "`" + s + "`"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
