package stats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// agreementCase is one published case of testdata/agreement/cases.json (see
// its README for provenance); only the machine fields are read.
type agreementCase struct {
	Name       string   `json:"name"`
	Metric     string   `json:"metric"`
	Format     string   `json:"format"`
	Level      string   `json:"level"`
	Weights    string   `json:"weights"`
	Codebook   bool     `json:"codebook"`
	Categories []any    `json:"categories"`
	Data       [][]any  `json:"data"`
	Expected   *float64 `json:"expected"`
	Tolerance  *float64 `json:"tolerance"`
}

func loadCases(t testing.TB) []agreementCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "agreement", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	// json.Number keeps numeric labels as the file spells them ("1.0",
	// "0.5"), as a CSV of annotations would.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var cases []agreementCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// label spells a JSON cell as a label; ok is false for null (missing).
func label(t testing.TB, v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", false
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	t.Fatalf("unexpected cell %#v", v)
	return "", false
}

// builder interns labels the way package evidence does: units, annotators
// and labels numbered in order of first appearance.
type builder struct {
	a      evidence.Annotations
	labels map[string]int32
	raters map[string]int32
}

func newBuilder() *builder {
	return &builder{labels: map[string]int32{}, raters: map[string]int32{}}
}

// unit appends a unit with the given (annotator, label) ratings.
func (b *builder) unit(ratings ...[2]string) {
	var rs []evidence.Rating
	for _, r := range ratings {
		an, ok := b.raters[r[0]]
		if !ok {
			an = int32(len(b.a.Annotators))
			b.raters[r[0]] = an
			b.a.Annotators = append(b.a.Annotators, r[0])
		}
		l, ok := b.labels[r[1]]
		if !ok {
			l = int32(len(b.a.Labels))
			b.labels[r[1]] = l
			b.a.Labels = append(b.a.Labels, r[1])
		}
		rs = append(rs, evidence.Rating{Annotator: an, Label: l})
	}
	b.a.AddUnit(fmt.Sprintf("u%d", b.a.NumUnits()+1), rs...)
}

// annotations builds the case's data as evidence would parse a long-format
// file of it. A units_x_raters row becomes a unit rated by the raters whose
// cell is not null (a row with none is no unit: a file has no line for it);
// a contingency_table cell (i, j) holding c becomes c units labelled
// categories[i] by rater 1 and categories[j] by rater 2.
func (c agreementCase) annotations(t testing.TB) *evidence.Annotations {
	b := newBuilder()
	// Some cases spell the format "units_x_raters," (a stray comma in the
	// published file, kept as published).
	switch format := strings.TrimSuffix(c.Format, ","); format {
	case "units_x_raters":
		for _, row := range c.Data {
			var rs [][2]string
			for j, cell := range row {
				if l, ok := label(t, cell); ok {
					rs = append(rs, [2]string{fmt.Sprintf("r%d", j+1), l})
				}
			}
			if len(rs) > 0 {
				b.unit(rs...)
			}
		}
	case "contingency_table":
		for i, row := range c.Data {
			for j, cell := range row {
				n, err := cell.(json.Number).Int64()
				if err != nil {
					t.Fatalf("cell (%d,%d): %v", i, j, err)
				}
				li, _ := label(t, c.Categories[i])
				lj, _ := label(t, c.Categories[j])
				for range n {
					b.unit([2]string{"r1", li}, [2]string{"r2", lj})
				}
			}
		}
	default:
		t.Fatalf("unknown format %q", c.Format)
	}
	return &b.a
}

func (c agreementCase) options(t testing.TB) AgreementOptions {
	opt := AgreementOptions{Metric: c.Metric, Level: c.Level, Weights: c.Weights}
	if c.Codebook {
		for _, v := range c.Categories {
			l, _ := label(t, v)
			opt.Categories = append(opt.Categories, l)
		}
	}
	return opt
}

// TestPublishedAgreementCases runs every published case within its
// tolerance; a null expected value must come back undefined, never as a
// number.
func TestPublishedAgreementCases(t *testing.T) {
	cases := loadCases(t)
	if len(cases) != 40 {
		t.Fatalf("cases.json holds %d cases, want 40", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got, err := ComputeAgreement(c.annotations(t), c.options(t))
			if err != nil {
				t.Fatal(err)
			}
			if c.Expected == nil {
				if got.Value != nil || got.Undefined == "" {
					t.Fatalf("value %v, undefined %q; want undefined", fmtPtr(got.Value), got.Undefined)
				}
				return
			}
			if got.Value == nil {
				t.Fatalf("undefined (%s); want %.10f", got.Undefined, *c.Expected)
			}
			if d := math.Abs(*got.Value - *c.Expected); d > *c.Tolerance {
				t.Fatalf("value %.10f, want %.10f ± %g (off by %.3g)", *got.Value, *c.Expected, *c.Tolerance, d)
			}
		})
	}
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

// k2011C is Krippendorff (2011) section C: 4 observers, 12 units, missing
// values; unit 12 has a single value (the "kalpha_k2011_C_*" cases).
func k2011C() *evidence.Annotations {
	rows := [][]string{
		{"1", "1", "", "1"}, {"2", "2", "3", "2"}, {"3", "3", "3", "3"}, {"3", "3", "3", "3"},
		{"2", "2", "2", "2"}, {"1", "2", "3", "4"}, {"4", "4", "4", "4"}, {"1", "1", "2", "1"},
		{"2", "2", "2", "2"}, {"", "5", "5", "5"}, {"", "", "1", "1"}, {"", "", "3", ""},
	}
	b := newBuilder()
	for _, row := range rows {
		var rs [][2]string
		for j, l := range row {
			if l != "" {
				rs = append(rs, [2]string{"ABCD"[j : j+1], l})
			}
		}
		b.unit(rs...)
	}
	return &b.a
}

// TestAgreementCounts checks the counts and the effective options on
// Krippendorff's section C data: 11 units with two or more values (unit 12
// is dropped), 40 pairable values, 4 annotators.
func TestAgreementCounts(t *testing.T) {
	got, err := ComputeAgreement(k2011C(), AgreementOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Metric != KrippendorffAlpha || got.Level != Nominal || got.Weights != "" {
		t.Errorf("metric/level/weights = %q/%q/%q, want krippendorff_alpha/nominal/\"\"", got.Metric, got.Level, got.Weights)
	}
	if got.Units != 11 || got.Pairable != 40 || got.Annotators != 4 {
		t.Errorf("units %d, pairable %d, annotators %d; want 11, 40, 4", got.Units, got.Pairable, got.Annotators)
	}

	got, err = ComputeAgreement(k2011C(), AgreementOptions{Metric: ScottPi})
	if err != nil {
		t.Fatal(err)
	}
	if got.Level != "" || got.Weights != WeightsNone {
		t.Errorf("scott_pi level/weights = %q/%q, want \"\"/none", got.Level, got.Weights)
	}
}

// TestAgreementNumericLabels checks that the observed numeric labels are one
// scale: "1.0" and "1" are one category, and numeric order (2 < 10), not
// string order, gives the ranks the weights use.
func TestAgreementNumericLabels(t *testing.T) {
	b := newBuilder()
	b.unit([2]string{"a", "1"}, [2]string{"b", "1.0"})
	b.unit([2]string{"a", "2"}, [2]string{"b", "2"})
	b.unit([2]string{"a", "10"}, [2]string{"b", "10"})
	b.unit([2]string{"a", "2"}, [2]string{"b", "10"})
	got, err := ComputeAgreement(&b.a, AgreementOptions{Metric: PercentAgreement})
	if err != nil {
		t.Fatal(err)
	}
	// Units 1-3 agree, unit 4 does not: 3/4.
	if got.Value == nil || *got.Value != 0.75 {
		t.Errorf("percent agreement %s, want 0.75", fmtPtr(got.Value))
	}
	// Interval alpha over the values 1, 2, 10 must equal alpha over the
	// same data spelled without "1.0".
	b2 := newBuilder()
	b2.unit([2]string{"a", "1"}, [2]string{"b", "1"})
	b2.unit([2]string{"a", "2"}, [2]string{"b", "2"})
	b2.unit([2]string{"a", "10"}, [2]string{"b", "10"})
	b2.unit([2]string{"a", "2"}, [2]string{"b", "10"})
	opt := AgreementOptions{Level: Interval}
	x, err1 := ComputeAgreement(&b.a, opt)
	y, err2 := ComputeAgreement(&b2.a, opt)
	if err1 != nil || err2 != nil || x.Value == nil || y.Value == nil || *x.Value != *y.Value {
		t.Errorf("interval alpha %s (%v) vs %s (%v): want equal", fmtPtr(x.Value), err1, fmtPtr(y.Value), err2)
	}
}

// TestAgreementUndefined checks each reason an agreement is undefined.
func TestAgreementUndefined(t *testing.T) {
	single := newBuilder()
	single.unit([2]string{"a", "x"})
	single.unit([2]string{"b", "y"})

	same := newBuilder()
	same.unit([2]string{"a", "x"}, [2]string{"b", "x"})
	same.unit([2]string{"a", "x"}, [2]string{"b", "x"})
	same.unit([2]string{"a", "y"}) // variation outside the pairable values does not count

	for _, tc := range []struct {
		name string
		a    *evidence.Annotations
		opt  AgreementOptions
		want string
	}{
		{"empty", &evidence.Annotations{}, AgreementOptions{}, NoPairableUnits},
		{"nil", nil, AgreementOptions{Metric: FleissKappa}, NoPairableUnits},
		{"single labels", &single.a, AgreementOptions{Metric: GwetAC1}, NoPairableUnits},
		{"no variation alpha", &same.a, AgreementOptions{}, NoVariation},
		{"no variation cohen", &same.a, AgreementOptions{Metric: CohenKappa}, NoVariation},
		{"no variation percent", &same.a, AgreementOptions{Metric: PercentAgreement}, NoVariation},
		{"no variation ac1 codebook", &same.a, AgreementOptions{Metric: GwetAC1, Categories: []string{"x", "y", "z"}}, NoVariation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ComputeAgreement(tc.a, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got.Value != nil || got.Undefined != tc.want {
				t.Errorf("value %s, undefined %q; want nil, %q", fmtPtr(got.Value), got.Undefined, tc.want)
			}
		})
	}
}

// TestAgreementErrors checks that options that do not fit the data are
// errors with messages a user can act on.
func TestAgreementErrors(t *testing.T) {
	five := newBuilder()
	five.unit([2]string{"a", "x"}, [2]string{"b", "x"}, [2]string{"c", "y"}, [2]string{"d", "x"}, [2]string{"e", "y"})

	words := newBuilder()
	words.unit([2]string{"a", "3"}, [2]string{"b", "high"})

	negative := newBuilder()
	negative.unit([2]string{"a", "-1"}, [2]string{"b", "2"})

	for _, tc := range []struct {
		name string
		a    *evidence.Annotations
		opt  AgreementOptions
		want string // the whole message, or a part of it after "…"
	}{
		{"cohen five annotators", &five.a, AgreementOptions{Metric: CohenKappa}, "cohen_kappa needs 2 annotators, found 5"},
		{"interval non-numeric", &words.a, AgreementOptions{Level: Interval}, `…"high"`},
		{"ratio negative", &negative.a, AgreementOptions{Level: Ratio}, `…"-1"`},
		{"label outside codebook", &words.a, AgreementOptions{Categories: []string{"low", "high"}}, `…label "3" is not one of`},
		{"duplicate category", &words.a, AgreementOptions{Categories: []string{"3", "high", "3"}}, `…listed twice`},
		{"unknown metric", &words.a, AgreementOptions{Metric: "kappa"}, `…unknown agreement metric "kappa"`},
		{"unknown level", &words.a, AgreementOptions{Level: "cardinal"}, `…unknown level "cardinal"`},
		{"weights on fleiss", &words.a, AgreementOptions{Metric: FleissKappa, Weights: WeightsLinear}, `…weights "linear" apply only to`},
		{"label index out of range", outOfRange(), AgreementOptions{}, "…out of range"},
		{"level on cohen", &words.a, AgreementOptions{Metric: CohenKappa, Level: Ordinal}, `…level "ordinal" applies only to`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ComputeAgreement(tc.a, tc.opt)
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if part, ok := strings.CutPrefix(tc.want, "…"); ok {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not contain %q", err, part)
				}
			} else if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
		})
	}
}

// TestAgreementCodebookScores checks that a codebook scores non-numeric
// labels 1..k for interval alpha: Krippendorff's section C data spelled
// a..e with the codebook a,b,c,d,e gives his interval alpha 0.849.
func TestAgreementCodebookScores(t *testing.T) {
	a := k2011C()
	for i, l := range a.Labels {
		a.Labels[i] = string(rune('a' - 1 + int(l[0]-'0')))
	}
	got, err := ComputeAgreement(a, AgreementOptions{Level: Interval, Categories: strings.Split("a,b,c,d,e", ",")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Value == nil || math.Abs(*got.Value-0.8491071429) > 1e-9 {
		t.Errorf("interval alpha %s, want 0.8491071429", fmtPtr(got.Value))
	}
}

// outOfRange is a unit whose second rating names a label that does not
// exist.
func outOfRange() *evidence.Annotations {
	a := &evidence.Annotations{Annotators: []string{"a"}, Labels: []string{"x"}}
	a.AddUnit("u", evidence.Rating{Annotator: 0, Label: 0}, evidence.Rating{Annotator: 0, Label: 3})
	return a
}
