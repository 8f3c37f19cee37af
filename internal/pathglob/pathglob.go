// Package pathglob matches repository-relative paths against the globs used in
// decision records and policy: `*` is any run of bytes but `/`, `?` one byte
// but `/`, and `**` as a whole segment is zero or more segments. Every other
// byte, `[`, `]`, `{`, `}` and `\` included, matches itself.
//
// Matching runs the pattern as a set of states over the path's segments, so
// its cost is the pattern's size times the path's length, whatever the number
// of `**`: no pattern makes it backtrack.
package pathglob

import (
	"fmt"
	"strings"
)

// Glob is a compiled pattern.
type Glob struct {
	pattern string
	// segs are the pattern's segments with runs of `**` collapsed to one.
	segs []string
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
	var segs []string
	for s := range strings.SplitSeq(pattern, "/") {
		if s == "" {
			return Glob{}, fmt.Errorf("glob %q has an empty path segment", pattern)
		}
		// `**/**` matches what `**` matches: one state serves both.
		if s == "**" && len(segs) > 0 && segs[len(segs)-1] == "**" {
			continue
		}
		segs = append(segs, s)
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
	m := len(g.segs)
	if m == 0 {
		return false
	}
	// State i means "the path so far matched segs[:i]". A `**` state also
	// stands for the state after it (zero segments), and stays active as
	// it consumes a segment. Patterns are short: keep the sets on the stack.
	var bufA, bufB [32]bool
	cur, next := bufA[:0], bufB[:0]
	if m+1 > len(bufA) {
		cur, next = make([]bool, m+1), make([]bool, m+1)
	} else {
		cur, next = bufA[:m+1], bufB[:m+1]
	}
	cur[0] = true
	g.closeOver(cur)
	rest := path
	for {
		name, tail, more := strings.Cut(rest, "/")
		clear(next)
		alive := false
		for i, on := range cur[:m] {
			if !on {
				continue
			}
			switch s := g.segs[i]; {
			case s == "**":
				next[i] = true
				alive = true
			case matchSeg(s, name):
				next[i+1] = true
				alive = true
			}
		}
		if !alive {
			return false
		}
		g.closeOver(next)
		cur, next = next, cur
		if !more {
			return cur[m]
		}
		rest = tail
	}
}

// closeOver adds, for each active `**` state, the state after it: `**`
// may match zero segments. Runs of `**` were collapsed, so one forward pass
// is enough.
func (g Glob) closeOver(states []bool) {
	for i, s := range g.segs {
		if states[i] && s == "**" {
			states[i+1] = true
		}
	}
}

// Match compiles pattern and matches path; an invalid pattern matches nothing.
func Match(pattern, path string) bool {
	g, err := Compile(pattern)
	return err == nil && g.Match(path)
}

// matchSeg matches one segment byte by byte. On a mismatch only the most
// recent `*` takes one more byte: earlier stars never need to, so the cost
// is at most the pattern's length times the name's.
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
