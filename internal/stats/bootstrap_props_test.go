package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// TestBootstrapPublishedCases: on every published case whose coefficient is
// defined, SPEC's interval (1000 resamples, seed 1) is the same on a second
// run and contains the point estimate.
func TestBootstrapPublishedCases(t *testing.T) {
	n := 0
	for _, c := range loadCases(t) {
		if c.Expected == nil {
			continue
		}
		a, opt := c.annotations(t), c.options(t)
		point, err := ComputeAgreement(a, opt)
		if err != nil || point.Value == nil {
			t.Fatalf("%s: %v %s", c.Name, err, point.Undefined)
		}
		low, high, err := Bootstrap(a, opt, 1000, 1)
		if err != nil || low == nil || high == nil {
			t.Fatalf("%s: no interval (%v)", c.Name, err)
		}
		low2, high2, _ := Bootstrap(a, opt, 1000, 1)
		if *low2 != *low || *high2 != *high {
			t.Errorf("%s: [%v, %v], then [%v, %v] with the same seed", c.Name, *low, *high, *low2, *high2)
		}
		if !(*low <= *point.Value+propTolerance && *point.Value <= *high+propTolerance) {
			t.Errorf("%s: interval [%.4f, %.4f] does not contain the estimate %.4f", c.Name, *low, *high, *point.Value)
		}
		n++
	}
	if n < 30 {
		t.Errorf("only %d published cases with an interval", n)
	}
}

// TestBootstrapNarrowsWhenDuplicated: listing every unit twice halves the
// variance of a mean over units, so the interval should narrow by √2. The
// coefficients are ratios of such means, and the percentile interval of
// 1000 resamples has Monte Carlo error of a few percent, so the ratio of
// widths must be within 10% of 1/√2 ≈ 0.707 (0.636–0.778) on each of
// several 150-unit datasets, and within 4% on their mean.
func TestBootstrapNarrowsWhenDuplicated(t *testing.T) {
	const datasets = 8
	var sum float64
	for i := range datasets {
		a := latentClassSample(rand.New(rand.NewPCG(uint64(i), 0xd0b1e)), 150, 3, latentModel)
		twice := &evidence.Annotations{Annotators: a.Annotators, Labels: a.Labels}
		for range 2 {
			for u := range a.NumUnits() {
				twice.AddUnit(a.UnitID(u), a.UnitRatings(u)...)
			}
		}
		for _, opt := range []AgreementOptions{{}, {Metric: FleissKappa}} {
			lo1, hi1, err1 := Bootstrap(a, opt, 1000, 1)
			lo2, hi2, err2 := Bootstrap(twice, opt, 1000, 1)
			if err1 != nil || err2 != nil || lo1 == nil || lo2 == nil {
				t.Fatalf("dataset %d: %v %v", i, err1, err2)
			}
			ratio := (*hi2 - *lo2) / (*hi1 - *lo1)
			if math.Abs(ratio-1/math.Sqrt2) > 0.1/math.Sqrt2 {
				t.Errorf("dataset %d %s: width ratio %.3f, want 0.707 ± 10%%", i, optName(opt), ratio)
			}
			sum += ratio
		}
	}
	mean := sum / (2 * datasets)
	t.Logf("mean width ratio %.4f (1/√2 = 0.7071)", mean)
	if math.Abs(mean-1/math.Sqrt2) > 0.04/math.Sqrt2 {
		t.Errorf("mean width ratio %.4f, want 0.707 ± 4%%", mean)
	}
}

// The simulation model: a latent-class model whose population alpha is
// known in closed form. Each unit has a true class T drawn from shares;
// each annotator independently reports T with probability accuracy, and
// otherwise a category drawn uniformly from all q (which may be T again).
// Annotators are exchangeable, so for any two ratings of one unit
//
//	P(agree) = Σ_t π_t Σ_k P(k|t)², P(k|t) = accuracy·[k=t] + (1−accuracy)/q,
//
// and the marginal of a rating is p_k = accuracy·π_k + (1−accuracy)/q. With
// complete data alpha's observed disagreement converges to 1 − P(agree)
// and its expected disagreement to 1 − Σ_k p_k², so the population nominal
// alpha is
//
//	α = 1 − (1 − P(agree)) / (1 − Σ_k p_k²).
//
// TestLatentAlphaClosedForm checks that value against one very large
// sample, so that the coverage test does not rest on the algebra alone.
type latent struct {
	shares   []float64
	accuracy float64
}

var latentModel = latent{shares: []float64{0.4, 0.3, 0.2, 0.1}, accuracy: 0.7}

func (m latent) alpha() float64 {
	q := float64(len(m.shares))
	var agree, sumP2 float64
	for t, pt := range m.shares {
		for k := range m.shares {
			p := (1 - m.accuracy) / q
			if k == t {
				p += m.accuracy
			}
			agree += pt * p * p
		}
	}
	for _, pk := range m.shares {
		p := m.accuracy*pk + (1-m.accuracy)/q
		sumP2 += p * p
	}
	return 1 - (1-agree)/(1-sumP2)
}

// latentClassSample draws units × raters complete nominal labels.
func latentClassSample(r *rand.Rand, units, raters int, m latent) *evidence.Annotations {
	q := len(m.shares)
	a := &evidence.Annotations{Labels: []string{"a", "b", "c", "d", "e", "f", "g", "h"}[:q]}
	for j := range raters {
		a.Annotators = append(a.Annotators, string(rune('A'+j)))
	}
	for u := range units {
		x, t := r.Float64(), q-1
		for k, s := range m.shares {
			if x -= s; x < 0 {
				t = k
				break
			}
		}
		rs := make([]evidence.Rating, raters)
		for j := range rs {
			k := t
			if r.Float64() >= m.accuracy {
				k = r.IntN(q)
			}
			rs[j] = evidence.Rating{Annotator: int32(j), Label: int32(k)}
		}
		a.AddUnit(fmt.Sprint(u), rs...)
	}
	return a
}

func TestLatentAlphaClosedForm(t *testing.T) {
	want := latentModel.alpha()
	a := latentClassSample(rand.New(rand.NewPCG(7, 7)), 400_000, 3, latentModel)
	got, err := ComputeAgreement(a, AgreementOptions{})
	if err != nil || got.Value == nil {
		t.Fatal(err, got.Undefined)
	}
	// The standard error of alpha over 400,000 units is about 0.001.
	if math.Abs(*got.Value-want) > 0.005 {
		t.Errorf("alpha over 400,000 simulated units %.5f, closed form %.5f", *got.Value, want)
	}
	t.Logf("population alpha %.5f; large sample %.5f", want, *got.Value)
}

// TestBootstrapCoverage draws 200 datasets of 400 units × 3 annotators from
// the latent-class model and counts the 95% intervals (1000 resamples,
// seed 1, as FT102) that contain the population alpha: 93–97% should. Slow:
// it runs under FTGATE_SLOW=1 (scripts/ci.d/10-agreement.sh).
//
// Why 400 units: the percentile interval inherits alpha's small-sample
// bias (about −0.003 at 150 units in this model) and covers less than it
// claims on small samples; over 800 datasets it covered 93.2% at 150 units
// and 94.6% at 400. The band is ±1.3 binomial standard errors around 95%
// for 200 intervals, so the seed is fixed (the result is deterministic);
// it was not chosen to pass.
func TestBootstrapCoverage(t *testing.T) {
	if os.Getenv("FTGATE_SLOW") != "1" {
		t.Skip("slow: set FTGATE_SLOW=1 to simulate 200 datasets with known alpha")
	}
	const datasets = 200
	want := latentModel.alpha()
	r := rand.New(rand.NewPCG(2026, 95))
	covered := 0
	for range datasets {
		a := latentClassSample(r, 400, 3, latentModel)
		lo, hi, err := Bootstrap(a, AgreementOptions{}, 1000, 1)
		if err != nil || lo == nil {
			t.Fatal(err)
		}
		if *lo <= want && want <= *hi {
			covered++
		}
	}
	share := float64(covered) / datasets
	t.Logf("%d of %d intervals (%.1f%%) contain the population alpha %.4f", covered, datasets, 100*share, want)
	if share < 0.93 || share > 0.97 {
		t.Errorf("coverage %.1f%%, want 93–97%%", 100*share)
	}
}
