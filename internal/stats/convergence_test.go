package stats

import (
	"math"
	"slices"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

func history(rows ...evidence.EvalRow) *evidence.History {
	for i := range rows {
		rows[i].Line = i + 2
	}
	return &evidence.History{Path: "evals/history.csv", Rows: rows}
}

// TestConvergenceNoiseFromEarliestBest: k = 4, w = 2, so the gain is
// max(s1..s4) − max(s1, s2) = 0.75 − 0.70 = 0.05, above epsilon 0.01. The best
// score 0.75 first appears at iteration 3 with n = 50: noise =
// sqrt(0.75·0.25/50) = sqrt(0.00375) ≈ 0.0612 ≥ 0.05, so it converged. Taking
// n = 10000 from the later row 4 instead would give noise 0.0043 and no
// convergence.
func TestConvergenceNoiseFromEarliestBest(t *testing.T) {
	h := history(
		evidence.EvalRow{Iteration: 1, Score: 0.60, N: 100, Technique: "zero_shot", Date: "2025-01-10"},
		evidence.EvalRow{Iteration: 2, Score: 0.70, N: 100, Technique: "few_shot", Date: "2025-03-01"},
		evidence.EvalRow{Iteration: 3, Score: 0.75, N: 50, Technique: "cot", Date: "2025-02-20"},
		evidence.EvalRow{Iteration: 4, Score: 0.75, N: 10000, Technique: "few_shot", Date: "2025-02-28"},
	)
	pc := ComputeConvergence(h, ConvergenceOptions{Window: 2, Epsilon: 0.01, RequiredTechniques: []string{"few_shot", "cot"}, Metric: "accuracy"})
	if pc.Iterations != 4 || pc.Window != 2 || pc.Epsilon != 0.01 || pc.Metric != "accuracy" {
		t.Errorf("iterations/window/epsilon/metric = %d/%d/%v/%q", pc.Iterations, pc.Window, pc.Epsilon, pc.Metric)
	}
	if pc.BestScore == nil || *pc.BestScore != 0.75 || pc.BestIteration == nil || *pc.BestIteration != 3 {
		t.Errorf("best %s at iteration %v, want 0.75 at 3", fmtPtr(pc.BestScore), pc.BestIteration)
	}
	if pc.N == nil || *pc.N != 50 {
		t.Errorf("n = %v, want 50", pc.N)
	}
	if want := math.Sqrt(0.00375); !approx(pc.Noise, want) {
		t.Errorf("noise = %v, want %v", pc.Noise, want)
	}
	if pc.Gain == nil || !approx(*pc.Gain, 0.05) {
		t.Errorf("gain = %s, want 0.05", fmtPtr(pc.Gain))
	}
	if want := []string{"cot", "few_shot", "zero_shot"}; !slices.Equal(pc.Techniques, want) {
		t.Errorf("techniques %q, want %q", pc.Techniques, want)
	}
	if len(pc.MissingTechniques) != 0 {
		t.Errorf("missing %q, want none", pc.MissingTechniques)
	}
	if pc.NewestDate != "2025-03-01" {
		t.Errorf("newest date %q, want 2025-03-01 (the max, not the last row's)", pc.NewestDate)
	}
	if len(pc.Scores) != 4 || pc.Scores[3].Iteration != 4 || pc.Scores[3].Score != 0.75 {
		t.Errorf("scores %v", pc.Scores)
	}
}

// TestConvergenceWindowNotReached: k = 3 ≤ w = 3 leaves no earlier prefix,
// so the gain is null.
func TestConvergenceWindowNotReached(t *testing.T) {
	h := history(
		evidence.EvalRow{Iteration: 1, Score: 0.8, N: 100, Technique: "few_shot"},
		evidence.EvalRow{Iteration: 2, Score: 0.8, N: 100, Technique: "few_shot"},
		evidence.EvalRow{Iteration: 3, Score: 0.8, N: 100, Technique: "few_shot"},
	)
	pc := ComputeConvergence(h, ConvergenceOptions{Window: 3, Epsilon: 1})
	if pc.Gain != nil {
		t.Errorf("gain %s, want nil", fmtPtr(pc.Gain))
	}
	// k = 4 > w = 3: gain = 0.8 − max(s1) = 0.
	h.Rows = append(h.Rows, evidence.EvalRow{Iteration: 4, Score: 0.8, N: 100, Technique: "few_shot"})
	pc = ComputeConvergence(h, ConvergenceOptions{Window: 3, Epsilon: 0.01})
	if pc.Gain == nil || *pc.Gain != 0 {
		t.Errorf("gain %s, want 0", fmtPtr(pc.Gain))
	}
}

// TestConvergenceMissingTechniques: every required technique must appear;
// the missing ones are listed once each, in the order required.
func TestConvergenceMissingTechniques(t *testing.T) {
	h := history(
		evidence.EvalRow{Iteration: 1, Score: 0.5, Technique: "few_shot"},
		evidence.EvalRow{Iteration: 2, Score: 0.5, Technique: "cot"},
		evidence.EvalRow{Iteration: 3, Score: 0.5, Technique: "cot"},
	)
	pc := ComputeConvergence(h, ConvergenceOptions{Window: 1, Epsilon: 0.01,
		RequiredTechniques: []string{"self_consistency", "cot", "rag", "self_consistency"}})
	if want := []string{"self_consistency", "rag"}; !slices.Equal(pc.MissingTechniques, want) {
		t.Errorf("missing %q, want %q", pc.MissingTechniques, want)
	}
	// n absent: N is nil and the noise floor 0, so epsilon alone decides.
	if pc.N != nil || pc.Noise != 0 {
		t.Errorf("n %v, noise %v; want nil, 0", pc.N, pc.Noise)
	}
	if pc.Gain == nil || *pc.Gain != 0 {
		t.Errorf("gain %s, want 0", fmtPtr(pc.Gain))
	}
}

// TestConvergenceLeavesTheVerdict: stats computes figures; whether they
// meet the bars is evaluate.Decide's, so Converged stays false even for a
// history that would converge.
func TestConvergenceLeavesTheVerdict(t *testing.T) {
	h := history(
		evidence.EvalRow{Iteration: 1, Score: 0.80, Technique: "few_shot"},
		evidence.EvalRow{Iteration: 2, Score: 0.80, Technique: "few_shot"},
	)
	if pc := ComputeConvergence(h, ConvergenceOptions{Window: 1, Epsilon: 0.01}); pc.Converged || pc.Gain == nil || *pc.Gain != 0 {
		t.Errorf("gain %s, converged %v; want 0, false", fmtPtr(pc.Gain), pc.Converged)
	}
}

// TestConvergenceEmpty: no history, no figures, not converged; lists are
// empty, not nil, so JSON shows [].
func TestConvergenceEmpty(t *testing.T) {
	for _, h := range []*evidence.History{nil, {}} {
		pc := ComputeConvergence(h, ConvergenceOptions{Window: 0, RequiredTechniques: []string{"rag"}})
		if pc.Iterations != 0 || pc.BestScore != nil || pc.BestIteration != nil || pc.Gain != nil {
			t.Errorf("%+v", pc)
		}
		if pc.Techniques == nil || pc.Scores == nil || !slices.Equal(pc.MissingTechniques, []string{"rag"}) {
			t.Errorf("lists %v %v %v", pc.Techniques, pc.Scores, pc.MissingTechniques)
		}
	}
}

// A row that combined techniques (rag+cot) tried each of them.
func TestConvergenceCombinedTechniques(t *testing.T) {
	h := history(
		evidence.EvalRow{Iteration: 1, Score: 0.5, Technique: "few_shot"},
		evidence.EvalRow{Iteration: 2, Score: 0.6, Technique: "rag+cot"},
	)
	pc := ComputeConvergence(h, ConvergenceOptions{Window: 1, Epsilon: 0.5,
		RequiredTechniques: []string{"few_shot", "rag", "cot", "self_consistency"}})
	if want := []string{"cot", "few_shot", "rag"}; !slices.Equal(pc.Techniques, want) {
		t.Errorf("techniques %q, want %q", pc.Techniques, want)
	}
	if want := []string{"self_consistency"}; !slices.Equal(pc.MissingTechniques, want) {
		t.Errorf("missing %q, want %q", pc.MissingTechniques, want)
	}
}
