package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

// MaxSummaryBytes keeps a markdown report under GitHub's 1 MiB limit on a
// step's job summary, with room for whatever else the job appends.
const MaxSummaryBytes = 1<<20 - 4<<10

// markdownReporter renders GitHub-flavoured Markdown for the job summary and
// the pull-request comment: a verdict line, a table of the configs, every
// finding, then each config's figures and a Mermaid chart of its eval
// history.
//
// Text from the change (paths, messages quoting record values) must stay
// inert: paths go into code spans, and other text has Markdown punctuation
// escaped, "@" broken by a zero-width space (no mentions of people or
// teams) and "://" and "www." broken likewise (no links, no images).
type markdownReporter struct {
	limit int
}

func newMarkdown(Options) Reporter { return markdownReporter{limit: MaxSummaryBytes} }

// NewMarkdown returns the markdown reporter with its output held under
// limit bytes: findings beyond it are counted, not listed, and config
// sections that do not fit are left out with a note. The pull-request
// comment uses it with GitHub's 65,536-character limit on a comment.
func NewMarkdown(limit int) Reporter { return markdownReporter{limit: limit} }

func (m markdownReporter) Report(w io.Writer, r *result.Result) error {
	if r == nil {
		return errors.New("report: nil result")
	}
	b := &budget{limit: m.limit}
	shown := finding.Distinct(r.Findings)
	fo := failOn(r)
	verdict := r.Result
	if verdict == "" {
		verdict = result.Pass
		if finding.Count(r.Findings, fo) > 0 {
			verdict = result.Fail
		}
	}
	icon := "✅"
	if verdict != result.Pass {
		icon = "❌"
	}
	var errs, warns, notes int
	for _, f := range shown {
		switch f.Severity {
		case finding.Error:
			errs++
		case finding.Warning:
			warns++
		default:
			notes++
		}
	}
	b.add(fmt.Sprintf("### %s ftgate: %s\n\n%s judged · %s · %s · %s · fails on %s\n\n", icon, mdText(verdict),
		plural(len(r.Configs), "config"), plural(errs, "error"), plural(warns, "warning"), plural(notes, "notice"), fo))

	if len(r.Configs) > 0 {
		var t strings.Builder
		t.WriteString("| Config | Framework | Judged by | Verdict |\n|---|---|---|---|\n")
		for _, c := range r.Configs {
			rec := "no record"
			if c.Record != "" {
				rec = codeSpan(c.Record)
			}
			fw := mdText(c.Framework)
			if c.Kind == "pretrain" {
				fw += " (pretraining)"
			}
			fmt.Fprintf(&t, "| %s | %s | %s | %s |\n", codeSpan(c.Path), fw, rec, configVerdict(r.Findings, c, fo))
		}
		t.WriteString("\n")
		b.add(t.String())
	}

	// The closing notes are reserved first so that they always fit.
	var tail strings.Builder
	for _, e := range r.Excluded {
		fmt.Fprintf(&tail, "Excluded by policy: %s (%s)\n\n", codeSpan(e.Path), codeSpan(e.Glob))
	}
	const reserve = 512
	b.reserve(tail.Len() + reserve)

	if len(shown) > 0 {
		b.add("#### Findings\n\n| Severity | Rule | Where | Message |\n|---|---|---|---|\n")
		for i, f := range shown {
			if !b.add(findingRow(f)) {
				b.unreserve(reserve)
				b.add(fmt.Sprintf("\n%s more not shown here: see the job summary or the SARIF report.\n", plural(len(shown)-i, "finding")))
				b.reserve(reserve)
				break
			}
		}
		b.add("\n")
	}
	for i, c := range r.Configs {
		if !b.add(configSection(r, c, fo)) {
			b.unreserve(reserve)
			b.add(fmt.Sprintf("The figures of %s more not shown: run `ftgate check --format text` to see them.\n\n", plural(len(r.Configs)-i, "config")))
			b.reserve(reserve)
			break
		}
	}
	b.unreserve(tail.Len() + reserve)
	b.add(tail.String())
	_, err := io.WriteString(w, b.String())
	return err
}

// budget is a builder that refuses a piece that would take it over limit.
type budget struct {
	strings.Builder
	limit, reserved int
}

func (b *budget) add(s string) bool {
	if b.limit > 0 && b.Len()+len(s)+b.reserved > b.limit {
		return false
	}
	b.WriteString(s)
	return true
}

func (b *budget) reserve(n int)   { b.reserved += n }
func (b *budget) unreserve(n int) { b.reserved -= n }

func configVerdict(fs []finding.Finding, c result.Config, fo finding.Severity) string {
	if c.Record == "" && c.Kind != "pretrain" {
		return "❌ fail"
	}
	worst := finding.Severity(0)
	for _, f := range fs {
		if concerns(f, c) && f.Severity > worst {
			worst = f.Severity
		}
	}
	switch {
	case worst >= fo:
		return "❌ fail"
	case worst > 0:
		return "✅ pass (" + worst.String() + "s)"
	}
	return "✅ pass"
}

func findingRow(f finding.Finding) string {
	where := f.Pos.String()
	if where == "" {
		where = f.Config
	}
	whereCell := ""
	if where != "" {
		whereCell = codeSpan(where)
	}
	msg := mdText(f.Message)
	if f.Hint != "" {
		msg += "<br>_" + mdText(f.Hint) + "_"
	}
	return fmt.Sprintf("| %s | %s | %s | %s |\n", f.Severity, mdText(f.Rule), whereCell, msg)
}

func configSection(r *result.Result, c result.Config, fo finding.Severity) string {
	var s strings.Builder
	fmt.Fprintf(&s, "#### %s\n\n", codeSpan(c.Path))
	about := mdText(c.Framework)
	if about == "" {
		about = "unknown framework"
	}
	if c.Record != "" {
		about += ", judged by " + codeSpan(c.Record)
	} else if c.Kind != "pretrain" {
		about += ", covered by no accepted record"
	}
	s.WriteString(about + "\n\n")
	m := r.Metrics[c.Path]
	rows := figureRows(m)
	if len(rows) > 0 {
		verdicts := ruleVerdicts(r.Findings, c, fo)
		s.WriteString("| Rule | Figure | Value | Threshold | Verdict |\n|---|---|---|---|---|\n")
		for _, row := range rows {
			// figureRows has cleaned the values; mdText makes them inert.
			fmt.Fprintf(&s, "| %s | %s | %s | %s | %s |\n", row.Rule, mdText(row.Figure), mdText(row.Value),
				mdText(row.Threshold), row.verdict(verdicts))
		}
		s.WriteString("\n")
	}
	if m != nil && m.PromptCeiling != nil && len(m.PromptCeiling.Scores) > 0 {
		s.WriteString(evalChart(m.PromptCeiling))
	}
	return s.String()
}

// maxChartPoints keeps a long history readable; the newest points matter
// for convergence.
const maxChartPoints = 100

// evalChart is a Mermaid line chart of the prompt eval history: the score of
// each iteration, which shows at a glance whether prompting has flattened.
func evalChart(pc *result.PromptCeiling) string {
	pts := pc.Scores
	if len(pts) > maxChartPoints {
		pts = pts[len(pts)-maxChartPoints:]
	}
	lo, hi := 1.0, 0.0
	var xs, ys []string
	for _, p := range pts {
		if math.IsNaN(p.Score) || math.IsInf(p.Score, 0) {
			continue
		}
		lo, hi = math.Min(lo, p.Score), math.Max(hi, p.Score)
		xs = append(xs, strconv.Itoa(p.Iteration))
		ys = append(ys, strconv.FormatFloat(p.Score, 'f', 3, 64))
	}
	if len(xs) == 0 {
		return ""
	}
	lo = math.Max(0, math.Floor(lo*10-0.5)/10)
	hi = math.Min(1, math.Ceil(hi*10+0.5)/10)
	metric := chartLabel(pc.Metric)
	if metric == "" {
		metric = "score"
	}
	return fmt.Sprintf("```mermaid\nxychart-beta\n    title \"Prompt eval history (%s)\"\n    x-axis \"iteration\" [%s]\n    y-axis \"%s\" %s --> %s\n    line [%s]\n```\n\n",
		metric, strings.Join(xs, ", "), metric, strconv.FormatFloat(lo, 'f', 1, 64), strconv.FormatFloat(hi, 'f', 1, 64), strings.Join(ys, ", "))
}

// chartLabel keeps the letters, digits, spaces, "_" and "-" of a metric
// name: inside a Mermaid string a quote or bracket would end it.
func chartLabel(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_', r == '-', r == ' ':
			return r
		}
		return -1
	}, s)
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.TrimSpace(s)
}

// zwsp breaks a mention or a link without changing what a reader sees.
const zwsp = "&#8203;"

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"|", `\|`, "~", `\~`, "!", `\!`, "#", `\#`, "&", "&amp;", "$", `\$`,
	"@", "@"+zwsp, "://", ":"+zwsp+"//", "www.", "www"+zwsp+".", "WWW.", "WWW"+zwsp+".",
)

// mdText makes untrusted text inert in Markdown, on one line.
func mdText(s string) string {
	return mdEscaper.Replace(clean(s))
}

// codeSpan puts untrusted text, such as a path, in a code span, where
// Markdown, mentions and links do not apply. The fence is one backtick longer
// than the longest run inside, and "|" is escaped, which GitHub's tables
// require even inside code.
func codeSpan(s string) string {
	s = strings.ReplaceAll(clean(s), "|", `\|`)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
