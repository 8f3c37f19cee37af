package pathglob

import "testing"

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"training/**", "training/a.yaml", true},
		{"training/**", "training/x/y/z.yaml", true},
		{"training/**", "training", true}, // ** matches zero segments
		{"training/**", "other/training/a.yaml", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/x/y/c", false},
		{"**/testdata/**", "internal/detect/testdata/x.yaml", true},
		{"**/testdata/**", "testdata/x.yaml", true},
		{"*.yaml", "a.yaml", true},
		{"*.yaml", "dir/a.yaml", false}, // * never crosses /
		{"training/*.yaml", "training/a.yaml", true},
		{"training/*.yaml", "training/sub/a.yaml", false},
		{"t?.yaml", "t1.yaml", true},
		{"t?.yaml", "t/.yaml", false},
		{"t?.yaml", "t12.yaml", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"*", "a\nb:c,d%e", true},                  // newlines, %, : and , are ordinary bytes
		{"data/[a].jsonl", "data/[a].jsonl", true}, // brackets are literal
		{"data/[a].jsonl", "data/a.jsonl", false},
		{"data/{a,b}.csv", "data/{a,b}.csv", true}, // braces are literal
		{"data/{a,b}.csv", "data/a.csv", false},
		{`data\*.csv`, `data\x.csv`, true}, // backslash is literal; * still a star
		{"exact/path.yaml", "exact/path.yaml", true},
		{"exact/path.yaml", "exact/path.yml", false},
		{"**", "anything/at/all", true},
		{"a/**/**/b", "a/b", true},
		{"é/*", "é/ü.yaml", true},
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	for _, p := range []string{"", "/abs/path", "a//b", "a/"} {
		if _, err := Compile(p); err == nil {
			t.Errorf("Compile(%q) accepted an invalid glob", p)
		}
		if Match(p, "a/b") {
			t.Errorf("invalid glob %q matched", p)
		}
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{{"training/**", "training/a.yaml"}, {"a*b?c", "axxbyc"}, {"**/x/**", "a/x/b"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		g, err := Compile(pattern)
		if err != nil {
			return
		}
		got := g.Match(path)
		// Small cases also go through the recursive reference matcher,
		// which is exponential in the worst case.
		if len(pattern) <= 12 && len(path) <= 24 && got != refMatch(pattern, path) {
			t.Fatalf("Match(%q, %q) = %v, reference disagrees", pattern, path, got)
		}
		// A pattern without wildcards matches exactly itself.
		if !containsAny(pattern, "*?") && got != (pattern == path) {
			t.Fatalf("literal %q vs %q: %v", pattern, path, got)
		}
		if !containsAny(pattern, "*?") {
			return
		}
		// ** alone matches everything.
		if pattern == "**" && !got {
			t.Fatalf("** did not match %q", path)
		}
	})
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}
