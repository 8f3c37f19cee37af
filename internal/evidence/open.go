package evidence

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// DefaultMaxBytes is the size cap used when the caller passes no positive
// limit: the default of the policy's evidence.max_bytes (1 GiB).
const DefaultMaxBytes int64 = 1 << 30

// maxSymlinkHops bounds symlink resolution, as Linux's MAXSYMLINKS does, so
// that a loop is an error rather than a hang.
const maxSymlinkHops = 40

// lfsPrefixes start every Git LFS pointer file (the current spec and the
// pre-release "hawser" one). A committed pointer means the data was never
// fetched: parsing it would report nonsense, so it is refused by name.
var lfsPrefixes = []string{
	"version https://git-lfs.github.com/spec/v1",
	"version https://hawser.github.com/spec/v1",
}

// File is an evidence file opened for streaming. Reads fail with a TooLarge
// *Error once more than the cap has been read, even when the size the file
// system reported was smaller.
type File struct {
	// Path is the repository-relative name, cleaned; errors point at it.
	Path string
	// Resolved is the file the name leads to once symlinks are followed.
	Resolved string
	// Size is the size the file system reported.
	Size int64

	f  fs.File
	br *bufio.Reader
}

// Read reads the file's bytes.
func (f *File) Read(p []byte) (int, error) { return f.br.Read(p) }

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// Open opens the evidence file name inside fsys, the repository root, for
// streaming. It refuses names that are absolute, contain ".." or
// backslashes, or lead outside the root through a symlink; directories and
// other non-regular files; files over maxBytes (DefaultMaxBytes when
// maxBytes ≤ 0); and Git LFS pointers. Every error is an *Error.
func Open(fsys fs.FS, name string, maxBytes int64) (*File, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	clean, resolved, err := resolve(fsys, name)
	if err != nil {
		return nil, err
	}
	fh, oerr := fsys.Open(resolved)
	if oerr != nil {
		return nil, fsError(clean, resolved, oerr)
	}
	info, serr := fh.Stat()
	if serr != nil {
		fh.Close()
		return nil, &Error{Path: clean, Kind: Unreadable, Msg: "stat: " + oneLine(serr.Error()), Err: serr}
	}
	switch {
	case info.IsDir():
		fh.Close()
		return nil, errorf(clean, Unreadable, "is a directory, not a file")
	case !info.Mode().IsRegular():
		fh.Close()
		return nil, errorf(clean, Unreadable, "is not a regular file")
	case info.Size() > maxBytes:
		fh.Close()
		return nil, tooLarge(clean, info.Size(), maxBytes)
	}
	f := &File{Path: clean, Resolved: resolved, Size: info.Size(), f: fh}
	f.br = bufio.NewReaderSize(&capReader{r: fh, path: clean, max: maxBytes}, 64<<10)
	head, perr := f.br.Peek(len(lfsPrefixes[0]))
	var e *Error
	if errors.As(perr, &e) {
		fh.Close()
		return nil, e
	}
	for _, p := range lfsPrefixes {
		if strings.HasPrefix(string(head), p) {
			fh.Close()
			return nil, errorf(clean, LFSPointer,
				"is a Git LFS pointer, not the data (fetch LFS objects before ftgate runs, e.g. actions/checkout with lfs: true)")
		}
	}
	return f, nil
}

// Resolve checks that name stays inside fsys and returns the path it leads
// to with every symlink followed. It does not require a regular file, so it
// also answers whether a directory such as an eval suite exists. Every error
// is an *Error.
func Resolve(fsys fs.FS, name string) (string, error) {
	_, resolved, err := resolve(fsys, name)
	if err != nil {
		return "", err
	}
	return resolved, nil
}

// Digest returns "sha256:" and the lowercase hex SHA-256 of the file's
// bytes, streamed so that a large file is never held in memory. The file is
// opened as by Open, so the same size cap and refusals apply.
func Digest(fsys fs.FS, name string, maxBytes int64) (string, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := f.br.WriteTo(h); err != nil {
		return "", readError(f.Path, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// ValidDigest reports whether s has the form records pin: "sha256:" and 64
// lowercase hex digits.
func ValidDigest(s string) bool {
	hexPart, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(hexPart) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(hexPart); i++ {
		c := hexPart[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// checkName rejects names that cannot denote a file inside the repository
// and returns the cleaned name.
func checkName(name string) (string, *Error) {
	switch {
	case name == "":
		return "", errorf("", Missing, "no evidence path given")
	case strings.ContainsRune(name, '\\'):
		// A backslash is a separator on Windows: "..\x" would escape there.
		return "", errorf(name, Outside, "path contains a backslash; use / separators")
	case strings.HasPrefix(name, "/") || hasVolume(name):
		return "", errorf(name, Outside, "absolute path; evidence must be relative to the repository root")
	case strings.ContainsRune(name, 0):
		return "", errorf(name, Unreadable, "path contains a NUL byte")
	}
	for seg := range strings.SplitSeq(name, "/") {
		if seg == ".." {
			return "", errorf(name, Outside, `path leaves the repository through ".."`)
		}
	}
	return path.Clean(name), nil
}

// hasVolume reports a Windows drive prefix such as "C:/", which makes a
// path absolute there even though it is not on Unix.
func hasVolume(name string) bool {
	if len(name) < 2 || name[1] != ':' || (len(name) > 2 && name[2] != '/') {
		return false
	}
	c := name[0] | 0x20
	return c >= 'a' && c <= 'z'
}

// resolve follows symlinks component by component, relative to each link's
// directory, and fails as soon as a link leads outside the root. It does
// this itself rather than trusting fsys.Open, because os.DirFS follows links
// wherever they point.
func resolve(fsys fs.FS, name string) (clean, resolved string, err error) {
	clean, nerr := checkName(name)
	if nerr != nil {
		return "", "", nerr
	}
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok || clean == "." {
		// Without Lstat there are no symlinks this package can see.
		return clean, clean, nil
	}
	var done []string // resolved components, none of them a symlink
	todo := strings.Split(clean, "/")
	hops := 0
	for len(todo) > 0 {
		seg := todo[0]
		todo = todo[1:]
		switch seg {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", "", errorf(clean, Outside, "symlink leads outside the repository")
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(append(done, seg)...)
		info, lerr := rl.Lstat(cur)
		if lerr != nil {
			return "", "", fsError(clean, cur, lerr)
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			if len(todo) > 0 && !info.IsDir() {
				return "", "", errorf(clean, Missing, "does not exist (%s is not a directory)", qpath(cur))
			}
			done = append(done, seg)
			continue
		}
		if hops++; hops > maxSymlinkHops {
			return "", "", errorf(clean, Unreadable, "more than %d symlinks to follow (a loop?)", maxSymlinkHops)
		}
		target, rerr := rl.ReadLink(cur)
		if rerr != nil {
			return "", "", &Error{Path: clean, Kind: Unreadable, Msg: "readlink: " + oneLine(rerr.Error()), Err: rerr}
		}
		target = filepath.ToSlash(target)
		switch {
		case target == "":
			return "", "", errorf(clean, Unreadable, "symlink %s has an empty target", qpath(cur))
		case strings.HasPrefix(target, "/") || hasVolume(target):
			return "", "", errorf(clean, Outside, "symlink %s -> %s leads outside the repository (absolute target)", qpath(cur), qpath(target))
		case strings.ContainsRune(target, '\\'):
			return "", "", errorf(clean, Outside, "symlink %s -> %s contains a backslash", qpath(cur), qpath(target))
		}
		if escapes(done, target) {
			return "", "", errorf(clean, Outside, "symlink %s -> %s leads outside the repository", qpath(cur), qpath(target))
		}
		// The target replaces the link; "done" stays the link's directory.
		todo = append(strings.Split(target, "/"), todo...)
	}
	if len(done) == 0 {
		return clean, ".", nil
	}
	return clean, path.Join(done...), nil
}

// escapes reports whether target, read relative to the directory dir,
// climbs above the root. Checking here, before the target's components are
// looked up, names the offending link rather than a later component.
func escapes(dir []string, target string) bool {
	depth := len(dir)
	for seg := range strings.SplitSeq(target, "/") {
		switch seg {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// fsError turns an error from the file system into an *Error for name;
// at is the path that failed, which differs from name after a symlink.
func fsError(name, at string, err error) *Error {
	if errors.Is(err, fs.ErrNotExist) {
		if at != name {
			return &Error{Path: name, Kind: Missing, Msg: "does not exist (" + qpath(at) + " not found)", Err: err}
		}
		return &Error{Path: name, Kind: Missing, Msg: "does not exist", Err: err}
	}
	return &Error{Path: name, Kind: Unreadable, Msg: "open: " + oneLine(err.Error()), Err: err}
}

func tooLarge(name string, size, max int64) *Error {
	return errorf(name, TooLarge, "%s exceeds the %d-byte limit (evidence.max_bytes)", sizeText(size), max)
}

func sizeText(size int64) string {
	if size < 0 {
		return "file"
	}
	return "file of " + strconv.FormatInt(size, 10) + " bytes"
}

// readError passes an *Error through and wraps anything else as Unreadable.
func readError(name string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Path: name, Kind: Unreadable, Msg: "read: " + oneLine(err.Error()), Err: err}
}

// capReader enforces the size cap while reading, so a file that grows, or a
// file system whose Stat under-reports, cannot make ftgate read without
// bound. Once over the cap it keeps failing.
type capReader struct {
	r    io.Reader
	path string
	n    int64
	max  int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		return 0, tooLarge(c.path, -1, c.max)
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n - int(c.n-c.max), tooLarge(c.path, -1, c.max)
	}
	if err != nil && err != io.EOF {
		return n, readError(c.path, err)
	}
	return n, err
}

// qpath renders a path for a message, quoting it only when it holds
// characters that would break the one-line format.
func qpath(p string) string {
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return strconv.Quote(p)
		}
	}
	return p
}

// oneLine keeps an underlying error's text on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}
