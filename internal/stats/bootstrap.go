package stats

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ftgate/ftgate/internal/evidence"
)

// Bootstrap returns the 95% percentile bootstrap interval of the agreement
// coefficient opt chooses (SPEC 1.1, FT102): resamples times, draw as many
// units as a has, uniformly with replacement from its units in file order,
// recompute the coefficient on the draw, and take the 2.5% and 97.5%
// quantiles of the values.
//
// Determinism: the generator is math/rand/v2's PCG seeded (seed, seed), and
// draws are rand.IntN over the unit indexes in file order, so the same file,
// options and seed give the same interval on every platform and Go release
// that keeps PCG's output stable (the package promises it).
//
// Resamples whose coefficient is undefined (for instance no unit with two
// labels was drawn) are skipped; the quantiles are over the defined values.
// Quantiles are R's type 7 (the default of R's quantile() and numpy's
// percentile): with the m values sorted x_1 ≤ … ≤ x_m and h = (m−1)p, the
// p-quantile is x_⌊h⌋+1 + (h − ⌊h⌋)(x_⌊h⌋+2 − x_⌊h⌋+1).
//
// It returns nil, nil when no resample is defined (or resamples ≤ 0), and
// the error ComputeAgreement would return when opt does not fit a.
func Bootstrap(a *evidence.Annotations, opt AgreementOptions, resamples int, seed uint64) (low, high *float64, err error) {
	t, err := prepare(a, opt)
	if err != nil {
		return nil, nil, err
	}
	t.reduceAll()
	n := t.units
	if n == 0 || resamples <= 0 {
		return nil, nil, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	mult := make([]int32, n)
	values := make([]float64, 0, resamples)
	for range resamples {
		clear(mult)
		for range n {
			mult[rng.IntN(n)]++
		}
		if v, undefined := t.estimate(mult); undefined == "" {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return nil, nil, nil
	}
	slices.Sort(values)
	lo, hi := quantile7(values, 0.025), quantile7(values, 0.975)
	return &lo, &hi, nil
}

// quantile7 is R's type-7 quantile of sorted, non-empty xs.
func quantile7(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p
	i := int(math.Floor(h))
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}
