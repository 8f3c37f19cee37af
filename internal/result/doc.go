package result

import "math"

// MetricsDoc is the metrics object of SPEC section 7 for one record: what
// `check --format json` prints under metrics and what the policy reads as
// input.metrics. It holds one record's figures; a section that was not computed
// is omitted.
type MetricsDoc struct {
	PromptCeiling *PromptCeilingDoc `json:"prompt_ceiling,omitempty"`
	Agreement     *AgreementDoc     `json:"agreement,omitempty"`
	Coverage      *CoverageDoc      `json:"coverage,omitempty"`
	Data          *DataDoc          `json:"data,omitempty"`
	Cost          *CostDoc          `json:"cost,omitempty"`
	// Verdicts are the figures held to their bars: what the policy's
	// rules read and what the figures table shows.
	Verdicts []VerdictDoc `json:"verdicts,omitempty"`
}

// VerdictDoc is one figure held to its bar.
type VerdictDoc struct {
	Rule    string   `json:"rule"`
	Figure  string   `json:"figure"`
	Subject string   `json:"subject,omitempty"`
	Value   *float64 `json:"value"`
	Op      string   `json:"op,omitempty"`
	Bar     *float64 `json:"bar"`
	Holds   bool     `json:"holds"`
}

// In the sections below every float is a pointer: a figure that does not
// exist, or is NaN or infinite (which JSON cannot carry), is null.

// PromptCeilingDoc is FT101's figures.
type PromptCeilingDoc struct {
	Metric            string   `json:"metric,omitempty"`
	Iterations        int      `json:"iterations"`
	BestScore         *float64 `json:"best_score"`
	BestIteration     *int     `json:"best_iteration"`
	N                 *int     `json:"n"`
	Noise             *float64 `json:"noise"`
	Window            int      `json:"window"`
	Gain              *float64 `json:"gain"`
	Epsilon           *float64 `json:"epsilon"`
	Converged         bool     `json:"converged"`
	Techniques        []string `json:"techniques"`
	MissingTechniques []string `json:"missing_techniques"`
	NewestDate        string   `json:"newest_date,omitempty"`
}

// AgreementDoc is FT102's figures.
type AgreementDoc struct {
	Metric string `json:"metric,omitempty"`
	Level  string `json:"level,omitempty"`
	// Weights applies to Cohen's kappa, Scott's pi and Gwet's AC2.
	Weights string   `json:"weights,omitempty"`
	Value   *float64 `json:"value"`
	// Undefined is null when Value is a number, else the reason it is not.
	Undefined  *string  `json:"undefined"`
	Units      int      `json:"units"`
	Annotators int      `json:"annotators"`
	Pairable   int      `json:"pairable"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	Declared   *float64 `json:"declared"`
	// Breakdown says who disagrees and on what ("weakest pair: …; most
	// disputed: …"); WeakestPair and MostDisputed name them for a hint.
	Breakdown    string `json:"breakdown,omitempty"`
	WeakestPair  string `json:"weakest_pair,omitempty"`
	MostDisputed string `json:"most_disputed,omitempty"`
}

// CoverageDoc is FT104's figures.
type CoverageDoc struct {
	Coverage  *float64       `json:"coverage"`
	TVD       *float64       `json:"tvd"`
	Scenarios int            `json:"scenarios"`
	Covered   int            `json:"covered"`
	Uncovered []UncoveredDoc `json:"uncovered"`
}

// UncoveredDoc is one uncovered scenario.
type UncoveredDoc struct {
	Scenario string   `json:"scenario"`
	Share    *float64 `json:"share"`
	Examples *float64 `json:"examples"`
}

// DataDoc is FT103's figures.
type DataDoc struct {
	TrainingSet string `json:"training_set,omitempty"`
	Examples    int    `json:"examples"`
}

// CostDoc is FT202's figures.
type CostDoc struct {
	MonthlySavingUSD *float64 `json:"monthly_saving_usd"`
	PaybackMonths    *float64 `json:"payback_months"`
	Holds            bool     `json:"holds"`
}

// Doc renders m as the SPEC section 7 metrics object.
func (m *Metrics) Doc() MetricsDoc {
	var out MetricsDoc
	if pc := m.PromptCeiling; pc != nil {
		out.PromptCeiling = &PromptCeilingDoc{
			Metric:            pc.Metric,
			Iterations:        pc.Iterations,
			BestScore:         numPtr(pc.BestScore),
			BestIteration:     pc.BestIteration,
			N:                 pc.N,
			Noise:             num(pc.Noise),
			Window:            pc.Window,
			Gain:              numPtr(pc.Gain),
			Epsilon:           num(pc.Epsilon),
			Converged:         pc.Converged,
			Techniques:        list(pc.Techniques),
			MissingTechniques: list(pc.MissingTechniques),
			NewestDate:        pc.NewestDate,
		}
	}
	if a := m.Agreement; a != nil {
		var undefined *string
		if a.Undefined != "" {
			undefined = &a.Undefined
		}
		out.Agreement = &AgreementDoc{
			Metric:       a.Metric,
			Level:        a.Level,
			Weights:      a.Weights,
			Value:        numPtr(a.Value),
			Undefined:    undefined,
			Units:        a.Units,
			Annotators:   a.Annotators,
			Pairable:     a.Pairable,
			CILow:        numPtr(a.CILow),
			CIHigh:       numPtr(a.CIHigh),
			Declared:     numPtr(a.Declared),
			Breakdown:    a.BreakdownSentence(),
			WeakestPair:  a.WeakestPair(),
			MostDisputed: a.MostDisputed(),
		}
	}
	if c := m.Coverage; c != nil {
		unc := make([]UncoveredDoc, 0, len(c.Uncovered))
		for _, u := range c.Uncovered {
			unc = append(unc, UncoveredDoc{Scenario: u.Scenario, Share: num(u.Share), Examples: num(u.Examples)})
		}
		out.Coverage = &CoverageDoc{
			Coverage:  numPtr(c.Coverage),
			TVD:       numPtr(c.TVD),
			Scenarios: c.Scenarios,
			Covered:   c.Covered,
			Uncovered: unc,
		}
	}
	if d := m.Data; d != nil {
		out.Data = &DataDoc{TrainingSet: d.TrainingSet, Examples: d.Examples}
	}
	if c := m.Cost; c != nil {
		out.Cost = &CostDoc{
			MonthlySavingUSD: numPtr(c.MonthlySavingUSD),
			PaybackMonths:    numPtr(c.PaybackMonths),
			Holds:            c.Holds,
		}
	}
	for _, v := range m.Verdicts {
		out.Verdicts = append(out.Verdicts, VerdictDoc{Rule: v.Rule, Figure: v.Figure, Subject: v.Subject,
			Value: numPtr(v.Value), Op: v.Op, Bar: numPtr(v.Bar), Holds: v.Holds})
	}
	return out
}

// num returns a pointer to v, or nil when v is NaN or infinite.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// numPtr is num for a figure that may be absent.
func numPtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	return num(*p)
}

// list returns ss, or an empty list when ss is nil, so that JSON shows []
// rather than null for a list with nothing in it.
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
