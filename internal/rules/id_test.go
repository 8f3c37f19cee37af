package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

// TestIDsDeclareAll: every rule in All has an ID constant and every ID
// constant a rule in All, read from rules.go's source so that a constant
// without documentation fails here.
func TestIDsDeclareAll(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "rules.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				consts = append(consts, n.Name)
			}
		}
	}
	var ids []string
	for _, r := range All {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(consts, ids) {
		t.Errorf("ID constants %v, rules in All %v", consts, ids)
	}
	for _, id := range []ID{FT001, FT105, FT203} {
		if id.Doc().ID != string(id) || id.RuleID() != string(id) {
			t.Errorf("%s: Doc %q, RuleID %q", id, id.Doc().ID, id.RuleID())
		}
	}
}
