package cli

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/ftgate/ftgate"

// pipeline is the order data flows in: a stage may import only stages to its
// left, the leaf packages and the embedded policy.
var pipeline = []string{"changes", "detect", "record", "evidence", "stats", "evaluate", "register", "report"}

// leaves are the shared vocabulary and small parsers any stage may use; they
// import no stage.
var leaves = []string{"finding", "result", "rules", "pathglob", "codeowners", "baseline"}

// githubAPI is the GitHub client: besides the leaves it may import changes,
// whose PRFiles interface it implements, and no other stage; cli wires it.
const githubAPI = "githubapi"

// cueUsers are the only packages that may import CUE.
var cueUsers = []string{"record", "evaluate"}

// TestArchitecture fails when an import crosses the boundaries that keep the
// pipeline one-way (STYLE.md): changes → detect → record → evidence → stats →
// evaluate → report, with cli wiring them and main calling only cli.
func TestArchitecture(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "internal"))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		pkg, err := build.ImportDir(filepath.Join(root, "internal", name), 0)
		if err != nil {
			continue // a directory without Go files
		}
		seen++
		if name != "cli" && name != githubAPI && !slices.Contains(pipeline, name) && !slices.Contains(leaves, name) {
			t.Errorf("internal/%s is neither a pipeline stage nor a leaf: add it to the architecture", name)
		}
		for _, imp := range pkg.Imports {
			if why := forbidden(name, imp); why != "" {
				t.Errorf("internal/%s imports %s: %s", name, imp, why)
			}
		}
	}
	if seen < len(pipeline)+len(leaves) {
		t.Errorf("read %d packages, want at least %d", seen, len(pipeline)+len(leaves))
	}

	main, err := build.ImportDir(filepath.Join(root, "cmd", "ftgate"), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range main.Imports {
		if imp != "os" && imp != module+"/internal/cli" {
			t.Errorf("cmd/ftgate imports %s: main only calls cli.Main", imp)
		}
	}
	pol, err := build.ImportDir(filepath.Join(root, "policy"), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pol.Imports {
		if imp != "embed" {
			t.Errorf("policy imports %s: it only embeds the CUE files", imp)
		}
	}
}

// forbidden says why pkg may not import imp, or "".
func forbidden(pkg, imp string) string {
	if strings.HasPrefix(imp, "cuelang.org/") && !slices.Contains(cueUsers, pkg) {
		return "CUE belongs to the record and evaluate stages"
	}
	isStd := !strings.Contains(strings.Split(imp, "/")[0], ".")
	if slices.Contains(leaves, pkg) {
		if isStd {
			return ""
		}
		if dep, ok := strings.CutPrefix(imp, module+"/internal/"); ok && slices.Contains(leaves, dep) {
			return ""
		}
		return "leaf packages use only the standard library and other leaves"
	}
	if pkg == "stats" && slices.Contains([]string{"os", "io/fs", "net", "net/http", "os/exec"}, imp) {
		return "stats is pure computation: no I/O"
	}
	if imp == module+"/policy" {
		if pkg == "record" || pkg == "evaluate" {
			return ""
		}
		return "only record and evaluate read the embedded policy"
	}
	dep, ok := strings.CutPrefix(imp, module+"/internal/")
	if !ok || slices.Contains(leaves, dep) || pkg == "cli" {
		return ""
	}
	if pkg == githubAPI {
		if dep == "changes" {
			return ""
		}
		return "githubapi implements changes.PRFiles and imports no other stage"
	}
	if dep == githubAPI {
		return "only cli calls the GitHub API"
	}
	from, to := slices.Index(pipeline, pkg), slices.Index(pipeline, dep)
	if to < 0 {
		return "not a known stage"
	}
	if to >= from {
		return "data flows one way: a stage imports only stages to its left (" + strings.Join(pipeline, " → ") + ")"
	}
	return ""
}

// TestForbiddenCatches makes sure the rule above can fail.
func TestForbiddenCatches(t *testing.T) {
	for _, c := range [][2]string{
		{"detect", module + "/internal/record"},
		{"report", "cuelang.org/go/cue"},
		{"stats", "os"},
		{"finding", "github.com/spf13/cobra"},
		{"evidence", module + "/internal/stats"},
		{"changes", module + "/policy"},
		{"githubapi", module + "/internal/report"},
		{"changes", module + "/internal/githubapi"},
		{"report", module + "/internal/githubapi"},
	} {
		if forbidden(c[0], c[1]) == "" {
			t.Errorf("%s importing %s passed", c[0], c[1])
		}
	}
	if why := forbidden("evaluate", module+"/internal/stats"); why != "" {
		t.Errorf("evaluate importing stats refused: %s", why)
	}
	if why := forbidden("githubapi", module+"/internal/changes"); why != "" {
		t.Errorf("githubapi importing changes refused: %s", why)
	}
}
