package report

import (
	"bytes"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ftgate/ftgate/internal/result"
)

// StatsFormats returns the output formats of `ftgate stats`: the
// calculators print figures, not findings, so only text and JSON apply.
func StatsFormats() []string { return []string{"text", "json"} }

// WriteStats prints the one section of m that a calculator computed
// (agreement, prompt ceiling or coverage; the first set, in that order) in
// the named format. Text is the figures table `ftgate check` prints for a
// config, with the verdicts m carries; JSON is the
// section's object of SPEC section 7 with "version": 1 first.
func WriteStats(w io.Writer, format string, m *result.Metrics) error {
	if m == nil {
		return fmt.Errorf("report: no figures")
	}
	switch format {
	case "json":
		return writeJSON(w, statsJSON(m))
	case "text":
		return writeStatsText(w, m)
	}
	return fmt.Errorf("unknown format %q (known formats: text, json)", format)
}

// statsAgreement is the document of `ftgate stats agreement --format json`.
// Unlike the agreement of `check`, it has no interval and no declared
// figure: SPEC section 7 lists its fields, and they are kept to that list.
type statsAgreement struct {
	Version    int      `json:"version"`
	Metric     string   `json:"metric"`
	Level      string   `json:"level,omitempty"`
	Weights    string   `json:"weights,omitempty"`
	Value      *float64 `json:"value"`
	Undefined  *string  `json:"undefined"`
	Units      int      `json:"units"`
	Annotators int      `json:"annotators"`
	Pairable   int      `json:"pairable"`
	// Pairs and Categories are the disagreement breakdown (section 7.2).
	Pairs []statsPair `json:"pairs"`
	// PairsAmong: the pairs are those of this many annotators, the ones
	// with the most labels, when there are too many to pair them all.
	PairsAmong int             `json:"pairs_among,omitempty"`
	Categories []statsCategory `json:"categories"`
}

// The convergence and coverage documents are the objects `check` prints
// under metrics, with the version first: embedding keeps one definition of
// their fields, so the two outputs cannot drift apart.
type statsPromptCeiling struct {
	Version int `json:"version"`
	*result.PromptCeilingDoc
}

type statsCoverage struct {
	Version int `json:"version"`
	*result.CoverageDoc
}

func statsJSON(m *result.Metrics) any {
	out := m.Doc()
	if a := out.Agreement; a != nil {
		pairs, cats := breakdownJSON(m.Agreement)
		return statsAgreement{Version: jsonVersion, Metric: a.Metric, Level: a.Level, Weights: a.Weights,
			Value: a.Value, Undefined: a.Undefined, Units: a.Units, Annotators: a.Annotators, Pairable: a.Pairable,
			Pairs: pairs, PairsAmong: m.Agreement.PairsAmong, Categories: cats}
	}
	if out.PromptCeiling != nil {
		return statsPromptCeiling{Version: jsonVersion, PromptCeilingDoc: out.PromptCeiling}
	}
	if out.Coverage != nil {
		return statsCoverage{Version: jsonVersion, CoverageDoc: out.Coverage}
	}
	return struct {
		Version int `json:"version"`
	}{jsonVersion}
}

// writeStatsText prints the figures table; a row judged against a threshold
// says ok or fail.
func writeStatsText(w io.Writer, m *result.Metrics) error {
	var one result.Metrics
	switch {
	case m.Agreement != nil:
		one.Agreement = m.Agreement
	case m.PromptCeiling != nil:
		one.PromptCeiling = m.PromptCeiling
	case m.Coverage != nil:
		one.Coverage = m.Coverage
	}
	one.Verdicts = m.Verdicts
	var b bytes.Buffer
	table := tablewriter.NewTable(&b,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	table.Header("figure", "value", "threshold", "verdict")
	for _, row := range figureRows(&one) {
		if err := table.Append([]string{row.Figure, row.Value, row.Threshold, row.verdict(nil)}); err != nil {
			return err
		}
	}
	if err := table.Render(); err != nil {
		return err
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	if one.Agreement != nil {
		return writeBreakdownText(w, one.Agreement)
	}
	return nil
}
