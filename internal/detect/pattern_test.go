package detect

import (
	"reflect"
	"testing"
)

// TestPatternsCompile compiles every pattern the detectors declare: they
// compile lazily, so an invalid one would otherwise surface only on the
// first file that reaches it.
func TestPatternsCompile(t *testing.T) {
	n := 0
	walkPatterns(func(p *Pattern) {
		n++
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("pattern %q does not compile: %v", p.expr, r)
			}
		}()
		p.get()
	})
	if n < 50 {
		t.Errorf("found %d patterns in the detectors; the walk is missing some", n)
	}
}

// walkPatterns calls f with every pattern the detectors declare.
func walkPatterns(f func(*Pattern)) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			if p, ok := v.Interface().(*Pattern); ok {
				f(p)
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(Detectors))
}

func TestPatternMethods(t *testing.T) {
	p := pattern(`a(b+)`)
	if !p.Match([]byte("xabb")) || !p.MatchString("ab") || p.String() != `a(b+)` || p.NumSubexp() != 1 {
		t.Error("Pattern does not behave as its regexp")
	}
	if got := p.FindSubmatchIndex([]byte("xabb")); len(got) != 4 || got[2] != 2 {
		t.Errorf("FindSubmatchIndex = %v", got)
	}
}

// TestNeeding: a Pattern with literals matches exactly where its expression
// does around them, and nowhere without them.
func TestNeeding(t *testing.T) {
	p := needing([]string{".from_pretrained("}, `\b\w+Model\.from_pretrained\(`)
	for text, want := range map[string]bool{
		"x = 1\nm = AutoModel.from_pretrained(\"a\")\n":              true,
		"m = AutoModel.from_pretrained":                              false,
		"m = f.from_pretrained(\"a\")\n":                             false,
		"no load at all\n":                                           false,
		"a = f.from_pretrained(x)\nb = BertModel.from_pretrained(y)": true,
	} {
		if got := p.Match([]byte(text)); got != want || p.get().MatchString(text) != want {
			t.Errorf("Match(%q) = %v, want %v (as the expression alone)", text, got, want)
		}
	}
}
