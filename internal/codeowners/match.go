package codeowners

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// pattern is a compiled CODEOWNERS pattern: a list of segments matched
// against the leading segments of a slash-separated path.
type pattern struct {
	segs []segment
	// dirOnly: the pattern ended in `/` (or `/**`), so it matches only a
	// directory and owns what lies below it, never a file of that name.
	dirOnly bool
	// exact: the last segment is a lone `*`, which GitHub matches against
	// the files in a directory but not the directories below it.
	exact bool
}

// segment is one `/`-separated part of a pattern.
type segment struct {
	any   bool   // `**`: zero or more whole segments
	elems []elem // otherwise, what one path segment must match
}

type elemKind uint8

const (
	lit  elemKind = iota // the bytes in text
	star                 // any run of characters (not `/`)
	one                  // any one character (not `/`)
)

type elem struct {
	kind elemKind
	text string
}

// syntaxError is a pattern GitHub rejects; off is the byte offset in the
// pattern of the character at fault.
type syntaxError struct {
	off int
	msg string
}

// compile parses a pattern as written in the file, escapes included.
func compile(raw string) (*pattern, *syntaxError) {
	if strings.HasPrefix(raw, "!") {
		return nil, &syntaxError{0, "negated patterns (!) do not work in CODEOWNERS"}
	}
	var (
		segs     []segment
		cur      segment
		text     strings.Builder // pending literal bytes
		plain    strings.Builder // the segment as written, to recognise `**`
		escaped  bool            // the segment holds an escape
		stars    int             // length of the current run of unescaped `*`
		anchored bool
		dirOnly  bool
	)
	flushText := func() {
		if text.Len() > 0 {
			cur.elems = append(cur.elems, elem{kind: lit, text: text.String()})
			text.Reset()
		}
	}
	endSeg := func(first bool) {
		flushText()
		switch {
		case plain.String() == "**" && !escaped:
			segs = append(segs, segment{any: true})
		case plain.Len() == 0 && first:
			anchored = true // a leading `/`
		case plain.Len() == 0:
			// `a//b` is `a/b`, as in gitignore
		default:
			segs = append(segs, cur)
		}
		cur, escaped, stars = segment{}, false, 0
		plain.Reset()
	}
	first := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '/':
			endSeg(first)
			first = false
			if i == len(raw)-1 {
				dirOnly = true
			}
			continue
		case '\\':
			if i+1 == len(raw) {
				return nil, &syntaxError{i, "pattern ends in an unfinished escape (\\)"}
			}
			i++
			text.WriteByte(raw[i])
			plain.WriteByte('\\')
			plain.WriteByte(raw[i])
			escaped = true
			stars = 0
			continue
		case '[', ']':
			return nil, &syntaxError{i, "character ranges ([ ]) do not work in CODEOWNERS"}
		case '*':
			if stars++; stars == 3 {
				return nil, &syntaxError{i - 2, "three consecutive asterisks (***) are not a valid pattern"}
			}
			plain.WriteByte(c)
			if stars == 1 {
				flushText()
				cur.elems = append(cur.elems, elem{kind: star})
			}
			continue
		case '?':
			flushText()
			cur.elems = append(cur.elems, elem{kind: one})
		default:
			text.WriteByte(c)
		}
		plain.WriteByte(c)
		stars = 0
	}
	if len(raw) > 0 && raw[len(raw)-1] != '/' {
		endSeg(first)
	}

	if len(segs) == 0 {
		return nil, &syntaxError{0, fmt.Sprintf("pattern %q never matches anything; use \"*\" for every file", raw)}
	}
	if len(segs) > 1 {
		anchored = true // a `/` inside the pattern anchors it, as in gitignore
	}
	// Collapse runs of `**`.
	out := segs[:1]
	for _, s := range segs[1:] {
		if s.any && out[len(out)-1].any {
			continue
		}
		out = append(out, s)
	}
	segs = out
	// A trailing `**` is everything inside: the same as a trailing `/`.
	if segs[len(segs)-1].any {
		segs = segs[:len(segs)-1]
		dirOnly = true
	}
	// An unanchored pattern matches at any depth.
	if !anchored && (len(segs) == 0 || !segs[0].any) {
		segs = append([]segment{{any: true}}, segs...)
	}
	// (segs is empty only for "/**", which owns everything.)
	p := &pattern{segs: segs, dirOnly: dirOnly}
	if len(segs) > 0 && !dirOnly && isLoneStar(segs[len(segs)-1]) {
		p.exact = true
	}
	return p, nil
}

func isLoneStar(s segment) bool {
	return len(s.elems) == 1 && s.elems[0].kind == star
}

// match reports whether the pattern matches path (a file), or a directory
// above it.
func (p *pattern) match(path string) bool {
	names := strings.Split(path, "/")
	n := len(names)
	// reach[j]: the segments so far can match exactly names[:j]. One pass
	// per segment keeps the cost at segments × names, however many `**`.
	reach := make([]bool, n+1)
	next := make([]bool, n+1)
	reach[0] = true
	for _, s := range p.segs {
		clear(next)
		if s.any {
			seen := false
			for j := 0; j <= n; j++ {
				seen = seen || reach[j]
				next[j] = seen
			}
		} else {
			for j := 1; j <= n; j++ {
				next[j] = reach[j-1] && matchSegment(s.elems, names[j-1])
			}
		}
		reach, next = next, reach
	}
	switch {
	case p.exact:
		return reach[n]
	case p.dirOnly:
		// A directory above the file: a proper prefix of its path.
		for j := 0; j < n; j++ {
			if reach[j] {
				return true
			}
		}
		return false
	default:
		// The file itself, or a directory above it.
		for j := 1; j <= n; j++ {
			if reach[j] {
				return true
			}
		}
		return false
	}
}

// matchSegment matches one path segment. `*` and `?` step over whole UTF-8
// characters, as GitHub's character-based matching does; literals compare
// bytes. On a mismatch, the most recent `*` takes one more character.
func matchSegment(elems []elem, name string) bool {
	e, i := 0, 0
	starE, starI := -1, 0
	for {
		if e < len(elems) {
			switch el := elems[e]; el.kind {
			case star:
				starE, starI = e, i
				e++
				continue
			case one:
				if i < len(name) {
					_, w := utf8.DecodeRuneInString(name[i:])
					i += w
					e++
					continue
				}
			case lit:
				if strings.HasPrefix(name[i:], el.text) {
					i += len(el.text)
					e++
					continue
				}
			}
		} else if i == len(name) {
			return true
		}
		if starE < 0 || starI >= len(name) {
			return false
		}
		_, w := utf8.DecodeRuneInString(name[starI:])
		starI += w
		e, i = starE+1, starI
	}
}
