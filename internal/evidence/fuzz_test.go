package evidence

import (
	"fmt"
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"
)

// Seeds shared by the fuzz targets: the shapes the table tests use, and
// the awkward bytes around them.
var fuzzSeeds = []string{
	"",
	"\ufeff",
	histHeader + "1,0.5,10,rag,2026-01-01,gpt\n2,0.6,,few_shot,2026-02-01,\n",
	histHeader + "1,0.5,10,rag,2026-01-01,\"a\r\nb\"\r\n1,0.5,10,rag,2026-01-01,\n",
	"unit,annotator,label\nu1,a,x\nu1,b,y\nu1,a,z\n",
	"unit,a,b\nu1,x,\nu1,y,z\n",
	"unit,a,a\n",
	"scenario,count\nrefund,10\nbilling,\"2\n\"\n",
	"{\"scenario\":\"a\"}\n{\"meta\":{\"scenario\":\"b\"}}\n[1]\n",
	"üñî€,😀,\n\"unterminated\n",
	"a,b\xff,c\n\"x\"y\n",
	"version https://git-lfs.github.com/spec/v1\n",
	"\r\n\r\n\"\"\"\",\n",
}

func FuzzParseHistory(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ParseHistory(memFS(map[string]string{"h.csv": string(data)}), "h.csv", 0)
		checkPosition(t, data, err)
	})
}

func FuzzParseAnnotations(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := memFS(map[string]string{"l.csv": string(data)})
		a, err := ParseAnnotations(fsys, "l.csv", 0)
		checkPosition(t, data, err)
		// The readers for large files (two halves at once, units numbered
		// on another goroutine) read exactly what the sequential one does.
		func() {
			defer func(h, s int64, n int) {
				hasherMinBytes, segmentMinBytes, hashBatch = h, s, n
			}(hasherMinBytes, segmentMinBytes, hashBatch)
			hasherMinBytes, segmentMinBytes, hashBatch = 0, 0, 3
			b, errB := ParseAnnotations(fsys, "l.csv", 0)
			if fmt.Sprint(err) != fmt.Sprint(errB) {
				t.Fatalf("sequential reader: %v; large-file readers: %v", err, errB)
			}
			if err == nil && !reflect.DeepEqual(viewOf(a), viewOf(b)) {
				t.Fatalf("sequential reader: %+v; large-file readers: %+v", viewOf(a), viewOf(b))
			}
		}()
		if err != nil {
			return
		}
		// The interned indexes are in range, every rating belongs to
		// exactly one unit, and no annotator rates a unit twice.
		total := 0
		for u := range a.NumUnits() {
			rs := a.UnitRatings(u)
			total += len(rs)
			by := map[int32]bool{}
			for _, r := range rs {
				if int(r.Annotator) >= len(a.Annotators) || int(r.Label) >= len(a.Labels) || r.Annotator < 0 || r.Label < 0 {
					t.Fatalf("rating %+v out of range", r)
				}
				if by[r.Annotator] {
					t.Fatalf("unit %q rated twice by %q", a.UnitID(u), a.Annotators[r.Annotator])
				}
				by[r.Annotator] = true
			}
		}
		if total != len(a.Ratings) {
			t.Fatalf("units hold %d of %d ratings", total, len(a.Ratings))
		}
	})
}

func FuzzParseScenarios(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool) {
		name, field := "p.csv", ""
		if jsonl {
			name, field = "p.jsonl", "meta.scenario"
		}
		_, err := ParseScenarios(memFS(map[string]string{name: string(data)}), name, field, 0)
		checkPosition(t, data, err)
	})
}

func FuzzCountExamples(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, ext := range []uint8{0, 1, 2} {
			f.Add([]byte(s), ext)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, ext uint8) {
		name := [...]string{"t.jsonl", "t.csv", "t.txt"}[ext%3]
		n, err := CountExamples(memFS(map[string]string{name: string(data)}), name, 0)
		checkPosition(t, data, err)
		if n < 0 {
			t.Fatalf("negative count %d", n)
		}
	})
}

// FuzzOpen checks that no name escapes: whatever is accepted resolves to
// a clean relative path, and every refusal is an *Error.
func FuzzOpen(f *testing.F) {
	for _, s := range []string{"a.csv", "../a.csv", "/a", `a\b`, "d/l.csv", "d/up/x", "C:x", "./a.csv", "", "."} {
		f.Add(s)
	}
	fsys := memFS(map[string]string{"a.csv": "x", "d/b.csv": "y"})
	for name, target := range map[string]string{"d/l.csv": "b.csv", "d/up": "..", "d/out": "../../a.csv"} {
		fsys[name] = &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte(target)}
	}
	f.Fuzz(func(t *testing.T, name string) {
		file, err := Open(fsys, name, 0)
		if err != nil {
			checkPosition(t, nil, err)
			return
		}
		defer file.Close()
		if file.Resolved != "a.csv" && file.Resolved != "d/b.csv" {
			t.Fatalf("Open(%q) resolved to %q", name, file.Resolved)
		}
	})
}
