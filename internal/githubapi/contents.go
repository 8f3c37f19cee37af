package githubapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
)

// ContentsFS is the tree of commit ref read through the contents API, for
// the few files a check needs from the base commit when the clone lacks it:
// the policy directory and CODEOWNERS. Each path costs one request, made
// when it is first opened; answers are kept for the life of the FS. The
// context bounds every request, since fs.FS methods take none.
//
// Symbolic links and submodules are reported as not existing: a link could
// lead outside what the check trusts, which is also how the local trees
// treat CODEOWNERS links.
func (c *Client) ContentsFS(ctx context.Context, ref string) fs.FS {
	return &contentsFS{c: c, ctx: ctxOr(ctx), ref: ref, cache: map[string]*node{}}
}

type contentsFS struct {
	c   *Client
	ctx context.Context
	ref string

	mu    sync.Mutex
	cache map[string]*node
}

// node is one answer of the contents API.
type node struct {
	name    string
	dir     bool
	data    []byte
	entries []fs.DirEntry
}

func (f *contentsFS) get(op, name string) (*node, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if n, ok := f.cache[name]; ok {
		if n == nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		return n, nil
	}
	n, err := f.fetch(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			f.cache[name] = nil
		}
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	f.cache[name] = n
	return n, nil
}

func (f *contentsFS) fetch(name string) (*node, error) {
	p := name
	if p == "." {
		p = ""
	}
	file, dir, _, err := f.c.gh.Repositories.GetContents(f.ctx, f.c.owner, f.c.repo, p, &github.RepositoryContentGetOptions{Ref: f.ref})
	if err != nil {
		var er *github.ErrorResponse
		if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
			return nil, fs.ErrNotExist
		}
		return nil, apiError("read "+name+" at "+f.ref, err)
	}
	if file == nil {
		n := &node{name: path.Base(name), dir: true}
		for _, e := range dir {
			switch e.GetType() {
			case "file", "dir":
				n.entries = append(n.entries, dirEntry{name: e.GetName(), dir: e.GetType() == "dir", size: int64(e.GetSize())})
			}
		}
		slices.SortFunc(n.entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
		return n, nil
	}
	if file.GetType() != "file" {
		return nil, fs.ErrNotExist
	}
	data, err := file.GetContent()
	if err != nil {
		return nil, err
	}
	if data == "" && file.GetSize() > 0 {
		// Files over 1 MB come without content; the blob API has it.
		raw, _, err := f.c.gh.Git.GetBlobRaw(f.ctx, f.c.owner, f.c.repo, file.GetSHA())
		if err != nil {
			return nil, apiError("read "+name+" at "+f.ref, err)
		}
		data = string(raw)
	}
	return &node{name: path.Base(name), data: []byte(data)}, nil
}

func (f *contentsFS) Open(name string) (fs.File, error) {
	n, err := f.get("open", name)
	if err != nil {
		return nil, err
	}
	if n.dir {
		return &openDir{n: n}, nil
	}
	return &openFile{n: n, r: bytes.NewReader(n.data)}, nil
}

func (f *contentsFS) ReadFile(name string) ([]byte, error) {
	n, err := f.get("read", name)
	if err != nil {
		return nil, err
	}
	if n.dir {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return slices.Clone(n.data), nil
}

func (f *contentsFS) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := f.get("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return slices.Clone(n.entries), nil
}

// info describes a node; the API gives no modification times.
type info struct {
	name string
	dir  bool
	size int64
}

func (i info) Name() string { return i.name }
func (i info) Size() int64  { return i.size }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }

type dirEntry struct {
	name string
	dir  bool
	size int64
}

func (d dirEntry) Name() string               { return d.name }
func (d dirEntry) IsDir() bool                { return d.dir }
func (d dirEntry) Type() fs.FileMode          { return d.info().Mode().Type() }
func (d dirEntry) Info() (fs.FileInfo, error) { return d.info(), nil }
func (d dirEntry) info() info                 { return info{name: d.name, dir: d.dir, size: d.size} }

type openFile struct {
	n *node
	r *bytes.Reader
}

func (o *openFile) Stat() (fs.FileInfo, error) {
	return info{name: o.n.name, size: int64(len(o.n.data))}, nil
}
func (o *openFile) Read(p []byte) (int, error) { return o.r.Read(p) }
func (o *openFile) Close() error               { return nil }

type openDir struct {
	n   *node
	off int
}

func (o *openDir) Stat() (fs.FileInfo, error) { return info{name: o.n.name, dir: true}, nil }
func (o *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: o.n.name, Err: errors.New("is a directory")}
}
func (o *openDir) Close() error { return nil }

func (o *openDir) ReadDir(count int) ([]fs.DirEntry, error) {
	rest := o.n.entries[o.off:]
	if count <= 0 {
		o.off = len(o.n.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(count, len(rest))]
	o.off += len(rest)
	return slices.Clone(rest), nil
}
