package cli

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCheckExample is the end-to-end check of the example's passing
// config, in-process: what `ftgate check FILE` costs beyond starting the
// binary. Profile it with
//
//	go test ./internal/cli -run '^$' -bench CheckExample -cpuprofile cpu.out
func BenchmarkCheckExample(b *testing.B) {
	example, err := filepath.Abs("../../testdata/example")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		args []string
		code int
	}{
		{"passing-config", []string{"training/contract-risk/axolotl.yaml"}, ExitPass},
		{"all", []string{"--all"}, ExitFindings},
	} {
		args := append([]string{"check", "-C", example, "--today", "2026-11-27"}, bc.args...)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				var stderr strings.Builder
				if code := Main(args, strings.NewReader(""), io.Discard, &stderr, func(string) string { return "" }); code != bc.code {
					b.Fatalf("exit %d, want %d: %s", code, bc.code, stderr.String())
				}
			}
		})
	}
}
