package evidence

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestOpen(t *testing.T) {
	fsys := memFS(map[string]string{
		"evidence/ok.csv": "a,b\n",
		"big.csv":         strings.Repeat("x", 11),
		"lfs.csv":         "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n",
		"hawser.csv":      "version https://hawser.github.com/spec/v1\noid sha256:4d7a\n",
		"notlfs.csv":      "version,https\n",
		"file.csv":        "x",
	})
	fsys["evidence/dir"] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	fsys["evidence/in.csv"] = &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte("ok.csv")}
	fsys["evidence/up.csv"] = &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte("../../x.csv")}
	fsys["evidence/abs.csv"] = &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte("/etc/passwd")}
	fsys["evidence/loop.csv"] = &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte("loop.csv")}
	fsys["evidence/gone.csv"] = &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte("nowhere.csv")}
	fsys["pipe"] = &fstest.MapFile{Mode: fs.ModeNamedPipe}

	tests := []struct {
		name string
		max  int64
		kind Kind   // 0: opens
		want string // the error, or the resolved path
	}{
		{name: "evidence/ok.csv", want: "evidence/ok.csv"},
		{name: "./evidence//ok.csv", want: "evidence/ok.csv"},
		{name: "evidence/in.csv", want: "evidence/ok.csv"},
		{name: "notlfs.csv", want: "notlfs.csv"},
		{name: "big.csv", max: 11, want: "big.csv"},
		{name: "", kind: Missing, want: `"": no evidence path given`},
		{name: "/etc/passwd", kind: Outside, want: "/etc/passwd: absolute path; evidence must be relative to the repository root"},
		{name: "C:/data/x.csv", kind: Outside, want: "C:/data/x.csv: absolute path; evidence must be relative to the repository root"},
		{name: "c:", kind: Outside, want: "c:: absolute path; evidence must be relative to the repository root"},
		{name: "a:b.csv", kind: Missing, want: "a:b.csv: does not exist"},
		{name: "../x.csv", kind: Outside, want: `../x.csv: path leaves the repository through ".."`},
		{name: "evidence/../evidence/ok.csv", kind: Outside, want: `evidence/../evidence/ok.csv: path leaves the repository through ".."`},
		{name: `evidence\..\..\x.csv`, kind: Outside, want: `evidence\..\..\x.csv: path contains a backslash; use / separators`},
		{name: "missing.csv", kind: Missing, want: "missing.csv: does not exist"},
		{name: "nodir/missing.csv", kind: Missing, want: "nodir/missing.csv: does not exist (nodir not found)"},
		{name: "file.csv/x", kind: Missing, want: "file.csv/x: does not exist (file.csv is not a directory)"},
		{name: "evidence/dir", kind: Unreadable, want: "evidence/dir: is a directory, not a file"},
		{name: ".", kind: Unreadable, want: ".: is a directory, not a file"},
		{name: "pipe", kind: Unreadable, want: "pipe: is not a regular file"},
		{name: "big.csv", max: 10, kind: TooLarge, want: "big.csv: file of 11 bytes exceeds the 10-byte limit (evidence.max_bytes)"},
		{name: "lfs.csv", kind: LFSPointer, want: "lfs.csv: is a Git LFS pointer, not the data (fetch LFS objects before ftgate runs, e.g. actions/checkout with lfs: true)"},
		{name: "hawser.csv", kind: LFSPointer, want: "hawser.csv: is a Git LFS pointer, not the data (fetch LFS objects before ftgate runs, e.g. actions/checkout with lfs: true)"},
		{name: "evidence/up.csv", kind: Outside, want: "evidence/up.csv: symlink evidence/up.csv -> ../../x.csv leads outside the repository"},
		{name: "evidence/abs.csv", kind: Outside, want: "evidence/abs.csv: symlink evidence/abs.csv -> /etc/passwd leads outside the repository (absolute target)"},
		{name: "evidence/loop.csv", kind: Unreadable, want: "evidence/loop.csv: more than 40 symlinks to follow (a loop?)"},
		{name: "evidence/gone.csv", kind: Missing, want: "evidence/gone.csv: does not exist (evidence/nowhere.csv not found)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(fsys, tt.name, tt.max)
			if tt.kind != 0 {
				wantError(t, err, tt.kind, tt.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Resolved != tt.want {
				t.Errorf("resolved = %q, want %q", f.Resolved, tt.want)
			}
			if _, err := io.ReadAll(f); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOpenSymlinksOnDisk uses real symlinks through os.DirFS, whose Open
// would follow them anywhere.
func TestOpenSymlinksOnDisk(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "repo")
	outside := filepath.Join(tmp, "outside.csv")
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(name, target string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	if err := os.WriteFile(outside, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write("real/c.csv", "inside\n")
	link("rel.csv", "../outside.csv")
	link("evidence/abs.csv", outside)
	link("evidence/up", "../..")
	link("evidence/deep.csv", "../real/../../outside.csv")
	// A chain that stays inside: a file link, a directory link, a file link.
	link("evidence/a.csv", "../data/b.csv")
	link("data", "real")
	link("real/b.csv", "c.csv")
	link("loop1", "loop2")
	link("loop2", "loop1")
	link("dangling.csv", "nothere.csv")

	fsys := os.DirFS(root)
	tests := []struct {
		name string
		kind Kind
		want string
	}{
		{"evidence/a.csv", 0, "real/c.csv"},
		{"rel.csv", Outside, "rel.csv: symlink rel.csv -> ../outside.csv leads outside the repository"},
		{"evidence/abs.csv", Outside, "evidence/abs.csv: symlink evidence/abs.csv -> " + filepath.ToSlash(outside) + " leads outside the repository (absolute target)"},
		{"evidence/up/outside.csv", Outside, "evidence/up/outside.csv: symlink evidence/up -> ../.. leads outside the repository"},
		{"evidence/deep.csv", Outside, "evidence/deep.csv: symlink evidence/deep.csv -> ../real/../../outside.csv leads outside the repository"},
		{"loop1", Unreadable, "loop1: more than 40 symlinks to follow (a loop?)"},
		{"dangling.csv", Missing, "dangling.csv: does not exist (nothere.csv not found)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(fsys, tt.name, 0)
			if tt.kind != 0 {
				wantError(t, err, tt.kind, tt.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			data, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			if f.Resolved != tt.want || string(data) != "inside\n" {
				t.Errorf("resolved %q with %q, want %q with %q", f.Resolved, data, tt.want, "inside\n")
			}
		})
	}
	if got, err := Resolve(fsys, "data"); err != nil || got != "real" {
		t.Errorf(`Resolve("data") = %q, %v; want "real"`, got, err)
	}
}

func TestDigest(t *testing.T) {
	fsys := memFS(map[string]string{"abc.txt": "abc", "empty.txt": ""})
	tests := []struct{ name, want string }{
		{"abc.txt", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"empty.txt", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		got, err := Digest(fsys, tt.name, 0)
		if err != nil || got != tt.want {
			t.Errorf("Digest(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
		if !ValidDigest(got) {
			t.Errorf("ValidDigest(%q) = false", got)
		}
	}
	_, err := Digest(fsys, "missing.txt", 0)
	wantError(t, err, Missing, "missing.txt: does not exist")
}

func TestValidDigest(t *testing.T) {
	ok := "sha256:" + strings.Repeat("0123456789abcdef", 4)
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{ok, true},
		{strings.ToUpper(ok[:7]) + ok[7:], false},
		{ok[:7] + strings.ToUpper(ok[7:]), false},
		{ok[:len(ok)-1], false},
		{ok + "0", false},
		{"sha512:" + ok[7:], false},
		{ok[7:], false},
		{ok[:len(ok)-1] + "g", false},
		{"", false},
	} {
		if got := ValidDigest(tt.s); got != tt.want {
			t.Errorf("ValidDigest(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// lyingFS reports every file as one byte long, as a careless file system
// might: the cap must still hold while reading.
type lyingFS struct{ fstest.MapFS }

type lyingFile struct{ fs.File }

type lyingInfo struct{ fs.FileInfo }

func (fsys lyingFS) Open(name string) (fs.File, error) {
	f, err := fsys.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return lyingFile{f}, nil
}

func (f lyingFile) Stat() (fs.FileInfo, error) {
	info, err := f.File.Stat()
	return lyingInfo{info}, err
}

func (lyingInfo) Size() int64        { return 1 }
func (lyingInfo) ModTime() time.Time { return time.Time{} }

func TestReadCap(t *testing.T) {
	fsys := lyingFS{memFS(map[string]string{"x.jsonl": "{}\n{}\n{}\n"})}
	_, err := Digest(fsys, "x.jsonl", 5)
	wantError(t, err, TooLarge, "x.jsonl: file exceeds the 5-byte limit (evidence.max_bytes)")
	_, err = CountExamples(fsys, "x.jsonl", 5)
	wantError(t, err, TooLarge, "x.jsonl: file exceeds the 5-byte limit (evidence.max_bytes)")
	if n, err := CountExamples(fsys, "x.jsonl", 9); err != nil || n != 3 {
		t.Errorf("CountExamples at the cap = %d, %v; want 3", n, err)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Path: "evidence/labels.csv", Line: 14, Col: 3, Kind: Malformed, Msg: "label is empty"}, "evidence/labels.csv:14:3: label is empty"},
		{&Error{Path: "a.csv", Kind: Missing, Msg: "does not exist"}, "a.csv: does not exist"},
		{&Error{Path: "a\nb.csv", Line: 2, Col: 1, Kind: Malformed, Msg: "x"}, `"a\nb.csv":2:1: x`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	cause := errors.New("disk on fire")
	if e := (&Error{Err: cause}); !errors.Is(e, cause) {
		t.Error("Error does not unwrap to its cause")
	}
	if Malformed.String() != "malformed" || LFSPointer.String() != "LFS pointer" {
		t.Error("Kind.String")
	}
}
