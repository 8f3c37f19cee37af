package codeowners

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDeepPath looks up the owners of paths of growing depth against a
// many-`**` pattern that never matches them: time per lookup should grow
// linearly with the depth (no backtracking over the `**`s).
func BenchmarkDeepPath(b *testing.B) {
	f, err := Parse("CODEOWNERS", []byte("**/a/**/a/**/a/**/a/**/a/**/b @ml-platform\n"))
	if err != nil {
		b.Fatal(err)
	}
	for _, depth := range []int{30, 300, 3000} {
		p := strings.Repeat("a/", depth) + "c"
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			for b.Loop() {
				if _, _, ok := f.Owners(p); ok {
					b.Fatal("owned")
				}
			}
		})
	}
}
