package detect

import (
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Format is how a file's content is read. It comes from the file name's
// extension, never from its directory.
type Format int

// Formats a detector may read.
const (
	// YAML is a .yaml or .yml file; every document of a multi-document
	// stream is tried.
	YAML Format = iota + 1
	// JSON is a .json file holding one value.
	JSON
	// JSONL is a .jsonl file: one JSON value a line. A signature must hold
	// on every complete line of the first 64 KiB (the sample), so a file of
	// requests with one chat-shaped record is not taken for training data.
	JSONL
	// TOML is a .toml file. It is matched by text signatures only: the
	// frameworks that write TOML (torchtitan) keep flat, sectioned keys a
	// line-anchored expression reads as well as a parser would.
	TOML
	// Shell is a .sh or .bash launcher, matched by a detector's Shell
	// signature (the launcher rule).
	Shell
	// Python is a .py file, matched by a detector's Code signatures.
	Python
	// Notebook is a Jupyter .ipynb file: the Code signatures run over its
	// code cells only.
	Notebook
)

// String returns the format's name as written in docs: yaml, json, jsonl.
func (f Format) String() string {
	switch f {
	case YAML:
		return "yaml"
	case JSON:
		return "json"
	case JSONL:
		return "jsonl"
	case TOML:
		return "toml"
	case Shell:
		return "shell"
	case Python:
		return "python"
	case Notebook:
		return "notebook"
	}
	return "unknown"
}

// formatOf maps a lower-case extension to its format; zero means no
// detector reads the file.
func formatOf(ext string) Format {
	switch ext {
	case ".yaml", ".yml":
		return YAML
	case ".json":
		return JSON
	case ".jsonl", ".ndjson":
		return JSONL
	case ".toml":
		return TOML
	case ".sh", ".bash":
		return Shell
	case ".py":
		return Python
	case ".ipynb":
		return Notebook
	}
	return 0
}

// Detector is one framework's signature, declared as data. Its Name is the
// framework ftgate reports; its Doc feeds `ftgate explain` and the docs, so
// it says what is matched and which look-alikes are not.
type Detector struct {
	Name string
	Doc  string
	// Formats lists the file formats the framework's configs are written in.
	Formats []Format
	// Signatures are tried in order on each parsed document; the first one
	// that holds makes the file a config of this framework.
	Signatures []Signature
	// Reject holds look-alike markers (an inference backend, an export
	// directory, an eval-only run): when any holds on the matched root, the
	// file is not a config of this framework, whatever signature matched.
	Reject []Cond
	// BaseModel lists key paths, relative to the matched root, that name
	// the base model; the first non-empty scalar wins and keeps its
	// position.
	BaseModel []string
	// Datasets says where the training data is named.
	Datasets []Pick
	// Pretrain holds the rules that make a matched config a language-model
	// pretraining config (kind "pretrain"): any one suffices.
	Pretrain []Cond
	// Refs lists key paths whose values name backend files (DeepSpeed,
	// accelerate, FSDP) the run loads.
	Refs []string
	// Text is the fallback for files of this framework's formats that do not
	// parse, and the only signature for TOML; nil means such files are never
	// configs of this framework.
	Text *TextSignature
	// Shell matches launcher scripts. A launcher is a config only when it
	// names the base model or the training data itself, so its All
	// expressions require the framework's entry point and such an argument;
	// a script that only passes a config file is not matched.
	Shell *TextSignature
	// Code holds the calls that start a run of this framework in Python
	// files and notebooks; the first that matches reports its line.
	Code []CodeSignature
	// Launches are the framework's commands that run a config file, over a
	// launcher's words (see shellWords); the first group is the file. A
	// launcher naming one puts that file on trial, whatever its name.
	Launches []*Pattern
	// Sources are the framework's own definitions the signatures follow:
	// the argument classes, schema or shipped configs whose keys they test,
	// at the commit they were read. docs/detectors.md cites them.
	Sources []Source
}

// Source is one file of a framework's repository at a commit.
type Source struct {
	Repo   string // owner/name on GitHub
	Commit string // 40 hex digits
	Path   string
}

// Signature is one way a framework's config is recognised.
type Signature struct {
	// Name is reported after the detector's name: "axolotl:" + Name.
	Name string
	// Root is where the conditions are evaluated: "" for the document,
	// "*" for each mapping under a top-level key (a fine-tuning block inside
	// a larger application config).
	Root string
	// When must hold on the root.
	When Cond
}

// Pick extracts names (datasets) from the nodes at Path.
type Pick struct {
	Path string
	// Keys are tried in order on a mapping node; the first that holds a
	// scalar (or a list of scalars) gives the names. A scalar node is taken
	// as is.
	Keys []string
	// MapKeys takes a mapping's keys as the names, for mixers written as
	// {dataset: weight}.
	MapKeys bool
	// Split, when set, splits scalar values on it ("identity,alpaca_en").
	Split string
}

// TextSignature matches a file that does not parse. Every regular
// expression runs over the first 64 KiB as one string, so line anchors need
// (?m).
type TextSignature struct {
	// All must all match and None must all fail.
	All  []*Pattern
	None []*Pattern
	// BaseModel's first group is the base model; its offset gives the
	// position.
	BaseModel *Pattern
	// Datasets' first groups are dataset names, split on DatasetSplit when
	// it is set.
	Datasets     []*Pattern
	DatasetSplit string
	// Pretrain makes the config a pretraining config when any matches and
	// none of NotPretrain does (supervised data, an adapter on chat data).
	Pretrain    []*Pattern
	NotPretrain []*Pattern
	// Refs' first groups are backend file paths.
	Refs []*Pattern
}

// op is the kind of a condition.
type op int

const (
	opHas op = iota + 1
	opPresent
	opScalar
	opList
	opEq
	opPrefix
	opSuffix
	opContains
	opTrue
	opEach
	opSome
	opAll
	opAny
	opNot
	opNamed
)

// Cond is a condition on a parsed document, built with [Has], [Eq],
// [Each], [AnyOf] and the other constructors.
//
// A path is a dot-separated list of keys; "*" stands for every key of a
// mapping. A list met on the way is looked through, so "datasets.path"
// reaches the path of every entry whether datasets is one mapping or a list
// of them. Aliases and merge keys (<<) are followed.
type Cond struct {
	op   op
	path string
	vals []string
	subs []Cond
}

// Has holds when the path names a value that is not null and not empty.
func Has(path string) Cond { return Cond{op: opHas, path: path} }

// Present holds when the key exists, even with a null value.
func Present(path string) Cond { return Cond{op: opPresent, path: path} }

// Scalar holds when the path names a non-empty, non-null scalar itself,
// not a mapping or a list: a model name, a stage.
func Scalar(path string) Cond { return Cond{op: opScalar, path: path} }

// List holds when the path names a non-empty list.
func List(path string) Cond { return Cond{op: opList, path: path} }

// Eq holds when a scalar at the path equals one of vals, ignoring case.
func Eq(path string, vals ...string) Cond { return Cond{op: opEq, path: path, vals: vals} }

// Prefix holds when a scalar at the path starts with one of vals.
func Prefix(path string, vals ...string) Cond { return Cond{op: opPrefix, path: path, vals: vals} }

// Suffix holds when a scalar at the path ends with one of vals.
func Suffix(path string, vals ...string) Cond { return Cond{op: opSuffix, path: path, vals: vals} }

// Contains holds when a scalar at the path contains one of vals.
func Contains(path string, vals ...string) Cond {
	return Cond{op: opContains, path: path, vals: vals}
}

// True holds when a scalar at the path is the boolean true.
func True(path string) Cond { return Cond{op: opTrue, path: path} }

// Each holds when the path names at least one element (the items of a list,
// or a single value) and every element satisfies all of conds, evaluated
// relative to the element.
func Each(path string, conds ...Cond) Cond { return Cond{op: opEach, path: path, subs: conds} }

// Some holds when an element at the path satisfies all of conds.
func Some(path string, conds ...Cond) Cond { return Cond{op: opSome, path: path, subs: conds} }

// AllOf holds when every cond holds.
func AllOf(conds ...Cond) Cond { return Cond{op: opAll, subs: conds} }

// AnyOf holds when at least one cond holds.
func AnyOf(conds ...Cond) Cond { return Cond{op: opAny, subs: conds} }

// Named holds when the path reaches a value that names something: a
// scalar, or a scalar inside the mapping or list there, that is not null,
// empty, a boolean or a placeholder (${VAR}, ???). A template's
// `pretraining_dataset: ${PRETRAINING_DATASET}` names nothing.
func Named(path string) Cond { return Cond{op: opNamed, path: path} }

// Not holds when c does not.
func Not(c Cond) Cond { return Cond{op: opNot, subs: []Cond{c}} }

// HasAny holds when any of the paths has a value: a shorthand for AnyOf of
// Has.
func HasAny(paths ...string) Cond {
	cs := make([]Cond, len(paths))
	for i, p := range paths {
		cs[i] = Has(p)
	}
	return AnyOf(cs...)
}

// maxVisits bounds the nodes one file's evaluation may visit. Alias bombs
// are refused before evaluation (see expandedSize); this is the second wall.
const maxVisits = 1 << 20

// eval evaluates conditions over one parsed file.
type eval struct {
	visits int
}

// holds reports whether c holds at n.
func (e *eval) holds(c Cond, n *yaml.Node) bool {
	switch c.op {
	case opAll:
		for _, s := range c.subs {
			if !e.holds(s, n) {
				return false
			}
		}
		return true
	case opAny:
		for _, s := range c.subs {
			if e.holds(s, n) {
				return true
			}
		}
		return false
	case opNot:
		return len(c.subs) == 1 && !e.holds(c.subs[0], n)
	case opPresent:
		return len(e.resolve(n, c.path)) > 0
	case opNamed:
		for _, v := range e.resolve(n, c.path) {
			if e.namesSomething(v, 0) {
				return true
			}
		}
		return false
	case opHas:
		for _, v := range e.resolve(n, c.path) {
			if !isEmpty(v) {
				return true
			}
		}
		return false
	case opScalar:
		for _, v := range e.resolve(n, c.path) {
			if v.Kind == yaml.ScalarNode && !isEmpty(v) {
				return true
			}
		}
		return false
	case opList:
		for _, v := range e.resolve(n, c.path) {
			if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
				return true
			}
		}
		return false
	case opEach, opSome:
		elems := e.elems(e.resolve(n, c.path))
		if len(elems) == 0 {
			return false
		}
		for _, el := range elems {
			ok := e.holds(AllOf(c.subs...), el)
			if c.op == opSome && ok {
				return true
			}
			if c.op == opEach && !ok {
				return false
			}
		}
		return c.op == opEach
	}
	for _, s := range e.scalars(e.resolve(n, c.path)) {
		v := strings.TrimSpace(s.Value)
		switch c.op {
		case opTrue:
			if strings.EqualFold(v, "true") && (s.Tag == "!!bool" || s.Tag == "!!str") {
				return true
			}
		default:
			for _, want := range c.vals {
				if match(c.op, v, want) {
					return true
				}
			}
		}
	}
	return false
}

func match(o op, v, want string) bool {
	switch o {
	case opEq:
		return strings.EqualFold(v, want)
	case opPrefix:
		return strings.HasPrefix(v, want)
	case opSuffix:
		return strings.HasSuffix(v, want)
	case opContains:
		return strings.Contains(v, want)
	}
	return false
}

// resolve returns the nodes the path reaches from n, aliases followed.
func (e *eval) resolve(n *yaml.Node, path string) []*yaml.Node {
	cur := []*yaml.Node{deref(n)}
	if path == "" {
		return cur
	}
	for key := range strings.SplitSeq(path, ".") {
		var next []*yaml.Node
		for _, c := range e.elems(cur) {
			if c.Kind != yaml.MappingNode {
				continue
			}
			if key == "*" {
				next = append(next, e.values(c, 0)...)
			} else if v := e.lookup(c, key, 0); v != nil {
				next = append(next, v)
			}
		}
		if len(next) == 0 {
			return nil
		}
		cur = next
	}
	return cur
}

// namesSomething reports a scalar under n, at most a few levels down, that
// names something (see names).
func (e *eval) namesSomething(n *yaml.Node, depth int) bool {
	n = deref(n)
	if !e.visit(len(n.Content)) {
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return names(n)
	case yaml.MappingNode:
		if depth >= 4 {
			return false
		}
		for i := 1; i < len(n.Content); i += 2 {
			if e.namesSomething(n.Content[i], depth+1) {
				return true
			}
		}
	case yaml.SequenceNode:
		if depth >= 4 {
			return false
		}
		for _, c := range n.Content {
			if e.namesSomething(c, depth+1) {
				return true
			}
		}
	}
	return false
}

// maxMergeDepth bounds chains of merge keys (<<: *a where a merges b ...).
const maxMergeDepth = 16

// lookup finds key in mapping m. The last duplicate wins, as in the Python
// loaders the frameworks use; merged mappings are searched after m's own
// keys.
func (e *eval) lookup(m *yaml.Node, key string, depth int) *yaml.Node {
	if !e.visit(len(m.Content) / 2) {
		return nil
	}
	var found *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key && k.Tag != "!!merge" {
			found = m.Content[i+1]
		}
	}
	if found != nil {
		return deref(found)
	}
	if depth >= maxMergeDepth {
		return nil
	}
	for _, src := range e.merged(m) {
		if v := e.lookup(src, key, depth+1); v != nil {
			return v
		}
	}
	return nil
}

// values returns every value of mapping m, merged ones included.
func (e *eval) values(m *yaml.Node, depth int) []*yaml.Node {
	if !e.visit(len(m.Content) / 2) {
		return nil
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Tag != "!!merge" {
			out = append(out, deref(m.Content[i+1]))
		}
	}
	if depth < maxMergeDepth {
		for _, src := range e.merged(m) {
			out = append(out, e.values(src, depth+1)...)
		}
	}
	return out
}

// merged returns the mappings m merges with <<, in precedence order.
func (e *eval) merged(m *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Tag != "!!merge" {
			continue
		}
		v := deref(m.Content[i+1])
		switch v.Kind {
		case yaml.MappingNode:
			out = append(out, v)
		case yaml.SequenceNode:
			for _, s := range v.Content {
				if s = deref(s); s.Kind == yaml.MappingNode {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// elems looks through lists: a list gives its items, any other non-null
// node itself.
func (e *eval) elems(ns []*yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, n := range ns {
		n = deref(n)
		switch {
		case n.Kind == yaml.SequenceNode:
			if !e.visit(len(n.Content)) {
				return out
			}
			for _, c := range n.Content {
				if c = deref(c); !isNull(c) {
					out = append(out, c)
				}
			}
		case !isNull(n):
			out = append(out, n)
		}
	}
	return out
}

// scalars returns the scalar nodes among ns and their list items.
func (e *eval) scalars(ns []*yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	for _, n := range e.elems(ns) {
		if n.Kind == yaml.ScalarNode {
			out = append(out, n)
		}
	}
	return out
}

// visit charges n node visits to the budget and reports whether any is
// left.
func (e *eval) visit(n int) bool {
	e.visits += n + 1
	return e.visits <= maxVisits
}

// deref follows aliases. Chains are bounded because expandedSize refuses
// documents with alias cycles before evaluation; the loop bound is a guard.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 64; i++ {
		n = n.Alias
	}
	if n == nil || n.Kind == yaml.AliasNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return deref(n.Content[0])
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// isEmpty is true for null, the empty string and empty collections: a key
// written without a value (`wandb_project:`) names nothing.
func isEmpty(n *yaml.Node) bool {
	n = deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Tag == "!!null" || strings.TrimSpace(n.Value) == ""
	case yaml.MappingNode, yaml.SequenceNode:
		return len(n.Content) == 0
	}
	return true
}

// roots returns the nodes a signature's conditions are evaluated at.
func (e *eval) roots(doc *yaml.Node, root string) []*yaml.Node {
	switch root {
	case "":
		return []*yaml.Node{deref(doc)}
	case "*":
		var out []*yaml.Node
		for _, v := range e.resolve(doc, "*") {
			if v.Kind == yaml.MappingNode {
				out = append(out, v)
			}
		}
		return out
	}
	return nil
}

// baseModel returns the first scalar at the detector's base-model paths
// that names something.
func (e *eval) baseModel(d *Detector, root *yaml.Node) (*yaml.Node, bool) {
	for _, p := range d.BaseModel {
		for _, s := range e.scalars(e.resolve(root, p)) {
			if names(s) {
				return s, true
			}
		}
	}
	return nil, false
}

// names reports whether a scalar names a model: not null, empty or a
// boolean (levanter's initialize_from_hf: true), and not an OmegaConf
// placeholder (??? for "set on the command line", ${...} for a reference
// to another key), which NeMo and verl configs are full of.
func names(s *yaml.Node) bool {
	v := strings.TrimSpace(s.Value)
	return v != "" && s.Tag != "!!null" && s.Tag != "!!bool" && v != "???" && !strings.HasPrefix(v, "${")
}

// datasets returns the names the detector's picks find, in order, without
// duplicates.
func (e *eval) datasets(d *Detector, root *yaml.Node) []string {
	var out []string
	for _, p := range d.Datasets {
		for _, n := range e.elems(e.resolve(root, p.Path)) {
			switch {
			case n.Kind == yaml.ScalarNode:
				out = appendNames(out, n.Value, p.Split)
			case n.Kind == yaml.MappingNode && p.MapKeys:
				for i := 0; i+1 < len(n.Content); i += 2 {
					if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
						out = appendNames(out, k.Value, "")
					}
				}
			case n.Kind == yaml.MappingNode:
				for _, k := range p.Keys {
					found := false
					for _, v := range e.scalars(e.resolve(n, k)) {
						if v.Tag != "!!null" && strings.TrimSpace(v.Value) != "" {
							out = appendNames(out, v.Value, p.Split)
							found = true
						}
					}
					if found {
						break
					}
				}
			}
		}
	}
	return out
}

// refs returns the backend file paths the config names.
func (e *eval) refs(d *Detector, root *yaml.Node) []string {
	var out []string
	for _, p := range d.Refs {
		for _, s := range e.scalars(e.resolve(root, p)) {
			if s.Tag == "!!str" {
				out = appendNames(out, s.Value, "")
			}
		}
	}
	return out
}

// appendNames appends the trimmed, non-empty parts of v not yet in out.
func appendNames(out []string, v, split string) []string {
	parts := []string{v}
	if split != "" {
		parts = strings.Split(v, split)
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		// ??? and ${...} are OmegaConf placeholders, not names.
		if p == "" || p == "???" || strings.HasPrefix(p, "${") || slices.Contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// String renders the condition as it is written in Go, for the generated
// docs: Has("datasets"), AllOf(...).
func (c Cond) String() string {
	quote := func(ss ...string) string {
		q := make([]string, len(ss))
		for i, s := range ss {
			q[i] = strconv.Quote(s)
		}
		return strings.Join(q, ", ")
	}
	subs := func() string {
		s := make([]string, len(c.subs))
		for i, sub := range c.subs {
			s[i] = sub.String()
		}
		return strings.Join(s, ", ")
	}
	switch c.op {
	case opHas:
		return "Has(" + quote(c.path) + ")"
	case opPresent:
		return "Present(" + quote(c.path) + ")"
	case opScalar:
		return "Scalar(" + quote(c.path) + ")"
	case opList:
		return "List(" + quote(c.path) + ")"
	case opEq:
		return "Eq(" + quote(append([]string{c.path}, c.vals...)...) + ")"
	case opPrefix:
		return "Prefix(" + quote(append([]string{c.path}, c.vals...)...) + ")"
	case opSuffix:
		return "Suffix(" + quote(append([]string{c.path}, c.vals...)...) + ")"
	case opContains:
		return "Contains(" + quote(append([]string{c.path}, c.vals...)...) + ")"
	case opTrue:
		return "True(" + quote(c.path) + ")"
	case opEach:
		return "Each(" + quote(c.path) + ", " + subs() + ")"
	case opSome:
		return "Some(" + quote(c.path) + ", " + subs() + ")"
	case opAll:
		return "AllOf(" + subs() + ")"
	case opAny:
		return "AnyOf(" + subs() + ")"
	case opNot:
		return "Not(" + subs() + ")"
	case opNamed:
		return "Named(" + quote(c.path) + ")"
	}
	return "?"
}
