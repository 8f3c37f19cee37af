package cli

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
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

// engine is the package that runs the stages in order (internal/gate): it
// may import every stage but report, and neither the GitHub client nor the
// command-line library; no stage imports it, only cli.
const engine = "gate"

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
		if name != "cli" && name != githubAPI && name != engine && !slices.Contains(pipeline, name) && !slices.Contains(leaves, name) {
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
	if pkg == engine {
		switch {
		case imp == module+"/internal/report":
			return "the engine returns a result; cli renders it"
		case imp == module+"/internal/githubapi":
			return "the engine reads the trees it is given; cli talks to GitHub"
		case strings.HasPrefix(imp, "github.com/spf13/cobra"):
			return "the engine is a library: flags belong to cli"
		case strings.HasPrefix(imp, module+"/internal/cli"):
			return "the engine does not call its command line"
		}
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
	if dep == engine {
		if pkg == "cli" {
			return ""
		}
		return "only cli calls the engine"
	}
	if pkg == engine {
		if slices.Contains(pipeline, dep) {
			return ""
		}
		return "not a known stage"
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
		{"gate", module + "/internal/report"},
		{"gate", module + "/internal/githubapi"},
		{"gate", "github.com/spf13/cobra"},
		{"evaluate", module + "/internal/gate"},
		{"report", module + "/internal/gate"},
	} {
		if forbidden(c[0], c[1]) == "" {
			t.Errorf("%s importing %s passed", c[0], c[1])
		}
	}
	if why := forbidden("evaluate", module+"/internal/stats"); why != "" {
		t.Errorf("evaluate importing stats refused: %s", why)
	}
	for _, dep := range []string{"changes", "detect", "record", "evidence", "evaluate", "codeowners"} {
		if why := forbidden("gate", module+"/internal/"+dep); why != "" {
			t.Errorf("gate importing %s refused: %s", dep, why)
		}
	}
	if why := forbidden("cli", module+"/internal/gate"); why != "" {
		t.Errorf("cli importing gate refused: %s", why)
	}
	if why := forbidden("githubapi", module+"/internal/changes"); why != "" {
		t.Errorf("githubapi importing changes refused: %s", why)
	}
}

// judging are the calls that decide a verdict; the engine makes them and
// cli, which holds no domain logic, must not.
var judging = map[string][]string{
	"record":     {"Trial", "Triggered", "Candidates"},
	"evaluate":   {"Judge"},
	"codeowners": {"Find", "Parse"},
	"detect":     {"Detect"},
}

// TestCLIHoldsNoJudging fails when a non-test file of cli calls a stage's
// judging function instead of the engine (detect's listing command is the
// one use of detection cli keeps).
func TestCLIHoldsNoJudging(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, bad := range judgingCalls(f) {
			if name == "detect.go" && bad.name == "detect.Detect" {
				continue
			}
			t.Errorf("%s: cli calls %s: judging belongs to internal/gate", fset.Position(bad.pos), bad.name)
		}
	}
	if checked == 0 {
		t.Fatal("read no cli files")
	}
}

type judgingUse struct {
	name string
	pos  token.Pos
}

// judgingCalls lists the uses of the judging functions in f.
func judgingCalls(f *ast.File) []judgingUse {
	var out []judgingUse
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if ok && slices.Contains(judging[pkg.Name], sel.Sel.Name) {
			out = append(out, judgingUse{pkg.Name + "." + sel.Sel.Name, sel.Pos()})
		}
		return true
	})
	return out
}

// TestJudgingCallsCatches makes sure the check above can fail.
func TestJudgingCallsCatches(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package cli\nfunc f() { _ = record.Trial; j := &evaluate.Judge{}; _ = j }\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := judgingCalls(f); len(got) != 2 {
		t.Errorf("found %v, want record.Trial and evaluate.Judge", got)
	}
}

// TestFindingsFromRuleIDs fails when code makes a finding with its rule
// written as a string literal: built-in rules are typed values
// (rules.FT001), so that a misspelt ID does not compile.
func TestFindingsFromRuleIDs(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(filepath.Join(root, "internal"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		checked++
		for _, pos := range literalRules(f) {
			t.Errorf("%s: a finding's rule is a string literal; use a rules ID", fset.Position(pos))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("read %d files", checked)
	}
}

// literalRules lists the finding literals in f whose Rule is a string
// literal.
func literalRules(f *ast.File) []token.Pos {
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if at, ok := lit.Type.(*ast.ArrayType); ok && isFindingType(at.Elt, f.Name.Name) {
			// []finding.Finding{{Rule: ...}}: the elements' type is elided.
			for _, e := range lit.Elts {
				if inner, ok := e.(*ast.CompositeLit); ok && inner.Type == nil {
					out = append(out, ruleLiterals(inner)...)
				}
			}
			return true
		}
		if isFindingType(lit.Type, f.Name.Name) {
			out = append(out, ruleLiterals(lit)...)
		}
		return true
	})
	return out
}

// ruleLiterals lists the string literals lit gives as its Rule.
func ruleLiterals(lit *ast.CompositeLit) []token.Pos {
	var out []token.Pos
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Rule" {
			if v, ok := kv.Value.(*ast.BasicLit); ok && v.Kind == token.STRING {
				out = append(out, v.Pos())
			}
		}
	}
	return out
}

func isFindingType(e ast.Expr, pkg string) bool {
	switch t := e.(type) {
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		return ok && x.Name == "finding" && t.Sel.Name == "Finding"
	case *ast.Ident:
		return pkg == "finding" && t.Name == "Finding"
	}
	return false
}

// TestLiteralRulesCatches makes sure the check above can fail.
func TestLiteralRulesCatches(t *testing.T) {
	src := "package x\nvar a = finding.Finding{Rule: \"FT0O1\"}\nvar b = []finding.Finding{{Rule: rules.FT001.RuleID()}, {Rule: \"FT001\"}}\n"
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := literalRules(f); len(got) != 2 {
		t.Errorf("found %d literal rules, want 2", len(got))
	}
}
