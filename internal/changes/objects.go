package changes

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// Closing a blob before its end costs either reading the rest of it from
// git (cheap for small blobs) or restarting git (cheap for big ones).
// Starting `git cat-file --batch` takes about 1.5 ms, in which the pipe
// carries several hundred KiB, so remainders up to 512 KiB are drained: a
// detector that reads a training set's first lines keeps the process for
// the evidence read after it.
const discardLimit = 512 << 10

// Empty blobs are answered without asking git: an intent-to-add entry in the
// index names the empty blob, which need not exist in the object database.
var emptyBlobs = map[string]bool{
	"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391":                         true, // SHA-1
	"473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813": true, // SHA-256
}

var errClosed = errors.New("repository closed")

// objects reads blobs from a repository's object database. Contents come
// through one long-lived `git cat-file --batch` process, sizes through one
// `git cat-file --batch-check`, each started on first use.
//
// A blob is streamed rather than loaded, so a large evidence file is never
// held in memory. While one blob is being streamed the shared process is
// busy; a blob opened meanwhile is served by a process of its own, so that
// holding two files open never deadlocks.
type objects struct {
	dir string

	mu      sync.Mutex
	content *batch      // nil until first use, or after it broke
	busy    *blobReader // the reader streaming from content, if any
	check   *batch
	private map[*batch]bool // one-shot processes serving concurrent readers
	closed  bool
}

func newObjects(dir string) *objects {
	return &objects{dir: dir, private: map[*batch]bool{}}
}

// open starts streaming the blob oid.
func (o *objects) open(oid string) (*blobReader, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil, errClosed
	}
	if emptyBlobs[oid] {
		return &blobReader{done: true}, nil
	}
	if o.busy != nil {
		b, err := startBatch(o.dir, "--batch")
		if err != nil {
			return nil, err
		}
		size, err := b.request(oid, true)
		if err != nil {
			b.stop()
			return nil, err
		}
		o.private[b] = true
		r := &blobReader{objs: o, b: b, size: size, left: size, private: true}
		if size == 0 {
			r.finishLocked()
		}
		return r, nil
	}
	if o.content == nil {
		b, err := startBatch(o.dir, "--batch")
		if err != nil {
			return nil, err
		}
		o.content = b
	}
	size, err := o.content.request(oid, true)
	if err != nil {
		o.dropContentLocked()
		return nil, err
	}
	r := &blobReader{objs: o, b: o.content, size: size, left: size}
	o.busy = r
	if size == 0 {
		r.finishLocked()
	}
	return r, nil
}

// size returns the size of the blob oid without reading it.
func (o *objects) size(oid string) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0, errClosed
	}
	if emptyBlobs[oid] {
		return 0, nil
	}
	if o.check == nil {
		b, err := startBatch(o.dir, "--batch-check")
		if err != nil {
			return 0, err
		}
		o.check = b
	}
	size, err := o.check.request(oid, false)
	if err != nil {
		o.check.stop()
		o.check = nil
	}
	return size, err
}

// dropContentLocked stops the shared content process after it broke or was
// abandoned mid-blob; the next open starts a fresh one.
func (o *objects) dropContentLocked() {
	if o.content != nil {
		o.content.kill()
		o.content = nil
	}
	o.busy = nil
}

func (o *objects) close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	if o.busy != nil {
		o.dropContentLocked()
	}
	for b := range o.private {
		b.kill()
	}
	clear(o.private)
	var errs []error
	for _, b := range []*batch{o.content, o.check} {
		if b != nil {
			errs = append(errs, b.stop())
		}
	}
	o.content, o.check = nil, nil
	return errors.Join(errs...)
}

// blobReader streams one blob's content from a batch process. The process
// writes the content followed by a newline; the reader consumes exactly that,
// leaving the process ready for the next request.
type blobReader struct {
	objs    *objects
	b       *batch
	size    int64
	left    int64 // content bytes not yet read
	private bool  // b serves only this reader
	done    bool  // the process is released: content consumed, or abandoned
	closed  bool
	err     error // sticky read error
}

func (r *blobReader) Read(p []byte) (int, error) {
	if r.objs == nil { // the empty blob
		if r.closed {
			return 0, fs.ErrClosed
		}
		return 0, io.EOF
	}
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	switch {
	case r.closed:
		return 0, fs.ErrClosed
	case r.left == 0:
		// All content arrived, even if git then went out of step.
		return 0, io.EOF
	case r.err != nil:
		return 0, r.err
	case r.done:
		return 0, errClosed // the Repo was closed under us
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.b.out.Read(p)
	r.left -= int64(n)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		r.err = fmt.Errorf("read blob: %w%s", err, r.b.stderrNote())
		r.abandonLocked()
		return n, r.err
	}
	if r.left == 0 {
		r.finishLocked()
	}
	return n, nil
}

// finishLocked consumes the newline after the content and releases the
// process.
func (r *blobReader) finishLocked() {
	if r.done {
		return
	}
	if c, err := r.b.out.ReadByte(); err != nil || c != '\n' {
		r.err = fmt.Errorf("read blob: git cat-file output out of step%s", r.b.stderrNote())
		r.abandonLocked()
		return
	}
	r.done = true
	r.releaseLocked()
}

// abandonLocked gives up on the process: its output is mid-blob or broken.
func (r *blobReader) abandonLocked() {
	r.done = true
	if r.private {
		r.b.kill()
		delete(r.objs.private, r.b)
		return
	}
	if r.objs.busy == r {
		r.objs.dropContentLocked()
	}
}

// releaseLocked hands the process back after a complete read.
func (r *blobReader) releaseLocked() {
	if r.private {
		r.b.stop()
		delete(r.objs.private, r.b)
		return
	}
	if r.objs.busy == r {
		r.objs.busy = nil
	}
}

func (r *blobReader) Close() error {
	if r.objs == nil {
		r.closed = true
		return nil
	}
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	if r.closed {
		return fs.ErrClosed
	}
	r.closed = true
	if r.done {
		return nil
	}
	if r.left > discardLimit || r.private {
		r.abandonLocked()
		return nil
	}
	if _, err := io.CopyN(io.Discard, r.b.out, r.left); err != nil {
		r.abandonLocked()
		return nil
	}
	r.left = 0
	r.finishLocked()
	return nil
}

// batch is one `git cat-file --batch` or `--batch-check` process.
type batch struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *headBuffer
	ended  bool
}

func startBatch(dir, mode string) (*batch, error) {
	cmd := command(dir, "cat-file", mode)
	stderr := &headBuffer{max: 4096}
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, newError(cmd.Args[1:], nil, err)
	}
	return &batch{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10), stderr: stderr}, nil
}

// request asks for one object and reads the header git answers with:
// "<oid> <type> <size>", or "<oid> missing". With content, size bytes and a
// newline follow, which the caller must consume.
func (b *batch) request(oid string, content bool) (int64, error) {
	if oid == "" || strings.ContainsAny(oid, " \t\n") {
		return 0, fmt.Errorf("git cat-file: invalid object name %q", oid)
	}
	if _, err := io.WriteString(b.in, oid+"\n"); err != nil {
		return 0, fmt.Errorf("git cat-file: %w%s", err, b.stderrNote())
	}
	line, err := b.out.ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("git cat-file: %w%s", err, b.stderrNote())
	}
	fields := strings.Fields(line)
	if len(fields) == 2 && fields[1] == "missing" {
		return 0, fmt.Errorf("git cat-file: object %s is missing (partial or shallow clone?)", oid)
	}
	if len(fields) != 3 {
		return 0, fmt.Errorf("git cat-file: unexpected answer %q", strings.TrimSpace(line))
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return 0, fmt.Errorf("git cat-file: unexpected answer %q", strings.TrimSpace(line))
	}
	if fields[1] != "blob" {
		// Not expected (ftgate asks for blobs by the names the tree gave),
		// but the content must still be drained to stay in step.
		if content {
			if _, err := b.out.Discard(int(size) + 1); err != nil {
				return 0, fmt.Errorf("git cat-file: %w", err)
			}
		}
		return 0, fmt.Errorf("git cat-file: object %s is a %s, not a blob", oid, fields[1])
	}
	return size, nil
}

// stderrNote is git's complaint, if it made one, for appending to an error.
func (b *batch) stderrNote() string {
	if s := firstLine(b.stderr.Bytes()); s != "" {
		return ": " + s
	}
	return ""
}

// stop ends an idle process: git exits when its input closes.
func (b *batch) stop() error {
	if b.ended {
		return nil
	}
	b.ended = true
	b.in.Close()
	if err := b.cmd.Wait(); err != nil {
		return newError(b.cmd.Args[1:], b.stderr.Bytes(), err)
	}
	return nil
}

// kill ends a process that may be mid-blob, blocked writing output nobody
// will read.
func (b *batch) kill() {
	if b.ended {
		return
	}
	b.ended = true
	b.in.Close()
	b.cmd.Process.Kill()
	b.cmd.Wait()
}

// blobSource serves the blobs of a listed tree: the local object database,
// or a hosting service's API (see ListedTreeFS).
type blobSource interface {
	openBlob(oid string) (io.ReadCloser, int64, error)
	blobSize(oid string) (int64, error)
}

func (o *objects) openBlob(oid string) (io.ReadCloser, int64, error) {
	r, err := o.open(oid)
	if err != nil {
		return nil, 0, err
	}
	return r, r.size, nil
}

func (o *objects) blobSize(oid string) (int64, error) { return o.size(oid) }
