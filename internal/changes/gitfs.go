package changes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

var (
	errEscape   = errors.New("symbolic link leads outside the tree")
	errLoop     = errors.New("too many levels of symbolic links")
	errIsDir    = errors.New("is a directory")
	errLongLink = errors.New("symbolic link target too long")
)

// Limits that keep a hostile tree from costing much: Linux's SYMLOOP_MAX
// and PATH_MAX.
const (
	maxLinkHops = 40
	maxLinkLen  = 4096
)

// TreeFS is the tree of the commit rev names, restricted to Dir and rooted
// there. It lists the tree once; file contents are read when opened. A
// directory that did not exist in that commit gives an empty tree.
func (r *Repo) TreeFS(rev string) (FS, error) {
	commit, err := r.ResolveCommit(rev)
	if err != nil {
		return nil, err
	}
	// Run from Dir, ls-tree lists only what lies below it, named relative to
	// it; the prefix is taken literally, never as a pathspec pattern.
	out, err := run(r.dir, "ls-tree", "-r", "-z", commit)
	if err != nil {
		return nil, err
	}
	f := newGitFS(r.objs)
	for _, rec := range splitNUL(out) {
		// <mode> SP <type> SP <object> TAB <path>
		meta, name, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 {
			return nil, fmt.Errorf("git ls-tree: unexpected line %q", rec)
		}
		f.add(name, fields[0], fields[2])
	}
	f.sort()
	return f, nil
}

// IndexFS is the content staged in the index, restricted to Dir and rooted
// there. During a conflicted merge a path's "ours" version stands for it.
func (r *Repo) IndexFS() (FS, error) {
	out, err := run(r.dir, "ls-files", "-s", "-z")
	if err != nil {
		return nil, err
	}
	type staged struct {
		mode, oid string
		rank      int
	}
	// Stage 0 is a merged path; 2 is ours, 3 theirs, 1 the common ancestor.
	rank := map[string]int{"0": 0, "2": 1, "3": 2, "1": 3}
	byPath := map[string]staged{}
	var order []string
	for _, rec := range splitNUL(out) {
		// <mode> SP <object> SP <stage> TAB <path>
		meta, name, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 {
			return nil, fmt.Errorf("git ls-files: unexpected line %q", rec)
		}
		e := staged{mode: fields[0], oid: fields[1], rank: rank[fields[2]]}
		if old, seen := byPath[name]; !seen {
			order = append(order, name)
		} else if old.rank <= e.rank {
			continue
		}
		byPath[name] = e
	}
	f := newGitFS(r.objs)
	for _, name := range order {
		e := byPath[name]
		f.add(name, e.mode, e.oid)
	}
	f.sort()
	return f, nil
}

// gitFS is a listed tree whose blobs are read on demand.
type gitFS struct {
	objs  blobSource
	nodes map[string]*node // by slash-separated path; "." is the root

	mu sync.Mutex // guards the caches in nodes
}

type node struct {
	name     string
	mode     fs.FileMode
	oid      string  // blob, or the commit of a submodule
	children []*node // directories only, sorted by name

	// Filled in on first use, under gitFS.mu.
	size   int64 // -1 until known
	target *string
}

func newGitFS(objs blobSource) *gitFS {
	root := &node{name: ".", mode: fs.ModeDir | 0o755}
	return &gitFS{objs: objs, nodes: map[string]*node{".": root}}
}

// gitMode maps git's modes to file modes. A submodule (gitlink) becomes an
// empty directory: its files are in another repository.
func gitMode(m string) (fs.FileMode, bool) {
	switch m {
	case "100644", "100664":
		return 0o644, true
	case "100755":
		return 0o755, true
	case "120000":
		return fs.ModeSymlink | 0o777, true
	case "160000":
		return fs.ModeDir | 0o755, true
	}
	return 0, false
}

func (f *gitFS) add(name, mode, oid string) {
	m, ok := gitMode(mode)
	// git never stores ".", "..", empty or absolute names; if a crafted tree
	// does, leaving the entry out is safer than serving it.
	if !ok || name == "." || !fs.ValidPath(name) || f.nodes[name] != nil {
		return
	}
	parent := f.dir(path.Dir(name))
	if parent == nil {
		return // a file stands where a directory should be
	}
	n := &node{name: path.Base(name), mode: m, oid: oid, size: -1}
	if m.IsDir() {
		n.size = 0
	}
	parent.children = append(parent.children, n)
	f.nodes[name] = n
}

// dir returns the directory node for name, creating it and its parents.
func (f *gitFS) dir(name string) *node {
	if n, ok := f.nodes[name]; ok {
		if n.mode.IsDir() && n.oid == "" {
			return n
		}
		return nil
	}
	parent := f.dir(path.Dir(name))
	if parent == nil {
		return nil
	}
	n := &node{name: path.Base(name), mode: fs.ModeDir | 0o755}
	parent.children = append(parent.children, n)
	f.nodes[name] = n
	return n
}

func (f *gitFS) sort() {
	for _, n := range f.nodes {
		slices.SortFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
	}
}

// resolve finds the node name refers to, following symbolic links in its
// directories and, when followLast is set, in its last element. Links are
// followed only within the tree.
func (f *gitFS) resolve(op, name string, followLast bool) (*node, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	n := f.nodes["."]
	if name == "." {
		return n, nil
	}
	var dir []string // the resolved directory walked so far
	rest := strings.Split(name, "/")
	hops := 0
	for len(rest) > 0 {
		elem := rest[0]
		rest = rest[1:]
		cur := path.Join(path.Join(dir...), elem)
		n = f.nodes[cur]
		if n == nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		if n.mode&fs.ModeSymlink != 0 && (len(rest) > 0 || followLast) {
			if hops++; hops > maxLinkHops {
				return nil, &fs.PathError{Op: op, Path: name, Err: errLoop}
			}
			target, err := f.readLink(n)
			if err != nil {
				return nil, &fs.PathError{Op: op, Path: name, Err: err}
			}
			if path.IsAbs(target) {
				return nil, &fs.PathError{Op: op, Path: name, Err: errEscape}
			}
			joined := path.Join(path.Join(dir...), target)
			if joined == ".." || strings.HasPrefix(joined, "../") {
				return nil, &fs.PathError{Op: op, Path: name, Err: errEscape}
			}
			dir = nil
			if joined != "." {
				rest = append(strings.Split(joined, "/"), rest...)
			} else if len(rest) == 0 {
				n = f.nodes["."]
			}
			continue
		}
		if len(rest) > 0 && !n.mode.IsDir() {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		dir = append(dir, elem)
	}
	return n, nil
}

// readLink returns a symbolic link's target, the content of its blob.
func (f *gitFS) readLink(n *node) (string, error) {
	f.mu.Lock()
	t := n.target
	f.mu.Unlock()
	if t != nil {
		return *t, nil
	}
	r, _, err := f.objs.openBlob(n.oid)
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxLinkLen+1))
	r.Close()
	if err != nil {
		return "", err
	}
	if len(data) > maxLinkLen {
		return "", errLongLink
	}
	target := string(data)
	f.mu.Lock()
	n.target = &target
	f.mu.Unlock()
	return target, nil
}

func (f *gitFS) size(n *node) (int64, error) {
	f.mu.Lock()
	size := n.size
	f.mu.Unlock()
	if size >= 0 {
		return size, nil
	}
	size, err := f.objs.blobSize(n.oid)
	if err != nil {
		return 0, err
	}
	f.setSize(n, size)
	return size, nil
}

func (f *gitFS) setSize(n *node, size int64) {
	f.mu.Lock()
	n.size = size
	f.mu.Unlock()
}

// info describes n under the name it was asked for.
func (f *gitFS) info(op, name string, n *node) (fs.FileInfo, error) {
	size, err := f.size(n)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return &fileInfo{name: path.Base(name), size: size, mode: n.mode}, nil
}

func (f *gitFS) Open(name string) (fs.File, error) {
	n, err := f.resolve("open", name, true)
	if err != nil {
		return nil, err
	}
	if n.mode.IsDir() {
		return &dirFile{fsys: f, n: n, name: name}, nil
	}
	r, size, err := f.objs.openBlob(n.oid)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f.setSize(n, size)
	return &blobFile{r: r, name: name, info: fileInfo{name: path.Base(name), size: size, mode: n.mode}}, nil
}

func (f *gitFS) ReadFile(name string) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	bf, ok := file.(*blobFile)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	buf := bytes.NewBuffer(make([]byte, 0, bf.info.size))
	if _, err := buf.ReadFrom(bf.r); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return buf.Bytes(), nil
}

func (f *gitFS) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := f.resolve("readdir", name, true)
	if err != nil {
		return nil, err
	}
	if !n.mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return f.entries(n.children), nil
}

func (f *gitFS) entries(nodes []*node) []fs.DirEntry {
	out := make([]fs.DirEntry, len(nodes))
	for i, c := range nodes {
		out[i] = dirEntry{fsys: f, n: c}
	}
	return out
}

func (f *gitFS) Stat(name string) (fs.FileInfo, error) {
	n, err := f.resolve("stat", name, true)
	if err != nil {
		return nil, err
	}
	return f.info("stat", name, n)
}

func (f *gitFS) Lstat(name string) (fs.FileInfo, error) {
	n, err := f.resolve("lstat", name, false)
	if err != nil {
		return nil, err
	}
	return f.info("lstat", name, n)
}

func (f *gitFS) ReadLink(name string) (string, error) {
	n, err := f.resolve("readlink", name, false)
	if err != nil {
		return "", err
	}
	if n.mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	target, err := f.readLink(n)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return target, nil
}

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (i *fileInfo) Name() string       { return i.name }
func (i *fileInfo) Size() int64        { return i.size }
func (i *fileInfo) Mode() fs.FileMode  { return i.mode }
func (i *fileInfo) ModTime() time.Time { return time.Time{} } // git records no file times
func (i *fileInfo) IsDir() bool        { return i.mode.IsDir() }
func (i *fileInfo) Sys() any           { return nil }
func (i *fileInfo) String() string     { return fs.FormatFileInfo(i) }

type dirEntry struct {
	fsys *gitFS
	n    *node
}

func (d dirEntry) Name() string               { return d.n.name }
func (d dirEntry) IsDir() bool                { return d.n.mode.IsDir() }
func (d dirEntry) Type() fs.FileMode          { return d.n.mode.Type() }
func (d dirEntry) Info() (fs.FileInfo, error) { return d.fsys.info("stat", d.n.name, d.n) }
func (d dirEntry) String() string             { return fs.FormatDirEntry(d) }

// blobFile is an open regular file.
type blobFile struct {
	r    io.ReadCloser
	name string
	info fileInfo
}

func (b *blobFile) Stat() (fs.FileInfo, error) { i := b.info; return &i, nil }
func (b *blobFile) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *blobFile) Close() error               { return b.r.Close() }

// dirFile is an open directory.
type dirFile struct {
	fsys   *gitFS
	n      *node
	name   string
	pos    int
	closed bool
}

func (d *dirFile) Stat() (fs.FileInfo, error) {
	return &fileInfo{name: path.Base(d.name), mode: d.n.mode}, nil
}

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errIsDir}
}

func (d *dirFile) Close() error {
	if d.closed {
		return &fs.PathError{Op: "close", Path: d.name, Err: fs.ErrClosed}
	}
	d.closed = true
	return nil
}

func (d *dirFile) ReadDir(count int) ([]fs.DirEntry, error) {
	if d.closed {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: fs.ErrClosed}
	}
	rest := d.n.children[d.pos:]
	if count > 0 {
		if len(rest) == 0 {
			return nil, io.EOF
		}
		rest = rest[:min(count, len(rest))]
	}
	d.pos += len(rest)
	return d.fsys.entries(rest), nil
}
