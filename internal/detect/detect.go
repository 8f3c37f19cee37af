package detect

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"syscall"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/pathglob"
)

// Kinds of training config.
const (
	// Finetune is a fine-tuning run of a pretrained model.
	Finetune = "finetune"
	// Pretrain is language-model pretraining, from scratch or continued on
	// raw text (FT011).
	Pretrain = "pretrain"
)

// Custom is the framework of a file that is a config only because a
// detect.include glob names it.
const Custom = "custom"

// DefaultRecordsDir is where decision records live unless configured.
const DefaultRecordsDir = "decisions"

// Config is one detected training config.
type Config struct {
	Path      string
	Kind      string // Finetune or Pretrain
	Framework string // the detector's Name, or Custom
	// Signature says what matched: "<detector>:<signature>",
	// "<detector>:text" for a file that did not parse, or "include:<glob>".
	Signature string
	BaseModel string
	// BaseModelPos is where the base model is written (1-based line, column
	// in code points); zero when the base model is unknown.
	BaseModelPos finding.Position
	// Datasets are the dataset paths or names the file trains on, as
	// written.
	Datasets []string
	// Line is the line of a match in code (Python); 0 otherwise.
	Line int
	// Via lists the configs that name this file, for backend files and
	// named datasets: the records that cover them cover this file too.
	Via []string
	// Refs are backend files (DeepSpeed, accelerate, FSDP) the config
	// references. File fills them as written; Detect keeps those that exist
	// in the tree, as repository-relative paths.
	Refs []string
}

// Options are the repository's detection settings.
type Options struct {
	// Include globs make matching files configs of framework Custom even
	// when no signature matches them; Exclude globs drop files a signature
	// matched (they are listed in Result.Excluded). Both are pathglob
	// patterns.
	Include, Exclude []string
	// RecordsDir holds the decision records, which are never configs;
	// DefaultRecordsDir when empty.
	RecordsDir string
	// Pretrain is the policy for pretraining configs: "warning", "error" or
	// "ignore"; "ignore" drops them from the result.
	Pretrain string
}

// Excluded is a config a detect.exclude glob removed.
type Excluded struct {
	Config Config
	Glob   string
}

// Result is what Detect found, sorted by path.
type Result struct {
	Configs  []Config
	Excluded []Excluded
}

// Candidate reports whether some detector reads files with this name: the
// cheap test a caller can make before reading anything.
func Candidate(name string) bool {
	f := formatOf(strings.ToLower(path.Ext(name)))
	if f == 0 {
		return false
	}
	for i := range Detectors {
		if slices.Contains(Detectors[i].Formats, f) {
			return true
		}
	}
	return false
}

// File reports whether a file is a training config, judging from its name
// and at most the first MaxHead bytes of data. It does no I/O; Refs are
// left as written.
func File(name string, data []byte) (Config, bool) {
	f := formatOf(strings.ToLower(path.Ext(name)))
	if f == 0 {
		return Config{}, false
	}
	h, ok := window(data)
	if !ok {
		return Config{}, false
	}
	switch f {
	case TOML:
		return matchText(name, f, h.text)
	case Shell:
		return matchShell(name, h.text)
	case Python:
		return matchCode(name, pythonSource(h.text))
	case Notebook:
		return matchCode(name, notebookSource(h.parse, h.text))
	}
	docs, err := parse(f, h.parse)
	if err != nil {
		return matchText(name, f, h.text)
	}
	return matchDocs(name, f, docs)
}

// matchDocs tries each detector, in the order of Detectors, on the parsed
// documents.
func matchDocs(name string, f Format, docs []*yaml.Node) (Config, bool) {
	if len(docs) == 0 {
		return Config{}, false
	}
	e := &eval{}
	for i := range Detectors {
		d := &Detectors[i]
		if !slices.Contains(d.Formats, f) {
			continue
		}
		if f == JSONL {
			if cfg, ok := e.matchEvery(d, name, docs); ok {
				return cfg, true
			}
			continue
		}
		for _, doc := range docs {
			if cfg, ok := e.matchOne(d, name, doc); ok {
				return cfg, true
			}
		}
	}
	return Config{}, false
}

// matchOne matches one document against d's signatures.
func (e *eval) matchOne(d *Detector, name string, doc *yaml.Node) (Config, bool) {
	for _, sig := range d.Signatures {
		for _, root := range e.roots(doc, sig.Root) {
			if e.holds(sig.When, root) && !e.rejected(d, root) {
				return e.config(d, sig, name, root), true
			}
		}
	}
	return Config{}, false
}

// matchEvery matches when one signature holds on every document (every
// sampled JSONL line).
func (e *eval) matchEvery(d *Detector, name string, docs []*yaml.Node) (Config, bool) {
next:
	for _, sig := range d.Signatures {
		var first *yaml.Node
		for _, doc := range docs {
			var hit *yaml.Node
			for _, root := range e.roots(doc, sig.Root) {
				if e.holds(sig.When, root) && !e.rejected(d, root) {
					hit = root
					break
				}
			}
			if hit == nil {
				continue next
			}
			if first == nil {
				first = hit
			}
		}
		return e.config(d, sig, name, first), true
	}
	return Config{}, false
}

func (e *eval) rejected(d *Detector, root *yaml.Node) bool {
	for _, c := range d.Reject {
		if e.holds(c, root) {
			return true
		}
	}
	return false
}

// config builds the Config for a signature that held at root.
func (e *eval) config(d *Detector, sig Signature, name string, root *yaml.Node) Config {
	cfg := Config{
		Path:      name,
		Kind:      Finetune,
		Framework: d.Name,
		Signature: d.Name + ":" + sig.Name,
		Datasets:  e.datasets(d, root),
		Refs:      e.refs(d, root),
	}
	if n, ok := e.baseModel(d, root); ok {
		cfg.BaseModel = strings.TrimSpace(n.Value)
		cfg.BaseModelPos = finding.Position{File: name, Line: n.Line, Col: n.Column}
	}
	for _, c := range d.Pretrain {
		if e.holds(c, root) {
			cfg.Kind = Pretrain
			break
		}
	}
	return cfg
}

// matchText tries the text signatures of the detectors that read format f.
func matchText(name string, f Format, text []byte) (Config, bool) {
	for i := range Detectors {
		d := &Detectors[i]
		if t := d.Text; t != nil && slices.Contains(d.Formats, f) && textHolds(t, text) {
			return textConfig(d, t, "text", name, text), true
		}
	}
	return Config{}, false
}

// matchShell tries the detectors' launcher signatures. The line is where
// the first required expression (the entry point) matched.
func matchShell(name string, text []byte) (Config, bool) {
	text = shellUncomment(text)
	for i := range Detectors {
		d := &Detectors[i]
		if t := d.Shell; t != nil && textHolds(t, text) {
			cfg := textConfig(d, t, "launcher", name, text)
			if m := t.All[0].FindIndex(text); m != nil {
				pt := posTracker{data: text}
				cfg.Line, _ = pt.at(m[0])
			}
			return cfg, true
		}
	}
	return Config{}, false
}

// shellUncomment blanks the comments of a shell script, keeping every byte's
// line, so a commented-out command is not a launch.
func shellUncomment(text []byte) []byte {
	out := bytes.Clone(text)
	for start := 0; start < len(out); {
		end := bytes.IndexByte(out[start:], '\n')
		if end < 0 {
			end = len(out)
		} else {
			end += start
		}
		line := out[start:end]
		if i := bytes.IndexFunc(line, func(r rune) bool { return r != ' ' && r != '\t' }); i >= 0 && line[i] == '#' {
			for j := i; j < len(line); j++ {
				line[j] = ' '
			}
		}
		start = end + 1
	}
	return out
}

// textConfig builds the Config for a text signature that held.
func textConfig(d *Detector, t *TextSignature, sig, name string, text []byte) Config {
	cfg := Config{
		Path:      name,
		Kind:      Finetune,
		Framework: d.Name,
		Signature: d.Name + ":" + sig,
		Datasets:  groups(t.Datasets, text, t.DatasetSplit),
		Refs:      groups(t.Refs, text, ""),
	}
	if t.BaseModel != nil {
		if m := t.BaseModel.FindSubmatchIndex(text); len(m) >= 4 && m[2] >= 0 && m[3] > m[2] && !templated(text[m[2]:m[3]]) {
			cfg.BaseModel = string(text[m[2]:m[3]])
			pt := posTracker{data: text}
			line, col := pt.at(m[2])
			cfg.BaseModelPos = finding.Position{File: name, Line: line, Col: col}
		}
	}
	if anyMatch(t.Pretrain, text) && !anyMatch(t.NotPretrain, text) {
		cfg.Kind = Pretrain
	}
	return cfg
}

func anyMatch(res []*Pattern, text []byte) bool {
	for _, re := range res {
		if re.Match(text) {
			return true
		}
	}
	return false
}

// templated reports a value that is a template expression (Helm, Jinja),
// not a name: a file that did not parse names nothing there.
func templated(v []byte) bool {
	return bytes.Contains(v, []byte("{{")) || bytes.Contains(v, []byte("{%")) || bytes.Contains(v, []byte("}}"))
}

func textHolds(t *TextSignature, text []byte) bool {
	if len(t.All) == 0 {
		return false
	}
	for _, re := range t.All {
		if !re.Match(text) {
			return false
		}
	}
	for _, re := range t.None {
		if re.Match(text) {
			return false
		}
	}
	return true
}

// groups returns the first groups of every match of res, split and without
// duplicates.
func groups(res []*Pattern, text []byte, split string) []string {
	var out []string
	for _, re := range res {
		for _, m := range re.FindAllSubmatch(text, -1) {
			if len(m) > 1 && !templated(m[1]) {
				out = appendNames(out, string(m[1]), split)
			}
		}
	}
	return out
}

// Detect judges each of paths (repository-relative, '/'-separated) read
// from fsys, at most MaxHead bytes each, and returns the configs and the
// excluded configs sorted by path.
//
// A file is a config when a detector matches it and no exclude glob does, or
// when an include glob matches it (framework Custom, signature
// "include:<glob>"): an include is the repository's explicit word and wins
// over exclude and over content. Only files a detector could read
// (Candidate) or an include glob names are opened. Files under the records
// directory are never configs; a path that does not exist, or is not a
// regular file, is skipped. The error is for any other failure to read a
// file and for invalid options. Refs are resolved against fsys.
func Detect(fsys fs.FS, paths []string, opt Options) (Result, error) {
	include, err := compileGlobs("include", opt.Include)
	if err != nil {
		return Result{}, err
	}
	exclude, err := compileGlobs("exclude", opt.Exclude)
	if err != nil {
		return Result{}, err
	}
	switch opt.Pretrain {
	case "", "warning", "error", "ignore":
	default:
		return Result{}, fmt.Errorf("detect: pretrain is %q; want warning, error or ignore", opt.Pretrain)
	}
	records := cleanPath(cmp.Or(opt.RecordsDir, DefaultRecordsDir))

	var res Result
	seen := make(map[string]bool, len(paths))
	for _, p := range paths {
		p = cleanPath(p)
		if seen[p] {
			continue
		}
		seen[p] = true
		if !fs.ValidPath(p) || p == "." {
			return Result{}, fmt.Errorf("detect: %q is not a repository-relative path", p)
		}
		if p == records || strings.HasPrefix(p, records+"/") {
			continue
		}
		incl, included := firstMatch(include, p)
		if !included && !Candidate(p) {
			continue
		}
		data, ok, err := readHead(fsys, p)
		if err != nil {
			return Result{}, err
		}
		if !ok {
			continue
		}
		cfg, found := File(p, data)
		excl, excluded := firstMatch(exclude, p)
		switch {
		case found && !excluded:
		case included:
			// An include glob is the repository saying "this is a config",
			// whatever its content and whatever exclude says.
			cfg = Config{Path: p, Kind: Finetune, Framework: Custom, Signature: "include:" + incl}
		case found:
			if cfg.Kind != Pretrain || opt.Pretrain != "ignore" {
				cfg.Refs = nil
				res.Excluded = append(res.Excluded, Excluded{Config: cfg, Glob: excl})
			}
			continue
		default:
			continue
		}
		if cfg.Kind == Pretrain && opt.Pretrain == "ignore" {
			continue
		}
		if cfg.Refs, err = resolveRefs(fsys, p, cfg.Refs); err != nil {
			return Result{}, err
		}
		res.Configs = append(res.Configs, cfg)
	}
	slices.SortFunc(res.Configs, func(a, b Config) int { return strings.Compare(a.Path, b.Path) })
	if res.Configs, err = addNamedData(fsys, res.Configs, exclude, records); err != nil {
		return Result{}, err
	}
	slices.SortFunc(res.Configs, func(a, b Config) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(res.Excluded, func(a, b Excluded) int { return strings.Compare(a.Config.Path, b.Config.Path) })
	return res, nil
}

func compileGlobs(what string, patterns []string) ([]pathglob.Glob, error) {
	gs := make([]pathglob.Glob, 0, len(patterns))
	for _, p := range patterns {
		g, err := pathglob.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("detect.%s: %w", what, err)
		}
		gs = append(gs, g)
	}
	return gs, nil
}

func firstMatch(gs []pathglob.Glob, p string) (string, bool) {
	for _, g := range gs {
		if g.Match(p) {
			return g.String(), true
		}
	}
	return "", false
}

// cleanPath makes p a clean slash path without a leading "./" or trailing
// "/".
func cleanPath(p string) string {
	return strings.TrimPrefix(path.Clean(strings.TrimSpace(p)), "./")
}

// readHead reads at most MaxHead bytes of p. ok is false, with a nil error,
// when p does not exist or is not a regular file.
func readHead(fsys fs.FS, p string) (data []byte, ok bool, err error) {
	f, err := fsys.Open(p)
	if missing(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", p, err)
	}
	if !st.Mode().IsRegular() {
		return nil, false, nil
	}
	data, err = io.ReadAll(io.LimitReader(f, MaxHead))
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", p, err)
	}
	return data, true, nil
}

// missing reports an error that means "no such file": it does not exist, or
// a parent of it is a file.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// resolveRefs keeps the backend files named in refs that exist in fsys, as
// repository-relative paths. A reference is tried from the repository root
// (how axolotl, LLaMA-Factory and the HF trainers resolve it when launched
// from there) and then from the config's directory.
func resolveRefs(fsys fs.FS, config string, refs []string) ([]string, error) {
	var out []string
	for _, r := range refs {
		if strings.HasPrefix(r, "/") || strings.Contains(r, "://") || strings.Contains(r, "${") {
			continue
		}
		for _, c := range []string{cleanPath(r), cleanPath(path.Join(path.Dir(config), r))} {
			if slices.Contains(out, c) {
				break
			}
			if !fs.ValidPath(c) || c == "." {
				continue
			}
			st, err := fs.Stat(fsys, c)
			if missing(err) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("read %s (referenced by %s): %w", c, config, err)
			}
			if st.Mode().IsRegular() {
				out = append(out, c)
				break
			}
		}
	}
	return out, nil
}

// DataFramework is the framework of a plain-text or prompt/completion JSONL
// file, a training config only because a detected config names it as its
// dataset.
const DataFramework = "jsonl-dataset"

// addNamedData adds the {"text"} and {"prompt","completion"} JSONL files the
// detected configs name as datasets: such data is training data only when a
// config trains on it (SPEC 2). It takes the naming config's kind.
func addNamedData(fsys fs.FS, configs []Config, exclude []pathglob.Glob, records string) ([]Config, error) {
	index := make(map[string]int, len(configs)) // path → position in out
	for i, c := range configs {
		index[c.Path] = i
	}
	out := configs
	n := len(configs)
	// add records that config c names file p; a file named by several
	// configs is one config covered through all of them.
	add := func(c Config, p, framework string) {
		if i, ok := index[p]; ok {
			if i >= n && !slices.Contains(out[i].Via, c.Path) {
				out[i].Via = append(out[i].Via, c.Path)
			}
			return
		}
		index[p] = len(out)
		out = append(out, Config{Path: p, Kind: c.Kind, Framework: framework, Signature: framework + ":named-by:" + c.Path, Via: []string{c.Path}})
	}
	usable := func(p string) bool {
		_, excluded := firstMatch(exclude, p)
		return !excluded && p != records && !strings.HasPrefix(p, records+"/")
	}
	for _, c := range configs[:n] {
		var named []string
		for _, d := range c.Datasets {
			if strings.HasSuffix(d, ".jsonl") || strings.HasSuffix(d, ".ndjson") {
				named = append(named, d)
			}
		}
		files, err := resolveRefs(fsys, c.Path, named)
		if err != nil {
			return nil, err
		}
		for _, p := range files {
			if _, known := index[p]; known && index[p] < n || !usable(p) {
				continue
			}
			if _, known := index[p]; !known {
				data, ok, err := readHead(fsys, p)
				if err != nil {
					return nil, err
				}
				if !ok || !plainJSONL(data) {
					continue
				}
			}
			add(c, p, DataFramework)
		}
		// Backend files (DeepSpeed, accelerate, FSDP) are reported only
		// through a config that references them (SPEC 2).
		for _, p := range c.Refs {
			if _, known := index[p]; known && index[p] < n || !usable(p) {
				continue
			}
			add(c, p, BackendFramework)
		}
	}
	return out, nil
}

// BackendFramework is the framework of a DeepSpeed, accelerate or FSDP file
// a detected config references.
const BackendFramework = "backend"

// plainJSONL reports whether every complete line in the head is a JSON object
// with a "text" string, or with "prompt" and "completion".
func plainJSONL(data []byte) bool {
	h, ok := window(data)
	if !ok {
		return false
	}
	lines := 0
	for _, line := range bytes.Split(h.parse, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var row map[string]json.RawMessage
		if json.Unmarshal(line, &row) != nil {
			return false
		}
		_, text := row["text"]
		_, prompt := row["prompt"]
		_, completion := row["completion"]
		if !text && !(prompt && completion) {
			return false
		}
		lines++
	}
	return lines > 0
}
