package changes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// symlinkRepo commits a tree with regular files, an executable, a
// directory link and links that escape, loop or point at a file; then it
// stages a change to a.txt.
func symlinkRepo(t *testing.T) (dir string, r *Repo) {
	t.Helper()
	dir = newRepo(t)
	write(t, dir, "a.txt", "hello\n")
	write(t, dir, "dir/b.yaml", "b: 1\n")
	write(t, dir, "dir/sub/c.json", "{}\n")
	write(t, dir, "run.sh", "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(dir, "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"link-to-b":   "dir/b.yaml",
		"dirlink":     "dir",
		"dir/up":      "../a.txt",
		"dir/sub/dot": ".",
		"escape":      "../outside",
		"abs":         "/etc/passwd",
		"loop1":       "loop2",
		"loop2":       "loop1",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	commitAll(t, dir, "tree")
	write(t, dir, "a.txt", "staged\n")
	git(t, dir, "add", "a.txt")
	write(t, dir, "a.txt", "worktree only\n")
	return dir, open(t, dir)
}

func TestGitFS(t *testing.T) {
	_, r := symlinkRepo(t)
	tree, err := r.TreeFS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	index, err := r.IndexFS()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		fsys FS
		a    string
	}{
		{"TreeFS", tree, "hello\n"},
		{"IndexFS", index, "staged\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := tc.fsys
			readFile := func(name string) string {
				t.Helper()
				data, err := fsys.ReadFile(name)
				if err != nil {
					t.Fatalf("ReadFile(%q): %v", name, err)
				}
				return string(data)
			}
			if got := readFile("a.txt"); got != tc.a {
				t.Errorf("a.txt = %q, want %q", got, tc.a)
			}
			if got := readFile("dir/b.yaml"); got != "b: 1\n" {
				t.Errorf("dir/b.yaml = %q", got)
			}
			// Links are followed inside the tree by Open, Stat and ReadDir.
			if got := readFile("link-to-b"); got != "b: 1\n" {
				t.Errorf("link-to-b = %q", got)
			}
			if got := readFile("dirlink/sub/c.json"); got != "{}\n" {
				t.Errorf("dirlink/sub/c.json = %q", got)
			}
			if got := readFile("dir/up"); got != tc.a {
				t.Errorf("dir/up = %q, want %q", got, tc.a)
			}
			if got := readFile("dir/sub/dot/dot/c.json"); got != "{}\n" {
				t.Errorf("dir/sub/dot/dot/c.json = %q", got)
			}

			entries, err := fsys.ReadDir(".")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			want := []string{"a.txt", "abs", "dir", "dirlink", "escape", "link-to-b", "loop1", "loop2", "run.sh"}
			if !slices.Equal(names, want) {
				t.Errorf("ReadDir(.) = %q, want %q", names, want)
			}
			if d, err := fsys.ReadDir("dirlink"); err != nil || len(d) != 3 {
				t.Errorf("ReadDir(dirlink) = %v, %v; want b.yaml, sub, up", d, err)
			}

			info, err := fsys.Stat("a.txt")
			if err != nil || info.Size() != int64(len(tc.a)) || info.Mode() != 0o644 || info.Name() != "a.txt" {
				t.Errorf("Stat(a.txt) = %v, %v", info, err)
			}
			if info, err := fsys.Stat("run.sh"); err != nil || info.Mode() != 0o755 {
				t.Errorf("Stat(run.sh) = %v, %v; want mode 0755", info, err)
			}
			if info, err := fsys.Stat("dir"); err != nil || !info.IsDir() {
				t.Errorf("Stat(dir) = %v, %v; want a directory", info, err)
			}
			if info, err := fsys.Stat("link-to-b"); err != nil || !info.Mode().IsRegular() || info.Size() != 5 {
				t.Errorf("Stat(link-to-b) = %v, %v; want the regular file it points at", info, err)
			}

			// Lstat and ReadLink see the link itself.
			linfo, err := fsys.Lstat("link-to-b")
			if err != nil || linfo.Mode()&fs.ModeSymlink == 0 || linfo.Size() != int64(len("dir/b.yaml")) {
				t.Errorf("Lstat(link-to-b) = %v, %v; want a symbolic link", linfo, err)
			}
			if info, err := fs.Lstat(fsys, "dirlink"); err != nil || info.Mode().Type() != fs.ModeSymlink {
				t.Errorf("fs.Lstat(dirlink) = %v, %v", info, err)
			}
			for link, want := range map[string]string{"link-to-b": "dir/b.yaml", "escape": "../outside", "abs": "/etc/passwd", "dir/up": "../a.txt"} {
				if got, err := fsys.ReadLink(link); err != nil || got != want {
					t.Errorf("ReadLink(%q) = %q, %v; want %q", link, got, err, want)
				}
			}
			if _, err := fsys.ReadLink("a.txt"); !errors.Is(err, fs.ErrInvalid) {
				t.Errorf("ReadLink(a.txt): err = %v, want fs.ErrInvalid", err)
			}

			// Links that leave the tree or loop are never followed.
			for name, wantErr := range map[string]error{
				"escape":        errEscape,
				"abs":           errEscape,
				"loop1":         errLoop,
				"missing":       fs.ErrNotExist,
				"a.txt/x":       fs.ErrNotExist,
				"dir/../a.txt":  fs.ErrInvalid,
				"escape/x.yaml": errEscape,
			} {
				_, err := fsys.Open(name)
				var pe *fs.PathError
				if !errors.Is(err, wantErr) || !errors.As(err, &pe) || pe.Path != name {
					t.Errorf("Open(%q): err = %v, want a *fs.PathError for %q wrapping %v", name, err, name, wantErr)
				}
			}
			if _, err := fsys.Stat("escape"); !errors.Is(err, errEscape) {
				t.Errorf("Stat(escape): err = %v, want errEscape", err)
			}

			files, err := ListFiles(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"a.txt", "dir/b.yaml", "dir/sub/c.json", "run.sh"}; !slices.Equal(files, want) {
				t.Errorf("ListFiles = %q, want %q", files, want)
			}

			// fstest opens every entry, so it runs on the subtree whose
			// links all resolve (dir/up resolves through the parent).
			sub, err := fs.Sub(fsys, "dir")
			if err != nil {
				t.Fatal(err)
			}
			if err := fstest.TestFS(sub, "b.yaml", "sub/c.json", "up", "sub/dot"); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestTreeFSDirAbsentInCommit(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a.yaml", "a\n")
	commitAll(t, dir, "base")
	write(t, dir, "later/b.yaml", "b\n")
	commitAll(t, dir, "later")
	r := open(t, filepath.Join(dir, "later"))
	fsys, err := r.TreeFS("HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	if files, err := ListFiles(fsys); err != nil || len(files) != 0 {
		t.Errorf("ListFiles of a directory absent from the commit = %q, %v; want none", files, err)
	}
	if _, err := fs.Stat(fsys, "b.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat(b.yaml): err = %v, want fs.ErrNotExist", err)
	}
}

// TestSubmodule checks that a gitlink is an empty directory, not a crash.
func TestSubmodule(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a.yaml", "a\n")
	commitAll(t, dir, "base")
	head := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
	git(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+head+",vendor/mod")
	git(t, dir, "commit", "-q", "-m", "submodule")
	r := open(t, dir)

	tree, err := r.TreeFS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	index, err := r.IndexFS()
	if err != nil {
		t.Fatal(err)
	}
	for name, fsys := range map[string]FS{"TreeFS": tree, "IndexFS": index} {
		info, err := fsys.Stat("vendor/mod")
		if err != nil || !info.IsDir() {
			t.Errorf("%s: Stat(vendor/mod) = %v, %v; want a directory", name, info, err)
		}
		if entries, err := fsys.ReadDir("vendor/mod"); err != nil || len(entries) != 0 {
			t.Errorf("%s: ReadDir(vendor/mod) = %v, %v; want empty", name, entries, err)
		}
		if _, err := fsys.Open("vendor/mod/x"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: Open(vendor/mod/x): err = %v", name, err)
		}
		if files, err := ListFiles(fsys); err != nil || !slices.Equal(files, []string{"a.yaml"}) {
			t.Errorf("%s: ListFiles = %q, %v", name, files, err)
		}
		if err := fstest.TestFS(fsys, "a.yaml", "vendor/mod"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestBlobStreaming exercises the shared cat-file process: interleaved
// readers, files closed early (small and large), and concurrent use.
func TestBlobStreaming(t *testing.T) {
	dir := newRepo(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB: past discardLimit
	write(t, dir, "big.bin", string(big))
	write(t, dir, "small.txt", "small\n")
	write(t, dir, "empty", "")
	for i := range 8 {
		write(t, dir, fmt.Sprintf("n/%d.txt", i), strings.Repeat(fmt.Sprint(i), 1000+i))
	}
	commitAll(t, dir, "blobs")
	r := open(t, dir)
	fsys, err := r.TreeFS("HEAD")
	if err != nil {
		t.Fatal(err)
	}

	// Two files open at once: the second is served while the first holds
	// the shared process.
	bf, err := fsys.Open("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 10)
	if _, err := io.ReadFull(bf, head); err != nil {
		t.Fatal(err)
	}
	if got, err := fsys.ReadFile("small.txt"); err != nil || string(got) != "small\n" {
		t.Errorf("ReadFile(small.txt) while big.bin is open = %q, %v", got, err)
	}
	rest, err := io.ReadAll(bf)
	if err != nil || !bytes.Equal(append(head, rest...), big) {
		t.Errorf("big.bin read in two parts: %d bytes, %v", len(head)+len(rest), err)
	}
	if err := bf.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := bf.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close: err = %v, want fs.ErrClosed", err)
	}

	// Closed early: a large remainder restarts git, a small one is drained.
	for _, name := range []string{"big.bin", "small.txt", "big.bin"} {
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Read(make([]byte, 3)); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if _, err := f.Read(make([]byte, 1)); !errors.Is(err, fs.ErrClosed) {
			t.Errorf("Read after Close: err = %v, want fs.ErrClosed", err)
		}
		if got, err := fsys.ReadFile("small.txt"); err != nil || string(got) != "small\n" {
			t.Errorf("ReadFile(small.txt) after closing %s early = %q, %v", name, got, err)
		}
	}

	if got, err := fsys.ReadFile("empty"); err != nil || len(got) != 0 {
		t.Errorf("ReadFile(empty) = %q, %v", got, err)
	}
	if info, err := fsys.Stat("big.bin"); err != nil || info.Size() != int64(len(big)) {
		t.Errorf("Stat(big.bin) = %v, %v", info, err)
	}

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				name := fmt.Sprintf("n/%d.txt", i)
				want := strings.Repeat(fmt.Sprint(i), 1000+i)
				if got, err := fsys.ReadFile(name); err != nil || string(got) != want {
					t.Errorf("concurrent ReadFile(%s) = %d bytes, %v", name, len(got), err)
				}
				if info, err := fsys.Stat(name); err != nil || info.Size() != int64(len(want)) {
					t.Errorf("concurrent Stat(%s) = %v, %v", name, info, err)
				}
			}
		})
	}
	wg.Wait()

	// Closing the Repo stops git; reading afterwards fails cleanly.
	open, err := fsys.Open("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Repo.Close: %v", err)
	}
	if _, err := io.ReadAll(open); err == nil {
		t.Error("reading a file after Repo.Close succeeded")
	}
	if _, err := fsys.ReadFile("small.txt"); !errors.Is(err, errClosed) {
		t.Errorf("ReadFile after Repo.Close: err = %v, want errClosed", err)
	}
}

func TestIndexFSIntentToAdd(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "later.yaml", "not staged yet\n")
	git(t, dir, "add", "--intent-to-add", "later.yaml")
	r := open(t, dir)
	fsys, err := r.IndexFS()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fsys.ReadFile("later.yaml"); err != nil || len(got) != 0 {
		t.Errorf("ReadFile(intent-to-add) = %q, %v; want the empty staged content", got, err)
	}
}

func TestWorktreeFS(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a.txt", "a\n")
	write(t, dir, "a/b.txt", "b\n")
	write(t, dir, "vendor/mod/.git", "gitdir: ../../.git/modules/mod\n")
	write(t, dir, "vendor/mod/x.txt", "x\n")
	if err := os.Symlink("a.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	fsys := WorktreeFS(dir)
	files, err := ListFiles(fsys)
	if err != nil {
		t.Fatal(err)
	}
	// Byte order puts "a.txt" before "a/b.txt"; .git and links are left out.
	if want := []string{"a.txt", "a/b.txt", "vendor/mod/x.txt"}; !slices.Equal(files, want) {
		t.Errorf("ListFiles = %q, want %q", files, want)
	}
	if info, err := fsys.Lstat("link"); err != nil || info.Mode().Type() != fs.ModeSymlink {
		t.Errorf("Lstat(link) = %v, %v", info, err)
	}
}

func TestListFilesMapFS(t *testing.T) {
	fsys := fstest.MapFS{
		"z.yaml":      {},
		"a/b.yaml":    {},
		"a.yaml":      {},
		".git/config": {},
		"link":        {Mode: fs.ModeSymlink, Data: []byte("a.yaml")},
	}
	files, err := ListFiles(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.yaml", "a/b.yaml", "z.yaml"}; !slices.Equal(files, want) {
		t.Errorf("ListFiles = %q, want %q", files, want)
	}
}

// TestMissingObject checks that an index entry whose blob is absent (as in a
// partial clone) gives an error naming it, and that git stays usable.
func TestMissingObject(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "ok.txt", "ok\n")
	git(t, dir, "add", "ok.txt")
	const ghost = "0123456789012345678901234567890123456789"
	git(t, dir, "update-index", "--add", "--info-only", "--cacheinfo", "100644,"+ghost+",ghost.txt")
	r := open(t, dir)
	fsys, err := r.IndexFS()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := fsys.ReadFile("ghost.txt"); err == nil || !strings.Contains(err.Error(), ghost+" is missing") {
			t.Errorf("ReadFile(ghost.txt): err = %v, want the object named missing", err)
		}
		if _, err := fsys.Stat("ghost.txt"); err == nil || !strings.Contains(err.Error(), "missing") {
			t.Errorf("Stat(ghost.txt): err = %v", err)
		}
		if got, err := fsys.ReadFile("ok.txt"); err != nil || string(got) != "ok\n" {
			t.Errorf("ReadFile(ok.txt) after a missing object = %q, %v", got, err)
		}
	}
}
