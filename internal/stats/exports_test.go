package stats

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

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

// A real Prodigy db-out (a workshop's binary classification, 42
// annotators) is refused as written, since some annotators answered an
// input twice; with every repeat after the first dropped, its alpha is
// nltk's (see the provenance file for the command).
func TestProdigyWorkshopAlphaIsNLTKs(t *testing.T) {
	dir := "../evidence/testdata/prodigy"
	_, err := evidence.ReadAnnotations(os.DirFS(dir), "pydata-ams-2023.jsonl", 0, evidence.AnnotationOptions{})
	want := `pydata-ams-2023.jsonl:1009:1: duplicate label for unit "-1631564981" by annotator "3d1c3197-2e4f-46e2-9f7a-df3614c18888" (first at line 45:1)`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}

	data, err := os.ReadFile(filepath.Join(dir, "pydata-ams-2023.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var kept bytes.Buffer
	seen := map[string]bool{}
	for _, line := range bytes.Split(data, []byte("\n")) {
		var task struct {
			InputHash   json.Number `json:"_input_hash"`
			AnnotatorID string      `json:"_annotator_id"`
			Answer      string      `json:"answer"`
		}
		if len(bytes.TrimSpace(line)) == 0 || json.Unmarshal(line, &task) != nil {
			continue
		}
		key := task.InputHash.String() + "\x00" + task.AnnotatorID
		if task.Answer != "ignore" && seen[key] {
			continue
		}
		seen[key] = task.Answer != "ignore" || seen[key]
		kept.Write(line)
		kept.WriteByte('\n')
	}
	fsys := fstest.MapFS{"dedup.jsonl": {Data: kept.Bytes()}}
	a, err := evidence.ReadAnnotations(fsys, "dedup.jsonl", 0, evidence.AnnotationOptions{Question: "new-dataset"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ComputeAgreement(a, AgreementOptions{})
	if err != nil || res.Value == nil {
		t.Fatalf("%+v, %v", res, err)
	}
	const nltk = 0.5167453411625736
	if math.Abs(*res.Value-nltk) > diffTolerance || res.Units != 117 || res.Annotators != 42 {
		t.Errorf("alpha %v over %d units, %d annotators; nltk %v over 117 units, 42 annotators", *res.Value, res.Units, res.Annotators, nltk)
	}
}

// The JSON-MIN and CSV files label-studio-converter wrote (see
// ../evidence/testdata/labelstudio-converter/PROVENANCE.md) give the
// figure of the labels they hold: Krippendorff's published alpha for his
// section C data, and the long CSV's alpha for the example's contract-risk
// labels (testdata/example, from which the Label Studio JSON was written).
func TestConverterExportsGiveLongFormatAlpha(t *testing.T) {
	fsys := os.DirFS("../evidence/testdata/labelstudio-converter")
	long, err := evidence.ReadAnnotations(os.DirFS("../../testdata/example/evidence/contract-risk"), "labels.csv", 0, evidence.AnnotationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Ordinal too: without a codebook both order the labels as strings.
	for _, level := range []string{Nominal, Ordinal} {
		want, err := ComputeAgreement(long, AgreementOptions{Level: level})
		if err != nil || want.Value == nil {
			t.Fatalf("long CSV: %+v, %v", want, err)
		}
		for _, file := range []string{"contract-risk.min.json", "contract-risk.csv"} {
			// No question named: the one column that varies within tasks.
			a, err := evidence.ReadAnnotations(fsys, file, 0, evidence.AnnotationOptions{})
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			got, err := ComputeAgreement(a, AgreementOptions{Level: level})
			if err != nil || got.Value == nil || *got.Value != *want.Value || got.Units != want.Units || got.Annotators != 3 {
				t.Errorf("%s %s: %+v (%v); long CSV %+v", file, level, got, err, want)
			}
			// nltk's AnnotationTask on the CSV's (annotator, id, risk)
			// rows, binary distance (see the provenance file).
			const nltk = 0.8284181952350833
			if level == Nominal && (got.Value == nil || math.Abs(*got.Value-nltk) > diffTolerance) {
				t.Errorf("%s: alpha %v, nltk %v", file, got.Value, nltk)
			}
		}
	}
	published := map[string]float64{Nominal: 0.743, Ordinal: 0.815, Interval: 0.849, Ratio: 0.797}
	for _, file := range []string{"k2011c.min.json", "k2011c.csv"} {
		a, err := evidence.ReadAnnotations(fsys, file, 0, evidence.AnnotationOptions{Question: "severity"})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for level, want := range published {
			res, err := ComputeAgreement(a, AgreementOptions{Level: level})
			if err != nil || res.Value == nil || round3(*res.Value) != want || res.Units != 11 {
				t.Errorf("%s %s: %+v (%v), published %.3f over 11 units", file, level, res, err, want)
			}
		}
	}
}
