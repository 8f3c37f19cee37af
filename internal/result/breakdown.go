package result

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// WeakestPair names the pair of annotators who agree least ("ana–bo"),
// or "" when there is no pair with a figure.
func (a *Agreement) WeakestPair() string {
	if a == nil || len(a.Pairs) == 0 || a.Pairs[0].Value == nil {
		return ""
	}
	return oneLine(a.Pairs[0].A) + "–" + oneLine(a.Pairs[0].B)
}

// MostDisputed names the label most often in a disagreeing pair, quoted
// ("'medium'"), or "" when no pair disagrees.
func (a *Agreement) MostDisputed() string {
	if a == nil || len(a.Categories) == 0 {
		return ""
	}
	c := a.Categories[0]
	if c.Disagreement == nil || *c.Disagreement <= 0 {
		return ""
	}
	return "'" + oneLine(c.Label) + "'"
}

// BreakdownSentence says in one line who disagrees and on what: "weakest
// pair: ana–bo alpha 0.410 over 120 units; most disputed: 'medium' in
// 38.0% of disagreeing pairs". Empty when there is no breakdown.
func (a *Agreement) BreakdownSentence() string {
	var parts []string
	if p := a.WeakestPair(); p != "" {
		units := "1 unit"
		if n := a.Pairs[0].Units; n != 1 {
			units = fmt.Sprintf("%d units", n)
		}
		parts = append(parts, fmt.Sprintf("weakest pair: %s %s %s over %s", p, metricWord(a.Metric), strconv.FormatFloat(*a.Pairs[0].Value, 'f', 3, 64), units))
	}
	if l := a.MostDisputed(); l != "" {
		parts = append(parts, fmt.Sprintf("most disputed: %s in %s of disagreeing pairs", l, strconv.FormatFloat(*a.Categories[0].Disagreement*100, 'f', 1, 64)+"%"))
	}
	return strings.Join(parts, "; ")
}

// metricWord names a metric briefly, as messages do ("alpha 0.71").
func metricWord(m string) string {
	switch m {
	case "krippendorff_alpha", "":
		return "alpha"
	case "cohen_kappa", "fleiss_kappa":
		return "kappa"
	case "scott_pi":
		return "pi"
	}
	return m
}

// oneLine keeps a name taken from a file on one line: one with control
// characters is quoted, so a message cannot be split or forged.
func oneLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
