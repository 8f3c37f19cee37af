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
		among := ""
		if a.PairsAmong > 0 {
			among = fmt.Sprintf("; pairs of the %d annotators with the most labels, of %d", a.PairsAmong, a.Annotators)
		}
		fmt.Fprintf(&b, "weakest pairs (%s on the units both labelled%s):\n", a.Metric, among)
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
