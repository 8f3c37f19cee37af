package stats

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// Properties every coefficient must have whatever the data, checked on the
// random datasets of the differential test (fast: no Python).

// propertyOptions is every metric, level and weighting, with the relabelling
// each is invariant under: any relabelling for nominal and unweighted
// metrics; order-preserving ones for ordinal alpha and the weighted
// metrics (weights live on ranks); interval alpha only under affine maps
// (it uses the values' differences) and ratio alpha under scaling (it uses
// their ratios). kind is "any", "monotone", "affine" or "scale".
var propertyOptions = []struct {
	opt  AgreementOptions
	kind string
}{
	{AgreementOptions{Level: Nominal}, "any"},
	{AgreementOptions{Level: Ordinal}, "monotone"},
	{AgreementOptions{Level: Interval}, "affine"},
	{AgreementOptions{Level: Ratio}, "scale"},
	{AgreementOptions{Metric: CohenKappa}, "any"},
	{AgreementOptions{Metric: CohenKappa, Weights: WeightsLinear}, "monotone"},
	{AgreementOptions{Metric: CohenKappa, Weights: WeightsQuadratic}, "monotone"},
	{AgreementOptions{Metric: FleissKappa}, "any"},
	{AgreementOptions{Metric: ScottPi}, "any"},
	{AgreementOptions{Metric: ScottPi, Weights: WeightsQuadratic}, "monotone"},
	{AgreementOptions{Metric: GwetAC1}, "any"},
	{AgreementOptions{Metric: GwetAC2, Weights: WeightsLinear}, "monotone"},
	{AgreementOptions{Metric: PercentAgreement}, "any"},
}

func optName(o AgreementOptions) string {
	return fmt.Sprintf("%s/%s/%s", o.Metric, o.Level, o.Weights)
}

// propTolerance allows for sums taken in another order.
const propTolerance = 1e-12

// sameValue fails unless a and b are both undefined for the same reason or
// equal within propTolerance.
func sameValue(t *testing.T, what string, a, b float64Result) {
	t.Helper()
	switch {
	case a.undefined != b.undefined:
		t.Errorf("%s: undefined %q, then %q", what, a.undefined, b.undefined)
	case a.undefined == "" && math.Abs(a.value-b.value) > propTolerance:
		t.Errorf("%s: %.15f, then %.15f", what, a.value, b.value)
	}
}

type float64Result struct {
	value     float64
	undefined string
}

func compute(t *testing.T, a *evidence.Annotations, opt AgreementOptions) float64Result {
	t.Helper()
	r, err := ComputeAgreement(a, opt)
	if err != nil {
		t.Fatalf("%s: %v", optName(opt), err)
	}
	if r.Value == nil {
		return float64Result{undefined: r.Undefined}
	}
	return float64Result{value: *r.Value}
}

// raters returns how many raters the dataset has for opt: two for Cohen's
// kappa, else all.
func ratersFor(d dataset, opt AgreementOptions) int {
	if opt.Metric == CohenKappa {
		return 2
	}
	return len(d.Rows[0])
}

func TestPerfectAgreementIsOne(t *testing.T) {
	for i := range 100 {
		d := randomDataset(i)
		// Every rater copies the first; the values keep the dataset's
		// categories, so at least two are used unless the dataset drew
		// only one.
		for _, row := range d.Rows {
			for j := range row {
				row[j] = row[0]
			}
		}
		if len(distinctFirst(d)) < 2 {
			continue
		}
		for _, p := range propertyOptions {
			got := compute(t, d.annotations(ratersFor(d, p.opt), nil), p.opt)
			if got.undefined != "" || math.Abs(got.value-1) > propTolerance {
				t.Errorf("dataset %d %s: perfect agreement gives %v %q, want 1", i, optName(p.opt), got.value, got.undefined)
			}
		}
	}
}

func distinctFirst(d dataset) map[int]bool {
	m := map[int]bool{}
	for _, row := range d.Rows {
		m[row[0]] = true
	}
	return m
}

// relabel maps every value of d through f.
func relabel(d dataset, f func(int) int) dataset {
	out := dataset{ID: d.ID}
	for _, row := range d.Rows {
		nr := make([]int, len(row))
		for j, x := range row {
			nr[j] = f(x)
		}
		out.Rows = append(out.Rows, nr)
	}
	return out
}

func TestRelabellingInvariance(t *testing.T) {
	for i := range 150 {
		d := randomDataset(i)
		r := rand.New(rand.NewPCG(uint64(i), 0x1abe1))
		values := sortedValues(d)
		// A random permutation of the values (order scrambled), a random
		// strictly increasing map, an affine map (negative slope
		// included: squared differences do not see the sign) and a
		// positive scaling.
		perm := r.Perm(len(values))
		anyMap := map[int]int{}
		monoMap := map[int]int{}
		next := r.IntN(5)
		for k, v := range values {
			anyMap[v] = values[perm[k]]
			next += 1 + r.IntN(20)
			monoMap[v] = next
		}
		slope := []int{-3, 2, 7}[i%3]
		relabellings := map[string]func(int) int{
			"any":      func(x int) int { return anyMap[x] },
			"monotone": func(x int) int { return monoMap[x] },
			"affine":   func(x int) int { return slope*x + 1000 },
			"scale":    func(x int) int { return 5 * x },
		}
		for _, p := range propertyOptions {
			n := ratersFor(d, p.opt)
			want := compute(t, d.annotations(n, nil), p.opt)
			for _, kind := range []string{"any", "monotone", "affine", "scale"} {
				if !implies(p.kind, kind) {
					continue
				}
				got := compute(t, relabel(d, relabellings[kind]).annotations(n, nil), p.opt)
				sameValue(t, fmt.Sprintf("dataset %d %s relabelled (%s)", i, optName(p.opt), kind), want, got)
			}
			if p.kind == "any" {
				// Labels that are words: the categories sort as strings.
				words := func(x int) string { return "w" + strconv.Itoa(1000-x) }
				got := compute(t, wordsAnnotations(d, n, words), p.opt)
				sameValue(t, fmt.Sprintf("dataset %d %s as words", i, optName(p.opt)), want, got)
			}
		}
	}
}

// implies reports whether invariance under relabellings of kind have
// covers the relabelling kind: a metric invariant under any relabelling is
// invariant under the narrower ones.
func implies(have, kind string) bool {
	switch have {
	case "any":
		return true // every map used here is one-to-one
	case "monotone":
		return kind == "monotone" || kind == "scale"
	case "affine":
		return kind == "affine" || kind == "scale"
	}
	return kind == "scale"
}

func sortedValues(d dataset) []int {
	set := map[int]bool{}
	for _, row := range d.Rows {
		for _, x := range row {
			set[x] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func wordsAnnotations(d dataset, raters int, word func(int) string) *evidence.Annotations {
	b := newBuilder()
	for _, row := range d.Rows {
		var rs [][2]string
		for j, x := range row[:raters] {
			rs = append(rs, [2]string{fmt.Sprintf("r%d", j+1), word(x)})
		}
		b.unit(rs...)
	}
	return &b.a
}

// TestOrderInvariance shuffles the units and renames the annotators so that
// they first appear in another order; with ratings missing, so that the
// order matters to every sum.
func TestOrderInvariance(t *testing.T) {
	for i := range 150 {
		d := randomDataset(i)
		keep := d.dropSome(uint64(i))
		r := rand.New(rand.NewPCG(uint64(i), 0x0dde))
		for _, p := range propertyOptions {
			n := ratersFor(d, p.opt)
			k := keep
			if p.opt.Metric == CohenKappa {
				k = nil // keep both raters on every unit; Cohen needs them
			}
			want := compute(t, d.annotations(n, k), p.opt)

			units := r.Perm(len(d.Rows))
			raterOrder := r.Perm(n)
			b := newBuilder()
			for _, u := range units {
				var rs [][2]string
				for _, j := range raterOrder {
					if k == nil || k[u][j] {
						rs = append(rs, [2]string{fmt.Sprintf("r%d", j+1), strconv.Itoa(d.Rows[u][j])})
					}
				}
				if len(rs) > 0 {
					b.unit(rs...)
				}
			}
			got := compute(t, &b.a, p.opt)
			sameValue(t, fmt.Sprintf("dataset %d %s reordered", i, optName(p.opt)), want, got)
		}
	}
}

// TestStreamMatchesTable checks that the point estimate, which streams
// over the units, is exactly the value the bootstrap's table gives with
// every unit counted once: they sum the same terms in the same order.
func TestStreamMatchesTable(t *testing.T) {
	for i := range 200 {
		d := randomDataset(i)
		for _, po := range propertyOptions {
			a := d.annotations(ratersFor(d, po.opt), nil)
			tb, err := prepare(a, po.opt)
			if err != nil {
				t.Fatalf("dataset %d %s: %v", i, optName(po.opt), err)
			}
			v1, u1 := tb.stream()
			tb.reduceAll()
			v2, u2 := tb.estimate(nil)
			if v1 != v2 || u1 != u2 {
				t.Fatalf("dataset %d %s: stream %v %q, table %v %q", i, optName(po.opt), v1, u1, v2, u2)
			}
		}
	}
}

// TestBlockSumsDoNotDependOnCores checks that a file of several summing
// blocks gives the same value, to the bit, summed by one goroutine or
// several, through the stream and through the table.
func TestBlockSumsDoNotDependOnCores(t *testing.T) {
	a := latentClassSample(rand.New(rand.NewPCG(5, 5)), 3*sumBlock+123, 3, latentModel)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, po := range propertyOptions {
		if po.opt.Metric == CohenKappa {
			continue // three annotators
		}
		opt := po.opt
		opt.Categories = a.Labels // scores for interval and ratio alpha
		var got []float64
		for _, procs := range []int{1, 2, 4} {
			runtime.GOMAXPROCS(procs)
			tb, err := prepare(a, opt)
			if err != nil {
				t.Fatal(err)
			}
			v, undefined := tb.stream()
			tb.reduceAll()
			w, _ := tb.estimate(nil)
			if undefined != "" || v != w {
				t.Fatalf("%s, %d procs: stream %v %q, table %v", optName(opt), procs, v, undefined, w)
			}
			got = append(got, v)
		}
		if got[0] != got[1] || got[0] != got[2] {
			t.Errorf("%s: %v with 1, 2 and 4 procs", optName(opt), got)
		}
	}
}

// TestBlockSumsManyCategories takes the path that sums blocks one after
// another (too many categories to keep every block's sums) and checks
// percent agreement against a direct count.
func TestBlockSumsManyCategories(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	a := &evidence.Annotations{Annotators: []string{"A", "B"}}
	const q, units = 2000, 3*sumBlock + 7
	for k := range q {
		a.Labels = append(a.Labels, strconv.Itoa(k))
	}
	agree := 0
	for u := range units {
		x, y := r.IntN(q), r.IntN(q)
		if r.IntN(2) == 0 {
			y = x
		}
		if x == y {
			agree++
		}
		a.AddUnit(strconv.Itoa(u), evidence.Rating{Annotator: 0, Label: int32(x)}, evidence.Rating{Annotator: 1, Label: int32(y)})
	}
	got := compute(t, a, AgreementOptions{Metric: PercentAgreement})
	want := float64(agree) / units
	if got.undefined != "" || math.Abs(got.value-want) > 1e-12 {
		t.Fatalf("percent agreement %v %q, want %v", got.value, got.undefined, want)
	}
}
