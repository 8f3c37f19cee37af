package evidence

import (
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestZZRusage(t *testing.T) {
	for _, shuffle := range []bool{false} {
		data := annotationRows(100_000, 5, shuffle)
		fsys := memFS(map[string]string{"l.csv": data})
		ParseAnnotations(fsys, "l.csv", 0)
		start := cpuTime()
		const n = 10
		for range n {
			ParseAnnotations(fsys, "l.csv", 0)
		}
		d := (cpuTime() - start) / n
		t.Logf("shuffle=%v %v/op %.0f MB/s (cpu)", shuffle, d, float64(len(data))/d.Seconds()/1e6)
	}
}
