// Package record loads decision records with the position of every field,
// validates them against the record schema of the baseline policy, and
// decides which training configs are on trial and which record judges each.
package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
	cuejson "cuelang.org/go/encoding/json"
	cueyaml "cuelang.org/go/encoding/yaml"

	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/pathglob"
	"github.com/ftgate/ftgate/internal/rules"
	"github.com/ftgate/ftgate/policy"
)

// maxRecordBytes bounds a record file; a decision record is a page of YAML.
const maxRecordBytes = 1 << 20

// Record is one decision record. Fields mirror the schema (policy/schema.cue);
// Value keeps the CUE value, with defaults applied, for positions and for the
// policy's input.
type Record struct {
	Path  string
	Value cue.Value
	// Valid is false when the record failed to parse or to match the
	// schema; its FT002 findings are in Problems and it is never judged.
	Valid    bool
	Problems []finding.Finding

	APIVersion   string            `json:"apiVersion"`
	Kind         string            `json:"kind"`
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Status       string            `json:"status"`
	Decided      string            `json:"decided"`
	ReviewBy     string            `json:"review_by"`
	Deciders     []string          `json:"deciders"`
	Covers       []string          `json:"covers"`
	BaseModel    string            `json:"base_model"`
	Task         string            `json:"task"`
	Urgency      string            `json:"urgency"`
	Necessary    Necessary         `json:"necessary"`
	Sufficient   Sufficient        `json:"sufficient"`
	Costs        Costs             `json:"costs"`
	Alternatives []string          `json:"alternatives"`
	Waivers      []Waiver          `json:"waivers"`
	Digests      map[string]string `json:"digests"`

	src    []byte
	file   *ast.File
	covers []pathglob.Glob
}

// Paths is a field that names one file or several: a string, or a list
// of strings.
type Paths []string

// UnmarshalJSON accepts a string or a list of strings.
func (p *Paths) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*p = Paths{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return err
	}
	*p = many
	return nil
}

// Necessary holds the evidence of the necessary conditions.
type Necessary struct {
	PromptCeiling *struct {
		Metric  string `json:"metric"`
		History Paths  `json:"history"` // one file or glob, or a list of them
	} `json:"prompt_ceiling"`
	Data *struct {
		TrainingSet string `json:"training_set"`
		Annotations string `json:"annotations"`
		Question    string `json:"question"` // the question of an export that holds several
		Level       string `json:"level"`
		Agreement   *struct {
			Metric   string   `json:"metric"`
			Weights  string   `json:"weights"`
			Declared *float64 `json:"declared"`
		} `json:"agreement"`
	} `json:"data"`
	Coverage *struct {
		Production      string `json:"production"`
		Training        string `json:"training"`
		ProductionField string `json:"production_field"`
		TrainingField   string `json:"training_field"`
	} `json:"coverage"`
	Maintenance *struct {
		Owner           string   `json:"owner"`
		Backup          string   `json:"backup"`
		EvalPipeline    string   `json:"eval_pipeline"`
		RegressionSuite string   `json:"regression_suite"`
		RetrainTriggers []string `json:"retrain_triggers"`
	} `json:"maintenance"`
}

// Sufficient holds the claimed sufficient conditions.
type Sufficient struct {
	QualityGap *struct {
		Target float64 `json:"target"`
	} `json:"quality_gap"`
	LatencyCost *struct {
		CallsPerDay       float64  `json:"calls_per_day"`
		PromptTokens      float64  `json:"prompt_tokens"`
		TunedPromptTokens float64  `json:"tuned_prompt_tokens"`
		USDPerMTok        float64  `json:"usd_per_mtok"`
		TunedUSDPerMTok   *float64 `json:"tuned_usd_per_mtok"`
		P95LatencyMS      *float64 `json:"p95_latency_ms"`
		LatencyBudgetMS   *float64 `json:"latency_budget_ms"`
	} `json:"latency_cost"`
}

// Costs are the one-off and running costs of fine-tuning.
type Costs struct {
	DataUSD                float64  `json:"data_usd"`
	TrainingUSD            float64  `json:"training_usd"`
	MaintenanceUSDPerMonth *float64 `json:"maintenance_usd_per_month"`
}

// Waiver turns one rule's errors into notices until it expires.
type Waiver struct {
	Rule       string `json:"rule"`
	Reason     string `json:"reason"`
	ApprovedBy string `json:"approved_by"`
	Expires    string `json:"expires"`
}

// Loader parses records against the baseline schema in one CUE context, which
// the policy evaluation shares so record values can be placed in its input.
type Loader struct {
	ctx    *cue.Context
	schema cue.Value
	// Today is the date records are judged on (UTC, `--today`); a record
	// decided after it is FT002. The zero value means the current date.
	Today time.Time
}

// today is the judging date, defaulting to the current UTC date.
func (l *Loader) today() time.Time {
	if l.Today.IsZero() {
		return time.Now().UTC().Truncate(24 * time.Hour)
	}
	return l.Today
}

// NewLoader compiles the record schema.
func NewLoader() (*Loader, error) {
	src, err := policy.FS.ReadFile("schema.cue")
	if err != nil {
		return nil, fmt.Errorf("read embedded schema: %w", err)
	}
	ctx := cuecontext.New()
	v := ctx.CompileBytes(src, cue.Filename("policy/schema.cue"))
	if v.Err() != nil {
		return nil, fmt.Errorf("compile embedded schema: %w", v.Err())
	}
	return &Loader{ctx: ctx, schema: v.LookupPath(cue.MakePath(cue.Def("#Record")))}, nil
}

// Context is the CUE context records live in.
func (l *Loader) Context() *cue.Context { return l.ctx }

// IsRecordFile reports whether a file under the records directory is read as
// a record.
func IsRecordFile(name string) bool {
	switch detect.Ext(name) {
	case ".yaml", ".yml", ".json", ".cue":
		return true
	}
	return false
}

// LoadDir reads every record file under dir in fsys. A directory that does not
// exist holds no records.
func (l *Loader) LoadDir(fsys fs.FS, dir string) ([]*Record, error) {
	var recs []*Record
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return fmt.Errorf("read records directory: %w", err)
		}
		if d.IsDir() || !IsRecordFile(p) {
			return nil
		}
		recs = append(recs, l.LoadFile(fsys, p))
		return nil
	})
	return recs, err
}

// LoadFile reads one record. It never fails: what is wrong with the file is
// an FT002 finding in Problems.
func (l *Loader) LoadFile(fsys fs.FS, name string) *Record {
	r := &Record{Path: name}
	data, err := readCapped(fsys, name)
	if err != nil {
		r.problem(finding.Position{File: name, Line: 1, Col: 1}, err.Error())
		return r
	}
	r.src = data
	return l.load(r)
}

// Parse reads a record from bytes (for tests and `policy test`).
func (l *Loader) Parse(name string, data []byte) *Record {
	return l.load(&Record{Path: name, src: data})
}

func (l *Loader) load(r *Record) *Record {
	if !utf8.Valid(r.src) {
		r.problem(finding.Position{File: r.Path, Line: 1, Col: 1}, "record is not valid UTF-8")
		return r
	}
	file, err := l.parse(r.Path, r.src)
	if err != nil {
		r.cueErrors(err, "syntax error: ")
		return r
	}
	r.file = file
	if ext := detect.Ext(r.Path); ext != ".cue" {
		r.duplicateKeys(file)
	} else if err := dataOnly(file); err != nil {
		r.cueErrors(err, "")
		return r
	}
	if !r.entriesBounded(file) {
		r.compileCovers()
		return r
	}
	inRange := r.numbersInRange(file)
	v := l.ctx.BuildFile(file)
	if v.Err() != nil {
		r.cueErrors(v.Err(), "")
		return r
	}
	// Covers and status are read even from a record that fails the schema,
	// so that a broken record still stands in front of what it covers.
	_ = v.LookupPath(cue.MakePath(cue.Str("covers"))).Decode(&r.Covers)
	_ = v.LookupPath(cue.MakePath(cue.Str("status"))).Decode(&r.Status)
	_ = v.LookupPath(cue.MakePath(cue.Str("decided"))).Decode(&r.Decided)
	_ = v.LookupPath(cue.MakePath(cue.Str("id"))).Decode(&r.ID)
	// A decision dated in the future would stretch the review window and
	// the evidence-age limit, which both count from it.
	if d, err := time.Parse(time.DateOnly, r.Decided); err == nil {
		if today := l.today(); d.After(today) {
			r.problem(r.Pos("decided"), fmt.Sprintf("decided %s is after today (%s): a decision cannot be dated in the future",
				r.Decided, today.Format(time.DateOnly)))
		}
	}

	if !inRange {
		// The schema's message about such a number names neither the
		// field nor the cause; the range problem above does.
		r.compileCovers()
		return r
	}
	u := l.schema.Unify(v)
	if err := u.Validate(cue.Concrete(true)); err != nil {
		r.cueErrors(err, "")
		r.compileCovers()
		return r
	}
	r.Value = u
	if err := u.Decode(r); err != nil {
		r.cueErrors(err, "")
		return r
	}
	r.costsInRange()
	r.compileCovers()
	r.Valid = len(r.Problems) == 0
	return r
}

func (l *Loader) parse(name string, src []byte) (*ast.File, error) {
	switch detect.Ext(name) {
	case ".json":
		expr, err := cuejson.Extract(name, src)
		if err != nil {
			return nil, err
		}
		return &ast.File{Filename: name, Decls: []ast.Decl{&ast.EmbedDecl{Expr: expr}}}, nil
	case ".cue":
		f, err := parser.ParseFile(name, src)
		if err != nil {
			return nil, err
		}
		for spec := range f.ImportSpecs() {
			return nil, errors.Newf(spec.Pos(), "a record may not import packages")
		}
		return f, nil
	}
	return cueyaml.Extract(name, src)
}

// duplicateKeys reports each key a YAML or JSON record gives twice in one
// mapping. CUE would unify the two values, so the record would be read as
// one thing where its text says two (and YAML forbids it). A CUE record
// may repeat a field: that is how CUE combines constraints.
func (r *Record) duplicateKeys(f *ast.File) {
	check := func(decls []ast.Decl) {
		first := map[string]token.Pos{}
		for _, d := range decls {
			field, ok := d.(*ast.Field)
			if !ok {
				continue
			}
			name, _, err := ast.LabelName(field.Label)
			if err != nil {
				continue
			}
			if at, dup := first[name]; dup {
				r.problem(r.position(field.Label.Pos()), fmt.Sprintf("key %q appears twice in one mapping (first at line %d)", name, at.Line()))
				continue
			}
			first[name] = field.Label.Pos()
		}
	}
	check(f.Decls)
	ast.Walk(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.StructLit); ok {
			check(s.Elts)
		}
		return true
	}, nil)
}

func (r *Record) compileCovers() {
	r.covers = r.covers[:0]
	for i, c := range r.Covers {
		g, err := pathglob.Compile(c)
		if err != nil {
			r.problem(r.Pos("covers."+strconv.Itoa(i)), "covers: "+err.Error())
			continue
		}
		r.covers = append(r.covers, g)
	}
	if len(r.Problems) > 0 {
		r.Valid = false
	}
}

func (r *Record) problem(pos finding.Position, msg string) {
	r.Valid = false
	r.Problems = append(r.Problems, finding.Finding{
		Rule:     rules.FT002.RuleID(),
		Severity: finding.Error,
		Message:  msg,
		Hint:     "fix the record so it parses and matches the decision-record schema (`ftgate policy schema`)",
		Pos:      r.inFile(pos),
		Record:   r.Path,
	})
}

// inFile keeps a position inside the record as an editor counts lines (by
// LF): the YAML decoder also breaks lines at a lone CR, so its line can lie
// past the file's last LF-line, and a column past its line's end.
func (r *Record) inFile(pos finding.Position) finding.Position {
	if pos.Line < 1 || r.src == nil {
		return pos
	}
	lines := bytes.Split(r.src, []byte("\n"))
	if pos.Line > len(lines) {
		pos.Line, pos.Col = len(lines), 1
	}
	if end := utf8.RuneCount(lines[pos.Line-1]) + 1; pos.Col > end {
		pos.Col = end
	}
	return pos
}

// cueErrors turns every CUE error into an FT002 finding at its position in
// this record, in plain words.
func (r *Record) cueErrors(err error, prefix string) {
	if m := plainErrorPos().FindStringSubmatch(err.Error()); m != nil && m[1] == r.Path {
		// The YAML decoder's errors are plain "name:line: message" strings
		// without a column: point at the line's start.
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		r.problem(finding.Position{File: r.Path, Line: line, Col: max(col, 1)}, prefix+m[4])
		return
	}
	// CUE reports a bad enum value once per alternative, under a header
	// line; group them by field so each field gets one message.
	type group struct {
		segs     []string
		pos      finding.Position
		msgs     []string
		operands []string
	}
	var groups []*group
	byField := map[string]*group{}
	for _, e := range errors.Errors(err) {
		segs := recordPath(e.Path())
		format, args := e.Msg()
		msg := fmt.Sprintf(format, args...)
		if strings.TrimSpace(msg) == "" || strings.Contains(msg, "%!") {
			// A plain Go error wrapped by CUE (the YAML decoder's depth
			// limit) has no message of its own: use its text.
			msg = strings.TrimPrefix(e.Error(), r.Path+": ")
		}
		if strings.HasSuffix(msg, "errors in empty disjunction:") {
			continue
		}
		key := strings.Join(segs, "\x00")
		g := byField[key]
		if g == nil {
			g = &group{segs: segs, pos: r.errorPos(e, segs, msg)}
			byField[key] = g
			groups = append(groups, g)
		}
		if m := conflict().FindStringSubmatch(msg); m != nil {
			g.operands = append(g.operands, m[1], m[2])
			continue
		}
		g.msgs = append(g.msgs, plainSchemaError(strings.Join(g.segs, "."), msg))
	}
	for _, g := range groups {
		field := strings.Join(g.segs, ".")
		if len(g.operands) > 0 {
			g.msgs = append(g.msgs, conflictMessage(field, g.operands))
		}
		for _, m := range g.msgs {
			r.problem(g.pos, prefix+m)
		}
	}
}

// The patterns compile on first use: most runs load only valid records,
// and every process would pay for them at start-up.
var (
	plainErrorPos = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.*?):(\d+):(?:(\d+):)? (.*)$`)
	})
	conflict = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^conflicting values (.+) and (.+?)(?: \(mismatched types .*\))?$`)
	})
)

// conflictMessage says what a field holds and what it may hold. With one
// conflict the two operands are the record's value and the schema's; with an
// enum, the record's value is the operand every conflict shares.
func conflictMessage(field string, operands []string) string {
	count := map[string]int{}
	for _, o := range operands {
		count[o]++
	}
	pairs := len(operands) / 2
	var got string
	var allowed []string
	for _, o := range operands {
		if got == "" && count[o] == pairs && pairs > 1 {
			got = o
			continue
		}
		if o != got && !slices.Contains(allowed, o) {
			allowed = append(allowed, o)
		}
	}
	if got == "" {
		return fmt.Sprintf("%s: %s and %s do not match (want %s)", field, operands[0], operands[1], operands[1])
	}
	return fmt.Sprintf("%s: %s is not one of %s", field, got, strings.Join(allowed, ", "))
}

// recordPath drops the schema's name from an error path.
func recordPath(path []string) []string {
	var segs []string
	for _, s := range path {
		if s != "#Record" {
			segs = append(segs, s)
		}
	}
	return segs
}

// errorPos places an error: at the field it is about when the record writes
// it (or at its nearest written parent), else where CUE says in this file.
func (r *Record) errorPos(e errors.Error, segs []string, msg string) finding.Position {
	if r.file != nil && len(segs) > 0 {
		// An unknown field is its key's fault, a bad value its value's.
		return r.pos(segs, strings.HasPrefix(msg, "field not allowed"))
	}
	for _, p := range append(errors.Positions(e), e.Position()) {
		if p.IsValid() && p.Filename() == r.Path {
			return r.position(p)
		}
	}
	return finding.Position{File: r.Path, Line: 1, Col: 1}
}

// plainSchemaError rewrites a CUE error about a record field in the record's
// own terms.
func plainSchemaError(field, msg string) string {
	switch {
	case strings.HasPrefix(msg, "field not allowed"):
		return fmt.Sprintf("unknown field %s", field)
	case strings.HasPrefix(msg, "incomplete value") || strings.Contains(msg, "non-concrete value"):
		return fmt.Sprintf("required field %s is missing", field)
	case field == "covers" && strings.Contains(msg, "incompatible list lengths"):
		return "covers is empty: list the globs of the configs this record authorises"
	}
	if field == "" {
		return msg
	}
	return field + ": " + msg
}

// Pos returns the position of a dotted record field ("necessary.data.annotations",
// "waivers.0"): its value when the field is written, else the key of the
// nearest enclosing field that is, else the file's first line.
func (r *Record) Pos(field string) finding.Position {
	if field == "" {
		return r.PosPath()
	}
	return r.PosPath(strings.Split(field, ".")...)
}

// PosPath is Pos for a path given segment by segment, for keys that hold
// dots (the file names under digests).
func (r *Record) PosPath(segs ...string) finding.Position {
	return r.pos(segs, false)
}

// pos finds a field's value, or with key its key.
func (r *Record) pos(segs []string, atKey bool) finding.Position {
	if r.file == nil {
		return finding.Position{File: r.Path}
	}
	elts := topLevel(r.file)
	var label token.Pos
	for i, seg := range segs {
		key, value, ok := child(elts, seg)
		if !ok {
			break
		}
		if i == len(segs)-1 && !atKey && value.Pos().IsValid() {
			return r.position(value.Pos())
		}
		label = key
		elts = children(value)
	}
	if label.IsValid() {
		return r.position(label)
	}
	return finding.Position{File: r.Path, Line: 1, Col: 1}
}

// topLevel returns the elements of the record's top-level struct, for YAML,
// JSON (an embedded struct literal) and CUE alike.
func topLevel(f *ast.File) []ast.Node {
	var out []ast.Node
	for _, d := range f.Decls {
		if e, ok := d.(*ast.EmbedDecl); ok {
			return children(e.Expr)
		}
		out = append(out, d)
	}
	return out
}

// children lists a struct's fields or a list's elements.
func children(n ast.Node) []ast.Node {
	var out []ast.Node
	switch x := n.(type) {
	case *ast.StructLit:
		for _, e := range x.Elts {
			out = append(out, e)
		}
	case *ast.ListLit:
		for _, e := range x.Elts {
			out = append(out, e)
		}
	}
	return out
}

// child finds a field by name, or a list element by index.
func child(elts []ast.Node, seg string) (key token.Pos, value ast.Node, ok bool) {
	if i, err := strconv.Atoi(seg); err == nil {
		if i >= 0 && i < len(elts) {
			if _, isField := elts[i].(*ast.Field); !isField {
				return elts[i].Pos(), elts[i], true
			}
		}
		return token.NoPos, nil, false
	}
	for _, e := range elts {
		f, isField := e.(*ast.Field)
		if !isField {
			continue
		}
		if name, _, err := ast.LabelName(f.Label); err == nil && name == seg {
			return f.Label.Pos(), f.Value, true
		}
	}
	return token.NoPos, nil, false
}

// position converts a CUE position to code points: the YAML decoder counts
// columns in code points already, the CUE and JSON scanners in bytes.
func (r *Record) position(p token.Pos) finding.Position {
	col := p.Column()
	if ext := detect.Ext(r.Path); ext == ".json" || ext == ".cue" {
		col = runeColumn(r.src, p.Line(), col)
	}
	return r.inFile(finding.Position{File: r.Path, Line: p.Line(), Col: col})
}

func runeColumn(src []byte, line, byteCol int) int {
	if line < 1 || byteCol < 1 {
		return byteCol
	}
	start := 0
	for l := 1; l < line; l++ {
		i := slices.Index(src[start:], '\n')
		if i < 0 {
			return byteCol
		}
		start += i + 1
	}
	// CUE places an error at the end of input one column past the final
	// newline; a position stays on its line, at most just past its end.
	lineEnd := len(src)
	if i := slices.Index(src[start:], '\n'); i >= 0 {
		lineEnd = start + i
	}
	end := min(start+byteCol-1, lineEnd)
	return utf8.RuneCount(src[start:end]) + 1
}

// Matches reports whether the record's covers globs match a path.
func (r *Record) Matches(p string) bool {
	for _, g := range r.covers {
		if g.Match(p) {
			return true
		}
	}
	return false
}

// EvidencePaths lists the evidence files the record names that ftgate parses
// (history, annotations, scenarios), not the training set.
func (r *Record) EvidencePaths() []string {
	var out []string
	n := r.Necessary
	if n.PromptCeiling != nil {
		out = append(out, n.PromptCeiling.History...)
	}
	if n.Data != nil && n.Data.Annotations != "" {
		out = append(out, n.Data.Annotations)
	}
	if n.Coverage != nil {
		out = append(out, n.Coverage.Production, n.Coverage.Training)
	}
	return out
}

// TrainingSet is the record's training set path, or "".
func (r *Record) TrainingSet() string {
	if r.Necessary.Data == nil {
		return ""
	}
	return r.Necessary.Data.TrainingSet
}

// NamedFiles lists every file the record names: evidence, training set,
// maintenance files and digested files. A change to any of them puts the
// configs it covers on trial.
func (r *Record) NamedFiles() []string {
	out := r.EvidencePaths()
	if ts := r.TrainingSet(); ts != "" {
		out = append(out, ts)
	}
	if m := r.Necessary.Maintenance; m != nil {
		out = append(out, m.EvalPipeline, m.RegressionSuite)
	}
	for p := range r.Digests {
		out = append(out, p)
	}
	out = slices.DeleteFunc(out, func(s string) bool { return s == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

// readCapped reads a record whole, refusing one over maxRecordBytes: a
// decision record is a page of YAML, and a huge file is a mistake to report,
// not to parse.
func readCapped(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read record: %w", unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRecordBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read record: %w", unwrapPathError(err))
	}
	if len(data) > maxRecordBytes {
		return nil, fmt.Errorf("record is larger than %d bytes", maxRecordBytes)
	}
	return data, nil
}

// unwrapPathError drops the path from an fs.PathError: messages name the file
// once, in their position.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
