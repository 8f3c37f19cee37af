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
// exp(−π²/h), below 1e-15 relative.
//
// The nodes are s_i = s₁ 2^{i/K}, K = ratioChains, for every integer i:
//   - below s₁ (i < 0), where s·|v − m| ≤ 1/4 for every value, the
//     integrand is a power series in s whose coefficients are the moments
//     of the values about their mean m: each node costs no pass over the
//     values, and they reach down until s² is negligible;
//   - from s₁ up (i ≥ 0), each value takes part in the nodes where
//     ε ≤ s·v < T: where s·v ≥ T its weight e^{−sv} is negligible, and
//     where s·v < ε it is counted as a zero (its pairs with the values in
//     play there change by O(ε)), so that a value costs the same few dozen
//     nodes however far below the largest value it lies. Along one chain
//     (i mod K) s doubles, so e^{−sv} is the square of its value one
//     octave down: one exp per value and chain while s·v < 1, squaring
//     after that (which doubles its relative error per octave, harmless
//     where the weights still count).
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

var (
	ratioS1  = 0.25               // s₁; values lie in [0, 1) after scaleScores
	ratioEps = math.Ldexp(1, -50) // ε: below it, s·v counts as zero (error O(ε))
	ratioT   = 40.0               // T: e^{−T}(T+1) < 2e-16
	// ratioStep[k] is 2^{k/K}, the factor from a chain's first node.
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
// binary exponent so that no logarithm is needed.
func ratioWindow(v float64) (j0, j1 int) {
	_, e := math.Frexp(v) // 2^(e−1) ≤ v < 2^e
	// s₁ = 2^-2, ε = 2^-50: s₁2^j v < 2^(j−2+e) ≤ ε once j ≤ −48−e.
	j0 = max(0, -47-e)
	// s₁2^j v ≥ 2^(j−3+e) ≥ T = 40 once j ≥ 9−e (2^6 = 64 ≥ 40).
	j1 = max(j0, 9-e)
	return j0, j1
}

// ratioSum computes Σ_ck n_c n_k δ²(c,k) over ordered pairs at ratio level,
// for values v[i] ≥ 0 (in [0, 1)) counted n[i] > 0 times, in time linear
// in their number. The moments' centres come from cn (nil: computed from
// v and n themselves).
type ratioCentres struct {
	m  float64   // the weighted mean of the values, the series' centre
	mu []float64 // each node's weighted mean, node i ≥ 0
}

// ratioScratch holds the per-node sums of one computation.
type ratioScratch struct {
	p0, q1, q2 []float64
	lump       []float64
}

func (r *ratioScratch) reset(nodes, octaves int) {
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
	r.lump = grow(r.lump, octaves+1)
}

// ratioOctaves is the number of octaves from s₁ up that any of the values
// takes part in.
func ratioOctaves(v []float64) int {
	octaves := 0
	for _, x := range v {
		if x > 0 {
			_, j1 := ratioWindow(x)
			octaves = max(octaves, j1)
		}
	}
	return octaves
}

// ratioNode returns s at upper node i = jK + k.
func ratioNode(i int) float64 {
	return math.Ldexp(ratioS1*ratioStep[i%ratioChains], i/ratioChains)
}

// weights calls f for every node i at which the value v > 0 is in play,
// with s_i and e^{−s_i v}, octave by octave.
func ratioWeights(v float64, f func(i int, s, w float64)) {
	j0, j1 := ratioWindow(v)
	var w [ratioChains]float64
	for j := j0; j < j1; j++ {
		base := math.Ldexp(ratioS1, j)
		fresh := j == j0 || base*v < 1
		for k := range ratioChains {
			s := base * ratioStep[k]
			if fresh {
				w[k] = math.Exp(-s * v)
			} else {
				w[k] *= w[k]
			}
			f(j*ratioChains+k, s, w[k])
		}
	}
}

// newRatioCentres computes the centres of values v counted n times.
func newRatioCentres(v, n []float64) *ratioCentres {
	c := &ratioCentres{}
	var total float64
	for i, x := range v {
		c.m += n[i] * x
		total += n[i]
	}
	c.m /= total
	octaves := ratioOctaves(v)
	nodes := octaves * ratioChains
	p0 := make([]float64, nodes)
	p1 := make([]float64, nodes)
	lump := make([]float64, octaves+1)
	for i, x := range v {
		ni := n[i]
		if x == 0 {
			lump[0] += ni
			continue
		}
		j0, _ := ratioWindow(x)
		lump[0] += ni
		lump[j0] -= ni
		ratioWeights(x, func(i int, _, w float64) {
			p0[i] += ni * w
			p1[i] += ni * w * x
		})
	}
	c.mu = make([]float64, nodes)
	var l float64
	for i := range nodes {
		if i%ratioChains == 0 {
			l += lump[i/ratioChains]
		}
		if d := p0[i] + l; d > 0 {
			c.mu[i] = p1[i] / d
		}
	}
	return c
}

// ratioSum is Σ_ck n_c n_k δ²(c,k) over ordered pairs of the values v
// (in [0, 1)), counted n times, by the quadrature above; c are centres
// from these values or from the sample they were resampled from, whose
// values include these.
func ratioSum(v, n []float64, c *ratioCentres, r *ratioScratch) float64 {
	nodes := len(c.mu)
	octaves := nodes / ratioChains
	r.reset(nodes, octaves)
	p0, q1, q2, lump := r.p0, r.q1, r.q2, r.lump
	// The moments about m for the series below s₁.
	var mom [ratioSeries + 3]float64
	for i, x := range v {
		ni := n[i]
		if ni == 0 {
			continue
		}
		d, p := x-c.m, ni
		for q := range mom {
			mom[q] += p
			p *= d
		}
		if x == 0 {
			lump[0] += ni
			continue
		}
		j0, _ := ratioWindow(x)
		lump[0] += ni
		lump[j0] -= ni
		mu := c.mu
		ratioWeights(x, func(i int, s, w float64) {
			nw := ni * w
			y := (x - mu[i]) * s
			t := nw * y
			p0[i] += nw
			q1[i] += t
			q2[i] += t * y
		})
	}
	var sum, l float64
	for i := range nodes {
		if i%ratioChains == 0 {
			l += lump[i/ratioChains]
		}
		// The values counted as zeros.
		s := ratioNode(i)
		y := -c.mu[i] * s
		a0, a1, a2 := p0[i]+l, q1[i]+l*y, q2[i]+l*y*y
		sum += a0*a2 - a1*a1
	}
	// Below s₁: A_j(s) = e^{−sm} Σ_p (−s)^p/p! C_{j+p}.
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
