package stats

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// wideUnits builds units of many distinct values each (one item every
// annotator rated), around a common centre so that close values test the
// centred sum, and a few narrow units.
func wideUnits(rng *rand.Rand) (*evidence.Annotations, [][]float64) {
	b := newBuilder()
	var units [][]float64
	for u := range 8 {
		n := 2 + rng.IntN(3)
		if u%2 == 0 {
			n = 100 + rng.IntN(300)
		}
		var rs [][2]string
		var vs []float64
		for j := range n {
			x := 1e6 + float64(rng.IntN(5000))
			vs = append(vs, x)
			rs = append(rs, [2]string{"r" + strconv.Itoa(j), strconv.FormatFloat(x, 'g', -1, 64)})
		}
		b.unit(rs...)
		units = append(units, vs)
	}
	return &b.a, units
}

// TestWideUnitsMatchReference: a unit of more than unitPairsMax distinct
// values takes the variance identity instead of its pairs, at interval and
// ordinal level; alpha equals the brute-force reference of
// differential_test.go (every ordered pair of pairable ratings) to 1e-9,
// and the bootstrap interval equals the one the pairwise sums give.
func TestWideUnitsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	a, units := wideUnits(rng)
	for _, level := range []string{Interval, Ordinal} {
		opt := AgreementOptions{Level: level}
		got, err := ComputeAgreement(a, opt)
		if err != nil || got.Value == nil {
			t.Fatalf("%s: %s %v", level, fmtPtr(got.Value), err)
		}
		want, ok := reference("alpha_"+level, units)
		if !ok || !(math.Abs(*got.Value-want) <= 1e-9) {
			t.Errorf("%s: ours %.15f, reference %.15f (defined %v)", level, *got.Value, want, ok)
		}
		lo, hi, err := Bootstrap(a, opt, 200, 1)
		if err != nil || lo == nil {
			t.Fatalf("%s bootstrap: %v", level, err)
		}
		saved := unitPairsMax
		unitPairsMax = math.MaxInt
		plo, phi, err := Bootstrap(a, opt, 200, 1)
		unitPairsMax = saved
		if err != nil || plo == nil {
			t.Fatalf("%s pairwise bootstrap: %v", level, err)
		}
		if !(math.Abs(*lo-*plo) <= 1e-9 && math.Abs(*hi-*phi) <= 1e-9) {
			t.Errorf("%s: interval [%.12f, %.12f], pairwise [%.12f, %.12f]", level, *lo, *hi, *plo, *phi)
		}
	}
}
