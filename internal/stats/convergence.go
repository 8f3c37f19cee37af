package stats

import (
	"math"
	"slices"

	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/result"
)

// ConvergenceOptions are what FT101's figures depend on, from the policy
// and the record. Whether the history converged is not decided here:
// evaluate.Decide holds the figures to the policy's bars, once.
type ConvergenceOptions struct {
	Window             int      // w: the gain is measured over the last w iterations
	Epsilon            float64  // largest gain that still counts as converged, reported with the figures
	RequiredTechniques []string // techniques the history must have tried
	Metric             string   // the score's name; labels messages only
}

// ComputeConvergence computes FT101's figures (SPEC 1.1) from h, whose rows
// are sorted by iteration: with k rows, scores s1..sk and w = Window,
// gain = max(s1..sk) − max(s1..s(k−w)), nil when k ≤ w; the noise floor is
// sqrt(p(1−p)/n) with p and n from the earliest row holding the best score
// (0 when n is 0); MissingTechniques lists the required techniques the
// history never tried. Converged is left false.
func ComputeConvergence(h *evidence.History, opt ConvergenceOptions) result.PromptCeiling {
	pc := result.PromptCeiling{
		Metric:            opt.Metric,
		Window:            opt.Window,
		Epsilon:           opt.Epsilon,
		Techniques:        []string{},
		MissingTechniques: []string{},
		Scores:            []result.Point{},
	}
	var rows []evidence.EvalRow
	if h != nil {
		rows = h.Rows
	}
	k := len(rows)
	pc.Iterations = k

	best := -1 // index of the earliest row holding the best score
	for i, r := range rows {
		pc.Scores = append(pc.Scores, result.Point{Iteration: r.Iteration, Score: r.Score})
		if best < 0 || r.Score > rows[best].Score {
			best = i
		}
		for _, t := range r.Techniques() { // rag+cot tried both
			if !slices.Contains(pc.Techniques, t) {
				pc.Techniques = append(pc.Techniques, t)
			}
		}
		if r.Date > pc.NewestDate {
			pc.NewestDate = r.Date
		}
	}
	slices.Sort(pc.Techniques)
	for _, t := range opt.RequiredTechniques {
		if !slices.Contains(pc.Techniques, t) && !slices.Contains(pc.MissingTechniques, t) {
			pc.MissingTechniques = append(pc.MissingTechniques, t)
		}
	}
	if best < 0 {
		return pc // no history: no figures
	}

	b := rows[best]
	pc.BestScore = &b.Score
	pc.BestIteration = &b.Iteration
	if b.N > 0 {
		n := b.N
		pc.N = &n
		// A score outside [0, 1] would make p(1−p) negative; clamp so the
		// noise is never NaN (the parser rejects such scores anyway).
		pc.Noise = math.Sqrt(math.Max(0, b.Score*(1-b.Score)) / float64(n))
	}

	// The earlier prefix s1..s(k−w); a negative window would reach past
	// the end, so it is read as 0 (the policy should reject it first).
	w := max(opt.Window, 0)
	if k > w {
		earlier := rows[0].Score
		for _, r := range rows[1 : k-w] {
			earlier = max(earlier, r.Score)
		}
		gain := b.Score - earlier
		pc.Gain = &gain
	}
	return pc
}
