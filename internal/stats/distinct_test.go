package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// TestDistinctValuesMatchReference compares ordinal, interval and ratio
// alpha on data where nearly every value is its own category (the case the
// midrank and variance identities serve) with the textbook pairwise
// definition in reference, to 1e-9.
func TestDistinctValuesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	compared := 0
	for trial := range 60 {
		b := newBuilder()
		var units [][]float64
		for range 10 + rng.IntN(30) {
			var vs []float64
			var rs [][2]string
			for j := range 2 + rng.IntN(3) {
				// A few repeats among mostly distinct values, some of
				// them far apart.
				v := float64(rng.IntN(60)) + 0.5*float64(rng.IntN(2))
				if trial%3 == 0 {
					v = math.Ldexp(v+1, rng.IntN(40))
				}
				vs = append(vs, v)
				rs = append(rs, [2]string{"r" + strconv.Itoa(j), strconv.FormatFloat(v, 'g', -1, 64)})
			}
			units = append(units, vs)
			b.unit(rs...)
		}
		for _, level := range []string{Ordinal, Interval, Ratio} {
			got, err := ComputeAgreement(&b.a, AgreementOptions{Level: level})
			if err != nil {
				t.Fatal(err)
			}
			want, ok := reference("alpha_"+level, units)
			if !ok || got.Value == nil {
				t.Fatalf("trial %d %s: ours %s (%s), reference defined %v", trial, level, fmtPtr(got.Value), got.Undefined, ok)
			}
			if !(math.Abs(*got.Value-want) <= 1e-9) {
				t.Errorf("trial %d %s: ours %.15f, reference %.15f", trial, level, *got.Value, want)
			}
			compared++
		}
	}
	if compared != 180 {
		t.Fatalf("compared %d cases", compared)
	}
}

// TestBootstrapManyCategories checks the bootstrap's shortcuts for many
// categories (patterns renumbered by category, vectors summed straight into
// the total, ratio alpha's quadrature centred on the full sample) against
// resampling done by hand: the same draws from the same
// generator, each resample built as annotations of its own and estimated
// from scratch.
func TestBootstrapManyCategories(t *testing.T) {
	a := distinctValues(6000) // 18,000 categories: past localityMinCategories
	const resamples = 12
	for _, level := range []string{Ordinal, Interval, Ratio} {
		opt := AgreementOptions{Level: level}
		lo, hi, err := Bootstrap(a, opt, resamples, 1)
		if err != nil || lo == nil || hi == nil {
			t.Fatalf("%s: %v %v %v", level, lo, hi, err)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		n := a.NumUnits()
		var values []float64
		for range resamples {
			draw := &evidence.Annotations{Annotators: a.Annotators, Labels: a.Labels}
			for range n {
				u := rng.IntN(n)
				draw.AddUnit(a.UnitID(u), a.UnitRatings(u)...)
			}
			res, err := ComputeAgreement(draw, opt)
			if err != nil || res.Value == nil {
				t.Fatalf("%s: resample %v %v", level, res.Value, err)
			}
			values = append(values, *res.Value)
		}
		slices.Sort(values)
		wantLo, wantHi := quantile7(values, 0.025), quantile7(values, 0.975)
		if !(math.Abs(*lo-wantLo) <= 1e-9 && math.Abs(*hi-wantHi) <= 1e-9) {
			t.Errorf("%s: bootstrap [%.12f, %.12f], by hand [%.12f, %.12f]", level, *lo, *hi, wantLo, wantHi)
		}
	}
}
