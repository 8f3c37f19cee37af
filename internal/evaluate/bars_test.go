package evaluate

import (
	"fmt"
	"testing"

	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/result"
)

// defaultThresholds are the baseline policy's, read from the policy itself.
func defaultThresholds(t *testing.T) Thresholds {
	t.Helper()
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	th, err := p.Thresholds("")
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// verdictOf returns the one verdict on figure (and subject).
func verdictOf(t *testing.T, m *result.Metrics, figure, subject string) result.Verdict {
	t.Helper()
	var found []result.Verdict
	for _, v := range m.Verdicts {
		if v.Figure == figure && v.Subject == subject {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d verdicts on %s %s in %+v", len(found), figure, subject, m.Verdicts)
	}
	return found[0]
}

// TestDecideAtTheBar holds every thresholded figure of the baseline policy
// exactly at its bar, computed the way ftgate computes it (differences and
// quotients of decimals, which float64 rounds either way), and just past it.
// At the bar every >= and <= holds; > does not.
func TestDecideAtTheBar(t *testing.T) {
	th := defaultThresholds(t)
	l, _ := record.NewLoader()
	rec := l.Parse("decisions/d.yaml", []byte(`apiVersion: ftgate/v1
kind: FineTuneDecision
id: FTD-1
title: t
status: accepted
decided: 2026-10-02
review_by: 2027-01-02
covers: ["x/**"]
base_model: org/model
sufficient:
  quality_gap: {target: 0.85}
  latency_cost: {calls_per_day: 100000, prompt_tokens: 1, tuned_prompt_tokens: 1, usd_per_mtok: 1, p95_latency_ms: 800, latency_budget_ms: 800}
costs: {maintenance_usd_per_month: 1500.3}
`))
	if !rec.Valid {
		t.Fatal(rec.Problems)
	}
	sub := func(a, b float64) *float64 { d := a - b; return &d }
	div := func(a, b float64) *float64 { q := a / b; return &q }
	f := func(x float64) *float64 { return &x }

	// 0.81 − 0.80 = 0.010000000000000009 and 0.85 − 0.80 = 0.04999999999999993:
	// float64 puts these on the wrong side of 0.01 and 0.05 without the
	// tolerance.
	if g := *sub(0.81, 0.80); g <= 0.01 {
		t.Fatalf("the case no longer tests rounding: 0.81-0.80 = %v", g)
	}
	if g := *sub(0.85, 0.80); g >= 0.05 {
		t.Fatalf("the case no longer tests rounding: 0.85-0.80 = %v", g)
	}
	type want struct {
		figure, subject string
		holds           bool
	}
	cases := []struct {
		name string
		m    result.Metrics
		want []want
	}{
		{"at every bar", result.Metrics{
			PromptCeiling: &result.PromptCeiling{Iterations: 5, BestScore: f(0.80), Gain: sub(0.81, 0.80), Epsilon: th.PromptCeiling.Epsilon, MissingTechniques: []string{}},
			Agreement:     &result.Agreement{Value: div(82, 100), Units: 100, Declared: f(0.84)},
			Data:          &result.Data{Examples: 500},
			Coverage:      &result.Coverage{Coverage: div(95, 100), Uncovered: []result.Uncovered{{Scenario: "a", Share: *div(2, 100)}}},
			Cost:          &result.Cost{MonthlySavingUSD: f(1500.3)},
		}, []want{
			{"iterations", "", true}, {"gain", "", true}, {"techniques", "", true}, {"converged", "", true},
			{"agreement", "", true}, {"units", "", true}, {"examples", "", true},
			{"coverage", "", true}, {"uncovered_share", "a", true},
			{"quality_gap", "", true}, {"calls_per_day", "", true}, {"saving", "", true},
			{"p95_latency", "", false}, {"latency_cost", "", true},
		}},
		{"just past every bar", result.Metrics{
			PromptCeiling: &result.PromptCeiling{Iterations: 4, BestScore: f(0.8001), Gain: f(0.0101), Epsilon: th.PromptCeiling.Epsilon, MissingTechniques: []string{}},
			Agreement:     &result.Agreement{Value: f(0.7999), Units: 99, Declared: f(0.84)},
			Data:          &result.Data{Examples: 499},
			Coverage:      &result.Coverage{Coverage: f(0.9499), Uncovered: []result.Uncovered{{Scenario: "a", Share: 0.0201}}},
			Cost:          &result.Cost{MonthlySavingUSD: f(1500.29)},
		}, []want{
			{"iterations", "", false}, {"gain", "", false}, {"techniques", "", true}, {"converged", "", false},
			{"agreement", "", false}, {"units", "", false}, {"examples", "", false},
			{"coverage", "", false}, {"uncovered_share", "a", false},
			{"quality_gap", "", false}, {"calls_per_day", "", true}, {"saving", "", false},
			{"p95_latency", "", false}, {"latency_cost", "", false},
		}},
		{"figures that do not exist hold nothing", result.Metrics{
			PromptCeiling: &result.PromptCeiling{Iterations: 3, Gain: nil, Epsilon: 0.01, MissingTechniques: []string{"rag"}},
			Agreement:     &result.Agreement{Value: nil, Units: 150},
			Coverage:      &result.Coverage{Coverage: nil},
		}, []want{
			{"gain", "", false}, {"techniques", "", false}, {"converged", "", false},
			{"agreement", "", false}, {"units", "", true}, {"coverage", "", false},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := c.m
			Decide(&m, th, rec)
			for _, w := range c.want {
				if got := verdictOf(t, &m, w.figure, w.subject); got.Holds != w.holds {
					t.Errorf("%s: holds %v, want %v (%s)", w.figure, got.Holds, w.holds, describe(got))
				}
			}
			if conv := verdictOf(t, &m, "converged", ""); m.PromptCeiling.Converged != conv.Holds {
				t.Errorf("converged %v, verdict %v", m.PromptCeiling.Converged, conv.Holds)
			}
			if c.m.PromptCeiling.Converged {
				t.Error("Decide changed the shared prompt ceiling instead of a copy")
			}
			if m.Cost != nil {
				if lc := verdictOf(t, &m, "latency_cost", ""); m.Cost.Holds != lc.Holds {
					t.Errorf("cost holds %v, verdict %v", m.Cost.Holds, lc.Holds)
				}
			}
		})
	}
}

// TestDecideDeclared: FT006's 0.01 is a bar like the others.
func TestDecideDeclared(t *testing.T) {
	th := defaultThresholds(t)
	for _, c := range []struct {
		declared, value float64
		holds           bool
	}{{0.84, 0.83, true}, {0.83, 0.84, true}, {0.84, 0.8299, false}, {0.84, 0.8501, false}} {
		m := result.Metrics{Agreement: &result.Agreement{Value: &c.value, Declared: &c.declared, Units: 100}}
		Decide(&m, th, nil)
		if got := verdictOf(t, &m, "declared", ""); got.Holds != c.holds {
			t.Errorf("declared %v, computed %v: holds %v, want %v", c.declared, c.value, got.Holds, c.holds)
		}
	}
}

// TestDecideNoiseFloor: the gain's bar is the larger of epsilon and the
// noise floor.
func TestDecideNoiseFloor(t *testing.T) {
	th := defaultThresholds(t)
	f := func(x float64) *float64 { return &x }
	m := result.Metrics{PromptCeiling: &result.PromptCeiling{Iterations: 8, Noise: 0.02, Gain: f(0.02), Epsilon: 0.01, MissingTechniques: []string{}}}
	Decide(&m, th, nil)
	if v := verdictOf(t, &m, "gain", ""); !v.Holds || *v.Bar != 0.02 {
		t.Errorf("gain at the noise floor: %s", describe(v))
	}
}

func describe(v result.Verdict) string {
	val, bar := "null", "null"
	if v.Value != nil {
		val = fmt.Sprint(*v.Value)
	}
	if v.Bar != nil {
		bar = fmt.Sprint(*v.Bar)
	}
	return fmt.Sprintf("%s %s %s", val, v.Op, bar)
}
