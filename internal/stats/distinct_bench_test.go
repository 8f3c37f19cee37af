package stats

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/evidence"
)

// distinctValues builds units rated by three annotators with values that
// almost never repeat: the number of categories grows with the file, which
// made the coincidence-matrix sums over pairs of categories quadratic.
func distinctValues(units int) *evidence.Annotations {
	rng := rand.New(rand.NewPCG(3, 4))
	b := newBuilder()
	for range units {
		base := 1_000_000 + rng.IntN(1_000_000_000)
		b.unit([2]string{"a", strconv.Itoa(base + rng.IntN(2_000_000) - 1_000_000)},
			[2]string{"b", strconv.Itoa(base + rng.IntN(2_000_000) - 1_000_000)},
			[2]string{"c", strconv.Itoa(base + rng.IntN(2_000_000) - 1_000_000)})
	}
	return &b.a
}

// BenchmarkDistinctValues times alpha and a 100-resample bootstrap at
// ordinal, interval and ratio level on 20,000 and 200,000 units (about 1
// and 10 MB as CSV): time should grow about tenfold.
func BenchmarkDistinctValues(b *testing.B) {
	for _, units := range []int{20_000, 200_000} {
		a := distinctValues(units)
		for _, level := range []string{Ordinal, Interval, Ratio} {
			opt := AgreementOptions{Level: level}
			b.Run(fmt.Sprintf("%s/alpha/units=%d", level, units), func(b *testing.B) {
				for b.Loop() {
					if _, err := ComputeAgreement(a, opt); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/bootstrap100/units=%d", level, units), func(b *testing.B) {
				for b.Loop() {
					if _, _, err := Bootstrap(a, opt, 100, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
