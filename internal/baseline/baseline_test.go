package baseline

import (
	"bytes"
	"errors"
	"testing"
	"testing/fstest"
)

// The SHA-256 test vectors of FIPS 180-2 (appendix B.1) and of the empty
// message.
const (
	sha256abc   = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	sha256empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

func TestBuildEncodeParse(t *testing.T) {
	fsys := fstest.MapFS{
		"training/b.yaml": {Data: []byte("abc")},
		"training/a.yaml": {Data: []byte("")},
	}
	f, err := Build(fsys, []string{"training/b.yaml", "training/a.yaml", "training/b.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "configs": [
    {"path":"training/a.yaml","digest":"` + sha256empty + `"},
    {"path":"training/b.yaml","digest":"` + sha256abc + `"}
  ]
}
`
	if buf.String() != want {
		t.Errorf("encoded:\n%s\nwant:\n%s", buf.String(), want)
	}
	back, err := Parse(Path, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !back.Unchanged("training/b.yaml", sha256abc) || back.Unchanged("training/b.yaml", sha256empty) ||
		back.Unchanged("training/c.yaml", sha256abc) {
		t.Errorf("Unchanged answers wrong for %+v", back.Configs)
	}

	var empty bytes.Buffer
	(&File{Version: 1}).Encode(&empty)
	if empty.String() != "{\n  \"version\": 1,\n  \"configs\": []\n}\n" {
		t.Errorf("empty baseline encoded as %q", empty.String())
	}
	if _, err := Parse(Path, empty.Bytes()); err != nil {
		t.Errorf("empty baseline: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	digest := `"` + sha256abc + `"`
	for _, tc := range []struct{ name, in, want string }{
		{"syntax", "{\n  \"version\": 1,\n  \"configs\": [,]\n}", ".ftgate/baseline.json:3:15: syntax error: invalid character ',' looking for beginning of value"},
		{"type", "{\"version\": \"1\"}", ".ftgate/baseline.json:1:2: version: want int, not string"},
		{"unknown field", "{\"version\": 1,\n \"config\": []}", ".ftgate/baseline.json:2:2: unknown field \"config\""},
		{"version", "{\"version\": 2, \"configs\": []}", ".ftgate/baseline.json:1:2: version 2: want 1"},
		{"digest", "{\"version\": 1, \"configs\": [{\"path\": \"a.yaml\", \"digest\": \"sha256:ABC\"}]}", ".ftgate/baseline.json:1:37: configs[0]: digest \"sha256:ABC\": want sha256: and 64 lowercase hex digits"},
		{"escaping path", "{\"version\": 1, \"configs\": [{\"path\": \"../a.yaml\", \"digest\": " + digest + "}]}", ".ftgate/baseline.json:1:37: configs[0]: \"../a.yaml\" is not a repository-relative path"},
		{"twice", "{\"version\": 1, \"configs\": [{\"path\": \"a.yaml\", \"digest\": " + digest + "},\n{\"path\": \"a.yaml\", \"digest\": " + digest + "}]}", ".ftgate/baseline.json:2:10: configs[1]: a.yaml is listed twice"},
		{"truncated", "{\"version\": 1, \"configs\": [", ".ftgate/baseline.json:1:28: unexpected end of the baseline"},
		{"trailing", "{\"version\": 1, \"configs\": []} {}", ".ftgate/baseline.json:1:31: extra data after the baseline object"},
	} {
		_, err := Parse(Path, []byte(tc.in))
		var be *Error
		if !errors.As(err, &be) {
			t.Errorf("%s: error %v, want an *Error", tc.name, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, err, tc.want)
		}
	}
}

func TestLoadBaselined(t *testing.T) {
	if f, err := Load(fstest.MapFS{}); f != nil || err != nil {
		t.Errorf("no baseline: %v, %v; want nil, nil", f, err)
	}
	var nilFile *File
	if ok, err := nilFile.Baselined(fstest.MapFS{}, "a.yaml"); ok || err != nil {
		t.Errorf("nil baseline baselined a.yaml (%v)", err)
	}

	doc := `{"version": 1, "configs": [{"path": "train/a.yaml", "digest": "` + sha256abc + `"},
{"path": "train/gone.yaml", "digest": "` + sha256abc + `"}]}`
	tree := fstest.MapFS{
		Path:           {Data: []byte(doc)},
		"train/a.yaml": {Data: []byte("abc")},
		"train/b.yaml": {Data: []byte("abc")}, // same content, not listed
		"train/c.yaml": {Data: []byte("abcd")},
	}
	f, err := Load(tree)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"train/a.yaml": true, "train/b.yaml": false} {
		if got, err := f.Baselined(tree, path); got != want || err != nil {
			t.Errorf("Baselined(%s) = %v, %v; want %v", path, got, err, want)
		}
	}
	// Edited since the baseline: judged.
	tree["train/a.yaml"] = &fstest.MapFile{Data: []byte("abcd")}
	if got, _ := f.Baselined(tree, "train/a.yaml"); got {
		t.Errorf("an edited config stayed baselined")
	}
	// Listed but deleted: an error the caller reports, never a pass.
	if _, err := f.Baselined(tree, "train/gone.yaml"); err == nil {
		t.Errorf("a listed config that is gone gave no error")
	}

	tree[Path] = &fstest.MapFile{Data: []byte(`{"version": 1, "configs": [}`)}
	if _, err := Load(tree); err == nil || err.Error() != ".ftgate/baseline.json:1:28: syntax error: invalid character '}' looking for beginning of value" {
		t.Errorf("malformed baseline: %v", err)
	}
}
