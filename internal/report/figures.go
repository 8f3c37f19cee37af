package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

// A figureRow is one line of a config's figures table. It is independent of
// the output format so that the text table and a Markdown table (later) show
// the same figures.
type figureRow struct {
	// Rule is the rule whose findings give the row its verdict.
	Rule   string
	Figure string
	Value  string
	// Threshold is the bar the value is held to, from the verdict the
	// result carries; empty for a figure that is reported, not judged.
	Threshold string
	// Meets is the verdict's holds; nil for a figure that is reported, not
	// judged, whose verdict column stays empty. The table never compares
	// a figure with its bar itself: evaluate.Decide did, once.
	Meets *bool
	// Either marks one of several ways a rule can hold (FT202's saving
	// and latency): missing its bar fails nothing by itself.
	Either bool
}

// verdict is the row's verdict: a figure that meets its bar is ok; one that
// does not takes its rule's verdict from the findings (fail, or the
// severity a waiver or another sufficient condition left it at).
func (row figureRow) verdict(rules map[string]string) string {
	switch {
	case row.Meets == nil:
		return ""
	case *row.Meets:
		return verdictOK
	case row.Either:
		return verdictNo
	}
	if v, ok := rules[row.Rule]; ok {
		return v
	}
	return verdictFail
}

func judged(ok bool) *bool { return &ok }

// verdicts indexes a config's verdicts by figure, and the uncovered shares
// by scenario.
type verdicts struct {
	byFigure  map[string]result.Verdict
	uncovered map[string]result.Verdict
}

func indexVerdicts(vs []result.Verdict) verdicts {
	ix := verdicts{byFigure: map[string]result.Verdict{}, uncovered: map[string]result.Verdict{}}
	for _, v := range vs {
		if v.Figure == "uncovered_share" {
			ix.uncovered[v.Subject] = v
		} else {
			ix.byFigure[v.Figure] = v
		}
	}
	return ix
}

// judge fills row's threshold and verdict from v, with the bar printed by
// bar (nil: the threshold stays as the row has it); a figure without a
// verdict stays unjudged.
func (row figureRow) judge(v result.Verdict, ok bool, bar func(float64) string) figureRow {
	if !ok {
		return row
	}
	if bar != nil && v.Bar != nil && v.Op != "" {
		row.Threshold = v.Op + " " + bar(*v.Bar)
	}
	row.Meets = judged(v.Holds)
	return row
}

func (ix verdicts) get(figure string) (result.Verdict, bool) {
	v, ok := ix.byFigure[figure]
	return v, ok
}

func count(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// maxUncovered is how many uncovered scenarios a table lists; the findings
// and the JSON output list them all.
const maxUncovered = 3

// figureRows lists the figures of one record's metrics, rule by rule. Values
// that came from the change (metric names, scenario names, paths) are
// cleaned, so every cell is one line.
func figureRows(m *result.Metrics) []figureRow {
	if m == nil {
		return nil
	}
	var rows []figureRow
	ix := indexVerdicts(m.Verdicts)
	if pc := m.PromptCeiling; pc != nil {
		rows = append(rows, promptRows(pc, ix)...)
	}
	if v, ok := ix.get("quality_gap"); ok {
		digits := numD(apart(v, ok, 3, 1))
		value := "n/a"
		if x, ok := finite(v.Value); ok {
			value = digits(x)
		}
		rows = append(rows, figureRow{Rule: "FT201", Figure: "quality gap (target - best prompt)", Value: value}.judge(v, ok, digits))
	}
	if a := m.Agreement; a != nil {
		rows = append(rows, agreementRows(a, ix)...)
	}
	if d := m.Data; d != nil {
		v := strconv.Itoa(d.Examples)
		if d.TrainingSet != "" {
			v += " in " + clean(d.TrainingSet)
		}
		ex, ok := ix.get("examples")
		rows = append(rows, figureRow{Rule: "FT103", Figure: "training examples", Value: v}.judge(ex, ok, count))
	}
	if c := m.Coverage; c != nil {
		rows = append(rows, coverageRows(c, ix)...)
	}
	if c := m.Cost; c != nil {
		payback := "never"
		if v, ok := finite(c.PaybackMonths); ok {
			payback = fmt.Sprintf("%.1f months", v)
			if v > 0 && v < 0.05 {
				payback = "<0.1 months"
			}
		}
		if v, ok := ix.get("calls_per_day"); ok {
			rows = append(rows, figureRow{Rule: "FT202", Figure: "calls per day", Value: count(*v.Value)}.judge(v, ok, count))
		}
		saving, ok := ix.get("saving")
		rows = append(rows, figureRow{Rule: "FT202", Figure: "monthly saving", Value: usd(c.MonthlySavingUSD), Either: true}.judge(saving, ok,
			func(b float64) string { return usd(&b) + " (maintenance)" }))
		if v, ok := ix.get("p95_latency"); ok {
			rows = append(rows, figureRow{Rule: "FT202", Figure: "p95 latency", Value: count(*v.Value) + " ms", Either: true}.judge(v, ok,
				func(b float64) string { return count(b) + " ms (budget)" }))
		}
		holds, ok := ix.get("latency_cost")
		rows = append(rows,
			figureRow{Rule: "FT202", Figure: "payback", Value: payback},
			figureRow{Rule: "FT202", Figure: "latency/cost case holds", Value: yesNo(c.Holds)}.judge(holds, ok, nil),
		)
	}
	return rows
}

func promptRows(pc *result.PromptCeiling, ix verdicts) []figureRow {
	best := "best prompt score"
	if pc.Metric != "" {
		best += " (" + clean(pc.Metric) + ")"
	}
	bestValue := "n/a"
	if v, ok := finite(pc.BestScore); ok {
		bestValue = num3(v)
		if pc.BestIteration != nil {
			bestValue += fmt.Sprintf(" at iteration %d", *pc.BestIteration)
		}
		if pc.N != nil {
			bestValue += fmt.Sprintf(", n %d", *pc.N)
		}
	}

	gainV, okG := ix.get("gain")
	digits := numD(apart(gainV, okG, 3, 1))
	gain := "n/a"
	if v, ok := finite(pc.Gain); ok {
		gain = digits(v)
	} else if pc.Iterations <= pc.Window {
		// SPEC 1.1: with k <= window there is nothing to compare against.
		gain = fmt.Sprintf("n/a (needs more than %d iterations)", pc.Window)
	}
	// Converged needs gain <= max(epsilon, noise). The threshold names the
	// side that sets the bar.
	gainBar := func(b float64) string {
		if b == pc.Epsilon {
			return digits(b) + " (epsilon)"
		}
		return digits(b) + " (noise floor)"
	}
	noise := "n/a"
	if !math.IsNaN(pc.Noise) && !math.IsInf(pc.Noise, 0) {
		noise = num3(pc.Noise)
	}

	techniques := "none"
	if len(pc.Techniques) > 0 {
		techniques = cleanJoin(pc.Techniques)
	}
	var missing string
	if len(pc.MissingTechniques) > 0 {
		missing = "needs " + cleanJoin(pc.MissingTechniques)
	}

	iterations, okI := ix.get("iterations")
	tried, okT := ix.get("techniques")
	converged, okC := ix.get("converged")
	rows := []figureRow{
		figureRow{Rule: "FT101", Figure: "prompt iterations", Value: strconv.Itoa(pc.Iterations)}.judge(iterations, okI, count),
		{Rule: "FT101", Figure: best, Value: bestValue},
		{Rule: "FT101", Figure: "noise floor (1 s.e.)", Value: noise},
		figureRow{Rule: "FT101", Figure: fmt.Sprintf("gain over last %d iterations", pc.Window), Value: gain}.judge(gainV, okG, gainBar),
		figureRow{Rule: "FT101", Figure: "techniques tried", Value: techniques, Threshold: missing}.judge(tried, okT, nil),
		figureRow{Rule: "FT101", Figure: "converged", Value: yesNo(pc.Converged)}.judge(converged, okC, nil),
	}
	if pc.NewestDate != "" {
		// The age of the newest eval is what FT008 judges.
		rows = append(rows, figureRow{Rule: "FT008", Figure: "newest prompt eval", Value: clean(pc.NewestDate)})
	}
	return rows
}

func agreementRows(a *result.Agreement, ix verdicts) []figureRow {
	var params []string
	for _, p := range []string{a.Metric, a.Level} {
		if p != "" {
			params = append(params, clean(p))
		}
	}
	if a.Weights != "" {
		params = append(params, clean(a.Weights)+" weights")
	}
	label := "agreement"
	if len(params) > 0 {
		label += " (" + strings.Join(params, ", ") + ")"
	}
	agreement, ok := ix.get("agreement")
	digits := numD(apart(agreement, ok, 3, 1))
	value := "n/a"
	if v, ok := finite(a.Value); ok {
		value = digits(v)
	} else if a.Undefined != "" {
		value = "undefined (" + clean(a.Undefined) + ")"
	}
	rows := []figureRow{figureRow{Rule: "FT102", Figure: label, Value: value}.judge(agreement, ok, digits)}
	lo, okLo := finite(a.CILow)
	hi, okHi := finite(a.CIHigh)
	if okLo && okHi {
		rows = append(rows, figureRow{Rule: "FT102", Figure: "95% bootstrap interval", Value: fmt.Sprintf("[%s, %s]", num3(lo), num3(hi))})
	}
	units, ok := ix.get("units")
	rows = append(rows, figureRow{
		Rule:   "FT102",
		Figure: "units with 2+ labels",
		Value:  fmt.Sprintf("%d (%s, %s)", a.Units, plural(a.Annotators, "annotator"), plural(a.Pairable, "pairable value")),
	}.judge(units, ok, count))
	if v, ok := finite(a.Declared); ok {
		// A declared figure is FT006's business, not FT102's.
		declared, ok := ix.get("declared")
		rows = append(rows, figureRow{Rule: "FT006", Figure: "declared agreement", Value: num3(v)}.judge(declared, ok,
			func(b float64) string { return num3(b) + " from computed" }))
	}
	return rows
}

func coverageRows(c *result.Coverage, ix verdicts) []figureRow {
	coverage, ok := ix.get("coverage")
	pct := percentD(apart(coverage, ok, 1, 100))
	cov := "n/a"
	if v, ok := finite(c.Coverage); ok {
		cov = pct(v)
	}
	cov += fmt.Sprintf(" (%d of %s covered)", c.Covered, plural(c.Scenarios, "scenario"))
	rows := []figureRow{figureRow{Rule: "FT104", Figure: "production coverage", Value: cov}.judge(coverage, ok, pct)}
	if len(c.Uncovered) == 0 {
		rows = append(rows, figureRow{Rule: "FT104", Figure: "uncovered scenarios", Value: "none"})
	}
	// One row per scenario keeps the table narrow; the list is cut after a
	// few, as the findings and the JSON output carry it whole.
	for i, u := range c.Uncovered {
		if i == maxUncovered {
			rows = append(rows, figureRow{Rule: "FT104", Figure: "uncovered scenario", Value: fmt.Sprintf("and %d more", len(c.Uncovered)-i)})
			break
		}
		share, ok := ix.uncovered[u.Scenario]
		pct := percentD(apart(share, ok, 1, 100))
		rows = append(rows, figureRow{
			Rule:   "FT104",
			Figure: "uncovered scenario",
			Value: fmt.Sprintf("%s: %s of traffic, %s examples",
				clean(u.Scenario), pct(u.Share), strconv.FormatFloat(u.Examples, 'f', -1, 64)),
		}.judge(share, ok, func(b float64) string { return pct(b) + " of traffic" }))
	}
	if v, ok := finite(c.TVD); ok {
		rows = append(rows, figureRow{Rule: "FT104", Figure: "total-variation distance", Value: num3(v)})
	}
	return rows
}

// Verdict words of the figures table.
const (
	verdictOK   = "ok"
	verdictFail = "fail"
	verdictNo   = "no"
)

// ruleVerdicts returns, for each rule, the verdict of the findings that
// concern config c: "fail" when one is at or above failOn, else the severity
// of the most severe ("warning", or "notice" for a waived or outweighed
// check). Rules without findings are absent: their verdict is "ok".
func ruleVerdicts(fs []finding.Finding, c result.Config, failOn finding.Severity) map[string]string {
	worst := map[string]finding.Severity{}
	for _, f := range fs {
		if concerns(f, c) && f.Severity > worst[f.Rule] {
			worst[f.Rule] = f.Severity
		}
	}
	verdicts := make(map[string]string, len(worst))
	for rule, sev := range worst {
		if sev >= failOn {
			verdicts[rule] = verdictFail
		} else {
			verdicts[rule] = sev.String()
		}
	}
	return verdicts
}

// concerns reports whether f is about config c: it names c, or it names no
// config but the record that judged c (a finding about the record itself).
func concerns(f finding.Finding, c result.Config) bool {
	if f.Config != "" {
		return f.Config == c.Path
	}
	return c.Record != "" && f.Record == c.Record
}

// failOn is the severity at which r fails, defaulting to errors as
// --fail-on does.
func failOn(r *result.Result) finding.Severity {
	if r.FailOn == 0 {
		return finding.Error
	}
	return r.FailOn
}

// finite returns *p when p points at a number that is neither NaN nor
// infinite: figures that do not exist are shown as "n/a", never as NaN.
func finite(p *float64) (float64, bool) {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return 0, false
	}
	return *p, true
}

// apart is the number of decimals, from min up to 9, at which a figure that
// misses its bar prints differently from it (scale 100 for percentages), so
// that a row never reads "0.010 <= 0.010 fail"; min for a verdict that holds.
func apart(v result.Verdict, ok bool, min int, scale float64) int {
	if !ok || v.Holds || v.Value == nil || v.Bar == nil {
		return min
	}
	for d := min; d < 9; d++ {
		if strconv.FormatFloat(*v.Value*scale, 'f', d, 64) != strconv.FormatFloat(*v.Bar*scale, 'f', d, 64) {
			return d
		}
	}
	return 9
}

// numD prints v with d decimals.
func numD(d int) func(float64) string {
	return func(v float64) string { return strconv.FormatFloat(v, 'f', d, 64) }
}

// percentD is percent with d decimals.
func percentD(d int) func(float64) string {
	return func(v float64) string {
		if d == 1 {
			return percent(v)
		}
		return strconv.FormatFloat(v*100, 'f', d, 64) + "%"
	}
}

// num3 prints a score-like figure with the three decimals thresholds use
// (alpha 0.800, epsilon 0.010).
func num3(v float64) string {
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// percent prints a share in [0,1] as a percentage. A share too small for one
// decimal but not zero is "<0.1%", so that no uncovered scenario looks empty.
func percent(v float64) string {
	if v > 0 && v < 0.0005 {
		return "<0.1%"
	}
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

// usd prints a monthly amount in whole dollars with thousands separators.
func usd(p *float64) string {
	v, ok := finite(p)
	if !ok {
		return "n/a"
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	digits := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + "$" + b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// plural prints a count and a noun, with an s unless the count is one.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func cleanJoin(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return strings.Join(out, ", ")
}
