package stats

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// The differential test holds the coefficients to independent
// implementations on random data: scikit-learn, statsmodels and nltk where
// they implement a coefficient, and for the rest (Gwet's AC1/AC2, ordinal
// and ratio alpha, and every coefficient on data with missing ratings) a
// brute-force reference below, written from the published formulas as sums
// over pairs of ratings rather than from the coincidence matrix and
// category counts the package uses.

// python is the interpreter Debian's python3-sklearn, python3-statsmodels
// and python3-nltk install for; a python3 first on PATH (pyenv, a venv)
// would not see them.
const python = "/usr/bin/python3"

// diffDatasets is how many random datasets each comparison runs on.
const diffDatasets = 320

// diffTolerance is the largest difference allowed between two
// implementations: the same formula summed in another order differs in the
// last few binary digits, never more.
const diffTolerance = 1e-9

// dataset is complete data: rows[u][r] is rater r's label of unit u. The
// labels are integers whose spacing varies, so that interval and ratio
// alpha (which use the values) differ from the weighted kappas (which use
// the ranks).
type dataset struct {
	ID   string  `json:"id"`
	Rows [][]int `json:"rows"`
}

// randomDataset draws dataset i: 2–8 categories, 2–6 raters, 5–60 units.
// Each unit has a true category (drawn from skewed shares, so that some
// categories are rare); each rater reports it with a probability fixed per
// dataset between 0.2 and 0.95, else a uniformly random category. Some
// datasets come out undefined (one category used), which the comparison
// covers too.
func randomDataset(i int) dataset {
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	q := 2 + i%7
	raters := 2 + (i/7)%5
	units := 5 + r.IntN(56)
	values := make([]int, q)
	v := r.IntN(3)
	for k := range values {
		v += 1 + r.IntN(3)
		values[k] = v
	}
	shares := make([]float64, q)
	var sum float64
	for k := range shares {
		shares[k] = r.ExpFloat64()
		sum += shares[k]
	}
	draw := func() int {
		x := r.Float64() * sum
		for k, s := range shares {
			if x -= s; x < 0 {
				return k
			}
		}
		return q - 1
	}
	accuracy := 0.2 + 0.75*r.Float64()
	d := dataset{ID: strconv.Itoa(i)}
	for range units {
		truth := draw()
		row := make([]int, raters)
		for j := range row {
			k := truth
			if r.Float64() > accuracy {
				k = r.IntN(q)
			}
			row[j] = values[k]
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// annotations turns rows into parsed labels; keep[u][r] false drops a
// rating (nil keeps all). Only the first raters columns are used.
func (d dataset) annotations(raters int, keep [][]bool) *evidence.Annotations {
	b := newBuilder()
	for u, row := range d.Rows {
		var rs [][2]string
		for j, x := range row[:raters] {
			if keep == nil || keep[u][j] {
				rs = append(rs, [2]string{fmt.Sprintf("r%d", j+1), strconv.Itoa(x)})
			}
		}
		if len(rs) > 0 {
			b.unit(rs...)
		}
	}
	return &b.a
}

// dropSome removes about 15% of the ratings, at random, for the references
// that handle missing data.
func (d dataset) dropSome(seed uint64) [][]bool {
	r := rand.New(rand.NewPCG(seed, 0xd509))
	keep := make([][]bool, len(d.Rows))
	for u, row := range d.Rows {
		keep[u] = make([]bool, len(row))
		for j := range row {
			keep[u][j] = r.Float64() >= 0.15
		}
	}
	return keep
}

// TestDifferential compares every coefficient on diffDatasets random
// datasets with scikit-learn, statsmodels and nltk (run as
// testdata/differential.py under /usr/bin/python3) when FTGATE_DIFFERENTIAL=1,
// where a missing module is a failure; otherwise that part skips, saying
// so. The brute-force references run in every case.
func TestDifferential(t *testing.T) {
	sets := make([]dataset, diffDatasets)
	for i := range sets {
		sets[i] = randomDataset(i)
	}
	t.Run("BruteForce", func(t *testing.T) { bruteForceAll(t, sets) })
	t.Run("Python", func(t *testing.T) { pythonAll(t, sets) })
	t.Run("PythonRatioManyValues", pythonRatio)
}

// runPython runs testdata/differential.py with args and a file holding
// data as JSON, and decodes its output into out; without
// FTGATE_DIFFERENTIAL=1 it skips.
func runPython(t *testing.T, data any, out any, args ...string) {
	t.Helper()
	// Starting Python and importing the three packages takes seconds, so
	// the comparison runs when asked for (scripts/ci.d/10-agreement.sh
	// does), keeping go test ./... fast.
	if os.Getenv("FTGATE_DIFFERENTIAL") != "1" {
		t.Skip("set FTGATE_DIFFERENTIAL=1 to compare with sklearn, statsmodels and nltk (Debian python3-sklearn, python3-statsmodels, python3-nltk)")
	}
	in := filepath.Join(t.TempDir(), "datasets.json")
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, append(append([]string{filepath.Join("testdata", "differential.py")}, args...), in)...)
	stdout, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		missing := errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) || (errors.As(err, &ee) && ee.ExitCode() == 3)
		msg := err.Error()
		if ee != nil {
			msg += ": " + string(ee.Stderr)
		}
		if missing {
			t.Fatalf("%s cannot import sklearn, statsmodels and nltk (%s): install python3-sklearn python3-statsmodels python3-nltk", python, msg)
		}
		t.Fatalf("%s testdata/differential.py: %s", python, msg)
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("differential.py output: %v", err)
	}
}

// pythonRatio compares ratio alpha over more distinct values than
// ratioExactMax, where ftgate integrates the expected disagreement instead
// of summing it pair by pair, with nltk's AnnotationTask.alpha under the
// ratio metric, which sums every pair of labels: values spread over three
// decades, clustered in the seventh digit, and spanning 300 decades with
// zeros.
func pythonRatio(t *testing.T) {
	type floatSet struct {
		ID   string      `json:"id"`
		Rows [][]float64 `json:"rows"`
	}
	rng := rand.New(rand.NewPCG(21, 22))
	draws := []struct {
		id   string
		draw func() float64
	}{
		{"spread", func() float64 { return float64(1 + rng.IntN(1000)*rng.IntN(1000)) }},
		{"clustered", func() float64 { return 1e6 + float64(rng.IntN(1_000_000))/1e6 }},
		{"wide", func() float64 {
			if rng.IntN(20) == 0 {
				return 0
			}
			return math.Pow(10, -300*rng.Float64())
		}},
	}
	var sets []floatSet
	for _, dr := range draws {
		d, draw := floatSet{ID: dr.id}, dr.draw
		for range 1300 {
			truth := draw()
			row := make([]float64, 2)
			for j := range row {
				row[j] = truth
				if rng.IntN(3) > 0 {
					row[j] = draw()
				}
			}
			d.Rows = append(d.Rows, row)
		}
		sets = append(sets, d)
	}
	var theirs map[string]map[string]*float64
	runPython(t, sets, &theirs, "--ratio")
	for _, d := range sets {
		b := newBuilder()
		distinct := map[float64]bool{}
		for _, row := range d.Rows {
			var rs [][2]string
			for j, x := range row {
				rs = append(rs, [2]string{fmt.Sprintf("r%d", j+1), strconv.FormatFloat(x, 'g', -1, 64)})
				distinct[x] = true
			}
			b.unit(rs...)
		}
		if len(distinct) <= ratioExactMax {
			t.Fatalf("dataset %s: %d distinct values, want more than %d", d.ID, len(distinct), ratioExactMax)
		}
		got, err := ComputeAgreement(&b.a, AgreementOptions{Level: Ratio})
		if err != nil {
			t.Fatal(err)
		}
		w := theirs[d.ID]["nltk_alpha_ratio"]
		if got.Value == nil || w == nil || !(math.Abs(*got.Value-*w) <= diffTolerance) {
			t.Errorf("dataset %s: ours %s (%s), nltk %s", d.ID, fmtPtr(got.Value), got.Undefined, fmtPtr(w))
			continue
		}
		t.Logf("dataset %s: %d distinct values, ours %.15f, nltk %.15f", d.ID, len(distinct), *got.Value, *w)
	}
}

func pythonAll(t *testing.T, sets []dataset) {
	var theirs map[string]map[string]*float64
	runPython(t, sets, &theirs)

	type check struct {
		figure string // differential.py's name
		raters int    // 0: all the dataset's raters
		opt    AgreementOptions
	}
	checks := []check{
		{"sklearn_cohen_none", 2, AgreementOptions{Metric: CohenKappa}},
		{"sklearn_cohen_linear", 2, AgreementOptions{Metric: CohenKappa, Weights: WeightsLinear}},
		{"sklearn_cohen_quadratic", 2, AgreementOptions{Metric: CohenKappa, Weights: WeightsQuadratic}},
		{"sm_cohen_none", 2, AgreementOptions{Metric: CohenKappa}},
		{"sm_cohen_linear", 2, AgreementOptions{Metric: CohenKappa, Weights: WeightsLinear}},
		{"sm_cohen_quadratic", 2, AgreementOptions{Metric: CohenKappa, Weights: WeightsQuadratic}},
		{"sm_fleiss", 0, AgreementOptions{Metric: FleissKappa}},
		{"nltk_pi", 2, AgreementOptions{Metric: ScottPi}},
		{"nltk_alpha_nominal", 0, AgreementOptions{Level: Nominal}},
		{"nltk_alpha_interval", 0, AgreementOptions{Level: Interval}},
	}
	compared := map[string]int{}
	undefined := map[string]int{}
	for i, d := range sets {
		want, ok := theirs[d.ID]
		if !ok {
			t.Fatalf("dataset %s: no figures from differential.py", d.ID)
		}
		// Each figure is computed three ways: from the labels as parsed,
		// from one tool's export of them (differential_exports_test.go),
		// and, for the first two raters, as that pair's figure in the
		// breakdown of all raters.
		format := exportFormats[i%len(exportFormats)]
		for _, c := range checks {
			raters := c.raters
			if raters == 0 {
				raters = len(d.Rows[0])
			}
			got, err := ComputeAgreement(d.annotations(raters, nil), c.opt)
			if err != nil {
				t.Fatalf("dataset %s %s: %v", d.ID, c.figure, err)
			}
			exported, err := ComputeAgreement(exportAnnotations(t, d, raters, format), c.opt)
			if err != nil {
				t.Fatalf("dataset %s %s from %s: %v", d.ID, c.figure, format, err)
			}
			if !sameFigure(got.Value, exported.Value) {
				t.Errorf("dataset %s %s: parsed %s, read from %s %s", d.ID, c.figure, fmtPtr(got.Value), format, fmtPtr(exported.Value))
			}
			if c.raters == 2 {
				pair := firstPair(t, exportAnnotations(t, d, len(d.Rows[0]), format), c.opt)
				if !sameFigure(got.Value, pair) {
					t.Errorf("dataset %s %s: two raters %s, their pair in the breakdown %s", d.ID, c.figure, fmtPtr(got.Value), fmtPtr(pair))
				}
			}
			w, present := want[c.figure]
			if !present {
				t.Fatalf("dataset %s: differential.py gave no %s", d.ID, c.figure)
			}
			switch {
			case got.Value == nil && w == nil:
				undefined[c.figure]++
			case got.Value == nil && (c.figure == "nltk_alpha_nominal" || c.figure == "nltk_alpha_interval") && *w == 1:
				// nltk returns 1 when a single value was used; SPEC 7.1
				// makes that undefined (no_variation), never a silent 1.
				undefined[c.figure]++
			case got.Value == nil || w == nil:
				t.Errorf("dataset %s %s: ours %s (%s), theirs %s", d.ID, c.figure, fmtPtr(got.Value), got.Undefined, fmtPtr(w))
			case math.Abs(*got.Value-*w) > diffTolerance:
				t.Errorf("dataset %s %s: ours %.12f, theirs %.12f", d.ID, c.figure, *got.Value, *w)
			default:
				compared[c.figure]++
			}
		}
	}
	for _, c := range checks {
		t.Logf("%-24s %3d datasets agree within %g, %2d undefined on both sides", c.figure, compared[c.figure], diffTolerance, undefined[c.figure])
		if compared[c.figure] < 300 {
			t.Errorf("%s: only %d defined comparisons, want at least 300", c.figure, compared[c.figure])
		}
	}
}

// bruteForceAll compares Gwet's AC1/AC2, every alpha level, Fleiss' kappa
// and percent agreement with the pairwise references, on each dataset
// complete and with ratings missing.
func bruteForceAll(t *testing.T, sets []dataset) {
	type check struct {
		name string
		opt  AgreementOptions
	}
	checks := []check{
		{"gwet_ac1", AgreementOptions{Metric: GwetAC1}},
		{"gwet_ac2_linear", AgreementOptions{Metric: GwetAC2, Weights: WeightsLinear}},
		{"gwet_ac2_quadratic", AgreementOptions{Metric: GwetAC2, Weights: WeightsQuadratic}},
		{"alpha_nominal", AgreementOptions{Level: Nominal}},
		{"alpha_ordinal", AgreementOptions{Level: Ordinal}},
		{"alpha_interval", AgreementOptions{Level: Interval}},
		{"alpha_ratio", AgreementOptions{Level: Ratio}},
		{"fleiss_kappa", AgreementOptions{Metric: FleissKappa}},
		{"percent_agreement", AgreementOptions{Metric: PercentAgreement}},
	}
	compared := map[string]int{}
	for i, d := range sets {
		raters := len(d.Rows[0])
		for _, missing := range []bool{false, true} {
			var keep [][]bool
			if missing {
				keep = d.dropSome(uint64(i))
			}
			a := d.annotations(raters, keep)
			units := referenceUnits(d, keep)
			for _, c := range checks {
				got, err := ComputeAgreement(a, c.opt)
				if err != nil {
					t.Fatalf("dataset %s %s: %v", d.ID, c.name, err)
				}
				want, ok := reference(c.name, units)
				switch {
				case got.Value == nil && !ok:
				case got.Value == nil || !ok:
					t.Errorf("dataset %s (missing %v) %s: ours %s (%s), reference defined %v", d.ID, missing, c.name, fmtPtr(got.Value), got.Undefined, ok)
				case math.Abs(*got.Value-want) > diffTolerance:
					t.Errorf("dataset %s (missing %v) %s: ours %.12f, reference %.12f", d.ID, missing, c.name, *got.Value, want)
				default:
					compared[c.name]++
				}
			}
		}
	}
	for _, c := range checks {
		t.Logf("%-20s %3d of %d datasets (complete and with missing ratings) agree with the pairwise reference", c.name, compared[c.name], 2*len(sets))
		if compared[c.name] < 300 {
			t.Errorf("%s: only %d defined comparisons, want at least 300", c.name, compared[c.name])
		}
	}
}

// referenceUnits lists each unit's values (ratings kept, in rater order).
func referenceUnits(d dataset, keep [][]bool) [][]float64 {
	var units [][]float64
	for u, row := range d.Rows {
		var vs []float64
		for j, x := range row {
			if keep == nil || keep[u][j] {
				vs = append(vs, float64(x))
			}
		}
		if len(vs) > 0 {
			units = append(units, vs)
		}
	}
	return units
}

// reference computes a coefficient from its textbook definition; ok is
// false where it is undefined (0/0).
//
// Krippendorff (2011): with n the number of pairable values (those in
// units holding m_u ≥ 2), D_o = 1/n Σ_u Σ_{i≠j} δ(v_ui, v_uj)/(m_u − 1) over
// ordered pairs within units, D_e = 1/(n(n−1)) Σ over ordered pairs of
// distinct pairable values anywhere, α = 1 − D_o/D_e. δ is 0/1 (nominal),
// (c−k)² (interval), ((c−k)/(c+k))² (ratio), and for ordinal
// (Σ_{g from c to k} n_g − (n_c + n_k)/2)², n_g counting pairable values.
//
// Gwet (2014), as irrCAC: p_a is the mean over units with r_u ≥ 2 ratings
// of Σ_{i≠j} w(v_ui, v_uj)/(r_u(r_u − 1)); π_k the mean over every rated
// unit of the share of its ratings in k; with q categories and weights on
// their ranks (1 − |i−j|/(q−1) linear, 1 − (i−j)²/(q−1)² quadratic,
// identity for AC1), p_e = T_w/(q(q−1)) Σ_k π_k(1−π_k), T_w = Σ_kl w_kl, and
// AC = (p_a − p_e)/(1 − p_e). Fleiss' kappa has p_e = Σ_k π_k²; percent
// agreement is p_a with identity weights.
func reference(name string, units [][]float64) (float64, bool) {
	// The categories: distinct values, in numeric order; rank maps a
	// value to its index.
	set := map[float64]bool{}
	for _, vs := range units {
		for _, v := range vs {
			set[v] = true
		}
	}
	var cats []float64
	for v := range set {
		cats = append(cats, v)
	}
	slices.Sort(cats)
	rank := map[float64]int{}
	for i, v := range cats {
		rank[v] = i
	}
	q := len(cats)

	var pairable []float64
	for _, vs := range units {
		if len(vs) >= 2 {
			pairable = append(pairable, vs...)
		}
	}
	if len(pairable) == 0 {
		return 0, false
	}
	distinct := map[float64]bool{}
	for _, v := range pairable {
		distinct[v] = true
	}
	if len(distinct) < 2 {
		return 0, false
	}

	switch name {
	case "alpha_nominal", "alpha_ordinal", "alpha_interval", "alpha_ratio":
		ng := map[float64]float64{}
		for _, v := range pairable {
			ng[v]++
		}
		delta := func(c, k float64) float64 {
			if c == k {
				return 0
			}
			switch name {
			case "alpha_interval":
				return (c - k) * (c - k)
			case "alpha_ratio":
				d := (c - k) / (c + k)
				return d * d
			case "alpha_ordinal":
				lo, hi := min(rank[c], rank[k]), max(rank[c], rank[k])
				var s float64
				for g := lo; g <= hi; g++ {
					s += ng[cats[g]]
				}
				d := s - (ng[c]+ng[k])/2
				return d * d
			}
			return 1
		}
		n := float64(len(pairable))
		var do float64
		for _, vs := range units {
			if len(vs) < 2 {
				continue
			}
			for i := range vs {
				for j := range vs {
					if i != j {
						do += delta(vs[i], vs[j]) / float64(len(vs)-1)
					}
				}
			}
		}
		do /= n
		var de float64
		for i := range pairable {
			for j := range pairable {
				if i != j {
					de += delta(pairable[i], pairable[j])
				}
			}
		}
		de /= n * (n - 1)
		if de == 0 {
			return 0, false
		}
		return 1 - do/de, true
	}

	weight := func(c, k float64) float64 {
		d := math.Abs(float64(rank[c] - rank[k]))
		switch name {
		case "gwet_ac2_linear":
			return 1 - d/float64(q-1)
		case "gwet_ac2_quadratic":
			return 1 - d*d/float64((q-1)*(q-1))
		}
		if c == k {
			return 1
		}
		return 0
	}
	var pa float64
	var paUnits int
	pi := make([]float64, q)
	for _, vs := range units {
		for _, v := range vs {
			pi[rank[v]] += 1 / float64(len(vs))
		}
		if len(vs) < 2 {
			continue
		}
		paUnits++
		var s float64
		for i := range vs {
			for j := range vs {
				if i != j {
					s += weight(vs[i], vs[j])
				}
			}
		}
		pa += s / float64(len(vs)*(len(vs)-1))
	}
	pa /= float64(paUnits)
	if name == "percent_agreement" {
		return pa, true
	}
	var pe float64
	switch name {
	case "fleiss_kappa":
		for k := range pi {
			p := pi[k] / float64(len(units))
			pe += p * p
		}
	default:
		var tw, s float64
		for _, c := range cats {
			for _, k := range cats {
				tw += weight(c, k)
			}
		}
		for k := range pi {
			p := pi[k] / float64(len(units))
			s += p * (1 - p)
		}
		pe = tw / float64(q*(q-1)) * s
	}
	if pe >= 1 {
		return 0, false
	}
	return (pa - pe) / (1 - pe), true
}

// sameFigure reports whether two computations of one figure agree within
// diffTolerance, or are both undefined.
func sameFigure(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= diffTolerance
}
