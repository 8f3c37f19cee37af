package evidence

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// annotationRows builds long-format labels: units × annotators rows,
// grouped by unit, or shuffled.
func annotationRows(units, annotators int, shuffle bool) string {
	rows := make([]string, 0, units*annotators)
	r := rand.New(rand.NewPCG(1, 2))
	for u := range units {
		for a := range annotators {
			rows = append(rows, fmt.Sprintf("unit-%06d,annotator-%02d,%d\n", u, a, r.IntN(5)))
		}
	}
	if shuffle {
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	return "unit,annotator,label\n" + strings.Join(rows, "")
}

func benchmarkAnnotations(b *testing.B, shuffle bool) {
	data := annotationRows(100_000, 5, shuffle)
	fsys := memFS(map[string]string{"l.csv": data})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAnnotations(fsys, "l.csv", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAnnotationsGrouped(b *testing.B)  { benchmarkAnnotations(b, false) }
func BenchmarkParseAnnotationsShuffled(b *testing.B) { benchmarkAnnotations(b, true) }

func BenchmarkCountExamplesJSONL(b *testing.B) {
	data := strings.Repeat(`{"messages":[{"role":"user","content":"hello there"},{"role":"assistant","content":"hi"}]}`+"\n", 100_000)
	fsys := memFS(map[string]string{"t.jsonl": data})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := CountExamples(fsys, "t.jsonl", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDigest(b *testing.B) {
	data := strings.Repeat("0123456789abcdef", 1<<16)
	fsys := memFS(map[string]string{"d.bin": data})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Digest(fsys, "d.bin", 0); err != nil {
			b.Fatal(err)
		}
	}
}
