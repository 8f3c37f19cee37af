package detect

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealFiles judges the real files of testdata/real, hard positives (RL
// configs, notebooks, templates, schema examples) and hard negatives
// (library code, tests, generation configs), against the verdict their
// provenance table gives.
func TestRealFiles(t *testing.T) {
	f, err := os.Open("testdata/real/PROVENANCE.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 6 {
			t.Fatalf("PROVENANCE.tsv: %q has %d columns, want 6", sc.Text(), len(cols))
		}
		name, want := cols[0], strings.Fields(cols[5])
		data, err := os.ReadFile(filepath.Join("testdata/real", name))
		if err != nil {
			t.Fatal(err)
		}
		n++
		got, ok := File(name, data)
		switch {
		case want[0] == "none":
			if ok {
				t.Errorf("%s: %s %s (%s), want no config", name, got.Kind, got.Framework, got.Signature)
			}
		case !ok:
			t.Errorf("%s: no config, want %s", name, cols[5])
		case want[0] == "library":
			if !got.Library || got.Framework != want[1] {
				t.Errorf("%s: %s library=%v, want library code of %s", name, got.Framework, got.Library, want[1])
			}
		case got.Kind != want[0] || got.Framework != want[1]:
			t.Errorf("%s: %s %s (%s), want %s", name, got.Kind, got.Framework, got.Signature, cols[5])
		}
	}
	if n < 10 {
		t.Fatalf("only %d rows", n)
	}
}
