package evaluate

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"

	"github.com/ftgate/ftgate/internal/record"
)

// liftConditionalRules rewrites the repository rules of f written as
//
//	deny: ID: {if c {message: …}}
//
// into the equivalent
//
//	deny: {if c {ID: {message: …}}}
//
// so that a rule whose condition does not hold contributes nothing, as it
// does in the form `if c {deny: ID: {…}}` (SPEC §4). Left as written, the
// rule would exist with the schema's bare `message: string`, an incomplete
// value that stops every check. A rule that sets message unconditionally
// fires unconditionally and is left alone; fields beside the comprehensions
// (hint, severity, field) go into each lifted branch. Positions are those of
// the user's nodes, so errors still point into the user's file.
//
// The policy keeps the file as written for `policy show`; this runs on a
// second parse that is only compiled.
func liftConditionalRules(f *ast.File) {
	var visit func(decls []ast.Decl)
	visit = func(decls []ast.Decl) {
		for _, d := range decls {
			switch d := d.(type) {
			case *ast.Field:
				if name, _, err := ast.LabelName(d.Label); err == nil && name == "deny" {
					if s, ok := d.Value.(*ast.StructLit); ok {
						s.Elts = liftRules(s.Elts)
					}
				}
			case *ast.Comprehension:
				// if c {deny: …}: rules may sit under top-level conditions.
				if s, ok := d.Value.(*ast.StructLit); ok {
					visit(s.Elts)
				}
			case *ast.EmbedDecl:
				if c, ok := d.Expr.(*ast.Comprehension); ok {
					if s, ok := c.Value.(*ast.StructLit); ok {
						visit(s.Elts)
					}
				}
			}
		}
	}
	visit(f.Decls)
}

// liftRules lifts the conditional rules among the fields of a deny struct.
func liftRules(elts []ast.Decl) []ast.Decl {
	out := make([]ast.Decl, 0, len(elts))
	for _, d := range elts {
		rule, ok := d.(*ast.Field)
		if !ok {
			out = append(out, d)
			continue
		}
		body, ok := rule.Value.(*ast.StructLit)
		if !ok {
			out = append(out, d)
			continue
		}
		var branches []*ast.Comprehension
		var rest []ast.Decl
		unconditional := false
		for _, e := range body.Elts {
			c := comprehension(e)
			switch {
			case c != nil && c.Fallback == nil:
				if _, ok := c.Value.(*ast.StructLit); ok {
					branches = append(branches, c)
					continue
				}
				unconditional = true // not a struct body: leave the rule as written
			case c != nil:
				unconditional = true
			}
			if f, ok := e.(*ast.Field); ok {
				if name, _, err := ast.LabelName(f.Label); err == nil && name == "message" {
					unconditional = true
				}
			}
			rest = append(rest, e)
		}
		if unconditional || len(branches) == 0 {
			out = append(out, d)
			continue
		}
		for _, c := range branches {
			branch := c.Value.(*ast.StructLit)
			elts := append(append([]ast.Decl{}, rest...), branch.Elts...)
			out = append(out, &ast.Comprehension{
				Clauses: c.Clauses,
				Value: &ast.StructLit{Lbrace: branch.Lbrace, Rbrace: branch.Rbrace, Elts: []ast.Decl{
					&ast.Field{Label: rule.Label, Value: &ast.StructLit{Lbrace: body.Lbrace, Rbrace: body.Rbrace, Elts: elts}},
				}},
			})
		}
	}
	return out
}

func comprehension(d ast.Decl) *ast.Comprehension {
	switch d := d.(type) {
	case *ast.Comprehension:
		return d
	case *ast.EmbedDecl:
		c, _ := d.Expr.(*ast.Comprehension)
		return c
	}
	return nil
}

// VetRules evaluates the repository's rules as `check` would, on each of
// cases (a record judging a config it covers) and on an empty input: a
// config judged by a record with only the required fields and no evidence,
// where every figure is null. A rule that would not evaluate on one of them
// would stop a later check (exit 2); each is reported once, at its place in
// the user's file, naming the input it failed on. The evidence of cases is
// read from fsys. A nil error means every rule evaluated everywhere.
func (p *Policy) VetRules(l *record.Loader, fsys fs.FS, cases []record.Case, today time.Time) error {
	if len(p.repo) == 0 {
		return nil
	}
	var pe PolicyError
	seen := map[Problem]bool{}
	collect := func(err error, on string) error {
		var e *PolicyError
		if !errors.As(err, &e) {
			return err
		}
		for _, pr := range e.Problems {
			if seen[pr] {
				continue
			}
			seen[pr] = true
			pr.Message += " (on " + on + ")"
			pe.Problems = append(pe.Problems, pr)
		}
		return nil
	}
	empty := l.Parse("empty.yaml", []byte(emptyRecord))
	if !empty.Valid {
		return fmt.Errorf("vet: the empty record does not load: %v", empty.Problems)
	}
	_, err := p.Verdict(empty.Value, "", Input{
		Today:    today.Format(time.DateOnly),
		Config:   ConfigInput{Path: "config.yaml", Kind: "finetune", Framework: "custom"},
		Sections: Sections{PromptCeiling: "absent", Agreement: "absent", Coverage: "absent", Data: "absent"},
		Facts:    Facts{EvalPipeline: "absent", RegressionSuite: "absent", CodeOwners: CodeOwnersFact{Owners: []string{}}, Waivers: []WaiverFact{}},
	})
	if err := collect(err, "an empty input: a record with only the required fields and no evidence"); err != nil {
		return err
	}
	j := &Judge{Policy: p, FS: fsys, Today: today}
	for _, c := range cases {
		_, err := j.Case(c)
		if err := collect(err, c.Judge.Path+" judging "+c.Config.Path); err != nil {
			return err
		}
	}
	if len(pe.Problems) > 0 {
		return &pe
	}
	return nil
}

// emptyRecord has only the fields the schema requires.
const emptyRecord = `apiVersion: ftgate/v1
kind: FineTuneDecision
id: FTD-0000
title: empty
status: accepted
decided: 2026-01-01
review_by: 2026-06-30
covers: ["config.yaml"]
base_model: org/model
`

// ruleAt names the repository rule whose text holds at: the rule field
// under a deny field, or the deny field inside an `if` that holds it.
func ruleAt(files []*ast.File, at token.Pos) string {
	inside := func(n ast.Node) bool {
		return n.Pos().Filename() == at.Filename() && n.Pos().Offset() <= at.Offset() && at.Offset() <= n.End().Offset()
	}
	found := ""
	for _, f := range files {
		if f.Filename != at.Filename() {
			continue
		}
		ast.Walk(f, func(n ast.Node) bool {
			if found != "" || !inside(n) {
				return false
			}
			switch n := n.(type) {
			case *ast.Field:
				if name, _, _ := ast.LabelName(n.Label); name == "deny" {
					for id, body := range denyBodies(n.Value) {
						if inside(body) {
							found = id
						}
					}
					return false
				}
			case *ast.Comprehension:
				// if c {deny: ID: …}: the condition belongs to the rules
				// its body declares; name the first.
				if s, ok := n.Value.(*ast.StructLit); ok {
					for _, d := range s.Elts {
						if fd, ok := d.(*ast.Field); ok {
							if name, _, _ := ast.LabelName(fd.Label); name == "deny" {
								for id := range denyBodies(fd.Value) {
									if found == "" || id < found {
										found = id
									}
								}
							}
						}
					}
					if found != "" {
						return false
					}
				}
			}
			return true
		}, nil)
	}
	return found
}
