package detect

import (
	"io/fs"
	"os"
	"testing"
)

// BenchmarkDetectTree runs Detect over every file of the tree named by
// FTGATE_BENCH_TREE (scripts/bench-detect.sh sets it to a generated tree
// and to a real repository's checkout).
func BenchmarkDetectTree(b *testing.B) {
	root := os.Getenv("FTGATE_BENCH_TREE")
	if root == "" {
		b.Skip("FTGATE_BENCH_TREE names no tree")
	}
	fsys := os.DirFS(root)
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Detect(fsys, paths, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
