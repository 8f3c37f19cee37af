package stats

import (
	"os"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// Krippendorff (2011), section C, as each annotation tool exports it: every
// export gives his published alpha at every level, and every other
// coefficient exactly as the wide CSV of the same labels gives it.
func TestExportsGivePublishedAlpha(t *testing.T) {
	fsys := os.DirFS("../evidence/testdata/k2011c")
	wide, err := evidence.ReadAnnotations(fsys, "wide.csv", 0, evidence.AnnotationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	published := map[string]float64{Nominal: 0.743, Ordinal: 0.815, Interval: 0.849, Ratio: 0.797}
	for _, file := range []string{"labelstudio.json", "labelstudio-min.json", "labelstudio.csv", "db-out.jsonl", "argilla.json"} {
		q := "severity"
		if file == "db-out.jsonl" {
			q = "" // one dataset, one question
		}
		a, err := evidence.ReadAnnotations(fsys, file, 0, evidence.AnnotationOptions{Question: q})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for level, want := range published {
			res, err := ComputeAgreement(a, AgreementOptions{Level: level})
			if err != nil || res.Value == nil {
				t.Fatalf("%s %s: %+v, %v", file, level, res, err)
			}
			if got := round3(*res.Value); got != want {
				t.Errorf("%s %s: alpha %.3f, published %.3f", file, level, got, want)
			}
		}
		for _, opt := range []AgreementOptions{
			{Metric: FleissKappa}, {Metric: GwetAC1}, {Metric: GwetAC2, Weights: WeightsQuadratic},
			{Metric: ScottPi}, {Metric: PercentAgreement}, {Level: Ordinal},
		} {
			got, err1 := ComputeAgreement(a, opt)
			want, err2 := ComputeAgreement(wide, opt)
			if err1 != nil || err2 != nil || got.Value == nil || want.Value == nil ||
				*got.Value != *want.Value || got.Units != want.Units || got.Pairable != want.Pairable {
				t.Errorf("%s %+v: got %+v (%v), wide CSV %+v (%v)", file, opt, got, err1, want, err2)
			}
		}
	}
}

func round3(v float64) float64 {
	return float64(int64(v*1000+0.5)) / 1000
}
