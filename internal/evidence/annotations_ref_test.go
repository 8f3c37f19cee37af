package evidence

import (
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// referenceAnnotations reads long-format labels with encoding/csv and plain
// maps: the behaviour ParseAnnotations must match, written the obvious way.
// It returns the line of the first repeated (unit, annotator), or 0.
func referenceAnnotations(t *testing.T, data string) (annotView, int) {
	t.Helper()
	r := csv.NewReader(strings.NewReader(data))
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var v annotView
	units, anns, labels := map[string]int{}, map[string]int32{}, map[string]int32{}
	seen := map[[2]string]bool{}
	index := func(m map[string]int32, list *[]string, s string) int32 {
		if i, ok := m[s]; ok {
			return i
		}
		m[s] = int32(len(*list))
		*list = append(*list, s)
		return m[s]
	}
	for i, row := range rows[1:] {
		u, a, l := strings.TrimSpace(row[0]), strings.TrimSpace(row[1]), strings.TrimSpace(row[2])
		if seen[[2]string{u, a}] {
			return v, i + 2
		}
		seen[[2]string{u, a}] = true
		ui, ok := units[u]
		if !ok {
			ui = len(v.Units)
			units[u] = ui
			v.Units = append(v.Units, u)
			v.Ratings = append(v.Ratings, nil)
		}
		v.Ratings[ui] = append(v.Ratings[ui], Rating{index(anns, &v.Annotators, a), index(labels, &v.Labels, l)})
	}
	return v, 0
}

// randomLabels writes long-format labels: rows grouped by unit or in any
// order, with the odd quoted cell, padded value and CRLF, and, when dup is
// set, one repeated (unit, annotator) somewhere.
func randomLabels(r *rand.Rand, dup bool) string {
	units, annotators := 1+r.IntN(100), 1+r.IntN(70)
	type row struct{ u, a, l int }
	var rows []row
	for u := range units {
		for a := range annotators {
			if r.IntN(3) > 0 {
				rows = append(rows, row{u, a, r.IntN(6)})
			}
		}
	}
	if len(rows) == 0 {
		rows = append(rows, row{0, 0, 0})
	}
	if r.IntN(2) == 0 {
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	if dup {
		d := rows[r.IntN(len(rows))]
		d.l = (d.l + 1) % 6
		at := r.IntN(len(rows) + 1)
		rows = append(rows[:at], append([]row{d}, rows[at:]...)...)
	}
	// Zero-padded IDs keep a grouped file in ascending order throughout;
	// long ones differ only at their end.
	format := []string{"unit-%d", "unit-%06d", "a-long-unit-identifier-prefix-0%d"}[r.IntN(3)]
	var b strings.Builder
	b.WriteString("unit,annotator,label\n")
	for _, x := range rows {
		unit := fmt.Sprintf(format, x.u)
		label := fmt.Sprintf("L%d", x.l)
		switch r.IntN(40) {
		case 0:
			label = `"L, ` + label + `"`
		case 1:
			unit = " " + unit + " "
		}
		eol := "\n"
		if r.IntN(30) == 0 {
			eol = "\r\n"
		}
		fmt.Fprintf(&b, "%s,ann-%d,%s%s", unit, x.a, label, eol)
	}
	return b.String()
}

// TestParseAnnotationsMatchesReference compares the parser with the
// reference on random files: the same units, annotators and labels in the
// same order, each unit's ratings in file order, and a repeated rating
// reported at the line the reference finds.
func TestParseAnnotationsMatchesReference(t *testing.T) {
	// Small files take the sequential reader; the other ways of reading
	// are made to run on them by lowering the sizes they start at.
	for _, way := range []string{"sequential", "hasher", "halves"} {
		t.Run(way, func(t *testing.T) {
			defer func(h, s int64, n int) {
				hasherMinBytes, segmentMinBytes, hashBatch = h, s, n
			}(hasherMinBytes, segmentMinBytes, hashBatch)
			switch way {
			case "hasher":
				// Number the units on the hasher's goroutine, in
				// batches smaller than the files.
				hasherMinBytes, hashBatch = 0, 7
			case "halves":
				segmentMinBytes = 0
			}
			matchReference(t)
		})
	}
}

func matchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := range 200 {
		data := randomLabels(r, i%3 == 2)
		want, dupLine := referenceAnnotations(t, data)
		got, err := ParseAnnotations(memFS(map[string]string{"l.csv": data}), "l.csv", 0)
		if dupLine > 0 {
			e, ok := err.(*Error)
			if !ok || e.Kind != Duplicate || e.Line != dupLine {
				t.Fatalf("file %d: got %v, want a duplicate at line %d\n%s", i, err, dupLine, data)
			}
			continue
		}
		if err != nil {
			t.Fatalf("file %d: %v\n%s", i, err, data)
		}
		if v := viewOf(got); !reflect.DeepEqual(v, want) {
			t.Fatalf("file %d:\ngot  %+v\nwant %+v\n%s", i, v, want, data)
		}
	}
}

// TestUnitIndexGrows interns enough IDs to grow the table many times and
// checks every one keeps its number.
func TestUnitIndexGrows(t *testing.T) {
	var ids unitIDs
	x := newUnitIndex(&ids)
	const n = 50_000
	// Odd IDs are long and differ only at their end.
	id := func(i int) string {
		if i%2 == 1 {
			return fmt.Sprintf("%s-%d", strings.Repeat("x", 40), i)
		}
		return fmt.Sprintf("id-%d", i)
	}
	for i := range n {
		u, added := x.intern([]byte(id(i)))
		if !added || int(u) != i {
			t.Fatalf("%s: got %d, added %v", id(i), u, added)
		}
	}
	for i := n - 1; i >= 0; i-- {
		u, added := x.intern([]byte(id(i)))
		if added || int(u) != i || string(ids.id(i)) != id(i) {
			t.Fatalf("%s: got %d, added %v, stored %q", id(i), u, added, ids.id(i))
		}
	}
	if _, added := x.intern(nil); !added {
		t.Fatal("the empty ID is a new unit")
	}
}

// TestParseSegmentsWhenItSuits checks which files the two-halves reader
// takes (the reference test checks what it reads).
func TestParseSegmentsWhenItSuits(t *testing.T) {
	defer func(s int64) { segmentMinBytes = s }(segmentMinBytes)
	segmentMinBytes = 0
	grouped := func(format string, units int) string {
		var b strings.Builder
		b.WriteString("unit,annotator,label\n")
		for u := range units {
			for a := range 3 {
				fmt.Fprintf(&b, format+",ann-%d,L%d\n", u, a, (u+a)%4)
			}
		}
		return b.String()
	}
	rows := func(data string) []string { return strings.SplitAfter(data, "\n") }
	shuffled := rows(grouped("u%03d", 100))
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled)-2, func(i, j int) {
		shuffled[i+1], shuffled[j+1] = shuffled[j+1], shuffled[i+1]
	})
	quoted := rows(grouped("u%03d", 100))
	quoted[250] = `u083,"ann-x",L1` + "\n"
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"grouped, ascending", grouped("u%03d", 100), true},
		{"grouped, out of order", grouped("u%d", 100), true},
		{"shuffled", strings.Join(shuffled, ""), false},
		{"quoted cell in the second half", strings.Join(quoted, ""), false},
		{"too few rows to tell", grouped("u%03d", 3), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := memFS(map[string]string{"l.csv": tt.data})
			f, err := Open(fsys, "l.csv", 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			p := newAnnotParser(f.Path)
			p.file, p.size = f, f.Size
			s := newCSV(f)
			if err := s.readHeader(); err != nil {
				t.Fatal(err)
			}
			took, err := p.parseSegments(s, 0, 1, 2)
			if took != tt.want || err != nil {
				t.Fatalf("parseSegments = %v, %v; want %v, nil", took, err, tt.want)
			}
			// Whichever way it was read, the result is the reference's.
			a, err := ParseAnnotations(fsys, "l.csv", 0)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := referenceAnnotations(t, tt.data)
			if v := viewOf(a); !reflect.DeepEqual(v, want) {
				t.Fatalf("got  %+v\nwant %+v", v, want)
			}
		})
	}
}

// staleSizeFS reports every file as size bytes long, as a file that grew
// after its size was taken would look.
type staleSizeFS struct {
	fstest.MapFS
	size int64
}

func (s staleSizeFS) Open(name string) (fs.File, error) {
	f, err := s.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return staleFile{f.(readerAtFile), s.size}, nil
}

type readerAtFile interface {
	fs.File
	io.ReaderAt
}

type staleFile struct {
	readerAtFile
	size int64
}

func (f staleFile) Stat() (fs.FileInfo, error) {
	info, err := f.readerAtFile.Stat()
	if err != nil {
		return nil, err
	}
	return staleInfo{info, f.size}, nil
}

type staleInfo struct {
	fs.FileInfo
	size int64
}

func (i staleInfo) Size() int64 { return i.size }

// TestParseSegmentsFileGrew checks that the two-halves reader, which reads
// up to the size the file had when opened, leaves a file with more bytes
// than that to the sequential reader, which reads them all.
func TestParseSegmentsFileGrew(t *testing.T) {
	defer func(s int64) { segmentMinBytes = s }(segmentMinBytes)
	segmentMinBytes = 0
	var b strings.Builder
	b.WriteString("unit,annotator,label\n")
	for u := range 200 {
		for a := range 3 {
			fmt.Fprintf(&b, "u%03d,ann-%d,L%d\n", u, a, (u+a)%4)
		}
	}
	data := b.String()
	// The size it had: the first half of its rows, ending at a row's end
	// so that both halves' rows are whole.
	size := int64(strings.LastIndexByte(data[:len(data)/2], '\n') + 1)
	fsys := staleSizeFS{memFS(map[string]string{"l.csv": data}), size}
	got, err := ParseAnnotations(fsys, "l.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := referenceAnnotations(t, data)
	if v := viewOf(got); !reflect.DeepEqual(v, want) {
		t.Fatalf("read %d units, want %d", len(v.Units), len(want.Units))
	}
}

// TestParseLargeFilesMatchReference reads files past the first megabyte,
// where the reader reserves its lists for the whole file (and asks the
// hasher to reserve its own), shuffled and grouped out of byte order, with
// unit IDs of uneven length.
func TestParseLargeFilesMatchReference(t *testing.T) {
	defer func(h int64) { hasherMinBytes = h }(hasherMinBytes)
	r := rand.New(rand.NewPCG(21, 22))
	type row struct{ u, a, l int }
	var rows []row
	for u := range 30_000 {
		for a := range 3 {
			rows = append(rows, row{u, a, r.IntN(5)})
		}
	}
	write := func(rows []row) string {
		var b strings.Builder
		b.WriteString("unit,annotator,label\n")
		for _, x := range rows {
			fmt.Fprintf(&b, "%s-%d,ann-%d,L%d\n", strings.Repeat("u", 1+x.u%17), x.u, x.a, x.l)
		}
		return b.String()
	}
	grouped := write(rows)
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	shuffled := write(rows)
	for _, hasher := range []bool{false, true} {
		hasherMinBytes = 1 << 62
		if hasher {
			hasherMinBytes = 0
		}
		for name, data := range map[string]string{"grouped": grouped, "shuffled": shuffled} {
			if len(data) < 2*scanChunk {
				t.Fatalf("%s: %d bytes, want over %d", name, len(data), 2*scanChunk)
			}
			got, err := ParseAnnotations(memFS(map[string]string{"l.csv": data}), "l.csv", 0)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := referenceAnnotations(t, data)
			if v := viewOf(got); !reflect.DeepEqual(v, want) {
				t.Fatalf("%s, hasher %v: the parse differs from the reference (%d units, want %d)", name, hasher, len(v.Units), len(want.Units))
			}
		}
	}
}
