// Package baseline reads and writes .ftgate/baseline.json: the training
// configs a repository held when it adopted ftgate, each with the SHA-256 of
// its content. A config listed there with an unchanged digest existed before
// the gate and is not judged; a changed or new config is.
package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Path is where the baseline lives, repository-relative.
const Path = ".ftgate/baseline.json"

// Entry is one baselined config.
type Entry struct {
	Path   string `json:"path"`
	Digest string `json:"digest"` // "sha256:" and 64 lowercase hex digits
}

// File is the baseline document.
type File struct {
	Version int     `json:"version"`
	Configs []Entry `json:"configs"`
}

// Build digests each config in fsys and returns the baseline, sorted by
// path.
func Build(fsys fs.FS, configs []string) (*File, error) {
	f := &File{Version: 1, Configs: make([]Entry, 0, len(configs))}
	for _, p := range configs {
		d, err := Digest(fsys, p)
		if err != nil {
			return nil, err
		}
		f.Configs = append(f.Configs, Entry{Path: p, Digest: d})
	}
	slices.SortFunc(f.Configs, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	f.Configs = slices.CompactFunc(f.Configs, func(a, b Entry) bool { return a.Path == b.Path })
	return f, nil
}

// Digest is "sha256:" and the hex SHA-256 of a file's bytes, streamed.
func Digest(fsys fs.FS, name string) (string, error) {
	fh, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("digest %s: %w", name, err)
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", fmt.Errorf("digest %s: %w", name, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// Encode writes the baseline as indented JSON, one config a line, so that a
// review sees one line per config added or removed.
func (f *File) Encode(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("{\n  \"version\": 1,\n  \"configs\": [")
	for i, e := range f.Configs {
		if i > 0 {
			b.WriteByte(',')
		}
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b.WriteString("\n    ")
		b.Write(line)
	}
	if len(f.Configs) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// Error is a baseline that cannot be used, with the position in it.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Parse reads a baseline document; name is used in errors. An unknown
// field, a version other than 1, a malformed digest or a repeated path is
// an error: the baseline decides what is not judged, so it must mean
// exactly what it says.
func Parse(name string, data []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(name, data, dec, err)
	}
	if dec.More() {
		return nil, at(name, data, dec.InputOffset(), "extra data after the baseline object")
	}
	if f.Version != 1 {
		return nil, at(name, data, offsetOf(data, `"version"`), fmt.Sprintf("version %d: want 1", f.Version))
	}
	seen := map[string]bool{}
	var cursor int64 // entries are found in order: a repeated path points at its repeat
	for i, e := range f.Configs {
		pos := cursor + offsetOf(data[cursor:], e.Path)
		cursor = pos + 1
		switch {
		case e.Path == "":
			return nil, at(name, data, offsetOf(data, `"configs"`), fmt.Sprintf("configs[%d]: path is empty", i))
		case !fs.ValidPath(e.Path):
			return nil, at(name, data, pos, fmt.Sprintf("configs[%d]: %q is not a repository-relative path", i, e.Path))
		case !validDigest(e.Digest):
			return nil, at(name, data, pos, fmt.Sprintf("configs[%d]: digest %q: want sha256: and 64 lowercase hex digits", i, e.Digest))
		case seen[e.Path]:
			return nil, at(name, data, pos, fmt.Sprintf("configs[%d]: %s is listed twice", i, e.Path))
		}
		seen[e.Path] = true
	}
	return &f, nil
}

// Unchanged reports whether path is baselined with this digest.
func (f *File) Unchanged(path, digest string) bool {
	i, ok := slices.BinarySearchFunc(f.Configs, path, func(e Entry, p string) int { return strings.Compare(e.Path, p) })
	if ok {
		return f.Configs[i].Digest == digest
	}
	// Parse does not require sorted input: fall back to a scan.
	for _, e := range f.Configs {
		if e.Path == path {
			return e.Digest == digest
		}
	}
	return false
}

func validDigest(s string) bool {
	h, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if !('0' <= h[i] && h[i] <= '9' || 'a' <= h[i] && h[i] <= 'f') {
			return false
		}
	}
	return true
}

func jsonError(name string, data []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset is just past the offending byte.
		return at(name, data, se.Offset-1, "syntax error: "+se.Error())
	case errors.As(err, &te):
		// Offset is past the value; point at the field's key before it.
		key := te.Field[strings.LastIndexByte(te.Field, '.')+1:]
		q, _ := json.Marshal(key)
		off := int64(bytes.LastIndex(data[:min(te.Offset, int64(len(data)))], q))
		return at(name, data, off, fmt.Sprintf("%s: want %s, not %s", te.Field, te.Type, te.Value))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return at(name, data, int64(len(data)), "unexpected end of the baseline")
	}
	// Unknown fields: the decoder names the field but not where it is.
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return at(name, data, offsetOf(data, strings.Trim(f, `"`)), "unknown field "+f)
	}
	return at(name, data, dec.InputOffset(), msg)
}

// offsetOf is where s first appears in data, quoted, or 0.
func offsetOf(data []byte, s string) int64 {
	q, _ := json.Marshal(s)
	if strings.HasPrefix(s, `"`) {
		q = []byte(s)
	}
	if i := bytes.Index(data, q); i >= 0 {
		return int64(i)
	}
	return 0
}

// at turns a byte offset into a 1-based line and a column in code points.
func at(name string, data []byte, off int64, msg string) error {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col := len([]rune(string(before[start:]))) + 1
	return &Error{File: name, Line: line, Col: col, Msg: msg}
}

// Load reads the baseline from a tree (the worktree under --all, the base
// commit's tree in PR mode, so that a pull request cannot baseline its own
// config). A tree without one has no baseline: nil and no error.
func Load(fsys fs.FS) (*File, error) {
	data, err := fs.ReadFile(fsys, Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Path, err)
	}
	return Parse(Path, data)
}

// Baselined reports whether the config at path in fsys is listed with the
// digest of its present content: unchanged since the baseline, so not
// judged. A nil baseline baselines nothing.
func (f *File) Baselined(fsys fs.FS, path string) (bool, error) {
	if f == nil || !f.listed(path) {
		return false, nil
	}
	d, err := Digest(fsys, path)
	if err != nil {
		return false, err
	}
	return f.Unchanged(path, d), nil
}

func (f *File) listed(path string) bool {
	return slices.ContainsFunc(f.Configs, func(e Entry) bool { return e.Path == path })
}
