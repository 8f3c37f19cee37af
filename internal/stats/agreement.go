package stats

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/result"
)

// Agreement metrics, spelled as SPEC section 7 and the decision record spell
// them.
const (
	KrippendorffAlpha = "krippendorff_alpha"
	CohenKappa        = "cohen_kappa"
	FleissKappa       = "fleiss_kappa"
	ScottPi           = "scott_pi"
	GwetAC1           = "gwet_ac1"
	GwetAC2           = "gwet_ac2"
	PercentAgreement  = "percent_agreement"
)

// Levels of measurement of Krippendorff's alpha.
const (
	Nominal  = "nominal"
	Ordinal  = "ordinal"
	Interval = "interval"
	Ratio    = "ratio"
)

// Weighting schemes of Cohen's kappa, Scott's pi and Gwet's AC2.
const (
	WeightsNone      = "none"
	WeightsLinear    = "linear"
	WeightsQuadratic = "quadratic"
)

// Reasons an agreement coefficient is undefined, as result.Agreement.Undefined
// and the JSON field "undefined" carry them.
const (
	NoVariation        = "no_variation"
	ChanceAgreementOne = "chance_agreement_one"
	NoPairableUnits    = "no_pairable_units"
)

// Metrics returns every agreement metric, default first, in the order the
// CLI's help lists them.
func Metrics() []string {
	return []string{KrippendorffAlpha, CohenKappa, FleissKappa, ScottPi, GwetAC1, GwetAC2, PercentAgreement}
}

// Levels returns the levels of measurement of Krippendorff's alpha, default
// first.
func Levels() []string { return []string{Nominal, Ordinal, Interval, Ratio} }

// WeightSchemes returns the weighting schemes, default first.
func WeightSchemes() []string { return []string{WeightsNone, WeightsLinear, WeightsQuadratic} }

// AgreementOptions chooses the agreement coefficient. The zero value is
// nominal Krippendorff's alpha over the observed labels.
type AgreementOptions struct {
	// Metric is one of Metrics(); "" means krippendorff_alpha.
	Metric string
	// Level is alpha's level of measurement, one of Levels(); "" means
	// nominal. Other metrics accept only "" or nominal.
	Level string
	// Weights applies to cohen_kappa, scott_pi and gwet_ac2, one of
	// WeightSchemes(); "" means none. Other metrics accept only "" or none.
	Weights string
	// Categories is the codebook: the order of the categories and their
	// scores 1..k. Labels are matched to it exactly (after trimming spaces),
	// else by numeric value ("1.0" is category "1"); a label outside it is
	// an error. Nil or empty: the observed labels, sorted numerically when
	// all are numbers, else as strings.
	Categories []string
}

// effective is the metric, level and weights after defaults, as the result
// reports them: Level only for alpha, Weights only for the weighted metrics.
type effective struct {
	metric, level, weights string
}

// resolve applies the defaults and rejects a level or weighting the metric
// would silently ignore: a record asking for quadratic Fleiss' kappa gets an
// error, not an unweighted number presented as a weighted one.
func (opt AgreementOptions) resolve() (effective, error) {
	e := effective{metric: opt.Metric}
	if e.metric == "" {
		e.metric = KrippendorffAlpha
	}
	switch e.metric {
	case KrippendorffAlpha:
		e.level = opt.Level
		if e.level == "" {
			e.level = Nominal
		}
		if !slices.Contains(Levels(), e.level) {
			return e, fmt.Errorf("unknown level %q for %s (want one of %s)", opt.Level, e.metric, strings.Join(Levels(), ", "))
		}
	case CohenKappa, ScottPi, GwetAC2:
		e.weights = opt.Weights
		if e.weights == "" {
			e.weights = WeightsNone
		}
		if !slices.Contains(WeightSchemes(), e.weights) {
			return e, fmt.Errorf("unknown weights %q for %s (want one of %s)", opt.Weights, e.metric, strings.Join(WeightSchemes(), ", "))
		}
	case FleissKappa, GwetAC1, PercentAgreement:
	default:
		return e, fmt.Errorf("unknown agreement metric %q (want one of %s)", opt.Metric, strings.Join(Metrics(), ", "))
	}
	if e.metric != KrippendorffAlpha && opt.Level != "" && opt.Level != Nominal {
		return e, fmt.Errorf("level %q applies only to %s, not %s", opt.Level, KrippendorffAlpha, e.metric)
	}
	if e.weights == "" && opt.Weights != "" && opt.Weights != WeightsNone {
		return e, fmt.Errorf("weights %q apply only to %s, %s and %s, not %s", opt.Weights, CohenKappa, ScottPi, GwetAC2, e.metric)
	}
	return e, nil
}

// ComputeAgreement computes the agreement coefficient opt chooses over a's
// units with at least two labels, and the counts behind it. An undefined
// coefficient is a nil Value with Undefined saying why; an error means the
// options do not fit the data (unknown metric, Cohen's kappa with other than
// two annotators, a non-numeric label at interval level, a label outside the
// categories). CILow, CIHigh and Declared are left for the caller (see
// Bootstrap).
func ComputeAgreement(a *evidence.Annotations, opt AgreementOptions) (result.Agreement, error) {
	t, err := prepare(a, opt)
	res := result.Agreement{Metric: t.metric, Level: t.level, Weights: t.weights}
	if err != nil {
		return res, err
	}
	res.Units, res.Annotators, res.Pairable = t.counts()
	v, undefined := t.stream()
	if undefined != "" {
		res.Undefined = undefined
	} else {
		res.Value = &v
	}
	return res, nil
}

// catCount is how many of a unit's ratings fall in one category.
type catCount struct{ cat, n int32 }

// table is the annotations reduced to category indexes, ready for repeated
// estimation (the point estimate and every bootstrap resample). Per-unit
// figures sit in flat slices indexed by unit: a million units cost a few
// allocations, none of which the collector scans.
type table struct {
	effective
	q     int       // number of categories
	score []float64 // alpha interval/ratio: the value of each category
	// w holds the q×q agreement weights, row-major, for linear and
	// quadratic weights; nil means identity weights, which take O(q)
	// shortcuts: free-text labels can make q large, and q² per bootstrap
	// resample would not do.
	w      []float64
	a      *evidence.Annotations
	cat    []int // label index → category index
	raters []int // cohen_kappa: the two annotators

	// The per-unit figures below are filled by reduceAll for estimate,
	// which bootstrap resamples repeat; the point estimate streams instead.
	units int
	n     []int32 // ratings of each unit
	// Unit u's category counts, only the categories present, are
	// cats[first[u]:last[u]]: the part of cats its ratings' positions in
	// a.Ratings would take, so that units are reduced independently.
	first, last []uint32
	cats        []catCount
	// Figures that depend on the unit alone, computed once so that each
	// bootstrap resample only sums them: Gwet's weighted observed agreement
	// of the unit (pa) and its Krippendorff disagreement Σ δ²(c,k) over
	// ordered pairs of values, divided by n−1 (do; not at ordinal level,
	// whose metric depends on the marginals). Nil where the metric does not
	// use them.
	pa, do []float64

	// ratio holds the quadrature's centres for ratio alpha over more than
	// ratioExactMax distinct values when a bootstrap resamples them: those
	// of the full sample (see ratioSum). Nil: each estimate centres on its
	// own values.
	ratio *ratioCentres

	// reuse holds buffers of q entries that each estimate needs afresh:
	// a bootstrap makes a thousand, and allocating them each time makes
	// the collector rescan the annotations again and again.
	reuse *reusable
}

type reusable struct {
	total   *sums
	present []int
	mid     []float64
	// ratio alpha over many distinct values: their scores and counts,
	// and the quadrature's sums
	rv, rn []float64
	rq     ratioScratch
}

// unitCounts returns unit u's category counts.
func (t *table) unitCounts(u int) []catCount { return t.cats[t.first[u]:t.last[u]] }

// prepare validates opt against a and sets up the table's categories,
// scores and weights; reduceAll adds the per-unit figures when they are
// needed.
func prepare(a *evidence.Annotations, opt AgreementOptions) (*table, error) {
	e, err := opt.resolve()
	t := &table{effective: e}
	if err != nil {
		return t, err
	}
	if a == nil {
		a = &evidence.Annotations{}
	}
	t.a = a
	for _, r := range a.Ratings {
		if r.Label < 0 || int(r.Label) >= len(a.Labels) || r.Annotator < 0 || int(r.Annotator) >= len(a.Annotators) {
			return t, fmt.Errorf("annotations: a rating has annotator %d, label %d out of range", r.Annotator, r.Label)
		}
	}
	sc, err := newScale(a, opt.Categories)
	if err != nil {
		return t, err
	}
	t.q, t.cat = len(sc.names), sc.cat
	if e.metric == KrippendorffAlpha && (e.level == Interval || e.level == Ratio) {
		if t.score, err = sc.values(a, e.level); err != nil {
			return t, err
		}
		if t.score, err = scaleScores(t.score, sc.names, e.level); err != nil {
			return t, err
		}
	}
	if e.weights == WeightsLinear || e.weights == WeightsQuadratic {
		if t.q > MaxWeightedCategories {
			return t, fmt.Errorf("%s with %s weights over %d categories: ftgate weighs at most %d, as the weights pair every category with every other (use no weights, or krippendorff_alpha at ordinal or interval level)",
				e.metric, e.weights, t.q, MaxWeightedCategories)
		}
		t.w = weightMatrix(t.q, e.weights)
	}

	if e.metric == CohenKappa {
		seen := make([]bool, len(a.Annotators))
		for _, r := range a.Ratings {
			if !seen[r.Annotator] {
				seen[r.Annotator] = true
				t.raters = append(t.raters, int(r.Annotator))
			}
		}
		if len(t.raters) != 2 {
			return t, fmt.Errorf("cohen_kappa needs 2 annotators, found %d", len(t.raters))
		}
	}

	return t, nil
}

// reduceAll fills the per-unit figures estimate sums: each unit's rating
// count, category counts, pa and do.
func (t *table) reduceAll() {
	a := t.a
	t.units = a.NumUnits()
	t.n = make([]int32, t.units)
	t.first = make([]uint32, t.units)
	t.last = make([]uint32, t.units)
	at := uint32(0)
	for u := range t.units {
		t.n[u] = int32(len(a.UnitRatings(u)))
		t.first[u] = at
		at += uint32(t.n[u])
	}
	// A unit has no more categories than ratings, so its counts fit in the
	// share of cats its ratings would take, and blocks of units can be
	// reduced independently, on every core.
	t.cats = make([]catCount, len(a.Ratings))
	if t.metric == KrippendorffAlpha {
		if t.level != Ordinal {
			t.do = make([]float64, t.units)
		}
	} else {
		t.pa = make([]float64, t.units)
	}
	eachBlock(t.units, runtime.GOMAXPROCS(0), func(_, lo, hi int) { t.reduce(lo, hi) })
}

// reduce fills the category counts and per-unit figures of units lo to
// hi−1.
func (t *table) reduce(lo, hi int) {
	per := getScratch(t.q) // ratings per category in one unit
	defer scratch.Put(per)
	for u := lo; u < hi; u++ {
		rs := t.a.UnitRatings(u)
		cs := t.countCats(rs, *per, t.cats[t.first[u]:t.first[u]])
		t.last[u] = t.first[u] + uint32(len(cs))
		if len(rs) >= 2 {
			if t.pa != nil {
				t.pa[u] = t.unitAgreement(cs, len(rs))
			}
			if t.do != nil {
				t.do[u] = t.unitDisagreement(cs, len(rs))
			}
		}
	}
}

// MaxWeightedCategories bounds the categories of a weighted coefficient:
// its q×q weights, and each unit's weighted agreement, pair every category
// with every other, so the bound keeps both at a few megabytes and fails
// closed beyond it. Weighted kappas are for ordered scales of a few points.
const MaxWeightedCategories = 1024

// weightMatrix returns the q×q agreement weights on category ranks (SPEC
// 7.1): 1 on the diagonal, and off it 1 − |i−j|/(q−1) (linear) or
// 1 − (i−j)²/(q−1)² (quadratic).
func weightMatrix(q int, scheme string) []float64 {
	w := make([]float64, q*q)
	for i := range q {
		for j := range q {
			d := math.Abs(float64(i - j))
			switch {
			case i == j:
				w[i*q+j] = 1
			case scheme == WeightsLinear:
				w[i*q+j] = 1 - d/float64(q-1)
			case scheme == WeightsQuadratic:
				w[i*q+j] = 1 - d*d/float64((q-1)*(q-1))
			}
		}
	}
	return w
}

// counts returns the units with at least two labels, the distinct annotators
// who rated one of them, and the labels they hold.
func (t *table) counts() (units, annotators, pairable int) {
	seen := make([]bool, len(t.a.Annotators))
	for u := range t.a.NumUnits() {
		rs := t.a.UnitRatings(u)
		if len(rs) < 2 {
			continue
		}
		units++
		pairable += len(rs)
		for _, r := range rs {
			if !seen[r.Annotator] {
				seen[r.Annotator] = true
				annotators++
			}
		}
	}
	return units, annotators, pairable
}

// unitAgreement is Gwet's observed agreement of one unit with n ≥ 2 ratings:
// Σ_k r_k (Σ_l w_kl r_l − 1) / (n(n−1)), the weighted share of agreeing
// ordered pairs of ratings (irrCAC's sum.q / (r_i(r_i−1))).
func (t *table) unitAgreement(counts []catCount, n int) float64 {
	var s float64
	for _, a := range counts {
		wr := float64(a.n) // identity weights: only agreeing ratings count
		if t.w != nil {
			wr = 0
			for _, b := range counts {
				wr += t.w[int(a.cat)*t.q+int(b.cat)] * float64(b.n)
			}
		}
		s += float64(a.n) * (wr - 1)
	}
	return s / float64(n*(n-1))
}

// unitDisagreement is one unit's contribution to Krippendorff's Σ o_ck δ²_ck:
// every ordered pair of its values, weighted 1/(n−1). At ratio level a unit
// of more than ratioUnitExactMax distinct values takes the quadrature of
// ratioSum instead of the pairs.
func (t *table) unitDisagreement(counts []catCount, n int) float64 {
	if t.level == Nominal {
		// δ² is 1 between distinct values: Σ_{c≠k} n_c n_k = n² − Σ n_c²,
		// in integers, so exactly the pairwise sum below.
		sq := 0
		for _, a := range counts {
			sq += int(a.n) * int(a.n)
		}
		return float64(n*n-sq) / float64(n-1)
	}
	if t.level == Ratio && len(counts) > ratioUnitExactMax {
		v := make([]float64, len(counts))
		m := make([]float64, len(counts))
		for i, a := range counts {
			v[i], m[i] = t.score[a.cat], float64(a.n)
		}
		r := &ratioScratch{}
		return ratioSum(v, m, newRatioCentres(v, m, r), r) / float64(n-1)
	}
	if t.level == Interval && len(counts) > unitPairsMax {
		return unitSpread(counts, t.score) / float64(n-1)
	}
	var s float64
	for i, a := range counts {
		for _, b := range counts[i+1:] {
			s += 2 * float64(a.n) * float64(b.n) * t.delta(int(a.cat), int(b.cat))
		}
	}
	return s / float64(n-1)
}

// unitPairsMax is the most distinct values a unit's disagreement is summed
// over pair by pair; past it the sum takes the variance identity of
// unitSpread, linear in them. Below it the pairwise sum keeps published
// figures to the bit; a unit labelled by thousands (one item every
// annotator rated) would otherwise cost the square of their number, and at
// ordinal level that much again for every bootstrap resample.
var unitPairsMax = 64 // a variable only so that tests can take the pairwise sum past it

// unitSpread is Σ over ordered pairs of the unit's values of n_a n_b
// (v_a − v_b)², as 2N Σ n_a (v_a − mean)² (N = Σ n_a), centred so that
// close values do not cancel.
func unitSpread(counts []catCount, v []float64) float64 {
	var sum, mean float64
	for _, a := range counts {
		sum += float64(a.n)
		mean += float64(a.n) * v[a.cat]
	}
	mean /= sum
	var s float64
	for _, a := range counts {
		d := v[a.cat] - mean
		s += float64(a.n) * d * d
	}
	return 2 * sum * s
}

// delta is Krippendorff's squared difference δ²(c,k) at the nominal, interval
// or ratio level (ordinal depends on the marginals: see ordinalDelta).
func (t *table) delta(c, k int) float64 {
	if c == k {
		return 0
	}
	switch t.level {
	case Interval:
		d := t.score[c] - t.score[k]
		return d * d
	case Ratio:
		// Scores are non-negative and distinct, so the sum is positive.
		d := (t.score[c] - t.score[k]) / (t.score[c] + t.score[k])
		return d * d
	}
	return 1
}

// sums are the sums over units, each counted m times, that every
// coefficient is computed from; add fills them one unit at a time, in unit
// order, so the point estimate and a bootstrap resample sum alike.
type sums struct {
	nc        []float64 // marginals of the pairable values (alpha's n_c)
	pairUnits float64   // units with two or more ratings
	pa, do    float64   // Σ m·pa and Σ m·do over the pairable units
	pA, pB    []float64 // cohen_kappa: each annotator's marginals
	nA, nB    float64
	pi        []float64 // Σ m·n_uk/n_u over the rated units (irrCAC's pi.vec)
	rated     float64
}

func (t *table) newSums() *sums {
	s := &sums{nc: make([]float64, t.q)}
	switch t.metric {
	case CohenKappa:
		s.pA, s.pB = make([]float64, t.q), make([]float64, t.q)
	case FleissKappa, ScottPi, GwetAC1, GwetAC2:
		s.pi = make([]float64, t.q)
	}
	return s
}

// add counts a unit m > 0 times: its n ratings rs, their category counts,
// and its pa and do (see table).
func (t *table) add(s *sums, m float64, n int, counts []catCount, rs []evidence.Rating, pa, do float64) {
	if n >= 2 {
		s.pairUnits += m
		for _, c := range counts {
			s.nc[c.cat] += m * float64(c.n)
		}
		s.pa += m * pa
		s.do += m * do
	}
	if s.pA != nil {
		for _, r := range rs {
			switch int(r.Annotator) {
			case t.raters[0]:
				s.pA[t.cat[r.Label]] += m
				s.nA += m
			case t.raters[1]:
				s.pB[t.cat[r.Label]] += m
				s.nB += m
			}
		}
	}
	if s.pi != nil && n > 0 {
		s.rated += m
		for _, c := range counts {
			s.pi[c.cat] += m * float64(c.n) / float64(n)
		}
	}
}

// sumBlock is how many units make a block: the share of work one goroutine
// takes at a time (eachBlock), and what sumUnits sums on its own before
// adding the block's sums to the total.
const sumBlock = 1 << 14

// sumUnits returns the sums of units 0 to n−1, which addRange adds to a
// sums. Units are summed in blocks of sumBlock, each on its own, and the
// blocks' sums added in block order: the result is the same however many
// goroutines summed the blocks, and a large file's blocks are shared
// between the cores.
func (t *table) sumUnits(n int, addRange func(s *sums, lo, hi int)) *sums {
	if t.reuse == nil {
		t.reuse = &reusable{}
	}
	total := t.reuse.total
	if total == nil {
		total = t.newSums()
		t.reuse.total = total
	} else {
		total.reset()
	}
	if n <= sumBlock {
		addRange(total, 0, n)
		return total
	}
	// Each block's sums hold a few vectors of q: keep them all only when
	// they are small. With many categories, the blocks are summed one
	// after another, their vectors adding straight into the total's in
	// unit order (the counts in nc, pA and pB are integers, exact in any
	// order); a vector per block would cost blocks × q per estimate, and
	// a bootstrap makes a thousand.
	if t.q > 1024 {
		b := new(sums)
		eachBlock(n, 1, func(_, lo, hi int) {
			*b = sums{nc: total.nc, pA: total.pA, pB: total.pB, pi: total.pi}
			addRange(b, lo, hi)
			total.mergeScalars(b)
		})
		return total
	}
	parts := make([]*sums, (n+sumBlock-1)/sumBlock)
	eachBlock(n, runtime.GOMAXPROCS(0), func(i, lo, hi int) {
		parts[i] = t.newSums()
		addRange(parts[i], lo, hi)
	})
	for _, b := range parts {
		total.merge(b)
	}
	return total
}

// eachBlock calls do once for each block i of sumBlock units of n, units
// lo to hi−1, on up to workers goroutines; with one worker, in block order
// on the caller's goroutine.
func eachBlock(n, workers int, do func(i, lo, hi int)) {
	blocks := (n + sumBlock - 1) / sumBlock
	block := func(i int) { do(i, i*sumBlock, min((i+1)*sumBlock, n)) }
	workers = min(workers, blocks)
	if workers <= 1 {
		for i := range blocks {
			block(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < blocks; i = int(next.Add(1)) - 1 {
				block(i)
			}
		}()
	}
	wg.Wait()
}

// merge adds b's sums to s's.
func (s *sums) merge(b *sums) {
	addTo(s.nc, b.nc)
	addTo(s.pA, b.pA)
	addTo(s.pB, b.pB)
	addTo(s.pi, b.pi)
	s.mergeScalars(b)
}

// mergeScalars adds b's scalar sums to s's.
func (s *sums) mergeScalars(b *sums) {
	s.pairUnits += b.pairUnits
	s.pa += b.pa
	s.do += b.do
	s.nA += b.nA
	s.nB += b.nB
	s.rated += b.rated
}

// reset zeroes s for reuse.
func (s *sums) reset() {
	*s = sums{nc: s.nc, pA: s.pA, pB: s.pB, pi: s.pi}
	clear(s.nc)
	clear(s.pA)
	clear(s.pB)
	clear(s.pi)
}

func addTo(dst, src []float64) {
	for i, x := range src {
		dst[i] += x
	}
}

// estimate computes the coefficient over the table's units, each counted
// mult[u] times (nil: once), as every bootstrap resample does. It returns
// the value, or "" and the reason it is undefined.
func (t *table) estimate(mult []int32) (float64, string) {
	times := func(u int) float64 {
		if mult == nil {
			return 1
		}
		return float64(mult[u])
	}
	s := t.sumUnits(t.units, func(s *sums, lo, hi int) {
		for u := lo; u < hi; u++ {
			m := times(u)
			if m == 0 {
				continue
			}
			var pa, do float64
			if t.pa != nil {
				pa = t.pa[u]
			}
			if t.do != nil {
				do = t.do[u]
			}
			t.add(s, m, int(t.n[u]), t.unitCounts(u), t.a.UnitRatings(u), pa, do)
		}
	})
	// Ordinal alpha's observed disagreement weighs each unit's pairs by
	// δ², the squared difference of midranks, which depend on the
	// marginals: a second pass over the units.
	ordinal := func(mid []float64) float64 {
		var do float64
		for u := range t.units {
			m := times(u)
			if t.n[u] < 2 || m == 0 {
				continue
			}
			var sum float64
			cs := t.unitCounts(u)
			if len(cs) > unitPairsMax {
				sum = unitSpread(cs, mid)
			} else {
				for j, a := range cs {
					for _, b := range cs[j+1:] {
						d := mid[b.cat] - mid[a.cat]
						sum += 2 * float64(a.n) * float64(b.n) * d * d
					}
				}
			}
			do += m * sum / float64(t.n[u]-1)
		}
		return do
	}
	return t.coefficient(s, ordinal)
}

// stream computes the point estimate in one pass over the annotations,
// keeping no per-unit figures, so a million units cost no memory beyond
// the sums. Ordinal alpha, which needs a second pass, goes through the
// table instead.
func (t *table) stream() (float64, string) {
	if t.metric == KrippendorffAlpha && t.level == Ordinal {
		t.reduceAll()
		return t.estimate(nil)
	}
	s := t.sumUnits(t.a.NumUnits(), func(s *sums, lo, hi int) {
		per := getScratch(t.q)
		defer scratch.Put(per)
		var cs []catCount
		for u := lo; u < hi; u++ {
			rs := t.a.UnitRatings(u)
			cs = t.countCats(rs, *per, cs[:0])
			var pa, do float64
			if len(rs) >= 2 {
				if t.metric == KrippendorffAlpha {
					do = t.unitDisagreement(cs, len(rs))
				} else {
					pa = t.unitAgreement(cs, len(rs))
				}
			}
			t.add(s, 1, len(rs), cs, rs, pa, do)
		}
	})
	return t.coefficient(s, nil)
}

// scratch holds count buffers of q entries for countCats, which leaves
// them zeroed. A block of units takes one and gives it back, so that many
// blocks over many categories do not cost blocks × q.
var scratch sync.Pool

func getScratch(q int) *[]int32 {
	if p, ok := scratch.Get().(*[]int32); ok && cap(*p) >= q {
		*p = (*p)[:q]
		return p
	}
	s := make([]int32, q)
	return &s
}

// countCats appends to cs the category counts of ratings rs, using per
// (zero on entry and on return) as scratch.
func (t *table) countCats(rs []evidence.Rating, per []int32, cs []catCount) []catCount {
	for _, r := range rs {
		c := t.cat[r.Label]
		if per[c] == 0 {
			cs = append(cs, catCount{cat: int32(c)})
		}
		per[c]++
	}
	for i := range cs {
		cs[i].n = per[cs[i].cat]
		per[cs[i].cat] = 0
	}
	return cs
}

// coefficient computes the metric from the sums; ordinal computes ordinal
// alpha's observed disagreement from the categories' midranks.
func (t *table) coefficient(s *sums, ordinal func(mid []float64) float64) (float64, string) {
	// The marginals of the pairable values decide no_pairable_units and
	// no_variation for every metric.
	if s.pairUnits == 0 {
		return 0, NoPairableUnits
	}
	distinct := 0
	for _, n := range s.nc {
		if n > 0 {
			if distinct++; distinct == 2 {
				break
			}
		}
	}
	if distinct < 2 {
		return 0, NoVariation
	}
	switch t.metric {
	case KrippendorffAlpha:
		return t.alpha(s, ordinal)
	case PercentAgreement:
		// Gwet's observed agreement p_a, the mean unit agreement; with
		// identity weights it is percent agreement.
		return s.pa / s.pairUnits, ""
	}
	return t.chanceCorrected(s)
}

// chanceCorrected computes (p_a − p_e)/(1 − p_e) for Cohen's kappa, Fleiss'
// kappa, Scott's pi and Gwet's AC1/AC2, with p_e from every rating (irrCAC).
func (t *table) chanceCorrected(s *sums) (float64, string) {
	pa := s.pa / s.pairUnits
	var pe float64
	q := t.q
	if t.metric == CohenKappa {
		// Each annotator's own marginals over every unit they rated
		// (irrCAC conger.kappa.raw, which is Cohen's kappa for two raters):
		// p_e = Σ_kl w_kl p_Ak p_Bl.
		if s.nA == 0 || s.nB == 0 {
			// Only a resample can lose an annotator; with two annotators
			// and pairable units both have ratings.
			return 0, NoPairableUnits
		}
		pe = t.quadForm(s.pA, s.pB) / (s.nA * s.nB)
	} else {
		// π_k: the mean over every rated unit of the unit's share of
		// ratings in category k (irrCAC's pi.vec), so a unit one annotator
		// rated still informs chance agreement.
		pi := s.pi
		for k := range pi {
			pi[k] /= s.rated
		}
		switch t.metric {
		case GwetAC1, GwetAC2:
			// p_e = T_w/(q(q−1)) Σ_k π_k(1 − π_k), T_w the sum of the
			// weights. q ≥ 2 here: two categories hold pairable values.
			tw := float64(q)
			if t.w != nil {
				tw = 0
				for _, x := range t.w {
					tw += x
				}
			}
			var sum float64
			for _, p := range pi {
				sum += p * (1 - p)
			}
			pe = tw / float64(q*(q-1)) * sum
		default: // Fleiss' kappa, Scott's pi: p_e = Σ_kl w_kl π_k π_l.
			pe = t.quadForm(pi, pi)
		}
	}
	if 1-pe <= 1e-12 {
		return 0, ChanceAgreementOne
	}
	return (pa - pe) / (1 - pe), ""
}

// quadForm is Σ_kl w_kl x_k y_l; with identity weights Σ_k x_k y_k.
func (t *table) quadForm(x, y []float64) float64 {
	var s float64
	if t.w == nil {
		for k := range x {
			s += x[k] * y[k]
		}
		return s
	}
	q := t.q
	for k := range q {
		if x[k] == 0 {
			continue
		}
		for l := range q {
			s += t.w[k*q+l] * x[k] * y[l]
		}
	}
	return s
}

// alpha is Krippendorff's alpha from the coincidence matrix:
// α = 1 − (n−1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck, with nc the marginals
// n_c of the pairable values.
func (t *table) alpha(s *sums, ordinal func(mid []float64) float64) (float64, string) {
	nc := s.nc
	// present lists the categories holding pairable values: only they
	// enter the expected disagreement. (One pass over the categories, as
	// few as can be: a bootstrap makes a thousand.)
	if t.reuse == nil {
		t.reuse = &reusable{}
	}
	// Sized at once: grown by appending, a file of distinct values would
	// copy it over and over.
	present := slices.Grow(t.reuse.present[:0], t.q)
	defer func() { t.reuse.present = present }()
	var n float64
	for c, x := range nc {
		if x > 0 {
			present = append(present, c)
			n += x
		}
	}
	var do, de float64
	switch t.level {
	case Ordinal:
		// δ(c,k) = Σ_{g=c..k} n_g − (n_c + n_k)/2 for c ≤ k, which is
		// p_k − p_c with p_c = Σ_{g<c} n_g + n_c/2, the category's midrank
		// among the pairable values. So ordinal alpha is interval alpha on
		// midranks, and the expected disagreement takes the variance
		// identity below instead of a loop over pairs of categories (which
		// many distinct values make quadratic). The midranks depend on the
		// marginals, so they are recomputed per resample.
		mid := slices.Grow(t.reuse.mid[:0], t.q)[:t.q]
		t.reuse.mid = mid
		// Only the present categories' midranks are read: the others
		// hold no pairable value of this estimate.
		var cum float64
		for _, c := range present {
			mid[c] = cum + nc[c]/2
			cum += nc[c]
		}
		do = ordinal(mid)
		de = spread(nc, mid, present, n)
	default:
		do = s.do
		switch t.level {
		case Nominal:
			// Σ_{c≠k} n_c n_k = n² − Σ n_c², without a q×q loop: free-text
			// labels can make q large.
			var sq float64
			for _, x := range nc {
				sq += x * x
			}
			de = n*n - sq
		case Interval:
			de = spread(nc, t.score, present, n)
		default:
			if len(present) > ratioExactMax {
				de = t.ratioExpected(nc, present)
				break
			}
			for j, c := range present {
				for _, k := range present[j+1:] {
					de += 2 * nc[c] * nc[k] * t.delta(c, k)
				}
			}
		}
	}
	if de <= 0 {
		// Two distinct categories always disagree under every metric,
		// so this is a guard, not a reachable case.
		return 0, NoVariation
	}
	return 1 - (n-1)*do/de, ""
}

// ratioExpected is ratio alpha's Σ_ck n_c n_k δ²_ck over the present
// categories by the quadrature of ratioSum, in time linear in their number.
func (t *table) ratioExpected(nc []float64, present []int) float64 {
	r := t.reuse
	v, n := r.rv[:0], r.rn[:0]
	for _, c := range present {
		v = append(v, t.score[c])
		n = append(n, nc[c])
	}
	r.rv, r.rn = v, n
	centres := t.ratio
	if centres == nil {
		centres = newRatioCentres(v, n, &r.rq)
	}
	return ratioSum(v, n, centres, &r.rq)
}

// spread is Σ_ck n_c n_k (v_c − v_k)² over the present categories, as
// 2n Σ_c n_c (v_c − mean)², n = Σ n_c: linear in the categories, and the
// centred form avoids cancellation on large values.
func spread(nc, v []float64, present []int, n float64) float64 {
	var mean float64
	for _, c := range present {
		mean += nc[c] * v[c]
	}
	mean /= n
	var s float64
	for _, c := range present {
		d := v[c] - mean
		s += nc[c] * d * d
	}
	return 2 * n * s
}

// LabelError is a label the coefficient cannot be computed with; the
// caller can point at the row that holds it.
type LabelError struct {
	Label  string // the label as the file spells it
	Reason string
}

func (e *LabelError) Error() string { return fmt.Sprintf("label %q %s", e.Label, e.Reason) }

// scaleScores divides the scores by the power of two at or above the
// largest magnitude, which changes neither alpha (interval alpha is
// invariant under scaling, ratio's δ is a ratio) nor any rounding, so that
// no sum or square of scores passes the largest float however large the
// labels. At interval level a pair of labels whose squared difference is
// itself past the largest float is refused: SPEC §3 makes such a number
// a finding on its row rather than a value computed in another unit. So is,
// at ratio level, a positive label that scales below 2^-1000: floats do not
// hold its ratio to the largest one (scaled, it would lose digits or
// become 0, and 0/0 is no δ), and ratioSum's nodes would pass the largest
// float.
func scaleScores(score []float64, names []string, level string) ([]float64, error) {
	if len(score) == 0 {
		return score, nil
	}
	lo, hi := 0, 0
	for c, v := range score {
		if v < score[lo] {
			lo = c
		}
		if v > score[hi] {
			hi = c
		}
	}
	if level == Interval {
		if d := score[hi] - score[lo]; math.IsInf(d*d, 0) {
			far := hi
			if math.Abs(score[lo]) > math.Abs(score[hi]) {
				far = lo
			}
			return nil, &LabelError{Label: names[far], Reason: fmt.Sprintf(
				"is too large for interval alpha: its squared difference from %q passes the largest float (%.3g)",
				names[hi+lo-far], math.MaxFloat64)}
		}
	}
	top := max(math.Abs(score[lo]), math.Abs(score[hi]))
	if top == 0 {
		return score, nil
	}
	_, exp := math.Frexp(top) // top < 2^exp
	scaled := make([]float64, len(score))
	for c, v := range score {
		scaled[c] = math.Ldexp(v, -exp)
		if level == Ratio && v > 0 && scaled[c] < ratioSmallest {
			return nil, &LabelError{Label: names[c], Reason: fmt.Sprintf(
				"is too small for ratio alpha beside %q: their ratio passes 2^1000 (%.3g), more than floats resolve",
				names[hi], math.Ldexp(1, 1000))}
		}
	}
	return scaled, nil
}

// ratioSmallest is the smallest positive score ratio alpha takes once the
// scores are scaled below 1.
var ratioSmallest = math.Ldexp(1, -1000)
