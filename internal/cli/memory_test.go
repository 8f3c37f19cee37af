package cli

import (
	"runtime"
	"testing"
)

// TestMemoryBudgetDefault: without the variable the budget is four fifths
// of what the system gives the process, and it is a real bound on Linux.
func TestMemoryBudgetDefault(t *testing.T) {
	none := func(string) string { return "" }
	got, err := memoryBudget(none)
	if err != nil {
		t.Fatal(err)
	}
	sys := systemMemory()
	if got != sys/5*4 {
		t.Errorf("budget %d, want 4/5 of %d", got, sys)
	}
	if runtime.GOOS == "linux" && (sys == 0 || got == 0) {
		t.Errorf("no memory limit found on Linux: system %d, budget %d", sys, got)
	}
	set := func(v string) func(string) string {
		return func(k string) string {
			if k == memoryBudgetEnv {
				return v
			}
			return ""
		}
	}
	if got, err := memoryBudget(set("512")); err != nil || got != 512<<20 {
		t.Errorf("512 MiB: %d %v", got, err)
	}
	if got, err := memoryBudget(set("0")); err != nil || got != 0 {
		t.Errorf("0 (off): %d %v", got, err)
	}
	if _, err := memoryBudget(set("-1")); err == nil {
		t.Error("-1 accepted")
	}
}
