package evaluate

import (
	"math"

	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/result"
)

// Tolerance is how near a figure may come to its bar and count as at it:
// two numbers within Tolerance × max(1, |a|, |b|) of each other are equal
// when compared with a bar. Figures are float64 sums and differences of
// decimals the user wrote, so 0.81 − 0.80 is 0.010000000000000009; a gain
// of exactly epsilon, as the user reads it, must meet "gain ≤ epsilon".
// The relative part keeps dollar figures in the millions just as exact.
const Tolerance = 1e-9

// Comparison operators of a Verdict.
const (
	opAtLeast = ">="
	opAtMost  = "<="
	opAbove   = ">"
)

// near reports whether a and b are equal at a bar.
func near(a, b float64) bool {
	return math.Abs(a-b) <= Tolerance*max(1, math.Abs(a), math.Abs(b))
}

// compare applies op with the tolerance: at the bar, >= and <= hold and >
// does not.
func compare(v float64, op string, bar float64) bool {
	if math.IsNaN(v) || math.IsNaN(bar) {
		return false
	}
	switch op {
	case opAtLeast:
		return v >= bar || near(v, bar)
	case opAtMost:
		return v <= bar || near(v, bar)
	case opAbove:
		return v > bar && !near(v, bar)
	}
	return false
}

// Decide holds every thresholded figure of m to its bar in th, once: it
// sets m.Verdicts, the prompt ceiling's Converged and the cost case's Holds.
// The policy's rules read these verdicts (input.metrics.verdicts) rather
// than compare numbers themselves, and every report renders them, so no
// output can judge a figure differently. r supplies the sufficient
// conditions' claims (FT201's target, FT202's volume, latency and
// maintenance cost); nil when there is no record (`ftgate stats`).
//
// The sections of m that Decide changes are copied first: a record's
// figures are shared by every config it judges, and each config may be held
// to other thresholds.
func Decide(m *result.Metrics, th Thresholds, r *record.Record) {
	var vs []result.Verdict
	add := func(rule, figure string, value *float64, op string, bar float64) bool {
		b := bar
		v := result.Verdict{Rule: rule, Figure: figure, Value: value, Op: op, Bar: &b}
		v.Holds = value != nil && compare(*value, op, bar)
		vs = append(vs, v)
		return v.Holds
	}
	all := func(rule, figure string, holds bool) {
		vs = append(vs, result.Verdict{Rule: rule, Figure: figure, Holds: holds})
	}
	f := func(x float64) *float64 { return &x }

	if m.PromptCeiling != nil {
		pc := *m.PromptCeiling
		enough := add("FT101", "iterations", f(float64(pc.Iterations)), opAtLeast, float64(th.PromptCeiling.MinIterations))
		// A noise floor that is not a number leaves epsilon as the bar.
		bar := th.PromptCeiling.Epsilon
		if pc.Noise > bar {
			bar = pc.Noise
		}
		flat := add("FT101", "gain", pc.Gain, opAtMost, bar)
		tried := len(pc.MissingTechniques) == 0
		all("FT101", "techniques", tried)
		pc.Converged = enough && flat && tried
		all("FT101", "converged", pc.Converged)
		m.PromptCeiling = &pc
	}
	if a := m.Agreement; a != nil {
		add("FT102", "agreement", a.Value, opAtLeast, th.Agreement.Min)
		add("FT102", "units", f(float64(a.Units)), opAtLeast, float64(th.Agreement.MinUnits))
		if a.Declared != nil && a.Value != nil && !math.IsNaN(*a.Value) {
			add("FT006", "declared", f(math.Abs(*a.Declared-*a.Value)), opAtMost, declaredTolerance)
		}
	}
	if d := m.Data; d != nil {
		add("FT103", "examples", f(float64(d.Examples)), opAtLeast, float64(th.Data.MinExamples))
	}
	if c := m.Coverage; c != nil {
		add("FT104", "coverage", c.Coverage, opAtLeast, th.Coverage.Min)
		for _, u := range c.Uncovered {
			add("FT104", "uncovered_share", f(u.Share), opAtMost, th.Coverage.MaxUncoveredShare)
			vs[len(vs)-1].Subject = u.Scenario
		}
	}
	if r != nil {
		if qg := r.Sufficient.QualityGap; qg != nil && m.PromptCeiling != nil && m.PromptCeiling.BestScore != nil {
			add("FT201", "quality_gap", f(qg.Target-*m.PromptCeiling.BestScore), opAtLeast, th.QualityGap.MinGap)
		}
		if lc := r.Sufficient.LatencyCost; lc != nil {
			volume := add("FT202", "calls_per_day", f(lc.CallsPerDay), opAtLeast, th.LatencyCost.MinCallsPerDay)
			var saving *float64
			if m.Cost != nil {
				saving = m.Cost.MonthlySavingUSD
			}
			maintenance := 0.0
			if r.Costs.MaintenanceUSDPerMonth != nil {
				maintenance = *r.Costs.MaintenanceUSDPerMonth
			}
			pays := add("FT202", "saving", saving, opAtLeast, maintenance)
			slow := false
			if lc.P95LatencyMS != nil && lc.LatencyBudgetMS != nil {
				slow = add("FT202", "p95_latency", lc.P95LatencyMS, opAbove, *lc.LatencyBudgetMS)
			}
			holds := volume && (pays || slow)
			all("FT202", "latency_cost", holds)
			if m.Cost != nil {
				cost := *m.Cost
				cost.Holds = holds
				m.Cost = &cost
			}
		}
	}
	m.Verdicts = vs
}

// declaredTolerance is how far a declared figure may be from the computed
// one (FT006, SPEC §1.1).
const declaredTolerance = 0.01
