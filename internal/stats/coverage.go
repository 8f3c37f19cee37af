package stats

import (
	"cmp"
	"math"
	"slices"

	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/result"
)

// CoverageOptions are what FT104's figures depend on. Whether coverage holds
// is not decided here: evaluate.Decide holds the figures to the policy's
// bars, once.
type CoverageOptions struct {
	MinExamplesPerScenario float64 // training examples that make a scenario covered
}

// ComputeCoverage computes FT104's figures (SPEC 1.1): a production scenario
// is covered when training holds at least MinExamplesPerScenario examples of
// it; coverage is the production share of the covered scenarios; the
// uncovered scenarios are listed by share. The total-variation distance
// 0.5·Σ|p_i − q_i| over the union of scenarios, each side normalised by its
// total, is reported only (nil when a side sums to 0).
//
// With no production traffic there is nothing to cover and nothing proven:
// Coverage is nil.
func ComputeCoverage(production, training *evidence.Scenarios, opt CoverageOptions) (cov result.Coverage) {
	cov.Uncovered = []result.Uncovered{}
	var prod, train []evidence.ScenarioCount
	if production != nil {
		prod = production.Counts
	}
	if training != nil {
		train = training.Counts
	}
	// Repeated scenarios are summed (evidence already does; a repeat must
	// still count once), and every sum runs in first-appearance order, not
	// map order, so the figures are identical bit for bit on every run.
	trainNames, examples, trainTotal := tally(train)
	prodNames, traffic, prodTotal := tally(prod)
	cov.Scenarios = len(prodNames)

	if prodTotal > 0 && trainTotal > 0 {
		var sum float64
		for _, name := range prodNames {
			sum += math.Abs(traffic[name]/prodTotal - examples[name]/trainTotal)
		}
		for _, name := range trainNames {
			if _, ok := traffic[name]; !ok {
				sum += examples[name] / trainTotal
			}
		}
		tvd := sum / 2
		cov.TVD = &tvd
	}
	if prodTotal <= 0 {
		return cov
	}

	var covered float64
	for _, name := range prodNames {
		if examples[name] >= opt.MinExamplesPerScenario {
			cov.Covered++
			covered += traffic[name]
			continue
		}
		share := traffic[name] / prodTotal
		cov.Uncovered = append(cov.Uncovered, result.Uncovered{Scenario: name, Share: share, Examples: examples[name]})
	}
	slices.SortFunc(cov.Uncovered, func(a, b result.Uncovered) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.Scenario, b.Scenario))
	})
	share := covered / prodTotal
	cov.Coverage = &share
	return cov
}

// tally sums counts per scenario, returning the names in first-appearance
// order, the sums and the total.
func tally(counts []evidence.ScenarioCount) (names []string, sum map[string]float64, total float64) {
	sum = make(map[string]float64, len(counts))
	for _, s := range counts {
		if _, ok := sum[s.Scenario]; !ok {
			names = append(names, s.Scenario)
		}
		sum[s.Scenario] += s.Count
		total += s.Count
	}
	return names, sum, total
}
