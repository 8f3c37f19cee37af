package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// clean makes an untrusted string safe to print on one terminal line: every
// rune that is not printable (newlines, tabs, ANSI escapes, bidirectional
// overrides) is written as a Go escape such as \n, \x1b or \u202e, and every
// byte that is not UTF-8 as \xNN. Printable text, non-ASCII letters
// included, is kept as it is.
//
// Git allows a newline in a file name; printed raw, it would end a finding
// line early and let the rest of the name pose as a finding of its own.
// Backslashes are left alone for readability, so the escaped form of a name
// is not guaranteed to be unique; the JSON format is the exact one.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case strconv.IsPrint(r):
			b.WriteRune(r)
		default:
			// QuoteRune never escapes a quote here: the quote is printable.
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
		}
		i += size
	}
	return b.String()
}

// isClean reports whether clean would return s unchanged; it keeps the
// common case free of allocation.
func isClean(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}
