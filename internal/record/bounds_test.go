package record

import (
	"fmt"
	"strings"
	"testing"
)

// TestEntriesBounded: a list or mapping past maxEntries, or a record past
// maxValues, is one FT002 naming the field and its position, in CUE and in
// YAML, and nothing of the record is evaluated; a record at the bounds is
// read.
func TestEntriesBounded(t *testing.T) {
	l := newLoader(t)
	if r := l.Parse("decisions/a.cue", coversRecord(maxEntries)); !r.Valid || len(r.Covers) != maxEntries {
		t.Fatalf("a record covering %d globs was refused: %v", maxEntries, r.Problems)
	}
	yamlCovers := func(n int) []byte {
		var b strings.Builder
		b.WriteString("apiVersion: ftgate/v1\nkind: FineTuneDecision\nid: FTD-0001\ncovers:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - training/team-%d/**\n", i)
		}
		return []byte(b.String())
	}
	yamlValues := func(lists int) []byte {
		var b strings.Builder
		b.WriteString("apiVersion: ftgate/v1\nkind: FineTuneDecision\n")
		for i := range lists {
			fmt.Fprintf(&b, "x%d: [%s0]\n", i, strings.Repeat("0, ", 199))
		}
		return []byte(b.String())
	}
	cases := []struct {
		name string
		src  []byte
		want string
	}{
		{"decisions/a.cue", coversRecord(maxEntries + 1), "decisions/a.cue:11:9: covers: a list of 257 entries; a record holds at most 256 in one list or mapping"},
		{"decisions/a.yaml", yamlCovers(maxEntries + 1), "decisions/a.yaml:5:3: covers: a list of 257 entries; a record holds at most 256 in one list or mapping"},
		{"decisions/a.yaml", yamlValues(21), "decisions/a.yaml:23:6: x20: the record holds more than 4096 values; a decision record is a page, with its evidence in files it names"},
	}
	for _, c := range cases {
		r := l.Parse(c.name, c.src)
		if r.Valid || len(r.Problems) != 1 {
			t.Errorf("%s: valid %v, problems %v; want one problem", c.name, r.Valid, r.Problems)
			continue
		}
		p := r.Problems[0]
		if got := fmt.Sprintf("%s: %s", p.Pos, p.Message); got != c.want || p.Rule != "FT002" {
			t.Errorf("%s: got %s %q\nwant FT002 %q", c.name, p.Rule, got, c.want)
		}
	}
}
