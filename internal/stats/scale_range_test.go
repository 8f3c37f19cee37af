package stats

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestHugeLabels: interval labels whose squared difference passes the
// largest float are a LabelError naming the label; labels that are merely
// large give the alpha of the same data scaled down, at interval and ratio
// level, never a NaN.
func TestHugeLabels(t *testing.T) {
	b := newBuilder()
	b.unit([2]string{"a", "1e308"}, [2]string{"b", "-1e308"})
	b.unit([2]string{"a", "1e308"}, [2]string{"b", "1e308"})
	b.unit([2]string{"a", "0"}, [2]string{"b", "0"})
	_, err := ComputeAgreement(&b.a, AgreementOptions{Level: Interval})
	var le *LabelError
	if !errors.As(err, &le) || le.Label != "1e308" ||
		err.Error() != `label "1e308" is too large for interval alpha: its squared difference from "-1e308" passes the largest float (1.8e+308)` {
		t.Fatalf("interval alpha of ±1e308: %v", err)
	}

	// The same pattern of values at 1, 2, 3 and at 2^k times those: at
	// interval level 2^510, where squares fit but sums of them would not,
	// at ratio level 2^1022, where the sum of two values would not fit.
	for level, k := range map[string]int{Interval: 510, Ratio: 1022} {
		small, huge := newBuilder(), newBuilder()
		for _, u := range [][2]float64{{1, 2}, {2, 2}, {3, 3}, {1, 1}, {3, 2}, {1, 3}, {2, 3}, {3, 3}} {
			small.unit([2]string{"a", strconv.FormatFloat(u[0], 'g', -1, 64)}, [2]string{"b", strconv.FormatFloat(u[1], 'g', -1, 64)})
			huge.unit([2]string{"a", strconv.FormatFloat(math.Ldexp(u[0], k), 'g', -1, 64)},
				[2]string{"b", strconv.FormatFloat(math.Ldexp(u[1], k), 'g', -1, 64)})
		}
		x, err1 := ComputeAgreement(&small.a, AgreementOptions{Level: level})
		y, err2 := ComputeAgreement(&huge.a, AgreementOptions{Level: level})
		if err1 != nil || err2 != nil || x.Value == nil || y.Value == nil || !(math.Abs(*x.Value-*y.Value) <= 1e-12) {
			t.Errorf("%s alpha: small %s (%v), huge %s (%v): want equal numbers", level, fmtPtr(x.Value), err1, fmtPtr(y.Value), err2)
		}
		lo, hi, err := Bootstrap(&huge.a, AgreementOptions{Level: level}, 200, 1)
		if err != nil || lo == nil || hi == nil || math.IsNaN(*lo) || math.IsNaN(*hi) {
			t.Errorf("%s bootstrap of huge labels: %s %s %v", level, fmtPtr(lo), fmtPtr(hi), err)
		}
	}
}

// TestSortValuesRadix: the radix sort of many labels orders them as the
// comparison sort does, by value then index, with negatives, both zeros,
// subnormals, huge values and many repeats.
func TestSortValuesRadix(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	pool := []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, math.MaxFloat64, -math.MaxFloat64, 1, -1, 1.5}
	for _, n := range []int{radixMin, 3 * radixMin} {
		order := make([]valueAt, n)
		for i := range order {
			var v float64
			switch rng.IntN(4) {
			case 0:
				v = pool[rng.IntN(len(pool))]
			case 1:
				v = float64(rng.IntN(50) - 25)
			default:
				v = math.Ldexp(rng.NormFloat64(), rng.IntN(200)-100)
			}
			order[i] = valueAt{v, i}
		}
		want := slices.Clone(order)
		slices.SortFunc(want, func(x, y valueAt) int { return cmp.Or(cmp.Compare(x.v, y.v), cmp.Compare(x.i, y.i)) })
		sortValues(order)
		for j := range order {
			// −0 and +0 are equal values: only the index order tells.
			if order[j].i != want[j].i {
				t.Fatalf("n=%d: position %d holds label %d (%g), want %d (%g)", n, j, order[j].i, order[j].v, want[j].i, want[j].v)
			}
		}
	}
}

// TestTinyRatioLabels: at ratio level a positive label more than 2^1000
// times smaller than the largest is a LabelError naming it (it used to
// scale to 0 beside another such label and make alpha NaN); labels 2^-990
// times the largest are computed, pair by pair and by the quadrature, as
// the brute-force reference computes them.
func TestTinyRatioLabels(t *testing.T) {
	b := newBuilder()
	b.unit([2]string{"a", "1e-320"}, [2]string{"b", "2e-320"})
	b.unit([2]string{"a", "1e300"}, [2]string{"b", "1e300"})
	b.unit([2]string{"a", "1"}, [2]string{"b", "2"})
	_, err := ComputeAgreement(&b.a, AgreementOptions{Level: Ratio})
	var le *LabelError
	if !errors.As(err, &le) || le.Label != "1e-320" ||
		err.Error() != `label "1e-320" is too small for ratio alpha beside "1e300": their ratio passes 2^1000 (1.07e+301), more than floats resolve` {
		t.Fatalf("ratio alpha of 1e-320 beside 1e300: %v", err)
	}
	if _, _, err := Bootstrap(&b.a, AgreementOptions{Level: Ratio}, 10, 1); !errors.As(err, &le) {
		t.Fatalf("bootstrap: %v", err)
	}

	wide := newBuilder()
	var units [][]float64
	for _, u := range [][2]float64{{1, 2}, {2, 2}, {3, 3}, {1, 1}, {3, 2}, {1, 3}, {2, 3}, {0, 0}, {0, 1}} {
		x, y := math.Ldexp(u[0], -990), math.Ldexp(u[1], -990)
		wide.unit([2]string{"a", strconv.FormatFloat(x, 'g', -1, 64)}, [2]string{"b", strconv.FormatFloat(y, 'g', -1, 64)})
		units = append(units, []float64{x, y})
	}
	wide.unit([2]string{"a", "5"}, [2]string{"b", "4"})
	units = append(units, []float64{5, 4})
	want, _ := reference("alpha_ratio", units)
	for _, quadrature := range []bool{false, true} {
		func() {
			defer func(e int) { ratioExactMax = e }(ratioExactMax)
			if quadrature {
				ratioExactMax = 1
			}
			got, err := ComputeAgreement(&wide.a, AgreementOptions{Level: Ratio})
			if err != nil || got.Value == nil || !(math.Abs(*got.Value-want) <= 1e-12) {
				t.Errorf("labels 2^-990 beside 5 (quadrature %v): %s (%v), reference %v", quadrature, fmtPtr(got.Value), err, want)
			}
		}()
	}
}
