package stats

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// annotationsFromBytes reads triples (unit, annotator, label) from data, on
// small alphabets so that units collect several labels; label 9 is "x", a
// non-number, to reach the string-order and non-numeric paths.
func annotationsFromBytes(data []byte) *evidence.Annotations {
	b := newBuilder()
	units := map[byte]int{}
	var rows [][][2]string
	for i := 0; i+2 < len(data); i += 3 {
		u := data[i] % 16
		label := fmt.Sprint(data[i+2] % 10)
		if label == "9" {
			label = "x"
		}
		idx, ok := units[u]
		if !ok {
			idx = len(rows)
			units[u] = idx
			rows = append(rows, nil)
		}
		rows[idx] = append(rows[idx], [2]string{fmt.Sprintf("r%d", data[i+1]%5), label})
	}
	for _, r := range rows {
		b.unit(r...)
	}
	return &b.a
}

// FuzzAgreement checks the invariants every consumer relies on, for every
// metric, level and weighting: no panic; a value is finite and never
// accompanies an undefined reason; a bootstrap interval is ordered.
func FuzzAgreement(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 1, 1, 1, 0, 2, 1, 1, 3, 2, 0, 1, 2, 1, 2})
	f.Add([]byte{0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1})
	f.Add([]byte{0, 0, 9, 0, 1, 8, 1, 0, 9, 1, 1, 9, 2, 2, 0})
	f.Add([]byte{5, 0, 0, 5, 1, 0, 6, 0, 3, 6, 2, 4, 6, 3, 3})
	var opts []AgreementOptions
	for _, l := range Levels() {
		opts = append(opts, AgreementOptions{Level: l})
	}
	for _, m := range Metrics()[1:] {
		opts = append(opts, AgreementOptions{Metric: m})
	}
	for _, m := range []string{CohenKappa, ScottPi, GwetAC2} {
		opts = append(opts, AgreementOptions{Metric: m, Weights: WeightsLinear}, AgreementOptions{Metric: m, Weights: WeightsQuadratic})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := annotationsFromBytes(data)
		for _, opt := range opts {
			got, err := ComputeAgreement(a, opt)
			if err != nil {
				continue // options that do not fit the data
			}
			switch {
			case got.Value == nil && got.Undefined == "":
				t.Fatalf("%+v: neither value nor reason", opt)
			case got.Value != nil && got.Undefined != "":
				t.Fatalf("%+v: value %v and reason %q", opt, *got.Value, got.Undefined)
			case got.Value != nil && (math.IsNaN(*got.Value) || math.IsInf(*got.Value, 0)):
				t.Fatalf("%+v: value %v", opt, *got.Value)
			}
			low, high, err := Bootstrap(a, opt, 20, 1)
			if err != nil {
				t.Fatalf("%+v: bootstrap error %v after ComputeAgreement succeeded", opt, err)
			}
			if (low == nil) != (high == nil) || low != nil && !(*low <= *high) {
				t.Fatalf("%+v: interval [%s, %s]", opt, fmtPtr(low), fmtPtr(high))
			}
		}
	})
}

// BenchmarkBootstrap measures SPEC's 1000-resample interval on 5,000 units
// rated by 3 of 5 annotators on a 5-point scale, a large annotation file.
func BenchmarkBootstrap(b *testing.B) {
	bld := newBuilder()
	for u := range 5000 {
		var rs [][2]string
		for j := range 3 {
			rs = append(rs, [2]string{fmt.Sprintf("r%d", (u+j)%5), fmt.Sprint(1 + (u*7+j*(u%3))%5)})
		}
		bld.unit(rs...)
	}
	for _, opt := range []AgreementOptions{{}, {Level: Ordinal}, {Metric: FleissKappa}, {Metric: GwetAC2, Weights: WeightsQuadratic}} {
		b.Run(strings.Trim(cmp.Or(opt.Metric, KrippendorffAlpha)+"_"+opt.Level+opt.Weights, "_"), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Bootstrap(&bld.a, opt, 1000, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
