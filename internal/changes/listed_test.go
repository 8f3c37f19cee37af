package changes

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// catFile serves blobs from a real repository's object database, standing
// in for a hosting service's blob API.
type catFile struct {
	dir    string
	opened map[string]int
	lie    map[string]string // oid → content served instead
}

func (c *catFile) OpenBlob(oid string) (io.ReadCloser, error) {
	c.opened[oid]++
	if s, ok := c.lie[oid]; ok {
		return io.NopCloser(strings.NewReader(s)), nil
	}
	out, err := exec.Command("git", "-C", c.dir, "cat-file", "blob", oid).Output()
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(out)), nil
}

// lsTree lists HEAD as the tree API does: every entry with its mode, object
// and size.
func lsTree(t *testing.T, dir string) []TreeEntry {
	t.Helper()
	var entries []TreeEntry
	for _, rec := range splitNUL([]byte(git(t, dir, "ls-tree", "-r", "-l", "-z", "HEAD"))) {
		meta, name, _ := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			size = -1
		}
		entries = append(entries, TreeEntry{Path: name, Mode: f[0], OID: f[2], Size: size})
	}
	return entries
}

// TestListedTreeFS: a tree listed elsewhere reads as TreeFS reads the same
// commit, links included, and only the blobs opened are fetched.
func TestListedTreeFS(t *testing.T) {
	dir, r := symlinkRepo(t)
	want, err := r.TreeFS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	src := &catFile{dir: dir, opened: map[string]int{}}
	got := ListedTreeFS(lsTree(t, dir), "", src)
	wantFiles, _ := ListFiles(want)
	gotFiles, err := ListFiles(got)
	if err != nil || strings.Join(gotFiles, ",") != strings.Join(wantFiles, ",") {
		t.Fatalf("files %v (%v), want %v", gotFiles, err, wantFiles)
	}
	if len(src.opened) != 0 {
		t.Errorf("listing fetched blobs: %v", src.opened)
	}
	for _, name := range []string{"a.txt", "link-to-b", "dirlink/sub/c.json", "dir/up", "escape", "abs", "loop1", "dir"} {
		wd, werr := fs.ReadFile(want, name)
		gd, gerr := fs.ReadFile(got, name)
		if string(wd) != string(gd) || (werr == nil) != (gerr == nil) {
			t.Errorf("%s: got %q, %v; want %q, %v", name, gd, gerr, wd, werr)
		}
		wi, werr := fs.Lstat(want, name)
		gi, gerr := fs.Lstat(got, name)
		if (werr == nil) != (gerr == nil) || werr == nil && (wi.Mode() != gi.Mode() || wi.Size() != gi.Size()) {
			t.Errorf("lstat %s: got %v, %v; want %v, %v", name, gi, gerr, wi, werr)
		}
	}
	if target, err := fs.ReadLink(got, "escape"); err != nil || target != "../outside" {
		t.Errorf("readlink escape: %q, %v", target, err)
	}

	// Restricted to a directory, as a check run with -C below the top.
	sub := ListedTreeFS(lsTree(t, dir), "dir/", src)
	if data, err := fs.ReadFile(sub, "b.yaml"); err != nil || string(data) != "b: 1\n" {
		t.Errorf("dir/b.yaml under prefix: %q, %v", data, err)
	}
	if _, err := fs.ReadFile(sub, "up"); err == nil {
		t.Errorf("a link out of the prefix was followed")
	}
}

// TestListedTreeFSSize: a blob whose content is not the listed size fails
// the read rather than serving either answer.
func TestListedTreeFSSize(t *testing.T) {
	dir, _ := symlinkRepo(t)
	entries := lsTree(t, dir)
	src := &catFile{dir: dir, opened: map[string]int{}, lie: map[string]string{}}
	for _, e := range entries {
		switch e.Path {
		case "a.txt":
			src.lie[e.OID] = "hello, and more\n"
		case "dir/b.yaml":
			src.lie[e.OID] = "b"
		}
	}
	fsys := ListedTreeFS(entries, "", src)
	for _, name := range []string{"a.txt", "dir/b.yaml"} {
		if data, err := fs.ReadFile(fsys, name); !errors.Is(err, ErrBlobSize) {
			t.Errorf("%s: %q, %v; want ErrBlobSize", name, data, err)
		}
	}
	if data, err := fs.ReadFile(fsys, "dir/sub/c.json"); err != nil || string(data) != "{}\n" {
		t.Errorf("c.json: %q, %v", data, err)
	}
}

func TestIsAncestorAndShallow(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a", "1\n")
	commitAll(t, dir, "one")
	first := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
	write(t, dir, "a", "2\n")
	commitAll(t, dir, "two")
	second := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
	git(t, dir, "checkout", "-q", "-b", "other", first)
	write(t, dir, "b", "3\n")
	commitAll(t, dir, "three")
	r := open(t, dir)
	for _, c := range []struct {
		a, b string
		want bool
	}{{first, second, true}, {second, first, false}, {second, "HEAD", false}, {first, "HEAD", true}, {second, second, true}} {
		if got, err := r.IsAncestor(c.a, c.b); err != nil || got != c.want {
			t.Errorf("IsAncestor(%s, %s) = %v, %v; want %v", c.a, c.b, got, err, c.want)
		}
	}
	if _, err := r.IsAncestor(strings.Repeat("1", 40), first); !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("unknown commit: %v", err)
	}
	if s, err := r.IsShallow(); err != nil || s {
		t.Errorf("IsShallow = %v, %v; want false", s, err)
	}
	clone := t.TempDir()
	git(t, clone, "clone", "-q", "--depth", "1", "file://"+dir, ".")
	if s, err := open(t, clone).IsShallow(); err != nil || !s {
		t.Errorf("depth-1 clone: IsShallow = %v, %v; want true", s, err)
	}
}
