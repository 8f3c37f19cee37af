package detect

import (
	"regexp"
	"sync"
)

// Pattern is a regular expression compiled on first use. ftgate starts on
// every commit (the pre-commit no-op path never detects anything), and
// compiling every signature at start-up cost more than the rest of that
// path; a test compiles them all, so a bad expression still fails early.
type Pattern struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// pattern declares a Pattern; it panics on first use if expr is invalid.
func pattern(expr string) *Pattern { return &Pattern{expr: expr} }

func (p *Pattern) get() *regexp.Regexp {
	p.once.Do(func() { p.re = regexp.MustCompile(p.expr) })
	return p.re
}

// String returns the expression.
func (p *Pattern) String() string { return p.expr }

// Match reports whether b contains a match.
func (p *Pattern) Match(b []byte) bool { return p.get().Match(b) }

// MatchString reports whether s contains a match.
func (p *Pattern) MatchString(s string) bool { return p.get().MatchString(s) }

// FindIndex is regexp.Regexp.FindIndex.
func (p *Pattern) FindIndex(b []byte) []int { return p.get().FindIndex(b) }

// FindAllIndex is regexp.Regexp.FindAllIndex.
func (p *Pattern) FindAllIndex(b []byte, n int) [][]int { return p.get().FindAllIndex(b, n) }

// FindSubmatchIndex is regexp.Regexp.FindSubmatchIndex.
func (p *Pattern) FindSubmatchIndex(b []byte) []int { return p.get().FindSubmatchIndex(b) }

// FindAllSubmatch is regexp.Regexp.FindAllSubmatch.
func (p *Pattern) FindAllSubmatch(b []byte, n int) [][][]byte { return p.get().FindAllSubmatch(b, n) }

// NumSubexp is regexp.Regexp.NumSubexp.
func (p *Pattern) NumSubexp() int { return p.get().NumSubexp() }
