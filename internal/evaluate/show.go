package evaluate

import (
	"slices"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/ftgate/ftgate/internal/finding"
)

// BaselineOrigin is the origin of a value no repository file sets.
const BaselineOrigin = "baseline"

// Setting is one value of the effective policy, with where it came from.
type Setting struct {
	// Path is the dotted policy path, e.g. "thresholds.agreement.min" or
	// "tasks.contract-risk.thresholds.agreement.min".
	Path string `json:"path"`
	// Value is the value in force, decoded to JSON types.
	Value any `json:"value"`
	// Floor is the baseline bound a repository may not go past, and Tighter
	// the direction it may move in ("larger", "smaller", "superset"); both
	// absent for settings without a floor.
	Floor   any    `json:"floor,omitempty"`
	Tighter string `json:"tighter,omitempty"`
	// Origin is BaselineOrigin, or the repository file and position that
	// set the value.
	Origin string `json:"origin"`
	// Covers are the globs of the task a task threshold belongs to, when
	// the task is bound to paths: the value also judges the configs they
	// match (the tightest value applies).
	Covers []string `json:"covers,omitempty"`
}

// Show lists the effective policy: every global threshold, every threshold a
// task sets, and the other settings, each with its origin. Task thresholds a
// task does not set take the global value and are not repeated.
func (p *Policy) Show() []Setting {
	floors := p.root.LookupPath(cue.ParsePath("#floors"))
	var out []Setting
	thresholds := func(prefix cue.Path, th cue.Value, onlySet bool, covers []string) {
		groups, _ := floors.Fields()
		for groups != nil && groups.Next() {
			leaves, _ := groups.Value().Fields()
			for leaves.Next() {
				rel := cue.MakePath(groups.Selector(), leaves.Selector())
				full := cue.MakePath(append(prefix.Selectors(), rel.Selectors()...)...)
				origin := p.origin(full)
				if onlySet && origin == BaselineOrigin {
					continue
				}
				out = append(out, Setting{
					Path:    full.String(),
					Value:   decode(th.LookupPath(rel)),
					Floor:   decode(leaves.Value().LookupPath(cue.ParsePath("floor"))),
					Tighter: decodeString(leaves.Value().LookupPath(cue.ParsePath("tighter"))),
					Origin:  origin,
					Covers:  covers,
				})
			}
		}
	}
	thresholds(cue.ParsePath("thresholds"), p.root.LookupPath(cue.ParsePath("thresholds")), false, nil)
	tasks, _ := p.root.LookupPath(cue.ParsePath("tasks")).Fields()
	for tasks != nil && tasks.Next() {
		prefix := cue.MakePath(cue.Str("tasks"), tasks.Selector(), cue.Str("thresholds"))
		var covers []string
		for _, b := range p.bound {
			if b.task == tasks.Selector().Unquoted() {
				for _, g := range b.covers {
					covers = append(covers, g.String())
				}
			}
		}
		thresholds(prefix, tasks.Value().LookupPath(cue.ParsePath("thresholds")), true, covers)
	}
	for _, field := range []string{"records.dir", "detect.include", "detect.exclude", "detect.pretrain", "evidence.max_bytes"} {
		path := cue.ParsePath(field)
		out = append(out, Setting{Path: field, Value: decode(p.root.LookupPath(path)), Origin: p.origin(path)})
	}
	return out
}

// origin names the first repository file that sets path, at the position
// it does so. It reads the files' syntax: a file on its own may not build
// (its rules refer to the baseline's input).
func (p *Policy) origin(path cue.Path) string {
	var labels []string
	for _, sel := range path.Selectors() {
		labels = append(labels, sel.Unquoted())
	}
	for _, f := range p.repo {
		if pos, ok := lookupSyntax(f.Decls, labels); ok {
			return cuePos(pos).String()
		}
	}
	return BaselineOrigin
}

// lookupSyntax finds the value a field path is set to among decls, through
// nested and compact (a: b: c) struct literals.
func lookupSyntax(decls []ast.Decl, labels []string) (token.Pos, bool) {
	for _, d := range decls {
		var f *ast.Field
		switch d := d.(type) {
		case *ast.Field:
			f = d
		case *ast.EmbedDecl:
			if s, ok := d.Expr.(*ast.StructLit); ok {
				if pos, ok := lookupSyntax(s.Elts, labels); ok {
					return pos, true
				}
			}
			continue
		default:
			continue
		}
		if name, _, err := ast.LabelName(f.Label); err != nil || name != labels[0] {
			continue
		}
		if len(labels) == 1 {
			return f.Value.Pos(), true
		}
		if s, ok := f.Value.(*ast.StructLit); ok {
			if pos, ok := lookupSyntax(s.Elts, labels[1:]); ok {
				return pos, true
			}
		}
	}
	return token.NoPos, false
}

func decode(v cue.Value) any {
	var x any
	if err := v.Decode(&x); err != nil {
		return nil
	}
	// Lists decode to []any; keep an empty list a list, not null.
	if x == nil && v.Kind() == cue.ListKind {
		return []any{}
	}
	return x
}

func decodeString(v cue.Value) string {
	s, _ := v.String()
	return s
}

// Deny is a repository rule of the policy, as written.
type Deny struct {
	ID string
	// Message, Hint and Severity are the rule's texts as written in CUE:
	// string literals unquoted, anything else (an interpolation) as source.
	Message, Hint, Severity string
	// Condition is the source of the `if` clauses guarding the rule, if any.
	Condition string
	Pos       finding.Position
}

// Denies lists the repository rules (deny.<ID>) in ID order. A rule usually
// sits under an `if` over input, which cannot be evaluated without a config,
// so its texts are read from the files that declare it.
func (p *Policy) Denies() []Deny {
	byID := map[string]*Deny{}
	var ids []string
	for _, f := range p.repo {
		ast.Walk(f, func(n ast.Node) bool {
			field, ok := n.(*ast.Field)
			if !ok {
				return true
			}
			if name, _, _ := ast.LabelName(field.Label); name != "deny" {
				return true
			}
			for id, body := range denyBodies(field.Value) {
				d, ok := byID[id]
				if !ok {
					d = &Deny{ID: id, Pos: cuePos(body.Pos())}
					byID[id] = d
					ids = append(ids, id)
				}
				d.fill(body)
			}
			return false
		}, nil)
	}
	slices.Sort(ids)
	out := make([]Deny, 0, len(ids))
	for _, id := range ids {
		d := byID[id]
		if d.Severity == "" {
			d.Severity = "error"
		}
		out = append(out, *d)
	}
	return out
}

// denyBodies maps each rule ID declared in the value of a deny field to its
// body.
func denyBodies(v ast.Expr) map[string]ast.Node {
	out := map[string]ast.Node{}
	s, ok := v.(*ast.StructLit)
	if !ok {
		return out
	}
	for _, d := range s.Elts {
		if f, ok := d.(*ast.Field); ok {
			if id, _, err := ast.LabelName(f.Label); err == nil {
				out[id] = f
			}
		}
	}
	return out
}

// fill takes the rule's message, hint and severity from its body, through
// any `if` comprehensions, which it records as the condition.
func (d *Deny) fill(body ast.Node) {
	var conds []string
	ast.Walk(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfClause:
			conds = append(conds, source(n.Condition))
		case *ast.Field:
			name, _, _ := ast.LabelName(n.Label)
			switch name {
			case "message":
				d.Message = text(n.Value)
			case "hint":
				d.Hint = text(n.Value)
			case "severity":
				d.Severity = text(n.Value)
			}
		}
		return true
	}, nil)
	if len(conds) > 0 {
		d.Condition = strings.Join(conds, " && ")
	}
}

// text is a string literal's value, or the expression's source.
func text(e ast.Expr) string {
	if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		if s, err := literal.Unquote(lit.Value); err == nil {
			return s
		}
	}
	// A default (*"" | string) reads as its default.
	if u, ok := e.(*ast.BinaryExpr); ok && u.Op == token.OR {
		if star, ok := u.X.(*ast.UnaryExpr); ok && star.Op == token.MUL {
			return text(star.X)
		}
	}
	return source(e)
}

func source(n ast.Node) string {
	b, err := format.Node(n, format.Simplify())
	if err != nil {
		return ""
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// TaskBinding is a task bound to paths: the globs of its covers and the
// thresholds it sets, which take part, value by value, in judging every
// config those globs match (the tightest value wins).
type TaskBinding struct {
	Task   string   `json:"task"`
	Covers []string `json:"covers"`
	// Values are the thresholds the task sets itself, as Show lists them.
	Values []Setting `json:"values"`
	Origin string    `json:"origin"`
}

// TaskBindings lists the tasks bound to paths, in policy order.
func (p *Policy) TaskBindings() []TaskBinding {
	settings := p.Show()
	var out []TaskBinding
	for _, b := range p.bound {
		tb := TaskBinding{Task: b.task, Values: []Setting{}}
		for _, g := range b.covers {
			tb.Covers = append(tb.Covers, g.String())
		}
		prefix := cue.MakePath(cue.Str("tasks"), cue.Str(b.task))
		tb.Origin = p.origin(cue.MakePath(append(prefix.Selectors(), cue.Str("covers"))...))
		th := cue.MakePath(append(prefix.Selectors(), cue.Str("thresholds"))...).String() + "."
		for _, s := range settings {
			if strings.HasPrefix(s.Path, th) {
				s.Path = strings.TrimPrefix(s.Path, th)
				tb.Values = append(tb.Values, s)
			}
		}
		out = append(out, tb)
	}
	return out
}
