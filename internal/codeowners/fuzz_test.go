package codeowners

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that every position it reports
// lies in the file, and that Owners only ever answers with a rule's line.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		githubExample,
		"* @a\n!x @b\n*.[ch] @c\n/ @d\nx\\\n",
		"\uFEFF*.yaml\t@a # c\r\n\\#x @b\n**/**/logs/** @c\n",
		"a***b @x\né/[x] @y\n@z\n",
		"docs/* docs@example.com\n/apps/github\n",
		"\\",
		"\n\n\n",
	} {
		f.Add([]byte(seed), "training/a.yaml")
	}
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		file, err := Parse("CODEOWNERS", data)
		if file == nil {
			t.Fatal("Parse returned a nil File")
		}
		lines := bytes.Split(data, []byte("\n"))
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("err = %v, want a non-empty ErrorList", err)
			}
			for _, e := range list {
				switch {
				case e.Pos.File != "CODEOWNERS":
					t.Errorf("%v: wrong file", e)
				case e.Pos.Line == 0 && e.Pos.Col == 0:
					// the whole file
				case e.Pos.Line < 1 || e.Pos.Line > len(lines):
					t.Errorf("%v: line outside the file's %d lines", e, len(lines))
				case e.Pos.Col < 1 || e.Pos.Col > utf8.RuneCount(lines[e.Pos.Line-1])+1:
					t.Errorf("%v: column outside line %q", e, lines[e.Pos.Line-1])
				}
			}
		}
		var ruleLines []int
		for _, r := range file.Rules {
			if r.Line < 1 || r.Line > len(lines) {
				t.Errorf("rule %q at line %d of %d", r.Pattern, r.Line, len(lines))
			}
			ruleLines = append(ruleLines, r.Line)
		}
		if !slices.IsSorted(ruleLines) {
			t.Errorf("rule lines out of order: %v", ruleLines)
		}
		for _, p := range []string{path, "a", "a/b/c.yaml", "/x"} {
			if _, line, ok := file.Owners(p); ok != (line != 0) || (ok && !slices.Contains(ruleLines, line)) {
				t.Errorf("Owners(%q) = line %d, %v; rule lines %v", p, line, ok, ruleLines)
			}
		}
	})
}
