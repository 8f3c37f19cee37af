package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

// textReporter prints findings compiler-style, one table of figures per
// config, and a summary line:
//
//	decisions/ftd-7.yaml:14:5: error: alpha 0.712 < 0.800 over 412 units, 5 annotators [FT102]
//	    relabel with sharper guidelines until alpha >= 0.800
//
//	config training/x.yaml (axolotl, judged by decisions/ftd-7.yaml)
//	+-------+--------------------+-------+-----------+---------+
//	| RULE  |       FIGURE       | VALUE | THRESHOLD | VERDICT |
//	…
//
//	1 config judged, 1 error, 0 warnings, 0 notices: fail
type textReporter struct {
	color   bool
	verbose bool
}

func newText(opt Options) Reporter { return textReporter{color: opt.Color, verbose: opt.Verbose} }

// ANSI colours. Only severities, verdicts and the run's result are coloured:
// they are what the eye looks for, and colouring file names would break
// editors that parse the lines.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func (t textReporter) Report(w io.Writer, r *result.Result) error {
	if r == nil {
		return errors.New("report: nil result")
	}
	// The report is built in memory and written once, so that a writer
	// error or a table that fails to render never leaves half a report
	// behind, and the output costs one write.
	var b bytes.Buffer
	shown := finding.Distinct(r.Findings)
	for _, f := range shown {
		t.writeFinding(&b, f)
	}
	if len(shown) > 0 {
		b.WriteByte('\n')
	}
	for _, c := range r.Configs {
		if err := t.writeConfig(&b, r, c); err != nil {
			return fmt.Errorf("render figures of %s: %w", clean(c.Path), err)
		}
		b.WriteByte('\n')
	}
	t.writeSummary(&b, r, shown)
	_, err := w.Write(b.Bytes())
	return err
}

// writeFinding prints `file:line:col: severity: message [rule]` and the hint
// on the next line. A finding without a position is placed at its config,
// the file a reader would open, and failing that at "ftgate" itself.
func (t textReporter) writeFinding(b *bytes.Buffer, f finding.Finding) {
	loc := f.Pos.String()
	if loc == "" {
		loc = f.Config
	}
	if loc == "" {
		loc = "ftgate"
	}
	fmt.Fprintf(b, "%s: %s: %s [%s]\n", clean(loc), t.severity(f.Severity), clean(f.Message), clean(f.Rule))
	if f.Hint != "" {
		fmt.Fprintf(b, "    %s\n", clean(f.Hint))
	}
}

// writeConfig prints the heading of one config and the table of its figures.
func (t textReporter) writeConfig(b *bytes.Buffer, r *result.Result, c result.Config) error {
	about := []string{"unknown framework"}
	if c.Framework != "" {
		about[0] = clean(c.Framework)
	}
	if c.Kind == "pretrain" {
		about = append(about, "pretrain")
	}
	switch {
	case c.Record != "":
		about = append(about, "judged by "+clean(c.Record))
	case len(c.Records) > 0:
		about = append(about, "no accepted record")
	default:
		about = append(about, "no covering record")
	}
	fmt.Fprintf(b, "config %s (%s)\n", clean(c.Path), strings.Join(about, ", "))

	rows := figureRows(r.Metrics[c.Path])
	if len(rows) == 0 {
		b.WriteString("    no figures computed\n")
		return nil
	}
	verdicts := ruleVerdicts(r.Findings, c, failOn(r))
	table := tablewriter.NewTable(b,
		// ASCII borders: CI logs, pagers and Windows consoles render them
		// all alike, whatever the locale.
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	table.Header("rule", "figure", "value", "threshold", "verdict")
	for _, row := range rows {
		v := row.verdict(verdicts)
		if err := table.Append([]string{row.Rule, row.Figure, row.Value, row.Threshold, t.verdict(v)}); err != nil {
			return err
		}
	}
	return table.Render()
}

// writeSummary prints the counts and the verdict, then how many files the
// policy excluded, so that an exclusion is never silent; Verbose lists them
// (a repository that excludes a vendored tree would otherwise get a line
// for each of its files).
func (t textReporter) writeSummary(b *bytes.Buffer, r *result.Result, shown []finding.Finding) {
	var errs, warns, notes int
	for _, f := range shown {
		switch f.Severity {
		case finding.Error:
			errs++
		case finding.Warning:
			warns++
		case finding.Notice:
			notes++
		}
	}
	verdict := r.Result
	if verdict == "" {
		// The pipeline sets the verdict; derive it only so that a result
		// built by hand still says something true.
		verdict = result.Pass
		if finding.Count(r.Findings, failOn(r)) > 0 {
			verdict = result.Fail
		}
	}
	fmt.Fprintf(b, "%s judged, %s, %s, %s: %s\n",
		plural(len(r.Configs), "config"), plural(errs, "error"), plural(warns, "warning"), plural(notes, "notice"),
		t.result(verdict))
	if len(r.Excluded) == 0 {
		return
	}
	if !t.verbose {
		fmt.Fprintf(b, "%s excluded by the policy's detect.exclude (-v lists them)\n", plural(len(r.Excluded), "file"))
		return
	}
	for _, e := range r.Excluded {
		fmt.Fprintf(b, "excluded by policy: %s (%s)\n", clean(e.Path), clean(e.Glob))
	}
}

func (t textReporter) severity(s finding.Severity) string {
	switch s {
	case finding.Error:
		return t.paint(ansiBold+ansiRed, s.String())
	case finding.Warning:
		return t.paint(ansiBold+ansiYellow, s.String())
	case finding.Notice:
		return t.paint(ansiBold+ansiCyan, s.String())
	}
	return s.String()
}

func (t textReporter) verdict(v string) string {
	switch v {
	case verdictFail:
		return t.paint(ansiRed, v)
	case "warning":
		return t.paint(ansiYellow, v)
	case "notice":
		return t.paint(ansiCyan, v)
	case verdictOK:
		return t.paint(ansiGreen, v)
	}
	return v
}

func (t textReporter) result(v string) string {
	switch v {
	case result.Pass:
		return t.paint(ansiBold+ansiGreen, v)
	case result.Fail, result.Error:
		return t.paint(ansiBold+ansiRed, v)
	}
	return clean(v)
}

// paint wraps s in an ANSI colour when colour is on. The table measures
// cells without ANSI sequences, so painted verdicts keep columns aligned.
func (t textReporter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

func (t textReporter) writeError(w io.Writer, e ErrorInfo) error {
	return writeTextError(w, e)
}

// writeTextError prints `ftgate: file:line:col: message` on one line, the
// shape of every exit-2 message.
func writeTextError(w io.Writer, e ErrorInfo) error {
	msg := clean(e.Message)
	if pos := e.position().String(); pos != "" {
		msg = clean(pos) + ": " + msg
	}
	_, err := fmt.Fprintf(w, "ftgate: %s\n", msg)
	return err
}
