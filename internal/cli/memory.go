package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// memoryBudgetEnv sets the memory budget in MiB; 0 turns the watch off.
const memoryBudgetEnv = "FTGATE_MEMORY_MIB"

// memoryPoll is how often the watch samples the process's memory: often
// enough that the headroom under the system's limit (a fifth) is not
// allocated between two samples at any realistic rate.
const memoryPoll = 20 * time.Millisecond

// watchMemory ends the process with exit 2 and one line on stderr when the
// memory it holds from the system passes the budget: the budget in
// FTGATE_MEMORY_MIB, else four fifths of the machine's memory or of the
// cgroup's limit, whichever is smaller (Linux). Without a budget it does
// nothing. Go's own answer to running out, a fatal error with every
// goroutine's stack, is what a CI log must not show; every input is
// bounded upstream (record size, data-only records, evidence.max_bytes),
// so this is the last line, for evidence large for the machine. One
// allocation larger than the headroom still reaches the runtime first.
// The returned function stops the watch.
func watchMemory(stderr io.Writer, getenv func(string) string) (stop func(), err error) {
	budget, err := memoryBudget(getenv)
	if err != nil || budget == 0 {
		return func() {}, err
	}
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	over := func() (uint64, bool) {
		metrics.Read(samples)
		held := samples[0].Value.Uint64() - samples[1].Value.Uint64()
		return held, held > budget
	}
	exit := func(held uint64) {
		fmt.Fprintf(stderr, "ftgate: out of memory budget: holding %d MiB, budget %d MiB (set %s to raise it, or give the evidence fewer rows)\n",
			held>>20, budget>>20, memoryBudgetEnv)
		os.Exit(ExitError)
	}
	if held, ok := over(); ok {
		exit(held)
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(memoryPoll)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if held, ok := over(); ok {
					exit(held)
				}
			}
		}
	}()
	return func() { close(done) }, nil
}

// memoryBudget is the budget in bytes, 0 for none.
func memoryBudget(getenv func(string) string) (uint64, error) {
	if s := getenv(memoryBudgetEnv); s != "" {
		mib, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
		if err != nil {
			return 0, &usageError{msg: fmt.Sprintf("%s=%q: want a whole number of MiB (0 for no budget)", memoryBudgetEnv, s)}
		}
		return mib << 20, nil
	}
	limit := systemMemory()
	return limit / 5 * 4, nil
}

// systemMemory is the smaller of the machine's memory and the cgroup's
// limit, in bytes, or 0 when neither can be read (other systems).
func systemMemory() uint64 {
	var limit uint64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64); err == nil {
					limit = kb << 10
				}
				break
			}
		}
		f.Close()
	}
	for _, name := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64); err == nil && n > 0 && (limit == 0 || n < limit) {
			limit = n
		}
		break
	}
	return limit
}
