package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ftgate/ftgate/internal/result"
)

// breakdownShown is how many pairs and labels the text lists: the weakest
// and the most disputed, where relabelling pays first.
const breakdownShown = 3

// statsPair and statsCategory are the breakdown in `ftgate stats agreement
// --format json` (SPEC section 7.2).
type statsPair struct {
	A         string   `json:"a"`
	B         string   `json:"b"`
	Value     *float64 `json:"value"`
	Undefined *string  `json:"undefined"`
	Units     int      `json:"units"`
}

type statsCategory struct {
	Label        string   `json:"label"`
	Share        *float64 `json:"share"`
	Disagreement *float64 `json:"disagreement"`
}

func breakdownJSON(a *result.Agreement) ([]statsPair, []statsCategory) {
	pairs := make([]statsPair, 0, len(a.Pairs))
	for _, p := range a.Pairs {
		sp := statsPair{A: p.A, B: p.B, Units: p.Units}
		if v, ok := finite(p.Value); ok {
			sp.Value = &v
		} else {
			u := p.Undefined
			sp.Undefined = &u
		}
		pairs = append(pairs, sp)
	}
	cats := make([]statsCategory, 0, len(a.Categories))
	for _, c := range a.Categories {
		share := c.Share
		sc := statsCategory{Label: c.Label, Share: &share}
		if v, ok := finite(c.Disagreement); ok {
			sc.Disagreement = &v
		}
		cats = append(cats, sc)
	}
	return pairs, cats
}

// writeBreakdownText lists the weakest pairs and the most disputed labels
// under the figures table.
func writeBreakdownText(w io.Writer, a *result.Agreement) error {
	var b strings.Builder
	if len(a.Pairs) > 0 {
		fmt.Fprintf(&b, "weakest pairs (%s on the units both labelled):\n", a.Metric)
		for i, p := range a.Pairs {
			if i == breakdownShown {
				fmt.Fprintf(&b, "  … %s not shown\n", plural(len(a.Pairs)-i, "more pair"))
				break
			}
			fmt.Fprintf(&b, "  %s–%s  %s over %s\n", clean(p.A), clean(p.B), pairValue(p), plural(p.Units, "unit"))
		}
	}
	disputed := 0
	for _, c := range a.Categories {
		if c.Disagreement != nil && *c.Disagreement > 0 {
			disputed++
		}
	}
	if disputed > 0 {
		b.WriteString("most disputed labels (share of disagreeing pairs, share of labels):\n")
		for i, c := range a.Categories[:disputed] {
			if i == breakdownShown {
				fmt.Fprintf(&b, "  … %s not shown\n", plural(disputed-i, "more label"))
				break
			}
			fmt.Fprintf(&b, "  %s  %s of disagreeing pairs, %s of labels\n", quoteLabel(c.Label), percent(*c.Disagreement), percent(c.Share))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func pairValue(p result.PairAgreement) string {
	if v, ok := finite(p.Value); ok {
		return num3(v)
	}
	return "undefined (" + p.Undefined + ")"
}

func quoteLabel(l string) string { return "'" + clean(l) + "'" }

// BreakdownSentence says in one line who disagrees and on what, for a
// failed agreement bar: "weakest pair: @ana–@bo alpha 0.410 over 120
// units; most disputed: 'medium' in 38.0% of disagreeing pairs". Empty
// when the figures hold no breakdown.
func BreakdownSentence(a *result.Agreement) string {
	if a == nil {
		return ""
	}
	var parts []string
	if len(a.Pairs) > 0 {
		p := a.Pairs[0]
		parts = append(parts, fmt.Sprintf("weakest pair: %s–%s %s %s over %s", clean(p.A), clean(p.B), metricWord(a.Metric), pairValue(p), plural(p.Units, "unit")))
	}
	if len(a.Categories) > 0 {
		if c := a.Categories[0]; c.Disagreement != nil && *c.Disagreement > 0 {
			parts = append(parts, fmt.Sprintf("most disputed: %s in %s of disagreeing pairs", quoteLabel(c.Label), percent(*c.Disagreement)))
		}
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
