package detect

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWordSet(t *testing.T) {
	ws := newWordSet([]string{"he", "she", "his", "hers"})
	var got []string
	ws.each([]byte("ushers his"), func(end, w int) bool {
		got = append(got, ws.words[w]+"@"+string(rune('0'+end)))
		return true
	})
	// Aho and Corasick's own example: overlapping words all found.
	want := []string{"she@4", "he@4", "hers@6", "his@:"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if ws.any([]byte("nothing to see, h")) || !ws.any([]byte("xhisx")) {
		t.Error("any is wrong")
	}
}

// TestPrefilterFindsEveryCall compares the prefiltered matchCode with a
// plain scan (every signature's Call over the whole code) on every Python
// file and notebook in testdata: the words must never hide a call, and
// every match of a Call must hold one of its words.
func TestPrefilterFindsEveryCall(t *testing.T) {
	n := 0
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f := formatOf(Ext(p))
		if f != Python && f != Notebook {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		var src source
		if f == Python {
			src = pythonSource(data)
		} else {
			src = notebookSource(data)
		}
		got, gotOK := matchCode(p, src)
		want, wantOK := plainMatchCode(t, p, src)
		if f == Python && wantOK && !codeMayMatch(data) {
			t.Errorf("%s: codeMayMatch hides %s at line %d", p, want.Signature, want.Line)
		}
		if gotOK != wantOK || got.Signature != want.Signature || got.Line != want.Line {
			t.Errorf("%s: prefiltered %v %s:%d, plain %v %s:%d", p, gotOK, got.Signature, got.Line, wantOK, want.Signature, want.Line)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d code files in testdata", n)
	}
}

// plainMatchCode is matchCode without the prefilter.
func plainMatchCode(t *testing.T, name string, src source) (Config, bool) {
	var (
		best    Config
		bestOff = -1
	)
	for i := range Detectors {
		d := &Detectors[i]
		for _, sig := range d.Code {
			off := -1
			for _, loc := range sig.Call.FindAllIndex(src.text, -1) {
				m := string(src.text[loc[0]:loc[1]])
				if !slices.ContainsFunc(sig.Words, func(w string) bool { return strings.Contains(m, w) }) {
					t.Errorf("%s: %s:%s matches %q, which holds none of %q", name, d.Name, sig.Name, m, sig.Words)
				}
				start := strings.LastIndexByte(string(src.text[:loc[0]]), '\n') + 1
				if src.inString(loc[0]) {
					continue
				}
				if h := src.header(start); h < 0 || loc[0] > h {
					off = loc[0]
					break
				}
			}
			if off < 0 || (bestOff >= 0 && off >= bestOff) {
				continue
			}
			if !allMatch(sig.Also, src.text) || anyMatch(sig.None, src.text) {
				continue
			}
			bestOff, best = off, codeConfig(d, sig, name, src, off)
		}
	}
	return best, bestOff >= 0
}

// TestNeedsHoldOnTestdata: every pattern that declares literals matches
// exactly where its expression alone does, on every Python file, notebook
// and launcher of testdata as the detectors read them (Python tokens, shell
// words).
func TestNeedsHoldOnTestdata(t *testing.T) {
	var needy []*Pattern
	walkPatterns(func(p *Pattern) {
		if p.need != nil {
			needy = append(needy, p)
		}
	})
	if len(needy) < 10 {
		t.Fatalf("found %d patterns with literals", len(needy))
	}
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// The patterns with literals are code and launcher patterns: they
		// run over code and launchers as the detectors read them.
		var texts [][]byte
		switch formatOf(Ext(p)) {
		case Python:
			texts = append(texts, pythonSource(data).text)
		case Notebook:
			texts = append(texts, notebookSource(data).text)
		case Shell:
			if s, ok := shellWords(data); ok {
				texts = append(texts, s.text)
			}
		}
		for _, text := range texts {
			for _, pat := range needy {
				if pat.Match(text) != pat.get().Match(text) {
					t.Errorf("%s: %s with its literals %v, without %v", p, pat.expr, pat.Match(text), !pat.Match(text))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDocPrefilter: the YAML and JSON filters are bounded (every signature
// gives its keys), and on every YAML and JSON file of testdata, and on the
// escaped-key walk-around, the verdict is the same with and without them.
func TestDocPrefilter(t *testing.T) {
	loadDocWords()
	for _, f := range []Format{YAML, JSON} {
		if docWords[f] == nil {
			t.Errorf("%s: a signature's keys are unbounded, so nothing is filtered", f)
		}
	}
	if !docMayMatch(JSON, []byte(`{"\u0062ase_model": "m"}`)) || docMayMatch(YAML, []byte("name: ci\non: [push]\n")) {
		t.Error("docMayMatch: escaped key filtered out, or a workflow let through")
	}
	judge := func(p string, data []byte) (Config, bool, string) {
		c, ok, why, _ := judgeFile(p, formatOf(Ext(p)), data)
		return c, ok, why
	}
	n := 0
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if f := formatOf(Ext(p)); f != YAML && f != JSON {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		c1, ok1, w1 := judge(p, data)
		docPrefilter = false
		c2, ok2, w2 := judge(p, data)
		docPrefilter = true
		if ok1 != ok2 || w1 != w2 || c1.Signature != c2.Signature || c1.Kind != c2.Kind {
			t.Errorf("%s: with the filter %v %s %s, without %v %s %s", p, ok1, c1.Signature, w1, ok2, c2.Signature, w2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d YAML and JSON files in testdata", n)
	}
}
