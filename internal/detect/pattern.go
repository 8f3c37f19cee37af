package detect

import (
	"bytes"
	"regexp"
	"sync"
)

// Pattern is a regular expression compiled on first use. ftgate starts on
// every commit (the pre-commit no-op path never detects anything), and
// compiling every signature at start-up cost more than the rest of that
// path; a test compiles them all, so a bad expression still fails early.
type Pattern struct {
	expr string
	// need, when set, lists literals one of which every match contains,
	// starting on the literal's line and ending at most needReach bytes
	// after it: the expression runs only around their occurrences.
	need [][]byte
	once sync.Once
	re   *regexp.Regexp
}

// pattern declares a Pattern; it panics on first use if expr is invalid.
func pattern(expr string) *Pattern { return &Pattern{expr: expr} }

func (p *Pattern) get() *regexp.Regexp {
	p.once.Do(func() { p.re = regexp.MustCompile(p.expr) })
	return p.re
}

// needReach bounds how far past its literal a match of a Pattern with
// literals may run.
const needReach = 256

// needing declares a Pattern every match of which contains one of lits
// (see Pattern.need).
func needing(lits []string, expr string) *Pattern {
	p := &Pattern{expr: expr}
	for _, l := range lits {
		p.need = append(p.need, []byte(l))
	}
	return p
}

// String returns the expression.
func (p *Pattern) String() string { return p.expr }

// Match reports whether b contains a match.
func (p *Pattern) Match(b []byte) bool {
	if p.need == nil {
		return p.get().Match(b)
	}
	for _, lit := range p.need {
		for from := 0; ; {
			i := bytes.Index(b[from:], lit)
			if i < 0 {
				break
			}
			i += from
			start := bytes.LastIndexByte(b[:i], '\n') + 1
			end := min(len(b), i+len(lit)+needReach)
			if p.get().Match(b[start:end]) {
				return true
			}
			from = i + len(lit)
		}
	}
	return false
}

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
