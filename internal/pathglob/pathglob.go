// Package pathglob matches repository-relative paths against the globs used in
// decision records and policy: `*` is any run of bytes but `/`, `?` one byte
// but `/`, and `**` as a whole segment is zero or more segments. Every other
// byte, `[`, `]`, `{`, `}` and `\` included, matches itself.
package pathglob

import (
	"fmt"
	"strings"
)

// Glob is a compiled pattern.
type Glob struct {
	pattern string
	segs    []string
}

// Compile checks a pattern. Patterns are relative, use `/`, and have no empty
// segments.
func Compile(pattern string) (Glob, error) {
	switch {
	case pattern == "":
		return Glob{}, fmt.Errorf("empty glob")
	case strings.HasPrefix(pattern, "/"):
		return Glob{}, fmt.Errorf("glob %q is absolute; globs are relative to the repository root", pattern)
	}
	segs := strings.Split(pattern, "/")
	for _, s := range segs {
		if s == "" {
			return Glob{}, fmt.Errorf("glob %q has an empty path segment", pattern)
		}
	}
	return Glob{pattern: pattern, segs: segs}, nil
}

// MustCompile is Compile for patterns known to be valid.
func MustCompile(pattern string) Glob {
	g, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return g
}

func (g Glob) String() string { return g.pattern }

// Match reports whether path matches the whole pattern.
func (g Glob) Match(path string) bool {
	if g.segs == nil {
		return false
	}
	return matchSegs(g.segs, strings.Split(path, "/"))
}

// Match compiles pattern and matches path; an invalid pattern matches nothing.
func Match(pattern, path string) bool {
	g, err := Compile(pattern)
	return err == nil && g.Match(path)
}

func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			// Collapse runs of ** and try every split point.
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegs(pat, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 || !matchSeg(pat[0], name[0]) {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// matchSeg matches one segment byte by byte; `*` backtracks to the last star.
func matchSeg(pat, name string) bool {
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pat) && pat[p] == '*':
			star, mark = p, n
			p++
		case p < len(pat) && (pat[p] == '?' || pat[p] == name[n]):
			p++
			n++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}
