package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// publishedCase returns the named case of testdata/agreement/cases.json.
func publishedCase(t *testing.T, name string) agreementCase {
	t.Helper()
	for _, c := range loadCases(t) {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no case %q", name)
	return agreementCase{}
}

// TestBootstrapDeterministic checks that one seed always gives one interval
// (the record's CI must not flicker between CI runs) and that the interval
// brackets the point estimate on published cases, with SPEC's 1000 resamples
// and seed 1.
func TestBootstrapDeterministic(t *testing.T) {
	for _, name := range []string{"kalpha_k2011_C_nominal_missing", "fleiss_1971_diagnoses", "cohen_gwet2014_ex3_2_quadratic_missing"} {
		t.Run(name, func(t *testing.T) {
			c := publishedCase(t, name)
			a, opt := c.annotations(t), c.options(t)
			low, high, err := Bootstrap(a, opt, 1000, 1)
			if err != nil {
				t.Fatal(err)
			}
			if low == nil || high == nil {
				t.Fatal("no interval")
			}
			low2, high2, err := Bootstrap(a, opt, 1000, 1)
			if err != nil || *low2 != *low || *high2 != *high {
				t.Errorf("second run [%v, %v] (%v), first [%v, %v]: want identical", *low2, *high2, err, *low, *high)
			}
			point, err := ComputeAgreement(a, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !(*low <= *point.Value && *point.Value <= *high) {
				t.Errorf("interval [%v, %v] does not contain the estimate %v", *low, *high, *point.Value)
			}
			if !(*low < *high) {
				t.Errorf("interval [%v, %v] is empty", *low, *high)
			}
			t.Logf("%s = %.4f, 95%% CI [%.4f, %.4f]", point.Metric, *point.Value, *low, *high)

			// Another seed draws other resamples; the interval moves but
			// stays an interval.
			low3, high3, err := Bootstrap(a, opt, 1000, 2)
			if err != nil || low3 == nil || high3 == nil || *low3 > *high3 {
				t.Errorf("seed 2: [%s, %s] (%v)", fmtPtr(low3), fmtPtr(high3), err)
			}
		})
	}
}

// TestBootstrapPinned pins the interval of Krippendorff's section C data
// (nominal alpha 0.743) with SPEC's 1000 resamples and seed 1. Records quote
// this interval: if it moves, the resampling scheme (generator, seeding,
// draw order, quantile) changed, and every published ci_low/ci_high with it.
func TestBootstrapPinned(t *testing.T) {
	low, high, err := Bootstrap(k2011C(), AgreementOptions{}, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !approx(*low, 0.43150450639768378) || *high != 1 {
		t.Errorf("interval [%.17g, %.17g], want [0.43150450639768378, 1]", *low, *high)
	}
}

// TestBootstrapUndefined checks that undefined resamples are skipped and
// that no defined resample at all gives no interval rather than [0, 0].
func TestBootstrapUndefined(t *testing.T) {
	same := newBuilder()
	for range 5 {
		same.unit([2]string{"a", "x"}, [2]string{"b", "x"})
	}
	low, high, err := Bootstrap(&same.a, AgreementOptions{}, 200, 1)
	if err != nil || low != nil || high != nil {
		t.Errorf("no variation: [%s, %s] (%v), want nil, nil", fmtPtr(low), fmtPtr(high), err)
	}
	low, high, err = Bootstrap(&same.a, AgreementOptions{}, 0, 1)
	if err != nil || low != nil || high != nil {
		t.Errorf("0 resamples: [%s, %s] (%v), want nil, nil", fmtPtr(low), fmtPtr(high), err)
	}

	// Two units: a resample drawing the same unit twice has no variation
	// and is skipped; the others are perfect agreement, alpha 1.
	two := newBuilder()
	two.unit([2]string{"a", "x"}, [2]string{"b", "x"})
	two.unit([2]string{"a", "y"}, [2]string{"b", "y"})
	low, high, err = Bootstrap(&two.a, AgreementOptions{}, 200, 1)
	if err != nil || low == nil || *low != 1 || *high != 1 {
		t.Errorf("two units: [%s, %s] (%v), want [1, 1]", fmtPtr(low), fmtPtr(high), err)
	}
}

// TestBootstrapError checks that options that do not fit are the same
// error as ComputeAgreement's.
func TestBootstrapError(t *testing.T) {
	three := newBuilder()
	three.unit([2]string{"a", "x"}, [2]string{"b", "y"}, [2]string{"c", "x"})
	_, _, err := Bootstrap(&three.a, AgreementOptions{Metric: CohenKappa}, 10, 1)
	if err == nil || err.Error() != "cohen_kappa needs 2 annotators, found 3" {
		t.Errorf("error %v, want cohen_kappa needs 2 annotators, found 3", err)
	}
}

// TestQuantile7 checks R's type-7 quantile by hand: for 1, 2, 3, 4 and
// p = 0.025, h = 3·0.025 = 0.075, so 1 + 0.075·(2−1) = 1.075; for p = 0.975,
// h = 2.925, so 3 + 0.925·(4−3) = 3.925; p = 0.5 gives the median 2.5.
func TestQuantile7(t *testing.T) {
	xs := []float64{1, 2, 3, 4}
	for _, tc := range []struct{ p, want float64 }{{0.025, 1.075}, {0.975, 3.925}, {0.5, 2.5}, {0, 1}, {1, 4}} {
		if got := quantile7(xs, tc.p); !approx(got, tc.want) {
			t.Errorf("quantile7(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := quantile7([]float64{0.7}, 0.975); got != 0.7 {
		t.Errorf("quantile7 of one value = %v, want 0.7", got)
	}
}

func approx(x, y float64) bool {
	d := x - y
	return d < 1e-12 && d > -1e-12
}

// TestBootstrapPatternsMatchUnits checks that estimating each resample over
// the distinct rating patterns gives the interval that counting every
// drawn unit gives, with the same draws: the two differ only in the order
// the terms are summed.
func TestBootstrapPatternsMatchUnits(t *testing.T) {
	for i := range 60 {
		d := randomDataset(i)
		for _, po := range propertyOptions {
			a := d.annotations(ratersFor(d, po.opt), nil)
			lo, hi, err := Bootstrap(a, po.opt, 200, 3)
			if err != nil {
				t.Fatal(err)
			}
			// The direct way: every unit counted as often as drawn.
			tb, err := prepare(a, po.opt)
			if err != nil {
				t.Fatal(err)
			}
			tb.reduceAll()
			n := tb.units
			rng := rand.New(rand.NewPCG(3, 3))
			mult := make([]int32, n)
			var values []float64
			for range 200 {
				clear(mult)
				for range n {
					mult[rng.IntN(n)]++
				}
				if v, undefined := tb.estimate(mult); undefined == "" {
					values = append(values, v)
				}
			}
			if len(values) == 0 {
				if lo != nil {
					t.Fatalf("dataset %d %s: interval %v–%v, want none", i, optName(po.opt), *lo, *hi)
				}
				continue
			}
			slices.Sort(values)
			wantLo, wantHi := quantile7(values, 0.025), quantile7(values, 0.975)
			if lo == nil || math.Abs(*lo-wantLo) > 1e-12 || math.Abs(*hi-wantHi) > 1e-12 {
				t.Fatalf("dataset %d %s: patterns give %v–%v, units %v–%v", i, optName(po.opt), lo, hi, wantLo, wantHi)
			}
		}
	}
}

// TestDrawerWidths checks that the unit → pattern map draws the same
// counts whatever width it is held in.
func TestDrawerWidths(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	pattern := make([]int32, 5000)
	for i := range pattern {
		pattern[i] = int32(r.IntN(200))
	}
	counts := func(draw func(), mult []int32) []int32 {
		var all []int32
		for range 3 {
			draw()
			all = append(all, mult...)
		}
		return all
	}
	m8, m16, m32 := make([]int32, 200), make([]int32, 200), make([]int32, 200)
	c8 := counts(drawer(narrow[uint8](pattern), m8, rand.New(rand.NewPCG(1, 1))), m8)
	c16 := counts(drawer(narrow[uint16](pattern), m16, rand.New(rand.NewPCG(1, 1))), m16)
	c32 := counts(drawer(pattern, m32, rand.New(rand.NewPCG(1, 1))), m32)
	if !slices.Equal(c8, c32) || !slices.Equal(c16, c32) {
		t.Fatal("the widths drew different counts")
	}
	var total int32
	for _, c := range c32[:200] {
		total += c
	}
	if total != 5000 {
		t.Fatalf("a resample drew %d units, want 5000", total)
	}
}
