package stats

import (
	"fmt"
	"math"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/result"
)

// longAnnotations builds annotations from (unit, annotator, label) rows as
// the long CSV reader would.
func longAnnotations(t *testing.T, rows [][3]string) *evidence.Annotations {
	t.Helper()
	csv := "unit,annotator,label\n"
	for _, r := range rows {
		csv += r[0] + "," + r[1] + "," + r[2] + "\n"
	}
	fsys := fstest.MapFS{"l.csv": {Data: []byte(csv)}}
	a, err := evidence.ReadAnnotations(fsys, "l.csv", 0, evidence.AnnotationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The figures below are worked by hand from Krippendorff's definition
// (coincidences within units, D_o over D_e) and from the counting rule in
// Breakdown's documentation.
func TestBreakdownByHand(t *testing.T) {
	a := longAnnotations(t, [][3]string{
		{"u1", "ana", "a"}, {"u1", "bo", "a"}, {"u1", "cy", "b"},
		{"u2", "ana", "b"}, {"u2", "bo", "b"},
		{"u3", "ana", "a"}, {"u3", "cy", "a"},
		{"u4", "bo", "c"}, {"u4", "cy", "a"},
		{"u5", "dee", "a"}, // one label: not pairable, in no pair
	})
	pairs, cats, err := Breakdown(a, AgreementOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// bo–cy: values a,b | c,a: D_o = 4/4, D_e = 10/12, alpha = −0.2.
	// ana–cy: a,b | a,a: D_o = 2/4, D_e = 6/12, alpha = 0.
	// ana–bo: a,a | b,b: no disagreement, alpha = 1.
	want := []result.PairAgreement{
		{A: "bo", B: "cy", Value: ptr(-0.2), Units: 2},
		{A: "ana", B: "cy", Value: ptr(0), Units: 2},
		{A: "ana", B: "bo", Value: ptr(1), Units: 2},
	}
	if len(pairs) != len(want) {
		t.Fatalf("pairs %+v, want %+v", pairs, want)
	}
	for i := range want {
		g, w := pairs[i], want[i]
		if g.A != w.A || g.B != w.B || g.Units != w.Units || g.Value == nil || math.Abs(*g.Value-*w.Value) > 1e-12 {
			t.Errorf("pair %d: got %s–%s %s over %d, want %s–%s %v over %d", i, g.A, g.B, fmtPtr(g.Value), g.Units, w.A, w.B, *w.Value, w.Units)
		}
	}
	// Values of pairable units: a 5, b 3, c 1 of 9. Disagreeing pairs:
	// u1 has 2 (a–b twice), u4 has 1 (c–a): a is in 3 of 3, b in 2, c in 1.
	wantCats := []result.LabelDisagreement{
		{Label: "a", Share: 5.0 / 9, Disagreement: ptr(1)},
		{Label: "b", Share: 3.0 / 9, Disagreement: ptr(2.0 / 3)},
		{Label: "c", Share: 1.0 / 9, Disagreement: ptr(1.0 / 3)},
	}
	if len(cats) != len(wantCats) {
		t.Fatalf("categories %+v", cats)
	}
	for i, w := range wantCats {
		g := cats[i]
		if g.Label != w.Label || math.Abs(g.Share-w.Share) > 1e-12 || g.Disagreement == nil || math.Abs(*g.Disagreement-*w.Disagreement) > 1e-12 {
			t.Errorf("category %d: got %s %v %s, want %s %v %v", i, g.Label, g.Share, fmtPtr(g.Disagreement), w.Label, w.Share, *w.Disagreement)
		}
	}
}

// Perfect agreement: no disagreeing pair, so no label's share of them;
// each pair's figure is undefined (one value used) and listed last.
func TestBreakdownNoDisagreement(t *testing.T) {
	a := longAnnotations(t, [][3]string{{"u1", "ana", "x"}, {"u1", "bo", "x"}, {"u2", "ana", "y"}, {"u2", "bo", "y"}, {"u3", "bo", "x"}, {"u3", "cy", "x"}})
	pairs, cats, err := Breakdown(a, AgreementOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 2 || pairs[0].A != "ana" || pairs[0].Value == nil || *pairs[0].Value != 1 ||
		pairs[1].A != "bo" || pairs[1].B != "cy" || pairs[1].Value != nil || pairs[1].Undefined != "no_variation" {
		t.Errorf("pairs %+v", pairs)
	}
	for _, c := range cats {
		if c.Disagreement != nil {
			t.Errorf("category %s: disagreement %v, want none", c.Label, *c.Disagreement)
		}
	}
}

// Cohen's kappa needs exactly two annotators: each pair has them, whatever
// the file holds.
func TestBreakdownCohenPerPair(t *testing.T) {
	a := longAnnotations(t, [][3]string{
		{"u1", "ana", "x"}, {"u1", "bo", "x"}, {"u1", "cy", "y"},
		{"u2", "ana", "y"}, {"u2", "bo", "x"}, {"u2", "cy", "y"},
	})
	pairs, _, err := Breakdown(a, AgreementOptions{Metric: CohenKappa})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 3 {
		t.Fatalf("pairs %+v", pairs)
	}
}

func ptr(v float64) *float64 { return &v }

// TestBreakdownManyAnnotators: with more than MaxPairAnnotators annotators,
// the pairs are those of the MaxPairAnnotators with the most labels (by
// name on a tie), every other pair left out, and a unit every annotator
// labelled costs the pairs of those alone.
func TestBreakdownManyAnnotators(t *testing.T) {
	b := newBuilder()
	const many = 1000
	var all [][2]string
	for i := range many {
		all = append(all, [2]string{fmt.Sprintf("ann%04d", i), strconv.Itoa(i % 7)})
	}
	b.unit(all...) // one item everyone rated
	// ann0999 and ann0500 label more than anyone else.
	for u := range 20 {
		b.unit([2]string{"ann0999", "1"}, [2]string{"ann0500", strconv.Itoa(u % 2)})
	}
	pairs, _, err := Breakdown(&b.a, AgreementOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := PairsAmong(&b.a); got != MaxPairAnnotators {
		t.Errorf("PairsAmong = %d, want %d", got, MaxPairAnnotators)
	}
	if want := MaxPairAnnotators * (MaxPairAnnotators - 1) / 2; len(pairs) != want {
		t.Fatalf("%d pairs, want %d", len(pairs), want)
	}
	// The chosen: ann0500, ann0999, then the first 62 names.
	chosen := map[string]bool{"ann0500": true, "ann0999": true}
	for i := range MaxPairAnnotators - 2 {
		chosen[fmt.Sprintf("ann%04d", i)] = true
	}
	found := false
	for _, p := range pairs {
		if !chosen[p.A] || !chosen[p.B] {
			t.Fatalf("pair %s–%s is not among the annotators with the most labels", p.A, p.B)
		}
		if p.A == "ann0500" && p.B == "ann0999" {
			found = true
			if p.Units != 21 {
				t.Errorf("ann0500–ann0999 over %d units, want 21", p.Units)
			}
		}
	}
	if !found {
		t.Error("the pair with the most shared units is missing")
	}
	small := newBuilder()
	small.unit([2]string{"a", "1"}, [2]string{"b", "2"})
	if got := PairsAmong(&small.a); got != 0 {
		t.Errorf("PairsAmong of two annotators = %d, want 0 (all)", got)
	}
}

// TestWeightedCategoryBound: a weighted coefficient over more than
// MaxWeightedCategories categories is refused with a reason, before its
// weights are built.
func TestWeightedCategoryBound(t *testing.T) {
	b := newBuilder()
	for u := range MaxWeightedCategories/2 + 1 {
		b.unit([2]string{"a", strconv.Itoa(2 * u)}, [2]string{"b", strconv.Itoa(2*u + 1)})
	}
	_, err := ComputeAgreement(&b.a, AgreementOptions{Metric: CohenKappa, Weights: WeightsLinear})
	want := "cohen_kappa with linear weights over 1026 categories: ftgate weighs at most 1024, as the weights pair every category with every other (use no weights, or krippendorff_alpha at ordinal or interval level)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if _, err := ComputeAgreement(&b.a, AgreementOptions{Metric: CohenKappa}); err != nil {
		t.Errorf("unweighted kappa over the same labels: %v", err)
	}
}
