package stats

import "math"

// Ratio alpha's δ², ((a−b)/(a+b))², has no finite decomposition into
// functions of a and of b, so the sum over every pair of values that its
// expected disagreement takes is quadratic in the distinct values. It is an
// integral instead: for a+b > 0, 1/(a+b)² = ∫_0^∞ s e^{−s(a+b)} ds, so
//
//	Σ_ck n_c n_k δ²(c,k) = ∫_0^∞ s · 2(A_0 A_2 − A_1²)(s) ds,
//	A_j(s) = Σ_c n_c (v_c − μ)^j e^{−s v_c},
//
// for any centre μ, and A_0 A_2 − A_1² is linear in the values at each s.
// With s = e^u the integrand is analytic in the strip |Im u| < π/2 and
// decays on both sides, so the trapezoid rule in u converges
// exponentially: with h = ln 2 / ratioChains its error is about
// exp(−π²/h) = 3e-19 relative, and rounding leaves the sum within a few
// 1e-15 of the pairwise one.
//
// The nodes are s_i = s₁ 2^{i/K}, K = ratioChains, for every integer i:
//   - below s₁ (i < 0), where s·|v − m| ≤ 1/4 for every value, the
//     integrand is a power series in s whose coefficients are the moments
//     of the values about their mean m: each node costs no pass over the
//     values, and they reach down until s² is negligible;
//   - from s₁ up (i ≥ 0), each value takes part in the nodes where
//     ε ≤ s·v < T: where s·v ≥ T its weight e^{−sv} is negligible, and
//     where s·v < ε it is counted as a zero (its pairs with the values in
//     play there change by O(ε)), so that a value costs at most 56
//     octaves of nodes however far below the largest value it lies (9
//     within a factor 2 of it). Along one chain
//     (i mod K) s doubles, so e^{−sv} is the square of its value one
//     octave down: one exp per value and chain, then a multiplication per
//     node. While the weight w is above 1/2 its complement 1 − w is
//     carried instead (1 − w² = (1 − w)(2 − (1 − w))), which keeps its
//     relative precision where w itself would lose it; below 1/2 squaring
//     doubles w's relative error per octave, a few units in the last place
//     by the time the weights stop counting.
//
// Each node's values are centred on that node's weighted mean (of the full
// sample, for a bootstrap resample), so that values that differ in their
// tenth digit do not cancel.
const (
	ratioChains = 3  // nodes per octave of s
	ratioSeries = 14 // terms of the power series below s₁
	ratioLowOct = 32 // octaves below s₁: s² < 2^-68 there
)

// ratioExactMax is the most distinct values whose expected disagreement is
// still summed pair by pair, as it always was: up to it the published
// figures stay what they were to the last digit, and a bootstrap resample
// costs a few million operations at most. ratioUnitExactMax is the same
// bound for one unit's observed disagreement, which a unit holding
// thousands of distinct values would make quadratic too. (Variables so
// that the tests can hold the quadrature to the pairwise sums.)
var ratioExactMax, ratioUnitExactMax = 2048, 256

// s₁ is 1/4, the values lying in [0, 1) after scaleScores; ε is 2^-50
// (the error of counting a value as zero is O(ε)); T is 40 (e^{−T}(T+1) <
// 2e-16): see ratioWindow.
const ratioS1 = 0.25

var (
	// ratioStep[k] is 2^{k/K}, the factor from an octave's first node.
	ratioStep = func() [ratioChains]float64 {
		var f [ratioChains]float64
		for k := range f {
			f[k] = math.Exp2(float64(k) / ratioChains)
		}
		return f
	}()
)

// ratioWindow returns the octaves [j0, j1) in which a value v > 0 takes part:
// s₁2^j v < ε for j < j0 and s₁2^j v ≥ T for j ≥ j1, bounds taken from v's
// binary exponent so that no logarithm is needed. v ≥ 2^-1000 (scaleScores
// refuses smaller), so s stays below 2^1008, a float.
func ratioWindow(v float64) (j0, j1 int) {
	_, e := math.Frexp(v) // 2^(e−1) ≤ v < 2^e
	// s₁ = 2^-2, ε = 2^-50: s₁2^j v < 2^(j−2+e) ≤ ε once j ≤ −48−e.
	j0 = max(0, -47-e)
	// s₁2^j v ≥ 2^(j−3+e) ≥ 64 > T once j ≥ 9−e.
	j1 = max(j0, 9-e)
	return j0, j1
}

// ratioCentres are the centres of the quadrature's sums.
type ratioCentres struct {
	m  float64   // the weighted mean of the values, the series' centre
	mu []float64 // each node's weighted mean (node i ≥ 0)
}

// ratioScratch holds the per-node sums of one pass over the values.
type ratioScratch struct {
	p0, q1, q2 []float64
	lump       []float64 // by octave: the counts that start or stop counting as zeros
	mom        [ratioSeries + 3]float64
}

func (r *ratioScratch) reset(nodes int) {
	grow := func(x []float64, n int) []float64 {
		if cap(x) < n {
			return make([]float64, n)
		}
		x = x[:n]
		clear(x)
		return x
	}
	r.p0 = grow(r.p0, nodes)
	r.q1 = grow(r.q1, nodes)
	r.q2 = grow(r.q2, nodes)
	r.lump = grow(r.lump, nodes/ratioChains+1)
	r.mom = [ratioSeries + 3]float64{}
}

// ratioNode returns s at node i ≥ 0, i = jK + k.
func ratioNode(i int) float64 {
	return math.Ldexp(ratioS1*ratioStep[i%ratioChains], i/ratioChains)
}

// pass sums over the values v counted n times (a count of 0 skips one):
// at each node i ≥ 0, p0 = Σ n w and, with mu nil, q1 = Σ n w v (the centres'
// pass); else q1 = Σ n w y, q2 = Σ n w y² with y = s(v − mu_i). The values
// counted as zeros at a node are left in lump, by octave; with mu non-nil,
// the moments about m for the series go to mom.
func (r *ratioScratch) pass(v, n []float64, m float64, mu []float64) {
	p0, q1, q2, lump := r.p0, r.q1, r.q2, r.lump
	nodes := len(p0)
	for c, x := range v {
		nc := n[c]
		if nc == 0 {
			continue
		}
		if mu != nil {
			d, p := x-m, nc
			for q := range r.mom {
				r.mom[q] += p
				p *= d
			}
		}
		if x == 0 {
			lump[0] += nc
			continue
		}
		j0, j1 := ratioWindow(x)
		lump[0] += nc
		lump[j0] -= nc
		j1 = min(j1, nodes/ratioChains)
		if j1 <= j0 {
			continue
		}
		// The three chains by hand (ratioChains is 3): their weights and
		// s in registers, the node sums sliced to the value's window.
		lo, hi := j0*ratioChains, j1*ratioChains
		p0w, q1w, q2w := p0[lo:hi], q1[lo:hi], q2[lo:hi]
		s0 := math.Ldexp(ratioS1, j0)
		s1, s2 := s0*ratioStep[1], s0*ratioStep[2]
		e0, e1, e2 := -math.Expm1(-s0*x), -math.Expm1(-s1*x), -math.Expm1(-s2*x)
		w0, w1, w2 := 1-e0, 1-e1, 1-e2
		if mu == nil {
			for i := 0; i+2 < len(p0w); i += 3 {
				if i > 0 {
					e0, w0 = squared(e0, w0)
					e1, w1 = squared(e1, w1)
					e2, w2 = squared(e2, w2)
				}
				n0, n1, n2 := nc*w0, nc*w1, nc*w2
				p0w[i] += n0
				p0w[i+1] += n1
				p0w[i+2] += n2
				q1w[i] += n0 * x
				q1w[i+1] += n1 * x
				q1w[i+2] += n2 * x
			}
			continue
		}
		muw := mu[lo:hi]
		for i := 0; i+2 < len(p0w); i += 3 {
			if i > 0 {
				e0, w0 = squared(e0, w0)
				e1, w1 = squared(e1, w1)
				e2, w2 = squared(e2, w2)
				s0, s1, s2 = 2*s0, 2*s1, 2*s2
			}
			n0, n1, n2 := nc*w0, nc*w1, nc*w2
			y0, y1, y2 := (x-muw[i])*s0, (x-muw[i+1])*s1, (x-muw[i+2])*s2
			t0, t1, t2 := n0*y0, n1*y1, n2*y2
			p0w[i] += n0
			p0w[i+1] += n1
			p0w[i+2] += n2
			q1w[i] += t0
			q1w[i+1] += t1
			q1w[i+2] += t2
			q2w[i] += t0 * y0
			q2w[i+1] += t1 * y1
			q2w[i+2] += t2 * y2
		}
	}
}

// The pass writes the chains out by hand.
var _ = [1]int{}[ratioChains-3]

// squared returns the weight one octave up, e^{−2sv} from w = e^{−sv} and
// e = 1 − w: the complement while the weight is above 1/2, where squaring
// w would lose e's digits.
func squared(e, w float64) (float64, float64) {
	if e < 0.5 {
		e *= 2 - e
		return e, 1 - e
	}
	return e, w * w
}

// newRatioCentres computes the centres of values v (in [0, 1)) counted n
// times.
func newRatioCentres(v, n []float64, r *ratioScratch) *ratioCentres {
	c := &ratioCentres{}
	var total float64
	octaves := 0
	for i, x := range v {
		c.m += n[i] * x
		total += n[i]
		if x > 0 {
			_, j1 := ratioWindow(x)
			octaves = max(octaves, j1)
		}
	}
	c.m /= total
	nodes := octaves * ratioChains
	r.reset(nodes)
	r.pass(v, n, 0, nil)
	c.mu = make([]float64, nodes)
	var l float64
	for i := range nodes {
		if i%ratioChains == 0 {
			l += r.lump[i/ratioChains]
		}
		// The values counted as zeros weigh 1 and add nothing to Σ n w v.
		if d := r.p0[i] + l; d > 0 {
			c.mu[i] = r.q1[i] / d
		}
	}
	return c
}

// ratioSum is Σ_ck n_c n_k δ²(c,k) over ordered pairs of the values v (in
// [0, 1)) counted n times, by the quadrature above; c are centres from
// these values or from the sample they were resampled from, whose values
// include these.
func ratioSum(v, n []float64, c *ratioCentres, r *ratioScratch) float64 {
	nodes := len(c.mu)
	r.reset(nodes)
	r.pass(v, n, c.m, c.mu)
	var sum, l float64
	for i := range nodes {
		if i%ratioChains == 0 {
			l += r.lump[i/ratioChains]
		}
		// The values counted as zeros, at y = −s·mu_i.
		y := -c.mu[i] * ratioNode(i)
		a0, a1, a2 := r.p0[i]+l, r.q1[i]+l*y, r.q2[i]+l*y*y
		sum += a0*a2 - a1*a1
	}
	// Below s₁: A_j(s) = e^{−sm} Σ_p (−s)^p/p! C_{j+p}, the C the moments
	// about m.
	mom := &r.mom
	for i := -1; i >= -ratioLowOct*ratioChains; i-- {
		k := ((i % ratioChains) + ratioChains) % ratioChains
		s := math.Ldexp(ratioS1*ratioStep[k], (i-k)/ratioChains)
		var a [3]float64
		for j := range a {
			term := 1.0
			for p := 0; p <= ratioSeries; p++ {
				a[j] += term * mom[j+p]
				term *= -s / float64(p+1)
			}
		}
		sum += s * s * math.Exp(-2*s*c.m) * (a[0]*a[2] - a[1]*a[1])
	}
	return 2 * sum * math.Ln2 / ratioChains
}
