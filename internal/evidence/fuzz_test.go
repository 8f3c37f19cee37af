package evidence

import (
	"io/fs"
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
		a, err := ParseAnnotations(memFS(map[string]string{"l.csv": string(data)}), "l.csv", 0)
		checkPosition(t, data, err)
		if err != nil {
			return
		}
		// The interned indexes must all be in range.
		if len(a.Ratings) != len(a.Units) {
			t.Fatalf("%d rating lists for %d units", len(a.Ratings), len(a.Units))
		}
		for _, rs := range a.Ratings {
			for _, r := range rs {
				if int(r.Annotator) >= len(a.Annotators) || int(r.Label) >= len(a.Labels) || r.Annotator < 0 || r.Label < 0 {
					t.Fatalf("rating %+v out of range", r)
				}
			}
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
