package pathglob

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// refMatch is the straightforward recursive matcher: it tries every split
// point of every `**`, which is exponential in the number of `**` but plainly
// follows the definition. The set-of-states matcher must agree with it.
func refMatch(pattern, path string) bool {
	if _, err := Compile(pattern); err != nil {
		return false
	}
	return refSegs(strings.Split(pattern, "/"), strings.Split(path, "/"))
}

func refSegs(pat, name []string) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if refSegs(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	return len(name) > 0 && refSeg(pat[0], name[0]) && refSegs(pat[1:], name[1:])
}

// refSeg matches one segment by recursion on the definition of `*` and `?`.
func refSeg(pat, name string) bool {
	if pat == "" {
		return name == ""
	}
	switch pat[0] {
	case '*':
		for i := 0; i <= len(name); i++ {
			if refSeg(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	case '?':
		return name != "" && refSeg(pat[1:], name[1:])
	}
	return name != "" && name[0] == pat[0] && refSeg(pat[1:], name[1:])
}

// TestMatchesReference compares the matcher with refMatch on random patterns
// and paths over a small alphabet, where stars, `**` and near misses are
// frequent.
func TestMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	patParts := []string{"**", "*", "a", "b", "a*", "*b", "?", "a?b", "*a*", "[a]", `\`, "ab"}
	nameParts := []string{"a", "b", "ab", "ba", "aab", "[a]", `\`, "abb", "x"}
	pick := func(parts []string, n int) string {
		segs := make([]string, n)
		for i := range segs {
			segs[i] = parts[rng.IntN(len(parts))]
		}
		return strings.Join(segs, "/")
	}
	matched := 0
	for range 20000 {
		pattern := pick(patParts, 1+rng.IntN(6))
		path := pick(nameParts, 1+rng.IntN(7))
		if rng.IntN(2) == 0 {
			path = instance(rng, pattern, nameParts)
		}
		want := refMatch(pattern, path)
		if got := Match(pattern, path); got != want {
			t.Fatalf("Match(%q, %q) = %v, reference says %v", pattern, path, got, want)
		}
		if want {
			matched++
		}
	}
	// Both outcomes must be exercised, or the comparison proves little.
	if matched < 4000 || matched > 16000 {
		t.Fatalf("%d of 20000 random cases matched: the generator is lopsided", matched)
	}
}

// instance writes a path the pattern would match, then sometimes changes one
// byte, so that near misses are common too.
func instance(rng *rand.Rand, pattern string, nameParts []string) string {
	var segs []string
	for s := range strings.SplitSeq(pattern, "/") {
		if s == "**" {
			for range rng.IntN(3) {
				segs = append(segs, nameParts[rng.IntN(len(nameParts))])
			}
			continue
		}
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '*':
				b.WriteString("ab"[:rng.IntN(3)])
			case '?':
				b.WriteByte("abx"[rng.IntN(3)])
			default:
				b.WriteByte(s[i])
			}
		}
		segs = append(segs, b.String())
	}
	path := strings.Join(segs, "/")
	if path != "" && rng.IntN(3) == 0 {
		i := rng.IntN(len(path))
		path = path[:i] + "b" + path[i+1:]
	}
	return path
}

// TestDeepPathManyStars is the pattern that made the recursive matcher take
// minutes on a 300-deep path; the outcome is checked against a direct count.
func TestDeepPathManyStars(t *testing.T) {
	g := MustCompile("**/a/**/a/**/a/**/a/**/a/**/b")
	deep := strings.Repeat("a/", 300)
	if g.Match(deep + "c") {
		t.Fatal("matched a path that does not end in b")
	}
	if !g.Match(deep + "b") {
		t.Fatal("missed a path with five a segments before b")
	}
	if g.Match("a/a/a/a/b") {
		t.Fatal("matched with four a segments")
	}
}

// BenchmarkDeepPath matches the many-`**` pattern against paths of growing
// depth; time per match should grow linearly with the depth.
func BenchmarkDeepPath(b *testing.B) {
	g := MustCompile("**/a/**/a/**/a/**/a/**/a/**/b")
	for _, depth := range []int{30, 300, 3000} {
		path := strings.Repeat("a/", depth) + "c"
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			for b.Loop() {
				if g.Match(path) {
					b.Fatal("matched")
				}
			}
		})
	}
}

// BenchmarkLongSegment matches a many-`*` segment against a long name with
// no match: per-segment cost is pattern length times name length.
func BenchmarkLongSegment(b *testing.B) {
	g := MustCompile("*a*a*a*a*a*b")
	for _, n := range []int{100, 1000, 10000} {
		path := strings.Repeat("a", n)
		b.Run(fmt.Sprintf("bytes=%d", n), func(b *testing.B) {
			for b.Loop() {
				if g.Match(path) {
					b.Fatal("matched")
				}
			}
		})
	}
}
