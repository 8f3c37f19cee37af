package codeowners

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ftgate/ftgate/internal/finding"
)

// githubExample is the example file from GitHub's documentation, "About code
// owners" (docs.github.com, repositories/…/customizing-your-repository/
// about-code-owners), copied with its comments.
const githubExample = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence. When someone opens a pull request that only
# modifies JS files, only @js-owner and not the global
# owner(s) will be requested for a review.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer. They'll be
# used to look up users just like we do for commit author
# emails.
*.go docs@example.com

# Teams can be specified as code owners as well. Teams should
# be identified in the format @org/team-name. Teams must have
# explicit write access to the repository. In this example,
# the octocats team in the octo-org organization owns all .txt files.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs
# directory at the root of the repository and any of its
# subdirectories.
/build/logs/ @doctocat

# The ` + "`docs/*`" + ` pattern will match files like
# ` + "`docs/getting-started.md`" + ` but not further nested files like
# ` + "`docs/build-app/troubleshooting.md`" + `.
docs/*  docs@example.com

# In this example, @octocat owns any file in an apps directory
# anywhere in your repository.
apps/ @octocat

# In this example, @doctocat owns any file in the ` + "`/docs`" + `
# directory in the root of your repository and any of its
# subdirectories.
/docs/ @doctocat

# In this example, any change inside the ` + "`/scripts`" + ` directory
# will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# In this example, @octocat owns any file in a ` + "`/logs`" + ` directory such as
# ` + "`/build/logs`, `/scripts/logs`, and `/deeply/nested/logs`" + `. Any changes
# in a ` + "`/logs`" + ` directory will require approval from @octocat.
**/logs @octocat

# In this example, @octocat owns any file in the ` + "`/apps`" + `
# directory in the root of your repository except for the ` + "`/apps/github`" + `
# subdirectory, as its owners are left empty.
/apps/ @octocat
/apps/github

# In this example, @octocat owns any file in the ` + "`/apps`" + `
# directory in the root of your repository except for the ` + "`/apps/github`" + `
# subdirectory, as this subdirectory has its own owner @doctocat
/apps/ @octocat
/apps/github @doctocat
`

// lineOf returns the 1-based line of the first line equal to text.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	for i, l := range strings.Split(file, "\n") {
		if l == text {
			return i + 1
		}
	}
	t.Fatalf("no line %q", text)
	return 0
}

// TestGitHubExample asks the whole example file, where the last matching line
// decides ("Order is important; the last matching pattern takes the most
// precedence").
func TestGitHubExample(t *testing.T) {
	f, err := Parse("CODEOWNERS", []byte(githubExample))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path   string
		owners []string
		rule   string // the deciding line
	}{
		{"README.md", []string{"@global-owner1", "@global-owner2"}, "*       @global-owner1 @global-owner2"},
		{"src/deep/app.js", []string{"@js-owner"}, "*.js    @js-owner #This is an inline comment."},
		{"main.go", []string{"docs@example.com"}, "*.go docs@example.com"},
		{"cmd/x/main.go", []string{"docs@example.com"}, "*.go docs@example.com"},
		{"notes/todo.txt", []string{"@octo-org/octocats"}, "*.txt @octo-org/octocats"},
		// /build/logs/ is overridden by the later **/logs.
		{"build/logs/today.log", []string{"@octocat"}, "**/logs @octocat"},
		// docs/* is overridden by the later /docs/.
		{"docs/getting-started.md", []string{"@doctocat"}, "/docs/ @doctocat"},
		{"docs/build-app/troubleshooting.md", []string{"@doctocat"}, "/docs/ @doctocat"},
		{"lib/apps/x.py", []string{"@octocat"}, "apps/ @octocat"},
		{"scripts/run.sh", []string{"@doctocat", "@octocat"}, "/scripts/ @doctocat @octocat"},
		{"deeply/nested/logs/a", []string{"@octocat"}, "**/logs @octocat"},
		{"apps/web/index.html", []string{"@octocat"}, "/apps/ @octocat"},
		{"apps/github/ci.yaml", []string{"@doctocat"}, "/apps/github @doctocat"},
		// Paths are case-sensitive: this is not a .js file.
		{"src/APP.JS", []string{"@global-owner1", "@global-owner2"}, "*       @global-owner1 @global-owner2"},
	}
	lastLine := func(text string) int {
		lines := strings.Split(githubExample, "\n")
		for i := len(lines) - 1; i >= 0; i-- {
			if lines[i] == text {
				return i + 1
			}
		}
		t.Fatalf("no line %q", text)
		return 0
	}
	for _, tc := range tests {
		owners, line, ok := f.Owners(tc.path)
		if want := lastLine(tc.rule); !ok || line != want || !slices.Equal(owners, tc.owners) {
			t.Errorf("Owners(%q) = %q, line %d, %v; want %q from line %d (%s)", tc.path, owners, line, ok, tc.owners, want, tc.rule)
		}
	}
}

// TestDocumentedMeanings checks each example line on its own against the
// sentence GitHub's example file writes above it.
func TestDocumentedMeanings(t *testing.T) {
	tests := []struct {
		file  string
		owner string          // the owner the rule gives
		paths map[string]bool // path → does the rule own it
	}{
		// "@doctocat owns any files in the build/logs directory at the root
		// of the repository and any of its subdirectories."
		{"/build/logs/ @doctocat", "@doctocat", map[string]bool{
			"build/logs/a.log": true, "build/logs/2026/01/a.log": true,
			"x/build/logs/a.log": false, "build/logs": false, "build/logsx/a": false,
		}},
		// "The docs/* pattern will match files like docs/getting-started.md
		// but not further nested files like docs/build-app/troubleshooting.md."
		{"docs/*  docs@example.com", "docs@example.com", map[string]bool{
			"docs/getting-started.md": true, "docs/build-app/troubleshooting.md": false,
			"x/docs/getting-started.md": false, "docs": false,
		}},
		// "@octocat owns any file in an apps directory anywhere in your repository."
		{"apps/ @octocat", "@octocat", map[string]bool{
			"apps/a.go": true, "apps/x/y/z": true, "src/apps/a.go": true, "a/b/apps/c/d": true,
			"apps": false, "src/apps": false, "myapps/a.go": false,
		}},
		// "@doctocat owns any file in the /docs directory in the root of your
		// repository and any of its subdirectories."
		{"/docs/ @doctocat", "@doctocat", map[string]bool{
			"docs/a.md": true, "docs/build-app/troubleshooting.md": true, "src/docs/a.md": false,
		}},
		// "@octocat owns any file in a /logs directory such as /build/logs,
		// /scripts/logs, and /deeply/nested/logs."
		{"**/logs @octocat", "@octocat", map[string]bool{
			"build/logs/a": true, "scripts/logs/a": true, "deeply/nested/logs/a": true, "logs/a": true,
			"catalogs/a": false, "logsx/a": false,
		}},
		// "When someone opens a pull request that only modifies JS files,
		// only @js-owner ... will be requested" — at any depth.
		{"*.js    @js-owner #This is an inline comment.", "@js-owner", map[string]bool{
			"a.js": true, "src/a/b.js": true, "a.jsx": false, "a.js.map": false,
		}},
	}
	for _, tc := range tests {
		f, err := Parse("CODEOWNERS", []byte(tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		for path, want := range tc.paths {
			owners, line, ok := f.Owners(path)
			got := ok && line == 1 && slices.Equal(owners, []string{tc.owner})
			if got != want || (!want && ok) {
				t.Errorf("%q: Owners(%q) = %q, %d, %v; want owned: %v", tc.file, path, owners, line, ok, want)
			}
		}
	}
}

// TestNoOwners: "@octocat owns any file in the /apps directory ... except for
// the /apps/github subdirectory, as its owners are left empty."
func TestNoOwners(t *testing.T) {
	const file = "/apps/ @octocat\n/apps/github\n"
	f, err := Parse("CODEOWNERS", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if owners, line, ok := f.Owners("apps/github/x.go"); !ok || line != 2 || len(owners) != 0 {
		t.Errorf("Owners(apps/github/x.go) = %q, %d, %v; want no owners, decided by line 2", owners, line, ok)
	}
	if owners, line, ok := f.Owners("apps/web/x.go"); !ok || line != 1 || !slices.Equal(owners, []string{"@octocat"}) {
		t.Errorf("Owners(apps/web/x.go) = %q, %d, %v", owners, line, ok)
	}
	if owners, line, ok := f.Owners("lib/x.go"); ok || line != 0 || owners != nil {
		t.Errorf("Owners(lib/x.go) = %q, %d, %v; want no rule", owners, line, ok)
	}
}

// TestPatterns covers gitignore details the example does not show. Cases
// marked hmarr come from the pattern table of github.com/hmarr/codeowners
// (testdata/patterns.json), whose author checked them against GitHub.
func TestPatterns(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		nomatch []string
	}{
		{"foo", []string{"foo", "foo/bar", "bar/foo", "bar/foo/baz"}, []string{"foo.txt", "bar/foo.txt", "bar/baz"}},           // hmarr
		{"/foo", []string{"foo", "foo/bar", "foo/bar/baz"}, []string{"fool.txt", "bar/foo", "bar/foo/baz"}},                    // hmarr
		{"foo/", []string{"foo/bar", "foo/bar/baz", "bar/foo/baz", "bar/foo/baz/qux"}, []string{"foo", "bar/foo", "bar/baz"}},  // hmarr
		{"/foo/", []string{"foo/bar", "foo/bar/baz"}, []string{"foo", "bar/foo/baz"}},                                          // hmarr
		{"foo/bar", []string{"foo/bar", "foo/bar/baz"}, []string{"foo/bart", "baz/foo/bar", "baz/foo/bar/qux"}},                // hmarr
		{"foo/bar/", []string{"foo/bar/baz"}, []string{"foo/bar", "baz/foo/bar/qux"}},                                          // hmarr
		{"*", []string{"foo", "foo/bar", "bar/foo/baz", "xfoo"}, nil},                                                          // hmarr
		{"f*", []string{"foo", "foo/bar", "bar/foo", "bar/foo/baz"}, []string{"bar/baz", "xfoo"}},                              // hmarr
		{"/*", []string{"foo", "bar"}, []string{"foo/bar", "foo/bar/baz"}},                                                     // hmarr
		{"/f*", []string{"foo", "foo/bar", "foo/bar/baz"}, []string{"bar/foo", "xfoo"}},                                        // hmarr
		{"f*/", []string{"foo/bar", "bar/foo/baz"}, []string{"foo", "bar/foo", "xfoo"}},                                        // hmarr
		{"/*/", []string{"foo/bar", "bar/foo/baz"}, []string{"foo"}},                                                           // hmarr
		{`f\*o`, []string{"f*o"}, []string{"foo"}},                                                                             // hmarr
		{"foo/*.txt", []string{"foo/bar.txt"}, []string{"foo", "foo/bar/baz.txt", "qux/foo/bar.txt"}},                          // hmarr
		{"foo/*/baz", []string{"foo/bar/baz", "foo/bar/baz/qux"}, []string{"foo", "foo/bar", "foo/baz"}},                       // hmarr
		{"f?o", []string{"foo", "fäo"}, []string{"fo", "fooo", "f/o"}},                                                         // hmarr, plus a multi-byte character
		{`f\?o`, []string{"f?o"}, []string{"foo"}},                                                                             // hmarr
		{"**/foo/bar", []string{"foo/bar", "qux/foo/bar", "qux/foo/bar/baz"}, []string{"foo/baz/bar", "qux/foo/baz/bar"}},      // hmarr
		{"**/*bar*", []string{"bar", "foo/bar", "foo/rebar", "foo/barrio", "foo/qux/bar"}, nil},                                // hmarr
		{"foo/bar/**", []string{"foo/bar/baz", "foo/bar/baz/qux"}, []string{"foo/bar", "qux/foo/bar", "qux/foo/bar/baz"}},      // hmarr
		{"foo/**/bar", []string{"foo/bar", "foo/bar/baz", "foo/qux/bar/baz", "foo/qux/quux/bar/baz"}, []string{"qux/foo/bar"}}, // hmarr
		{"foo/**/", []string{"foo/bar", "foo/bar/baz"}, []string{"foo"}},                                                       // hmarr
		{"foo/**/bar/b*", []string{"foo/bar/baz", "foo/qux/bar/baz"}, []string{"foo/bar", "foo/bar/qux", "foo/qux/bar"}},       // hmarr
		{"**", []string{"a", "a/b/c"}, nil},
		{"/**", []string{"a", "a/b/c"}, nil},
		{"**/**/x", []string{"x", "a/x", "a/b/x/c"}, []string{"xa"}},
		{"a//b", []string{"a/b", "a/b/c"}, []string{"x/a/b"}},
		{`with\ space.txt`, []string{"with space.txt", "d/with space.txt"}, []string{"with"}},
		{`\#notes.md`, []string{"#notes.md", "d/#notes.md"}, []string{"notes.md"}},
		{`\!important`, []string{"!important"}, []string{"important"}},
		{"a**b", []string{"ab", "axxb", "d/ab"}, []string{"a/b"}},
		{"*.yaml", []string{"a:b,c\nd.yaml", "ü/é.yaml"}, []string{"a.yml"}},
	}
	for _, tc := range tests {
		f, err := Parse("CODEOWNERS", []byte(tc.pattern+" @o"))
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.pattern, err)
			continue
		}
		if len(f.Rules) != 1 {
			t.Errorf("Parse(%q): %d rules", tc.pattern, len(f.Rules))
			continue
		}
		for _, p := range tc.match {
			if !f.Rules[0].Match(p) {
				t.Errorf("%q does not match %q, want a match", tc.pattern, p)
			}
		}
		for _, p := range tc.nomatch {
			if f.Rules[0].Match(p) {
				t.Errorf("%q matches %q, want none", tc.pattern, p)
			}
		}
	}
}

// TestInvalidLines: GitHub skips a line with invalid syntax, so an invalid
// line never overrides an earlier valid one.
func TestInvalidLines(t *testing.T) {
	const file = "* @default\n" +
		"!secret.yaml @nobody\n" +
		"  *.[ch]   @c-team\n" +
		"train.yaml @ml notanowner\n" +
		"/ @root\n" +
		"ends-in-escape\\\n" +
		"a***b @x\n" +
		"é/[x] @y\n" +
		"valid.yaml @ml @Ops/Team ops@example.com # trailing comment\n"
	f, err := Parse(".github/CODEOWNERS", []byte(file))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Parse: err = %v, want an ErrorList", err)
	}
	want := []struct {
		line, col int
		msg       string
	}{
		{2, 1, "negated patterns (!) do not work in CODEOWNERS"},
		{3, 5, "character ranges ([ ]) do not work in CODEOWNERS"},
		{4, 16, `invalid owner "notanowner": want @user, @org/team or an e-mail address`},
		{5, 1, `pattern "/" never matches anything; use "*" for every file`},
		{6, 15, `pattern ends in an unfinished escape (\)`},
		{7, 2, "three consecutive asterisks (***) are not a valid pattern"},
		{8, 3, "character ranges ([ ]) do not work in CODEOWNERS"},
	}
	if len(list) != len(want) {
		t.Fatalf("errors = %v, want %d", list, len(want))
	}
	for i, w := range want {
		e := list[i]
		if wantPos := (finding.Position{File: ".github/CODEOWNERS", Line: w.line, Col: w.col}); e.Pos != wantPos || e.Msg != w.msg {
			t.Errorf("error %d = %v; want %v: %s", i, e, wantPos, w.msg)
		}
	}
	if got, want := err.Error(), ".github/CODEOWNERS:2:1: negated patterns (!) do not work in CODEOWNERS (and 6 more errors)"; got != want {
		t.Errorf("err.Error() = %q, want %q", got, want)
	}

	if len(f.Rules) != 2 {
		t.Fatalf("rules = %+v, want the two valid lines", f.Rules)
	}
	for _, path := range []string{"secret.yaml", "x.c", "train.yaml", "ends-in-escape"} {
		if owners, line, ok := f.Owners(path); !ok || line != 1 || !slices.Equal(owners, []string{"@default"}) {
			t.Errorf("Owners(%q) = %q, %d, %v; want @default from line 1", path, owners, line, ok)
		}
	}
	owners, line, ok := f.Owners("valid.yaml")
	if !ok || line != 9 || !slices.Equal(owners, []string{"@ml", "@Ops/Team", "ops@example.com"}) {
		t.Errorf("Owners(valid.yaml) = %q, %d, %v", owners, line, ok)
	}
}

func TestParseDetails(t *testing.T) {
	// A byte-order mark, CRLF line ends, tabs and indentation.
	f, err := Parse("CODEOWNERS", []byte("\uFEFF# comment\r\n\t *.yaml\t@a\r\n\r\n   # indented comment\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) != 1 || f.Rules[0].Line != 2 || f.Rules[0].Pattern != "*.yaml" || !slices.Equal(f.Rules[0].Owners, []string{"@a"}) {
		t.Errorf("rules = %+v", f.Rules)
	}

	// A comment right after the pattern, and owners that are comments.
	f, err = Parse("CODEOWNERS", []byte("a.yaml#@b\nb.yaml @c#d\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) != 2 || len(f.Rules[0].Owners) != 0 || !slices.Equal(f.Rules[1].Owners, []string{"@c"}) {
		t.Errorf("rules = %+v", f.Rules)
	}

	for _, empty := range []string{"", "\n\n", "# only comments\n"} {
		f, err := Parse("CODEOWNERS", []byte(empty))
		if err != nil || f == nil || len(f.Rules) != 0 {
			t.Errorf("Parse(%q) = %+v, %v", empty, f, err)
		}
	}

	// GitHub does not load a file of 3 MB or more: no rule applies.
	big := []byte(strings.Repeat("* @a\n", MaxSize/5+1))
	f, err = Parse("CODEOWNERS", big)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos.Line != 0 || !strings.Contains(err.Error(), "3 MB") {
		t.Errorf("Parse(%d bytes): err = %v", len(big), err)
	}
	if f == nil || len(f.Rules) != 0 {
		t.Errorf("Parse(%d bytes) kept rules", len(big))
	}
}

func TestOwnersPathForms(t *testing.T) {
	f, err := Parse("CODEOWNERS", []byte("/training/ @ml\n"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"training/a.yaml": true, "/training/a.yaml": true, "": false, "/": false} {
		if _, _, ok := f.Owners(path); ok != want {
			t.Errorf("Owners(%q) ok = %v, want %v", path, ok, want)
		}
	}
}

func TestHasOwner(t *testing.T) {
	owners := []string{"@Acme/ML-Platform", "@dana", "Ops@Example.com"}
	for who, want := range map[string]bool{
		"@acme/ml-platform": true,
		" @DANA ":           true,
		"ops@example.com":   true,
		"dana":              false,
		"@acme":             false,
		"":                  false,
	} {
		if got := HasOwner(owners, who); got != want {
			t.Errorf("HasOwner(%q) = %v, want %v", who, got, want)
		}
	}
	if HasOwner(nil, "@dana") {
		t.Error("HasOwner(nil) = true")
	}
}

func TestFind(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name     string
		fsys     fstest.MapFS
		wantName string
		wantData string
	}{
		{"none", fstest.MapFS{"README.md": file("x")}, "", ""},
		{"github first", fstest.MapFS{
			".github/CODEOWNERS": file("gh"), "CODEOWNERS": file("root"), "docs/CODEOWNERS": file("docs"),
		}, ".github/CODEOWNERS", "gh"},
		{"root before docs", fstest.MapFS{"CODEOWNERS": file("root"), "docs/CODEOWNERS": file("docs")}, "CODEOWNERS", "root"},
		{"docs last", fstest.MapFS{"docs/CODEOWNERS": file("docs")}, "docs/CODEOWNERS", "docs"},
		{"empty file still wins", fstest.MapFS{".github/CODEOWNERS": file(""), "CODEOWNERS": file("root")}, ".github/CODEOWNERS", ""},
		{"directory passed over", fstest.MapFS{
			".github/CODEOWNERS/x": file("x"), "CODEOWNERS": file("root"),
		}, "CODEOWNERS", "root"},
		{"link passed over", fstest.MapFS{
			".github/CODEOWNERS": &fstest.MapFile{Mode: 0o777 | os.ModeSymlink, Data: []byte("../evil")},
			"docs/CODEOWNERS":    file("docs"),
		}, "docs/CODEOWNERS", "docs"},
	}
	for _, tc := range tests {
		name, data, err := Find(tc.fsys)
		if err != nil || name != tc.wantName || string(data) != tc.wantData {
			t.Errorf("%s: Find = %q, %q, %v; want %q, %q", tc.name, name, data, err, tc.wantName, tc.wantData)
		}
	}
}

// TestFindOnDisk checks the errors a real file system gives: a file named
// .github makes .github/CODEOWNERS "not a directory", which is not an error.
func TestFindOnDisk(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".github"), []byte("not a dir"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docs", "CODEOWNERS"), []byte("* @a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name, data, err := Find(os.DirFS(dir))
	if err != nil || name != "docs/CODEOWNERS" || string(data) != "* @a\n" {
		t.Errorf("Find = %q, %q, %v", name, data, err)
	}
}
