package stats

import (
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/result"
)

func scenarios(kv ...any) *evidence.Scenarios {
	s := &evidence.Scenarios{}
	for i := 0; i < len(kv); i += 2 {
		s.Counts = append(s.Counts, evidence.ScenarioCount{Scenario: kv[i].(string), Count: float64(kv[i+1].(int))})
	}
	return s
}

// TestCoverageWorked is computed by hand. Production a 50, b 30, c 15, d 5
// (total 100); training a 200, b 40, c 5, e 5 (total 250); at least 10
// examples cover a scenario, so a and b are covered: coverage 0.80; c (share
// 0.15, 5 examples) and d (0.05, 0) are not. TVD over a..e:
// p = .5 .3 .15 .05 0, q = .8 .16 .02 0 .02, Σ|p−q| = .3+.14+.13+.05+.02 = .64,
// TVD = .32.
func TestCoverageWorked(t *testing.T) {
	prod := scenarios("a", 50, "b", 30, "c", 15, "d", 5)
	train := scenarios("a", 200, "b", 40, "c", 5, "e", 5)
	cov := ComputeCoverage(prod, train, CoverageOptions{MinExamplesPerScenario: 10})
	if cov.Coverage == nil || !approx(*cov.Coverage, 0.8) {
		t.Errorf("coverage %s, want 0.8", fmtPtr(cov.Coverage))
	}
	if cov.TVD == nil || !approx(*cov.TVD, 0.32) {
		t.Errorf("tvd %s, want 0.32", fmtPtr(cov.TVD))
	}
	if cov.Scenarios != 4 || cov.Covered != 2 {
		t.Errorf("scenarios %d, covered %d; want 4, 2", cov.Scenarios, cov.Covered)
	}
	want := []result.Uncovered{{Scenario: "c", Share: 0.15, Examples: 5}, {Scenario: "d", Share: 0.05, Examples: 0}}
	if len(cov.Uncovered) != 2 || cov.Uncovered[0] != want[0] || cov.Uncovered[1] != want[1] {
		t.Errorf("uncovered %v, want %v", cov.Uncovered, want)
	}
	// min_examples 5 also covers c: coverage .95, only d uncovered.
	cov = ComputeCoverage(prod, train, CoverageOptions{MinExamplesPerScenario: 5})
	if !approx(*cov.Coverage, 0.95) || cov.Covered != 3 || len(cov.Uncovered) != 1 {
		t.Errorf("min 5: %+v", cov)
	}
}

// TestCoverageOrder: uncovered scenarios by share descending, ties by name.
func TestCoverageOrder(t *testing.T) {
	prod := scenarios("z", 10, "y", 20, "b", 10, "a", 10)
	cov := ComputeCoverage(prod, scenarios(), CoverageOptions{MinExamplesPerScenario: 1})
	var got []string
	for _, u := range cov.Uncovered {
		got = append(got, u.Scenario)
	}
	if want := "y a b z"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", strings.Join(got, " "), want)
	}
	if cov.TVD != nil {
		t.Errorf("tvd %v with an empty training side, want nil", *cov.TVD)
	}
	if *cov.Coverage != 0 {
		t.Errorf("coverage %v, want 0", *cov.Coverage)
	}
}

// TestCoverageEmptyProduction: nothing to cover proves nothing.
func TestCoverageEmptyProduction(t *testing.T) {
	for _, prod := range []*evidence.Scenarios{nil, scenarios(), scenarios("a", 0)} {
		cov := ComputeCoverage(prod, scenarios("a", 10), CoverageOptions{})
		if cov.Coverage != nil || cov.TVD != nil {
			t.Errorf("coverage %s, tvd %s; want nil, nil", fmtPtr(cov.Coverage), fmtPtr(cov.TVD))
		}
		if cov.Uncovered == nil {
			t.Error("uncovered is nil, want empty")
		}
	}
}
