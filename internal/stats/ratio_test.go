package stats

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// ratioPairs is Σ_ck n_c n_k δ²(c,k) over ordered pairs of distinct values,
// term by term with compensated summation: the definition the quadrature
// of ratioSum replaces.
func ratioPairs(v, n []float64) float64 {
	var s, comp float64
	for i := range v {
		for j := range v {
			if v[i] == v[j] {
				continue
			}
			d := (v[i] - v[j]) / (v[i] + v[j])
			y := n[i]*n[j]*d*d - comp
			t := s + y
			comp = (t - s) - y
			s = t
		}
	}
	return s
}

// ratioSets draws distinct values of several shapes: spread evenly,
// clustered (1e6 to 1e6+1, where δ² is about 1e-13), over 300 decades,
// with zeros, integers, two values only.
func ratioSets(rng *rand.Rand, size int) map[string][]float64 {
	draw := func(f func(i int) float64) []float64 {
		seen := map[float64]bool{}
		var v []float64
		for i := 0; len(v) < size; i++ {
			if x := f(i); !seen[x] {
				seen[x] = true
				v = append(v, x)
			}
		}
		return v
	}
	return map[string][]float64{
		"uniform":   draw(func(int) float64 { return rng.Float64() }),
		"clustered": draw(func(int) float64 { return 1e6 + rng.Float64() }),
		"wide":      draw(func(int) float64 { return math.Pow(10, -300*rng.Float64()) }),
		"zero": draw(func(i int) float64 {
			if i == 0 {
				return 0
			}
			return math.Pow(10, -20*rng.Float64())
		}),
		"integers": draw(func(int) float64 { return float64(1 + rng.IntN(100_000)) }),
		"two":      {3, 7},
	}
}

// TestRatioSumMatchesPairs holds the quadrature to the pairwise sum, to
// 1e-12 relative, on values of every shape and up to several thousand of
// them, scaled as alpha scales them.
func TestRatioSumMatchesPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	worst := 0.0
	defer func() { t.Logf("largest relative difference %.2g", worst) }()
	for _, size := range []int{2, 50, 700, 4000} {
		for name, raw := range ratioSets(rng, size) {
			names := make([]string, len(raw))
			v, err := scaleScores(raw, names, Ratio)
			if err != nil {
				t.Fatal(err)
			}
			n := make([]float64, len(v))
			for i := range n {
				n[i] = float64(1 + rng.IntN(40))
			}
			want := ratioPairs(v, n)
			got := ratioSum(v, n, newRatioCentres(v, n, &ratioScratch{}), &ratioScratch{})
			rel := math.Abs(got-want) / want
			worst = max(worst, rel)
			if !(rel <= 1e-12) {
				t.Errorf("%s, %d values: quadrature %.17g, pairwise %.17g (relative %.2g)", name, len(v), got, want, rel)
			}
		}
	}
}

// ratioUnits builds units of two to four ratings whose values are drawn from
// values, and returns them with the unit values reference takes.
func ratioUnits(rng *rand.Rand, values []float64, units int) (*evidence.Annotations, [][]float64) {
	b := newBuilder()
	var vs [][]float64
	for range units {
		var rs [][2]string
		var u []float64
		for j := range 2 + rng.IntN(3) {
			x := values[rng.IntN(len(values))]
			u = append(u, x)
			rs = append(rs, [2]string{"r" + strconv.Itoa(j), strconv.FormatFloat(x, 'g', -1, 64)})
		}
		b.unit(rs...)
		vs = append(vs, u)
	}
	return &b.a, vs
}

// TestRatioManyValuesMatchReference compares ratio alpha over more distinct
// values than ratioExactMax, where the quadrature computes the expected
// disagreement, with the brute-force reference of differential_test.go
// (a sum over every ordered pair of pairable ratings), to 1e-9; one file
// also has units of more than ratioUnitExactMax distinct values.
func TestRatioManyValuesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	compared := 0
	for name, values := range ratioSets(rng, 3000) {
		if len(values) < 3000 {
			continue
		}
		a, units := ratioUnits(rng, values, 2500)
		got, err := ComputeAgreement(a, AgreementOptions{Level: Ratio})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, ok := reference("alpha_ratio", units)
		if !ok || got.Value == nil {
			t.Fatalf("%s: ours %s (%s), reference defined %v", name, fmtPtr(got.Value), got.Undefined, ok)
		}
		if !(math.Abs(*got.Value-want) <= 1e-9) {
			t.Errorf("%s: ours %.15f, reference %.15f", name, *got.Value, want)
		}
		compared++
	}
	if compared != 5 {
		t.Fatalf("compared %d files", compared)
	}

	// Units of 400 ratings each, of distinct values.
	b := newBuilder()
	var units [][]float64
	for u := range 6 {
		var rs [][2]string
		var vs []float64
		for j := range 400 {
			x := float64(1 + rng.IntN(1_000_000))
			if u%2 == 0 {
				x = 1e6 + float64(rng.IntN(1000))
			}
			vs = append(vs, x)
			rs = append(rs, [2]string{"r" + strconv.Itoa(j), strconv.FormatFloat(x, 'g', -1, 64)})
		}
		b.unit(rs...)
		units = append(units, vs)
	}
	got, err := ComputeAgreement(&b.a, AgreementOptions{Level: Ratio})
	if err != nil || got.Value == nil {
		t.Fatalf("large units: %s %v", fmtPtr(got.Value), err)
	}
	if want, _ := reference("alpha_ratio", units); !(math.Abs(*got.Value-want) <= 1e-9) {
		t.Errorf("large units: ours %.15f, reference %.15f", *got.Value, want)
	}
}

// TestRatioBootstrapQuadrature: with the quadrature forced on a file of
// fewer than ratioExactMax distinct values (its centres from the full
// sample, shared by every resample), the bootstrap interval is the one the
// pairwise sums give, to 1e-9.
func TestRatioBootstrapQuadrature(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for name, values := range ratioSets(rng, 1500) {
		if len(values) < 1500 {
			continue
		}
		a, _ := ratioUnits(rng, values, 1200)
		opt := AgreementOptions{Level: Ratio}
		lo, hi, err := Bootstrap(a, opt, 200, 7)
		if err != nil || lo == nil {
			t.Fatalf("%s: %v %v", name, lo, err)
		}
		func() {
			defer func(e, u int) { ratioExactMax, ratioUnitExactMax = e, u }(ratioExactMax, ratioUnitExactMax)
			ratioExactMax, ratioUnitExactMax = 1, 1
			qlo, qhi, err := Bootstrap(a, opt, 200, 7)
			if err != nil || qlo == nil {
				t.Fatalf("%s: %v %v", name, qlo, err)
			}
			if !(math.Abs(*qlo-*lo) <= 1e-9 && math.Abs(*qhi-*hi) <= 1e-9) {
				t.Errorf("%s: quadrature [%.15f, %.15f], pairwise [%.15f, %.15f]", name, *qlo, *qhi, *lo, *hi)
			}
		}()
	}
}

// TestRatioPastExactBound: past ratioExactMax distinct values ratio alpha
// and its bootstrap are computed (they used to be refused), and the value
// is the reference's.
func TestRatioPastExactBound(t *testing.T) {
	b := newBuilder()
	var units [][]float64
	for i := range 1025 {
		b.unit([2]string{"a", strconv.Itoa(2*i + 1)}, [2]string{"b", strconv.Itoa(2*i + 2)})
		units = append(units, []float64{float64(2*i + 1), float64(2*i + 2)})
	}
	got, err := ComputeAgreement(&b.a, AgreementOptions{Level: Ratio})
	if err != nil || got.Value == nil {
		t.Fatalf("%s %v", fmtPtr(got.Value), err)
	}
	if want, _ := reference("alpha_ratio", units); !(math.Abs(*got.Value-want) <= 1e-9) {
		t.Errorf("ours %.15f, reference %.15f", *got.Value, want)
	}
	lo, hi, err := Bootstrap(&b.a, AgreementOptions{Level: Ratio}, 20, 1)
	if err != nil || lo == nil || hi == nil || !(*lo <= *got.Value && *got.Value <= *hi) {
		t.Fatalf("bootstrap %s %s %v around %v", fmtPtr(lo), fmtPtr(hi), err, *got.Value)
	}
}
