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
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			if p, ok := v.Interface().(*Pattern); ok {
				n++
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("pattern %q does not compile: %v", p.expr, r)
						}
					}()
					p.get()
				}()
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
	if n < 50 {
		t.Errorf("found %d patterns in the detectors; the walk is missing some", n)
	}
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
