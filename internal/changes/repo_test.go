package changes

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestDiffFromMergeBase checks that Diff reports what the branch changed
// since it left main, not what main gained afterwards.
func TestDiffFromMergeBase(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "keep.txt", "keep\n")
	write(t, dir, "mod.yaml", "lr: 1\n")
	write(t, dir, "del.yaml", "gone\n")
	write(t, dir, "old/train.yaml", lines("train", 40))
	commitAll(t, dir, "base")

	git(t, dir, "switch", "-q", "-c", "feature")
	write(t, dir, "new.yaml", "new\n")
	write(t, dir, "mod.yaml", "lr: 2\n")
	os.Remove(filepath.Join(dir, "del.yaml"))
	os.MkdirAll(filepath.Join(dir, "training"), 0o755)
	if err := os.Rename(filepath.Join(dir, "old/train.yaml"), filepath.Join(dir, "training/train.yaml")); err != nil {
		t.Fatal(err)
	}
	commitAll(t, dir, "feature")

	// main moves on after the branch point: its change must not show.
	git(t, dir, "switch", "-q", "main")
	write(t, dir, "main-only.yaml", "main\n")
	write(t, dir, "keep.txt", "changed on main\n")
	commitAll(t, dir, "main advances")
	git(t, dir, "switch", "-q", "feature")

	r := open(t, dir)
	mb, err := r.MergeBase("main", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	tip, err := r.ResolveCommit("main")
	if err != nil {
		t.Fatal(err)
	}
	if mb == tip {
		t.Fatalf("merge base equals main's tip %s; the scene is wrong", tip)
	}

	got, err := r.Diff("main")
	if err != nil {
		t.Fatal(err)
	}
	want := []ChangedFile{
		{Path: "del.yaml", Status: Deleted},
		{Path: "mod.yaml", Status: Modified},
		{Path: "new.yaml", Status: Added},
		{Path: "training/train.yaml", OldPath: "old/train.yaml", Status: Renamed},
	}
	if got = sorted(got); !reflect.DeepEqual(got, want) {
		t.Errorf("Diff(main) =\n%v\nwant\n%v", got, want)
	}
}

func TestStagedFreshRepo(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a.yaml", "a\n")
	write(t, dir, "sub/b.json", "{}\n")
	write(t, dir, "unstaged.yaml", "not added\n")
	git(t, dir, "add", "a.yaml", "sub/b.json")

	r := open(t, dir)
	got, err := r.Staged()
	if err != nil {
		t.Fatal(err)
	}
	want := []ChangedFile{{Path: "a.yaml", Status: Added}, {Path: "sub/b.json", Status: Added}}
	if got = sorted(got); !reflect.DeepEqual(got, want) {
		t.Errorf("Staged() = %v, want %v", got, want)
	}

	names, err := StagedNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.yaml", "sub/b.json"}; !slices.Equal(names, want) {
		t.Errorf("StagedNames = %q, want %q", names, want)
	}

	// Diff needs a HEAD; in a repository without one the error says so.
	if _, err := r.Diff("main"); !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("Diff in a repository without commits: err = %v, want ErrUnknownRevision", err)
	}
}

func TestStagedAfterCommit(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a.yaml", "a\n")
	write(t, dir, "b.yaml", "b\n")
	write(t, dir, "cfg/old.yaml", lines("cfg", 40))
	commitAll(t, dir, "base")

	write(t, dir, "a.yaml", "a2\n")
	git(t, dir, "rm", "-q", "b.yaml")
	git(t, dir, "mv", "cfg/old.yaml", "cfg/new.yaml")
	git(t, dir, "add", "a.yaml")
	write(t, dir, "unstaged.yaml", "x\n")

	r := open(t, dir)
	got, err := r.Staged()
	if err != nil {
		t.Fatal(err)
	}
	want := []ChangedFile{
		{Path: "a.yaml", Status: Modified},
		{Path: "b.yaml", Status: Deleted},
		{Path: "cfg/new.yaml", OldPath: "cfg/old.yaml", Status: Renamed},
	}
	if got = sorted(got); !reflect.DeepEqual(got, want) {
		t.Errorf("Staged() = %v, want %v", got, want)
	}

	// The fast path does not pair renames: both names are candidates.
	names, err := StagedNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.yaml", "b.yaml", "cfg/new.yaml", "cfg/old.yaml"}; !slices.Equal(names, want) {
		t.Errorf("StagedNames = %q, want %q", names, want)
	}
}

// TestSubdirectory checks -C DIR: everything is restricted to DIR and named
// relative to it, even when DIR's name is a pathspec pattern.
func TestSubdirectory(t *testing.T) {
	dir := newRepo(t)
	const sub = "proj [x]*"
	write(t, dir, "top.yaml", "top\n")
	write(t, dir, sub+"/in.yaml", "in\n")
	write(t, dir, "proj [x]z/lookalike.yaml", "outside\n") // matches the glob, not the name
	write(t, dir, sub+"/moved-in.yaml", "")
	write(t, dir, "moving.yaml", lines("moving", 40))
	commitAll(t, dir, "base")

	git(t, dir, "switch", "-q", "-c", "feature")
	write(t, dir, "top.yaml", "top2\n")
	write(t, dir, sub+"/in.yaml", "in2\n")
	write(t, dir, "proj [x]z/lookalike.yaml", "outside2\n")
	write(t, dir, sub+"/deep/new.yaml", "new\n")
	git(t, dir, "add", "-A")
	git(t, dir, "mv", "moving.yaml", sub+"/moving.yaml")
	git(t, dir, "commit", "-q", "-m", "feature")

	r := open(t, filepath.Join(dir, sub))
	if got, want := r.Prefix(), sub+"/"; got != want {
		t.Errorf("Prefix() = %q, want %q", got, want)
	}
	got, err := r.Diff("main")
	if err != nil {
		t.Fatal(err)
	}
	// A rename into DIR from outside it is an addition as seen from DIR.
	want := []ChangedFile{
		{Path: "deep/new.yaml", Status: Added},
		{Path: "in.yaml", Status: Modified},
		{Path: "moving.yaml", Status: Added},
	}
	if got = sorted(got); !reflect.DeepEqual(got, want) {
		t.Errorf("Diff(main) from %q =\n%v\nwant\n%v", sub, got, want)
	}

	write(t, dir, sub+"/staged.yaml", "s\n")
	write(t, dir, "outside-staged.yaml", "s\n")
	git(t, dir, "add", "-A")
	staged, err := r.Staged()
	if err != nil {
		t.Fatal(err)
	}
	if want := []ChangedFile{{Path: "staged.yaml", Status: Added}}; !reflect.DeepEqual(staged, want) {
		t.Errorf("Staged() = %v, want %v", staged, want)
	}
	names, err := StagedNames(filepath.Join(dir, sub))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"staged.yaml"}; !slices.Equal(names, want) {
		t.Errorf("StagedNames = %q, want %q", names, want)
	}

	for _, tc := range []struct {
		name string
		fsys func() (FS, error)
		want []string
	}{
		{"TreeFS(HEAD)", func() (FS, error) { return r.TreeFS("HEAD") }, []string{"deep/new.yaml", "in.yaml", "moved-in.yaml", "moving.yaml"}},
		{"TreeFS(main)", func() (FS, error) { return r.TreeFS("main") }, []string{"in.yaml", "moved-in.yaml"}},
		{"IndexFS", r.IndexFS, []string{"deep/new.yaml", "in.yaml", "moved-in.yaml", "moving.yaml", "staged.yaml"}},
	} {
		fsys, err := tc.fsys()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		files, err := ListFiles(fsys)
		if err != nil {
			t.Fatalf("%s: ListFiles: %v", tc.name, err)
		}
		if !slices.Equal(files, tc.want) {
			t.Errorf("%s: ListFiles = %q, want %q", tc.name, files, tc.want)
		}
	}
}

// TestOddNames checks that names travel byte for byte, newline included.
func TestOddNames(t *testing.T) {
	const odd = "dir, with: colon/a\nb: c,d e.yaml"
	dir := newRepo(t)
	write(t, dir, "plain.yaml", "p\n")
	commitAll(t, dir, "base")
	git(t, dir, "switch", "-q", "-c", "feature")
	write(t, dir, odd, "odd: true\n")
	write(t, dir, "ünïcode é.yaml", "u\n")
	git(t, dir, "add", "-A")

	r := open(t, dir)
	staged, err := r.Staged()
	if err != nil {
		t.Fatal(err)
	}
	want := []ChangedFile{{Path: odd, Status: Added}, {Path: "ünïcode é.yaml", Status: Added}}
	if staged = sorted(staged); !reflect.DeepEqual(staged, want) {
		t.Errorf("Staged() = %q, want %q", staged, want)
	}
	names, err := StagedNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{odd, "ünïcode é.yaml"}; !slices.Equal(names, want) {
		t.Errorf("StagedNames = %q, want %q", names, want)
	}

	git(t, dir, "commit", "-q", "-m", "odd")
	diff, err := r.Diff("main")
	if err != nil {
		t.Fatal(err)
	}
	if diff = sorted(diff); !reflect.DeepEqual(diff, want) {
		t.Errorf("Diff(main) = %q, want %q", diff, want)
	}

	for _, tc := range []struct {
		name string
		fsys func() (FS, error)
	}{
		{"TreeFS", func() (FS, error) { return r.TreeFS("HEAD") }},
		{"IndexFS", r.IndexFS},
	} {
		fsys, err := tc.fsys()
		if err != nil {
			t.Fatal(err)
		}
		data, err := fsys.ReadFile(odd)
		if err != nil || string(data) != "odd: true\n" {
			t.Errorf("%s: ReadFile(%q) = %q, %v", tc.name, odd, data, err)
		}
	}
}

func TestResolveCommit(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a", "a\n")
	commitAll(t, dir, "one")
	r := open(t, dir)

	sha, err := r.ResolveCommit("main")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD")); sha != want {
		t.Errorf("ResolveCommit(main) = %q, want %q", sha, want)
	}

	for _, rev := range []string{"nope", "origin/main", "--output=x", "", "HEAD:a"} {
		_, err := r.ResolveCommit(rev)
		if !errors.Is(err, ErrUnknownRevision) {
			t.Errorf("ResolveCommit(%q): err = %v, want ErrUnknownRevision", rev, err)
			continue
		}
		if want := `unknown revision "` + rev + `"`; err.Error() != want {
			t.Errorf("ResolveCommit(%q): err = %q, want %q", rev, err, want)
		}
	}
	if _, err := r.Diff("nope"); err == nil || err.Error() != `unknown revision "nope"` {
		t.Errorf("Diff(nope): err = %v", err)
	}
}

func TestMergeBaseUnrelated(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a", "a\n")
	commitAll(t, dir, "one")
	git(t, dir, "switch", "-q", "--orphan", "other")
	write(t, dir, "b", "b\n")
	commitAll(t, dir, "two")
	r := open(t, dir)
	if _, err := r.MergeBase("main", "other"); !errors.Is(err, ErrNoMergeBase) {
		t.Errorf("MergeBase of unrelated histories: err = %v, want ErrNoMergeBase", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := newRepo(t)
	notRepo := t.TempDir()
	_, err := Open(notRepo)
	if err == nil || !strings.Contains(err.Error(), "not a git repository") || !strings.Contains(err.Error(), notRepo) {
		t.Errorf("Open(not a repository): err = %v", err)
	}
	if _, err := StagedNames(notRepo); err == nil || !strings.HasPrefix(err.Error(), "git diff: not a git repository") {
		t.Errorf("StagedNames(not a repository): err = %v", err)
	}

	if _, err := Open(filepath.Join(dir, ".git")); !errors.Is(err, ErrNotWorkTree) {
		t.Errorf("Open(.git): err = %v, want ErrNotWorkTree", err)
	}

	t.Setenv("PATH", t.TempDir())
	if _, err := Open(dir); !errors.Is(err, ErrGitNotFound) || !strings.Contains(err.Error(), "git executable not found") {
		t.Errorf("Open without git on PATH: err = %v, want ErrGitNotFound", err)
	}
}

func TestRelative(t *testing.T) {
	in := []ChangedFile{
		{Path: "top.yaml", Status: Modified},
		{Path: "sub/a.yaml", Status: Added},
		{Path: "sub/x/b.yaml", OldPath: "sub/b.yaml", Status: Renamed},
		{Path: "sub/in.yaml", OldPath: "out.yaml", Status: Renamed},
		{Path: "out2.yaml", OldPath: "sub/left.yaml", Status: Renamed},
		{Path: "out3.yaml", OldPath: "sub/src.yaml", Status: Copied},
		{Path: "sub/copy.yaml", OldPath: "src.yaml", Status: Copied},
		{Path: "subway.yaml", Status: Deleted},
	}
	want := []ChangedFile{
		{Path: "a.yaml", Status: Added},
		{Path: "x/b.yaml", OldPath: "b.yaml", Status: Renamed},
		{Path: "in.yaml", Status: Added},
		{Path: "left.yaml", Status: Deleted},
		{Path: "copy.yaml", Status: Added},
	}
	if got := Relative(in, "sub/"); !reflect.DeepEqual(got, want) {
		t.Errorf("Relative =\n%v\nwant\n%v", got, want)
	}
	if got := Relative(in, ""); !reflect.DeepEqual(got, in) {
		t.Errorf("Relative with no prefix changed the list: %v", got)
	}
}

func TestParseNameStatus(t *testing.T) {
	got, err := parseNameStatus([]byte("M\x00a\x00R087\x00old\x00new\x00T\x00l\x00U\x00u\x00"))
	if err != nil {
		t.Fatal(err)
	}
	want := []ChangedFile{
		{Path: "a", Status: Modified},
		{Path: "new", OldPath: "old", Status: Renamed},
		{Path: "l", Status: TypeChanged},
		{Path: "u", Status: Modified},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseNameStatus = %v, want %v", got, want)
	}
	for _, bad := range []string{"R100\x00old\x00", "X\x00a\x00", "M\x00", "\x00\x00"} {
		if _, err := parseNameStatus([]byte(bad)); err == nil {
			t.Errorf("parseNameStatus(%q) succeeded", bad)
		}
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{Added: "added", Renamed: "renamed", TypeChanged: "type changed", 'Z': `status('Z')`} {
		if got := s.String(); got != want {
			t.Errorf("Status(%q).String() = %q, want %q", byte(s), got, want)
		}
	}
}

// TestHookEnvironment runs as a pre-commit hook would for a partial commit:
// GIT_INDEX_FILE names another index, relative to the top level, while
// ftgate looks at a subdirectory.
func TestHookEnvironment(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "sub/a.yaml", "a\n")
	commitAll(t, dir, "base")
	write(t, dir, "sub/in-main-index.yaml", "m\n")
	git(t, dir, "add", "sub/in-main-index.yaml")

	write(t, dir, "sub/in-alt-index.yaml", "x\n")
	cmd := exec.Command("git", "read-tree", "HEAD")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_INDEX_FILE=.git/alt-index")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("read-tree: %v\n%s", err, out)
	}
	cmd = exec.Command("git", "add", "sub/in-alt-index.yaml")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_INDEX_FILE=.git/alt-index")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}

	t.Chdir(dir)
	t.Setenv("GIT_INDEX_FILE", ".git/alt-index")
	sub := filepath.Join(dir, "sub")
	r := open(t, sub)
	if r.Dir() != sub {
		t.Errorf("Dir() = %q, want %q", r.Dir(), sub)
	}
	staged, err := r.Staged()
	if err != nil {
		t.Fatal(err)
	}
	if want := []ChangedFile{{Path: "in-alt-index.yaml", Status: Added}}; !reflect.DeepEqual(staged, want) {
		t.Errorf("Staged() = %v, want %v", staged, want)
	}
	names, err := StagedNames(sub)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"in-alt-index.yaml"}; !slices.Equal(names, want) {
		t.Errorf("StagedNames = %q, want %q", names, want)
	}
	fsys, err := r.IndexFS()
	if err != nil {
		t.Fatal(err)
	}
	if files, err := ListFiles(fsys); err != nil || !slices.Equal(files, []string{"a.yaml", "in-alt-index.yaml"}) {
		t.Errorf("IndexFS files = %q, %v", files, err)
	}
}

// TestPinRevisions: a pinned Repo answers a revision with the commit it
// first resolved to, even after the ref moves; an unpinned one follows it.
func TestPinRevisions(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a.txt", "a\n")
	commitAll(t, dir, "one")
	pinned, loose := open(t, dir), open(t, dir)
	pinned.PinRevisions()
	first, err := pinned.ResolveCommit("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "a.txt", "b\n")
	commitAll(t, dir, "two")
	if got, err := pinned.ResolveCommit("HEAD"); err != nil || got != first {
		t.Errorf("pinned HEAD = %s, %v; want %s", got, err, first)
	}
	if got, err := loose.ResolveCommit("HEAD"); err != nil || got == first {
		t.Errorf("unpinned HEAD = %s, %v; want the new commit", got, err)
	}
	if _, err := pinned.ResolveCommit("no-such-branch"); !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("pinned unknown revision: err = %v, want ErrUnknownRevision", err)
	}
}
