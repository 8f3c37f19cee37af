package evaluate

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/policy"
)

// Source is one policy file: its display name (repository-relative, or
// policy/<name> for the baseline) and its bytes.
type Source struct {
	Name string
	Data []byte
}

// PolicyError is a policy that cannot judge: it does not load, goes past a
// floor, defines an unknown field or claims a reserved rule ID. It is ftgate's
// own input, so it means exit 2. Problems holds every error, each one line.
type PolicyError struct {
	Problems []Problem

	// src and repo let add place a problem in code points inside its file,
	// and find the field a position-less CUE error is about.
	src  map[string][]byte
	repo []*ast.File
}

// Problem is one policy error with its position.
type Problem struct {
	Message string
	Pos     finding.Position
}

func (e *PolicyError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (p Problem) String() string {
	if s := p.Pos.String(); s != "" {
		return s + ": " + p.Message
	}
	return p.Message
}

// Policy is a loaded, valid policy.
type Policy struct {
	root cue.Value
	// repo are the repository's parsed files, to point at what they wrote.
	repo []*ast.File
	// Sources lists the repository files unified with the baseline.
	Sources []string
	// bound are the tasks bound to paths, in policy order.
	bound []taskBinding

	RecordsDir       string
	Include          []string
	Exclude          []string
	Pretrain         string
	EvidenceMaxBytes int64
}

// topLevel are the fields a policy may define; definitions (#x), hidden
// fields (_x) and let clauses are the policy author's own.
var topLevel = []string{"thresholds", "tasks", "records", "detect", "evidence", "deny", "input", "verdict"}

// Baseline returns the embedded policy files.
func Baseline() ([]Source, error) {
	entries, err := fs.ReadDir(policy.FS, ".")
	if err != nil {
		return nil, err
	}
	var out []Source
	for _, e := range entries {
		if path.Ext(e.Name()) != ".cue" {
			continue
		}
		data, err := policy.FS.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Source{Name: "policy/" + e.Name(), Data: data})
	}
	return out, nil
}

// ReadDir reads the .cue files directly in dir of fsys (not subdirectories),
// naming them dir/name. A missing dir has none.
func ReadDir(fsys fs.FS, dir string) ([]Source, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("read policy directory %s: %w", dir, err)
	}
	var out []Source
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".cue" {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read policy %s: %w", name, err)
		}
		out = append(out, Source{Name: name, Data: data})
	}
	return out, nil
}

// Load unifies the baseline with the repository's policy files in ctx.
func Load(ctx *cue.Context, repo []Source) (*Policy, error) {
	base, err := Baseline()
	if err != nil {
		return nil, fmt.Errorf("read embedded policy: %w", err)
	}
	inst := build.NewContext().NewInstance("ftgate", nil)
	perr := PolicyError{src: map[string][]byte{}}
	repoFiles := make([]*ast.File, 0, len(repo))
	for i, src := range append(slices.Clone(base), repo...) {
		perr.src[src.Name] = src.Data
		f, err := parser.ParseFile(src.Name, src.Data, parser.ParseComments)
		if err != nil {
			perr.addCUE(err)
			continue
		}
		if i >= len(base) {
			if name := f.PackageName(); name != "ftgate" {
				perr.add(filePos(src.Name, f.Pos()), fmt.Sprintf("policy files are package ftgate, not %q", name))
				continue
			}
			perr.checkTopLevel(f)
			repoFiles = append(repoFiles, f)
			perr.repo = repoFiles
			// Compile a second parse with conditional rules lifted; f
			// stays as written for `policy show` and for positions.
			if f, err = parser.ParseFile(src.Name, src.Data, parser.ParseComments); err != nil {
				perr.addCUE(err)
				continue
			}
			liftConditionalRules(f)
		}
		if err := inst.AddSyntax(f); err != nil {
			perr.addCUE(err)
		}
	}
	// Floors first: their messages say what went wrong in the team's terms,
	// where CUE would say "conflicting values". They are read from each
	// file's syntax, so every file that parsed is checked even when another
	// problem above already fails the policy: one run lists them all.
	root := ctx.BuildInstance(inst)
	floors := root.LookupPath(cue.MakePath(cue.Def("#floors")))
	for _, f := range repoFiles {
		perr.checkFloors(ctx, f, floors)
	}
	if len(perr.Problems) > 0 {
		return nil, &perr
	}
	// root.Err() is not consulted: a rule conditioned on input is not
	// evaluable until a config's input is filled in (Verdict reports its
	// errors then). The settings below must be complete now.
	// Settings must be complete now. Rules depend on a config's input and
	// are checked when one is judged.
	for _, field := range []string{"thresholds", "tasks", "records", "detect", "evidence"} {
		if err := root.LookupPath(cue.MakePath(cue.Str(field))).Validate(cue.Concrete(true)); err != nil {
			perr.addCUE(err)
		}
	}

	denies, _ := root.LookupPath(cue.MakePath(cue.Str("deny"))).Fields()
	for denies != nil && denies.Next() {
		if id := denies.Selector().Unquoted(); strings.HasPrefix(id, "FT") {
			perr.add(denyPos(repoFiles, id, denies.Value()), fmt.Sprintf("deny.%s: rule IDs beginning with FT are reserved for ftgate's own rules; choose another ID", id))
		}
	}
	if len(perr.Problems) > 0 {
		return nil, &perr
	}
	p := &Policy{root: root, repo: repoFiles}
	for _, s := range repo {
		p.Sources = append(p.Sources, s.Name)
	}
	p.bindTasks(&perr)
	if len(perr.Problems) > 0 {
		return nil, &perr
	}
	var cfg policyConfig
	for field, dst := range map[string]any{"records": &cfg.Records, "detect": &cfg.Detect, "evidence": &cfg.Evidence} {
		if err := root.LookupPath(cue.MakePath(cue.Str(field))).Decode(dst); err != nil {
			perr.addCUE(err)
		}
	}
	if len(perr.Problems) > 0 {
		return nil, &perr
	}
	p.RecordsDir = cfg.Records.Dir
	p.Include, p.Exclude, p.Pretrain = cfg.Detect.Include, cfg.Detect.Exclude, cfg.Detect.Pretrain
	p.EvidenceMaxBytes = cfg.Evidence.MaxBytes
	return p, nil
}

// policyConfig is the part of the policy that steers the stages before
// evaluation.
type policyConfig struct {
	Records struct {
		Dir string `json:"dir"`
	}
	Detect struct {
		Include  []string `json:"include"`
		Exclude  []string `json:"exclude"`
		Pretrain string   `json:"pretrain"`
	}
	Evidence struct {
		MaxBytes int64 `json:"max_bytes"`
	}
}

func (e *PolicyError) add(pos finding.Position, msg string) {
	p := Problem{Message: msg, Pos: e.place(pos)}
	// CUE reports a conflict once per conjunct that meets it; say it once.
	if !slices.Contains(e.Problems, p) {
		e.Problems = append(e.Problems, p)
	}
}

// place turns a CUE position (columns in bytes, end of input one column
// past the last newline) into one inside its file, with the column in code
// points as every ftgate position is.
func (e *PolicyError) place(pos finding.Position) finding.Position {
	src, ok := e.src[pos.File]
	if !ok || pos.Line < 1 {
		return pos
	}
	lines := bytes.Split(src, []byte("\n"))
	if pos.Line > len(lines) {
		pos.Line = len(lines)
		pos.Col = utf8.RuneCount(lines[pos.Line-1]) + 1
		return pos
	}
	line := lines[pos.Line-1]
	if pos.Col >= 1 {
		pos.Col = utf8.RuneCount(line[:min(pos.Col-1, len(line))]) + 1
	}
	return pos
}

// fieldPos finds where the repository's files write a field, for a CUE
// error that carries no position (an incomplete threshold): the deepest
// field of the path a file writes, else the first repository file.
func (e *PolicyError) fieldPos(path []string) finding.Position {
	var best token.Pos
	depth := 0
	var walk func(n ast.Node, i int)
	walk = func(n ast.Node, i int) {
		if i >= len(path) {
			return
		}
		ast.Walk(n, func(m ast.Node) bool {
			f, ok := m.(*ast.Field)
			if !ok {
				return true
			}
			if name, _, err := ast.LabelName(f.Label); err == nil && name == path[i] {
				if i+1 > depth {
					best, depth = f.Label.Pos(), i+1
				}
				walk(f.Value, i+1)
			}
			return false
		}, nil)
	}
	for _, f := range e.repo {
		walk(f, 0)
	}
	if best.IsValid() {
		return cuePos(best)
	}
	if len(e.repo) > 0 {
		return finding.Position{File: e.repo[0].Filename}
	}
	return finding.Position{}
}

// checkTopLevel rejects fields the policy schema does not define.
func (e *PolicyError) checkTopLevel(f *ast.File) {
	for _, d := range f.Decls {
		field, ok := d.(*ast.Field)
		if !ok {
			continue
		}
		name, _, err := ast.LabelName(field.Label)
		if err != nil || strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_") || slices.Contains(topLevel, name) {
			continue
		}
		e.add(cuePos(field.Pos()), fmt.Sprintf("unknown policy field %q (known: %s)", name, strings.Join(topLevel[:6], ", ")))
	}
}

// checkFloors compares each threshold a repository file writes as a literal
// with the baseline floor, for the global thresholds and every task. It reads
// the file's syntax rather than building it alone, so that a file whose rules
// refer to input or to the baseline's definitions is checked all the same;
// values computed by expressions are left to unification.
func (e *PolicyError) checkFloors(ctx *cue.Context, f *ast.File, floors cue.Value) {
	check := func(prefix string, thresholds ast.Node) {
		for _, group := range fieldsOf(thresholds) {
			gname, _, _ := ast.LabelName(group.Label)
			for _, leaf := range fieldsOf(group.Value) {
				name, _, _ := ast.LabelName(leaf.Label)
				floor := floors.LookupPath(cue.MakePath(cue.Str(gname), cue.Str(name)))
				if !floor.Exists() {
					continue
				}
				v := ctx.BuildExpr(leaf.Value)
				if v.Err() != nil || !v.IsConcrete() {
					continue
				}
				e.checkFloor(prefix+"."+gname+"."+name, v, floor)
			}
		}
	}
	for _, top := range fieldsOf(f) {
		switch name, _, _ := ast.LabelName(top.Label); name {
		case "thresholds":
			check("thresholds", top.Value)
		case "tasks":
			for _, task := range fieldsOf(top.Value) {
				tname, _, _ := ast.LabelName(task.Label)
				for _, th := range fieldsOf(task.Value) {
					if n, _, _ := ast.LabelName(th.Label); n == "thresholds" {
						check(cue.MakePath(cue.Str("tasks"), cue.Str(tname), cue.Str("thresholds")).String(), th.Value)
					}
				}
			}
		}
	}
}

// fieldsOf lists the fields a file or struct literal declares directly; a
// field under a comprehension is conditional and not listed.
func fieldsOf(n ast.Node) []*ast.Field {
	var decls []ast.Decl
	switch x := n.(type) {
	case *ast.File:
		decls = x.Decls
	case *ast.StructLit:
		decls = x.Elts
	}
	var out []*ast.Field
	for _, d := range decls {
		if f, ok := d.(*ast.Field); ok {
			out = append(out, f)
		}
	}
	return out
}

func (e *PolicyError) checkFloor(field string, v, floor cue.Value) {
	var tighter string
	_ = floor.LookupPath(cue.MakePath(cue.Str("tighter"))).Decode(&tighter)
	fv := floor.LookupPath(cue.MakePath(cue.Str("floor")))
	floorAt := cuePos(fv.Pos())
	at := cuePos(v.Pos())
	switch tighter {
	case "superset":
		var got, want []string
		if v.Decode(&got) != nil || fv.Decode(&want) != nil {
			return
		}
		var missing []string
		for _, w := range want {
			if !slices.Contains(got, w) {
				missing = append(missing, w)
			}
		}
		if len(missing) > 0 {
			e.add(at, fmt.Sprintf("%s drops %s from the baseline [%s] (floor at %s); a policy may only add techniques",
				field, strings.Join(missing, ", "), strings.Join(want, ", "), floorAt))
		}
	case "larger", "smaller":
		got, err1 := v.Float64()
		want, err2 := fv.Float64()
		if err1 != nil || err2 != nil {
			return
		}
		if tighter == "larger" && got < want {
			e.add(at, fmt.Sprintf("%s %v is below the baseline floor %v (floor at %s); a policy may only raise it", field, got, want, floorAt))
		}
		if tighter == "smaller" && got > want {
			e.add(at, fmt.Sprintf("%s %v is above the baseline ceiling %v (floor at %s); a policy may only lower it", field, got, want, floorAt))
		}
	}
}

// addCUE adds every error in err, with its positions, in plain words.
func (e *PolicyError) addCUE(err error) {
	before := len(e.Problems)
	defer func() {
		// Never let an error vanish: a policy that failed must not load.
		if len(e.Problems) == before {
			msg, _, _ := strings.Cut(err.Error(), "\n")
			e.add(e.fieldPos(errors.Path(err)), strings.TrimSuffix(msg, ":"))
		}
	}()
	for _, ce := range errors.Errors(err) {
		format, args := ce.Msg()
		msg := fmt.Sprintf(format, args...)
		// The alternatives of a failed disjunction follow as errors of
		// their own; the header has neither position nor content.
		if strings.HasSuffix(msg, "errors in empty disjunction:") {
			continue
		}
		field := strings.Join(ce.Path(), ".")
		var positions []token.Pos
		positions = append(positions, errors.Positions(ce)...)
		if len(positions) == 0 {
			positions = append(positions, ce.Position())
		}
		// Point at the repository's file rather than the baseline's.
		slices.SortStableFunc(positions, func(a, b token.Pos) int {
			return boolRank(isBaseline(a)) - boolRank(isBaseline(b))
		})
		var pos finding.Position
		var also []string
		for i, p := range positions {
			if !p.IsValid() {
				continue
			}
			if i == 0 {
				pos = cuePos(p)
				continue
			}
			also = append(also, e.place(cuePos(p)).String())
		}
		if pos.File == "" {
			pos = e.fieldPos(ce.Path())
		}
		text := msg
		if field != "" {
			text = field + ": " + msg
		}
		if len(also) > 0 {
			text += " (see also " + strings.Join(also, ", ") + ")"
		}
		e.add(pos, text)
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isBaseline(p token.Pos) bool { return strings.HasPrefix(p.Filename(), "policy/") }

func cuePos(p token.Pos) finding.Position {
	if !p.IsValid() {
		return finding.Position{}
	}
	return finding.Position{File: p.Filename(), Line: p.Line(), Col: p.Column()}
}

func filePos(name string, p token.Pos) finding.Position {
	if pos := cuePos(p); pos.File != "" {
		return pos
	}
	return finding.Position{File: name}
}

// Value is the unified policy (for `policy show` and tests).
func (p *Policy) Value() cue.Value { return p.root }

// denyPos finds where a repository file declares the rule deny.<id>: CUE
// reports the baseline's #Deny, which only constrains it.
func denyPos(files []*ast.File, id string, v cue.Value) finding.Position {
	var found token.Pos
	for _, f := range files {
		ast.Walk(f, func(n ast.Node) bool {
			field, ok := n.(*ast.Field)
			if found.IsValid() || !ok {
				return !found.IsValid()
			}
			if name, _, _ := ast.LabelName(field.Label); name != "deny" {
				return true
			}
			ast.Walk(field.Value, func(m ast.Node) bool {
				if rule, ok := m.(*ast.Field); ok && !found.IsValid() {
					if name, _, _ := ast.LabelName(rule.Label); name == id {
						found = rule.Label.Pos()
					}
				}
				return !found.IsValid()
			}, nil)
			return false
		}, nil)
	}
	if found.IsValid() {
		return cuePos(found)
	}
	return cuePos(v.Pos())
}
