package record

import (
	"fmt"
	"strings"
	"testing"
)

// coversRecord is goodCUERecord covering n globs: a record's size grows
// with what it lists, and loading it should grow linearly with that size.
func coversRecord(n int) []byte {
	var b strings.Builder
	head, tail, _ := strings.Cut(goodCUERecord, `covers: ["training/triage/**"]`)
	b.WriteString(head)
	b.WriteString("covers: [\n")
	for i := range n {
		fmt.Fprintf(&b, "\t\"training/team-%d/**/*.yaml\",\n", i)
	}
	b.WriteString("]")
	b.WriteString(tail)
	return []byte(b.String())
}

// doublingRecord is a CUE record that doubles a string n times: CUE would
// build a string of 2^n bytes; the data-only check refuses it, in time
// linear in the record.
func doublingRecord(n int) []byte {
	var b strings.Builder
	b.WriteString(goodCUERecord)
	b.WriteString("s0: \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "s%d: s%d + s%d\n", i, i-1, i-1)
	}
	return []byte(b.String())
}

// listsRecord is goodCUERecord with n unknown fields, each a list of 200
// numbers: every value one the schema refuses, which makes CUE's error
// list the costliest part of loading a record.
func listsRecord(n int) []byte {
	var b strings.Builder
	b.WriteString(goodCUERecord)
	row := "[" + strings.Repeat("0,", 199) + "0]"
	for i := range n {
		fmt.Fprintf(&b, "x%d: %s\n", i, row)
	}
	return []byte(b.String())
}

// BenchmarkLoadRecordSize loads records at sizes ten times apart, all
// under the 1 MiB cap: time should grow about tenfold.
func BenchmarkLoadRecordSize(b *testing.B) {
	l, err := NewLoader()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{25, maxEntries} {
		src := coversRecord(n)
		b.Run(fmt.Sprintf("covers/entries=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if r := l.Parse("decisions/a.cue", src); !r.Valid || len(r.Covers) != n {
					b.Fatalf("record refused or covers lost: %v", r.Problems)
				}
			}
		})
	}
	// Up to maxValues, each refused by the schema; then over it, refused
	// before CUE builds anything.
	for _, n := range []int{2, 20, 200, 2000} {
		src := listsRecord(n)
		// Up to maxValues the schema refuses them; past it, the bound does.
		by := "schema"
		if n*200 > maxValues {
			by = "bound"
		}
		b.Run(fmt.Sprintf("refused-by-%s/values=%d", by, n*200), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if r := l.Parse("decisions/a.cue", src); r.Valid {
					b.Fatal("a record with unknown fields was accepted")
				}
			}
		})
	}
	for _, n := range []int{4000, 40000} {
		src := doublingRecord(n)
		b.Run(fmt.Sprintf("not-data/bytes=%d", len(src)), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if r := l.Parse("decisions/a.cue", src); r.Valid {
					b.Fatal("a record doubling a string was accepted")
				}
			}
		})
	}
}
