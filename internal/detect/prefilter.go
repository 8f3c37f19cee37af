package detect

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
)

// wordSet finds every occurrence of a fixed set of literal words in one pass
// over a text: an Aho-Corasick automaton compiled to a full transition
// table, so each byte costs one table lookup whatever the number of words.
// The detectors' code signatures declare the words every match of their
// call contains; a file without any of them is not tokenized, and the
// call's regular expression runs only on the lines around a hit.
type wordSet struct {
	words []string
	next  [][256]int32 // state × byte → state
	out   [][]int32    // state → indices of the words ending there
	// first marks the bytes that leave the root state: a scan in the root
	// state skips the others without a table lookup per state.
	first [256]bool
}

func newWordSet(words []string) *wordSet {
	ws := &wordSet{words: words, next: make([][256]int32, 1), out: make([][]int32, 1)}
	// The trie; -1 marks a missing edge until the failure links fill it.
	for i := range ws.next[0] {
		ws.next[0][i] = -1
	}
	for wi, w := range words {
		s := int32(0)
		for i := 0; i < len(w); i++ {
			c := w[i]
			if ws.next[s][c] < 0 {
				var row [256]int32
				for j := range row {
					row[j] = -1
				}
				ws.next = append(ws.next, row)
				ws.out = append(ws.out, nil)
				ws.next[s][c] = int32(len(ws.next) - 1)
			}
			s = ws.next[s][c]
		}
		ws.out[s] = append(ws.out[s], int32(wi))
	}
	// Breadth first, each missing edge takes its failure state's edge, and
	// each state's output gains its failure state's.
	fail := make([]int32, len(ws.next))
	var queue []int32
	for c := range 256 {
		if t := ws.next[0][c]; t > 0 {
			ws.first[c] = true
			fail[t] = 0
			queue = append(queue, t)
		} else {
			ws.next[0][c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		ws.out[s] = append(ws.out[s], ws.out[fail[s]]...)
		for c := range 256 {
			t := ws.next[s][c]
			if t < 0 {
				ws.next[s][c] = ws.next[fail[s]][c]
				continue
			}
			fail[t] = ws.next[fail[s]][c]
			queue = append(queue, t)
		}
	}
	return ws
}

// any reports whether text holds one of the words.
func (ws *wordSet) any(text []byte) bool {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		if s == 0 {
			for i < len(text) && !ws.first[text[i]] {
				i++
			}
			if i == len(text) {
				break
			}
		}
		s = ws.next[s][text[i]]
		if len(ws.out[s]) > 0 {
			return true
		}
	}
	return false
}

// each calls f with the end offset and word index of every occurrence, in
// order of their ends, until f returns false.
func (ws *wordSet) each(text []byte, f func(end int, word int) bool) {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		if s == 0 {
			for i < len(text) && !ws.first[text[i]] {
				i++
			}
			if i == len(text) {
				break
			}
		}
		s = ws.next[s][text[i]]
		for _, w := range ws.out[s] {
			if !f(i+1, int(w)) {
				return
			}
		}
	}
}

// codeWords is the automaton over every code signature's words, built on
// first use; codeWordSigs maps each word to the signatures declaring it.
var (
	codeWordsOnce sync.Once
	codeWords     *wordSet
	codeWordSigs  [][]codeSigRef
)

// codeSigRef names a code signature: Detectors[det].Code[sig].
type codeSigRef struct{ det, sig int }

func loadCodeWords() {
	codeWordsOnce.Do(func() {
		index := map[string]int{}
		word := func(w string) int {
			i, ok := index[w]
			if !ok {
				i = len(codeWordList)
				index[w] = i
				codeWordList = append(codeWordList, w)
				codeWordSigs = append(codeWordSigs, nil)
			}
			return i
		}
		for di := range Detectors {
			for si, sig := range Detectors[di].Code {
				for _, w := range sig.Words {
					i := word(w)
					codeWordSigs[i] = append(codeWordSigs[i], codeSigRef{di, si})
				}
				// The identifiers the Also expressions need are words too,
				// found in the same pass, with no signature of their own.
				for _, also := range sig.Also {
					for _, lit := range also.need {
						word(string(identOf(lit)))
					}
				}
			}
		}
		codeWords = newWordSet(codeWordList)
		codeWordIndex = index
	})
}

var (
	codeWordList  []string
	codeWordIndex map[string]int
)

// codeMayMatch reports whether some code signature could match Python
// source: one of its words is there, and so is an identifier every match
// of each of its Also expressions holds (tokenizing drops only blanks and
// comments, so an identifier in the tokens is in the source as written).
// Most Python is neither: it is not tokenized at all.
func codeMayMatch(src []byte) bool {
	loadCodeWords()
	if !codeWords.any(src) {
		return false
	}
	present := make([]bool, len(codeWordList))
	codeWords.each(src, func(_, w int) bool {
		present[w] = true
		return true
	})
	has := func(w string) bool { return present[codeWordIndex[w]] }
	for di := range Detectors {
	next:
		for _, sig := range Detectors[di].Code {
			if !slices.ContainsFunc(sig.Words, has) {
				continue
			}
			for _, also := range sig.Also {
				if also.need == nil {
					continue
				}
				if !slices.ContainsFunc(also.need, func(lit []byte) bool { return has(string(identOf(lit))) }) {
					continue next
				}
			}
			return true
		}
	}
	return false
}

// identOf trims a literal to its identifier: ".from_pretrained(" is
// "from_pretrained".
func identOf(lit []byte) []byte {
	return bytes.Trim(lit, ".( ")
}

// A YAML or JSON file can be a config of some detector only if it holds
// one of the keys every signature of that detector tests, or a literal
// every text signature's expressions require. docWords holds those words
// for each format, derived from the declared conditions and expressions
// (anchorKeys, requiredLiteral); a file with none of them is not parsed.
// A format with a signature the derivation cannot bound is not filtered.
var (
	docWordsOnce sync.Once
	docWords     map[Format]*wordSet
	// docPrefilter can be turned off by tests that compare the results.
	docPrefilter = true
)

func loadDocWords() {
	docWordsOnce.Do(func() {
		docWords = map[Format]*wordSet{}
		for _, f := range []Format{YAML, JSON} {
			var words []string
			bounded := true
			for _, d := range Detectors {
				if !slices.Contains(d.Formats, f) {
					continue
				}
				for _, sig := range d.Signatures {
					ks := anchorKeys(sig.When)
					bounded = bounded && len(ks) > 0
					words = append(words, ks...)
				}
				if d.Text != nil {
					lit := textLiteral(d.Text)
					bounded = bounded && lit != ""
					words = append(words, lit)
				}
			}
			if bounded {
				slices.Sort(words)
				docWords[f] = newWordSet(slices.Compact(words))
			}
		}
	})
}

// docMayMatch reports whether a YAML or JSON text could match a detector.
// Escapes can spell a key without its letters ("\u0062ase_model"): a text
// with a backslash is always parsed.
func docMayMatch(f Format, text []byte) bool {
	if !docPrefilter || bytes.IndexByte(text, '\\') >= 0 {
		return true
	}
	loadDocWords()
	ws := docWords[f]
	return ws == nil || ws.any(text)
}

// anchorKeys returns keys one of which a document must hold for c to hold,
// or nil when c does not bound them (Not, an empty path).
func anchorKeys(c Cond) []string {
	switch c.op {
	case opAll:
		// Any one part's keys will do; the fewest, then the longest (the
		// rarest in other files), filter best.
		var best []string
		shortest := func(ks []string) int {
			n := len(ks[0])
			for _, k := range ks {
				n = min(n, len(k))
			}
			return n
		}
		for _, s := range c.subs {
			ks := anchorKeys(s)
			if len(ks) == 0 {
				continue
			}
			if best == nil || len(ks) < len(best) || len(ks) == len(best) && shortest(ks) > shortest(best) {
				best = ks
			}
		}
		return best
	case opAny:
		var out []string
		for _, s := range c.subs {
			ks := anchorKeys(s)
			if len(ks) == 0 {
				return nil
			}
			out = append(out, ks...)
		}
		return out
	case opNot:
		return nil
	}
	// Every key of the path must be in the document; its last is the most
	// specific.
	keys := strings.Split(c.path, ".")
	for i := len(keys) - 1; i >= 0; i-- {
		if k := keys[i]; k != "*" && k != "" {
			return []string{k}
		}
	}
	return nil
}

// textLiteral returns the longest literal one of a text signature's All
// expressions requires, or "" when none has one.
func textLiteral(t *TextSignature) string {
	best := ""
	for _, p := range t.All {
		if lit := requiredLiteral(p.expr); len(lit) > len(best) {
			best = lit
		}
	}
	return best
}

// requiredLiteral returns the longest case-sensitive literal every match of
// expr contains: a literal among the top-level concatenation's parts.
func requiredLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	best := ""
	for _, p := range parts {
		if p.Op == syntax.OpLiteral && p.Flags&syntax.FoldCase == 0 && len(string(p.Rune)) > len(best) {
			best = string(p.Rune)
		}
	}
	return best
}
