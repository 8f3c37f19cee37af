package evidence

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// longRows builds a long-format file of rows ratings: 5 annotators per
// unit, 5 labels, grouped by unit or shuffled. It appends bytes directly:
// the data for 10M rows is about 300 MB.
func longRows(rows int, shuffle bool) []byte {
	const annotators = 5
	order := make([]int32, rows)
	for i := range order {
		order[i] = int32(i)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if shuffle {
		r.Shuffle(rows, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	b := make([]byte, 0, rows*30+32)
	b = append(b, "unit,annotator,label\n"...)
	for _, i := range order {
		u, a := int(i)/annotators, int(i)%annotators
		b = append(b, "unit-"...)
		b = strconv.AppendInt(b, int64(u), 10)
		b = append(b, ",annotator-"...)
		b = strconv.AppendInt(b, int64(a), 10)
		b = append(b, ',', byte('1'+(u*7+a*int(i%3))%5), '\n')
	}
	return b
}

func benchmarkLong(b *testing.B, rows int, shuffle bool) {
	if rows > 1_000_000 && os.Getenv("FTGATE_BENCH_10M") != "1" {
		b.Skip("set FTGATE_BENCH_10M=1 for the 10M-row benchmarks")
	}
	data := longRows(rows, shuffle)
	fsys := memFS(map[string]string{"l.csv": string(data)})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if _, err := ParseAnnotations(fsys, "l.csv", 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

func BenchmarkLongGrouped1M(b *testing.B)   { benchmarkLong(b, 1_000_000, false) }
func BenchmarkLongShuffled1M(b *testing.B)  { benchmarkLong(b, 1_000_000, true) }
func BenchmarkLongGrouped10M(b *testing.B)  { benchmarkLong(b, 10_000_000, false) }
func BenchmarkLongShuffled10M(b *testing.B) { benchmarkLong(b, 10_000_000, true) }
