package changes

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// TreeEntry is one entry of a recursively listed tree, as a hosting
// service's tree API reports it.
type TreeEntry struct {
	Path string // slash-separated, from the tree's root
	Mode string // git's mode: "100644", "100755", "120000" (link), "160000" (submodule)
	OID  string // the blob, or a submodule's commit
	Size int64  // the blob's size in bytes, or -1 when the listing omits it
}

// Blobs reads blobs by object name; a hosting service's API implements it.
type Blobs interface {
	// OpenBlob streams the content of blob oid.
	OpenBlob(oid string) (io.ReadCloser, error)
}

// ErrBlobSize is wrapped by the error of a read whose blob is longer or
// shorter than its tree listing says: the two answers disagree, and neither
// can be trusted.
var ErrBlobSize = errors.New("blob size differs from the tree listing")

// ListedTreeFS is the tree entries list, restricted to the directory prefix
// names (slash-separated, "" or ending in "/", as Repo.Prefix) and rooted
// there, with contents read through blobs when opened. It treats symbolic
// links and submodules as TreeFS does: links are followed only within the
// tree, submodules are empty directories.
func ListedTreeFS(entries []TreeEntry, prefix string, blobs Blobs) FS {
	src := &listedBlobs{blobs: blobs, sizes: map[string]int64{}}
	f := newGitFS(src)
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Path, prefix)
		if !ok || name == "" {
			continue
		}
		if e.Size >= 0 {
			src.sizes[e.OID] = e.Size
		}
		f.add(name, e.Mode, e.OID)
	}
	f.sort()
	return f
}

type listedBlobs struct {
	blobs Blobs

	mu    sync.Mutex
	sizes map[string]int64 // as listed, or as counted by a read
}

func (l *listedBlobs) openBlob(oid string) (io.ReadCloser, int64, error) {
	size, err := l.blobSize(oid)
	if err != nil {
		return nil, 0, err
	}
	r, err := l.blobs.OpenBlob(oid)
	if err != nil {
		return nil, 0, err
	}
	return &sizedReader{r: r, left: size, oid: oid}, size, nil
}

func (l *listedBlobs) blobSize(oid string) (int64, error) {
	l.mu.Lock()
	size, ok := l.sizes[oid]
	l.mu.Unlock()
	if ok {
		return size, nil
	}
	// Not listed: count it once.
	r, err := l.blobs.OpenBlob(oid)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	l.sizes[oid] = n
	l.mu.Unlock()
	return n, nil
}

// sizedReader ends a blob where its listed size says, and fails when the
// content is longer or shorter.
type sizedReader struct {
	r    io.ReadCloser
	left int64
	oid  string
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.left == 0 {
		// One more byte would mean the blob is longer than listed.
		var one [1]byte
		if n, _ := io.ReadFull(s.r, one[:]); n > 0 {
			return 0, fmt.Errorf("blob %s: %w", s.oid, ErrBlobSize)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if err == io.EOF && s.left > 0 {
		return n, fmt.Errorf("blob %s: %w", s.oid, ErrBlobSize)
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

func (s *sizedReader) Close() error { return s.r.Close() }
