package stats

import (
	"cmp"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

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
	n := a.NumUnits()
	if n == 0 || resamples <= 0 {
		return nil, nil, nil
	}
	// Units whose ratings form the same pattern add the same terms to
	// every coefficient, so each resample is estimated over the distinct
	// patterns, each counted as often as its units were drawn: the draws
	// are the same, and a file of a million units but a few dozen patterns
	// costs little more per resample than the draws.
	pt, pattern := t.patterns()
	if pt.metric == KrippendorffAlpha && pt.level == Ratio {
		pt.ratio = pt.ratioCentres(pattern)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	mult := make([]int32, pt.units)
	// The draws read the unit → pattern map at random: held in a byte or
	// two a unit when the patterns are few, it stays in cache.
	var draw func()
	switch {
	case pt.units <= 1<<8:
		draw = drawer(narrow[uint8](pattern), mult, rng)
	case pt.units <= 1<<16:
		draw = drawer(narrow[uint16](pattern), mult, rng)
	default:
		draw = drawer(pattern, mult, rng)
	}
	values := estimateAll(pt, resamples, mult, draw)
	if len(values) == 0 {
		return nil, nil, nil
	}
	slices.Sort(values)
	lo, hi := quantile7(values, 0.025), quantile7(values, 0.975)
	return &lo, &hi, nil
}

// estimateAll draws resamples one after another on this goroutine, so the
// draws are the generator's sequence whatever the number of cores, and
// estimates each on one of up to GOMAXPROCS workers, each with its own
// copy of the table's scratch buffers. It returns the defined values, in
// no particular order (the caller sorts them).
func estimateAll(pt *table, resamples int, mult []int32, draw func()) []float64 {
	workers := min(runtime.GOMAXPROCS(0), resamples)
	values := make([]float64, 0, resamples)
	if workers <= 1 {
		for range resamples {
			draw()
			if v, undefined := pt.estimate(mult); undefined == "" {
				values = append(values, v)
			}
		}
		return values
	}
	// Each draw goes out in a buffer of its own; a worker hands the
	// buffer back once estimated, so at most workers+1 are ever held.
	free := make(chan []int32, workers+1)
	for range workers + 1 {
		free <- make([]int32, len(mult))
	}
	draws := make(chan []int32)
	type result struct {
		v       float64
		defined bool
	}
	results := make(chan result, resamples)
	var wg sync.WaitGroup
	for range workers {
		wt := *pt
		wt.reuse = nil // scratch buffers are per worker
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range draws {
				v, undefined := wt.estimate(m)
				free <- m
				results <- result{v, undefined == ""}
			}
		}()
	}
	for range resamples {
		draw()
		m := <-free
		copy(m, mult)
		draws <- m
	}
	close(draws)
	wg.Wait()
	close(results)
	for r := range results {
		if r.defined {
			values = append(values, r.v)
		}
	}
	return values
}

// drawer returns a function that draws one resample: len(pattern) units
// uniformly with replacement, counting in mult how often each unit's
// pattern was drawn.
func drawer[T uint8 | uint16 | int32](pattern []T, mult []int32, rng *rand.Rand) func() {
	n := len(pattern)
	return func() {
		clear(mult)
		for range n {
			mult[pattern[rng.IntN(n)]]++
		}
	}
}

// narrow copies pattern numbers into a smaller type that holds them all.
func narrow[T uint8 | uint16](pattern []int32) []T {
	out := make([]T, len(pattern))
	for i, p := range pattern {
		out[i] = T(p)
	}
	return out
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

// patterns returns a table over one unit of each distinct rating pattern,
// in order of first appearance, and the pattern of each of t's units. A
// pattern is the unit's labels as a multiset; for cohen_kappa, whose
// chance agreement takes each annotator's marginals, the labels with their
// annotators.
func (t *table) patterns() (*table, []int32) {
	a := t.a
	reduced := &evidence.Annotations{Annotators: a.Annotators, Labels: a.Labels}
	index := map[string]int32{}
	pattern := make([]int32, a.NumUnits())
	var sorted []evidence.Rating
	var key []byte
	for u := range a.NumUnits() {
		rs := a.UnitRatings(u)
		sorted = append(sorted[:0], rs...)
		if t.metric != CohenKappa {
			for i := range sorted {
				sorted[i].Annotator = 0
			}
		}
		slices.SortFunc(sorted, func(x, y evidence.Rating) int {
			return cmp.Or(cmp.Compare(x.Annotator, y.Annotator), cmp.Compare(x.Label, y.Label))
		})
		key = key[:0]
		for _, r := range sorted {
			key = binary.LittleEndian.AppendUint32(key, uint32(r.Annotator))
			key = binary.LittleEndian.AppendUint32(key, uint32(r.Label))
		}
		p, ok := index[string(key)]
		if !ok {
			p = int32(len(index))
			index[string(key)] = p
			reduced.AddUnit(a.UnitID(u), rs...)
		}
		pattern[u] = p
	}
	if t.q > localityMinCategories {
		reduced, pattern = t.byFirstCategory(reduced, pattern)
	}
	pt := *t
	pt.a = reduced
	pt.reduceAll()
	return &pt, pattern
}

// localityMinCategories is where the categories' per-resample arrays stop
// fitting in a core's cache.
const localityMinCategories = 1 << 14

// byFirstCategory renumbers the patterns in order of their lowest category
// (first appearance breaking ties), so that each resample's pass over them
// reads and adds to the arrays indexed by category nearly in order rather
// than at random: with many distinct values those arrays are large, and
// random access to them cost more than the arithmetic.
func (t *table) byFirstCategory(reduced *evidence.Annotations, pattern []int32) (*evidence.Annotations, []int32) {
	k := reduced.NumUnits()
	first := make([]int, k)
	for p := range k {
		first[p] = t.q
		for _, r := range reduced.UnitRatings(p) {
			first[p] = min(first[p], t.cat[r.Label])
		}
	}
	order := make([]int32, k)
	for p := range order {
		order[p] = int32(p)
	}
	slices.SortStableFunc(order, func(x, y int32) int { return cmp.Compare(first[x], first[y]) })
	renumber := make([]int32, k)
	sorted := &evidence.Annotations{Annotators: reduced.Annotators, Labels: reduced.Labels}
	for i, p := range order {
		renumber[p] = int32(i)
		sorted.AddUnit(reduced.UnitID(int(p)), reduced.UnitRatings(int(p))...)
	}
	for u, p := range pattern {
		pattern[u] = renumber[p]
	}
	return sorted, pattern
}

// ratioCentres returns the centres of ratio alpha's quadrature from the
// full sample, which every resample's expected disagreement then shares:
// a resample's values are some of the sample's, and centred on the
// sample's they do not cancel. Nil when the values are few enough to be
// summed pair by pair.
func (t *table) ratioCentres(pattern []int32) *ratioCentres {
	if t.q <= ratioExactMax {
		return nil
	}
	mult := make([]int32, t.units)
	for _, p := range pattern {
		mult[p]++
	}
	s := t.sumUnits(t.units, func(s *sums, lo, hi int) {
		for u := lo; u < hi; u++ {
			if mult[u] > 0 {
				t.add(s, float64(mult[u]), int(t.n[u]), t.unitCounts(u), t.a.UnitRatings(u), 0, 0)
			}
		}
	})
	var v, n []float64
	for c, x := range s.nc {
		if x > 0 {
			v = append(v, t.score[c])
			n = append(n, x)
		}
	}
	if len(v) <= ratioExactMax {
		return nil
	}
	return newRatioCentres(v, n, &ratioScratch{})
}
