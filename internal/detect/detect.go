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
	// Library is set for a match in code that reads as a library or a
	// test rather than a training run: a test file, or a call inside a
	// function of a module with no __main__ entry. The repository, not a
	// decision record, is the usual answer: a detect.exclude glob.
	Library bool
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
	// Covered reports whether a decision record's covers glob matches a
	// path. Such a path that is no candidate is still opened far enough to
	// tell a Git LFS pointer or a submodule, which fail closed (SPEC 2):
	// a record claims it is a config ftgate would have to read.
	Covered func(path string) bool
	// Launchers are files outside paths read only for the configs they
	// launch: a launched file among paths that no other rule makes a
	// candidate (axolotl train training/x/cfg.txt) is judged as a target.
	// The launchers themselves are not on trial. Only shell scripts that
	// mention a non-candidate path's base name are parsed.
	Launchers []string
}

// MayLaunch reports whether a file can launch a training config: a shell
// script (the formats whose launch lines Detect follows).
func MayLaunch(name string) bool { return formatOf(Ext(name)) == Shell }

// Excluded is a config a detect.exclude glob removed.
type Excluded struct {
	Config Config
	Glob   string
}

// Unjudged is a candidate ftgate cannot read: a Git LFS pointer, a
// submodule, a file too large to judge. It fails closed (FT004).
type Unjudged struct {
	Path   string
	Reason string // one of the Reason constants
}

// Result is what Detect found, sorted by path.
type Result struct {
	Configs  []Config
	Excluded []Excluded
	Unjudged []Unjudged
}

// Ext returns the extension of name in lower case: every comparison of a
// file type in ftgate (the no-op path, the detectors, the records
// directory) goes through it, so `SFT.YAML` is read as `sft.yaml` is.
func Ext(name string) string { return strings.ToLower(path.Ext(name)) }

// candidateExts are the extensions a training config may have (SPEC 2 and
// 6): every format a detector reads.
var candidateExts = []string{".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".toml", ".sh", ".bash", ".py", ".ipynb"}

// Candidate reports whether a file with this name could be a training
// config: the one case-insensitive test the pre-commit no-op path, Detect
// and the records directory share, made before reading anything. A
// launcher's target is judged whatever its name (see Detect).
func Candidate(name string) bool {
	return slices.Contains(candidateExts, Ext(name)) || strings.EqualFold(path.Base(name), "Modelfile")
}

// File reports whether a file is a training config, judging from its name
// and content: JSON and JSONL on their first MaxHead bytes, everything else
// whole. It does no I/O; Refs are left as written. A file File cannot judge
// (see Unjudged) is not reported as a config here; Detect reports it.
func File(name string, data []byte) (Config, bool) {
	cfg, ok, _, _ := judgeFile(name, formatOf(Ext(name)), data)
	return cfg, ok
}

// Reasons a candidate cannot be judged (FT004).
const (
	ReasonLFS       = "cannot judge a Git LFS pointer: check out with lfs: true"
	ReasonSubmodule = "cannot judge a submodule: its files are in another repository"
	ReasonTooLarge  = "too large to judge: configs, code and notebook sources are read whole up to 1 MiB"
)

// lfsPointer is how every Git LFS pointer file starts.
var lfsPointer = []byte("version https://git-lfs.github.com/spec/")

// judgeFile judges data read as format f. unjudged, when not empty, says
// why the file cannot be judged at all; targets are the config files a
// launcher runs.
func judgeFile(name string, f Format, data []byte) (cfg Config, ok bool, unjudged string, targets []string) {
	if f == 0 {
		return Config{}, false, "", nil
	}
	if bytes.HasPrefix(data, lfsPointer) {
		return Config{}, false, ReasonLFS, nil
	}
	limit := MaxFile
	switch f {
	case JSON, JSONL:
		limit = MaxHead
	case Notebook:
		limit = maxNotebook
	}
	if limit == MaxFile && len(data) > MaxFile || len(data) > maxNotebook {
		// A binary file is never a config, whatever its size.
		if _, text := window(data, MaxHead); !text {
			return Config{}, false, "", nil
		}
		return Config{}, false, ReasonTooLarge, nil
	}
	h, text := window(data, limit)
	if !text {
		return Config{}, false, "", nil
	}
	switch f {
	case TOML:
		cfg, ok = matchText(name, f, h.text)
	case Shell:
		script, parsed := shellWords(h.text)
		if !parsed {
			script = shellScript{text: shellUncomment(h.text)}
		}
		cfg, ok = matchShell(name, h.text, script, parsed)
		targets = launchTargets(script)
	case Python:
		// Most Python is not training code: without a signature's word it
		// is not even tokenized.
		if codeMayMatch(h.text) {
			cfg, ok = matchCode(name, pythonSource(h.text))
		}
	case Notebook:
		cfg, ok = matchCode(name, notebookSource(h.parse))
	default:
		if !docMayMatch(f, h.text) {
			break
		}
		docs, err := parse(f, h.parse)
		if err != nil {
			cfg, ok = matchText(name, f, h.text)
		} else {
			cfg, ok = matchDocs(name, f, docs)
		}
	}
	return cfg, ok, "", targets
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
		if e.holds(c, root) && !e.holds(fineTuneSignal, root) {
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

// matchShell tries the detectors' launcher signatures over the script's
// words (see shellWords). The line is where the first required expression
// (the entry point) matched.
func matchShell(name string, src []byte, script shellScript, parsed bool) (Config, bool) {
	text := script.text
	for i := range Detectors {
		d := &Detectors[i]
		t := d.Shell
		if t == nil || !textHolds(t, text) {
			continue
		}
		cfg := textConfig(d, t, "launcher", name, text)
		if !parsed {
			if m := t.All[0].FindIndex(text); m != nil {
				pt := posTracker{data: text}
				cfg.Line, _ = pt.at(m[0])
			}
			return cfg, true
		}
		if m := t.All[0].FindIndex(text); m != nil {
			cfg.Line = script.line(m[0])
		}
		cfg.BaseModelPos = finding.Position{}
		if cfg.BaseModel != "" {
			cfg.BaseModelPos = shellPosition(name, src, script, t.BaseModel.FindSubmatchIndex(text), cfg.BaseModel)
		}
		return cfg, true
	}
	return Config{}, false
}

// shellPosition finds where a value the words of a command hold is written
// in the file: from the start of the command's line, its first occurrence.
func shellPosition(name string, src []byte, script shellScript, m []int, value string) finding.Position {
	if len(m) < 4 || m[2] < 0 {
		return finding.Position{}
	}
	line := script.line(m[2])
	pt := posTracker{data: src}
	start := 0
	for l := 1; l < line && start < len(src); l++ {
		i := bytes.IndexByte(src[start:], '\n')
		if i < 0 {
			break
		}
		start += i + 1
	}
	if i := bytes.Index(src[start:], []byte(value)); i >= 0 {
		l, c := pt.at(start + i)
		return finding.Position{File: name, Line: l, Col: c}
	}
	return finding.Position{File: name, Line: line, Col: 1}
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
	if anyMatch(t.Pretrain, text) && !anyMatch(t.NotPretrain, text) && !textFineTuneSignal.Match(text) {
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
	judged := make(map[string]bool, len(paths))
	var targets [][2]string // launcher, the config file it names
	// judge judges p; a launcher's target (target set) is read whatever its
	// extension.
	judge := func(p string, target bool) error {
		incl, included := firstMatch(include, p)
		if !included && !target && !Candidate(p) {
			if opt.Covered == nil || !opt.Covered(p) {
				return nil
			}
			why, err := unreadable(fsys, p)
			if why != "" {
				res.Unjudged = append(res.Unjudged, Unjudged{Path: p, Reason: why})
			}
			return err
		}
		judged[p] = true
		data, kind, err := readFile(fsys, p)
		if err != nil {
			return err
		}
		switch kind {
		case fileMissing:
			return nil
		case fileSubmodule:
			res.Unjudged = append(res.Unjudged, Unjudged{Path: p, Reason: ReasonSubmodule})
			return nil
		}
		f := formatOf(Ext(p))
		if f == 0 && target {
			// JSON is YAML too: a target of any other name is read as YAML.
			f = YAML
		}
		cfg, found, why, runs := judgeFile(p, f, data)
		for _, t := range runs {
			targets = append(targets, [2]string{p, t})
		}
		if why != "" {
			res.Unjudged = append(res.Unjudged, Unjudged{Path: p, Reason: why})
			return nil
		}
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
			return nil
		default:
			return nil
		}
		if cfg.Kind == Pretrain && opt.Pretrain == "ignore" {
			return nil
		}
		if cfg.Refs, err = resolveRefs(fsys, p, cfg.Refs); err != nil {
			return err
		}
		res.Configs = append(res.Configs, cfg)
		return nil
	}
	inRecords := func(p string) bool { return p == records || strings.HasPrefix(p, records+"/") }
	for _, p := range paths {
		p = cleanPath(p)
		if seen[p] {
			continue
		}
		seen[p] = true
		if !fs.ValidPath(p) || p == "." {
			return Result{}, fmt.Errorf("detect: %q is not a repository-relative path", p)
		}
		if inRecords(p) {
			continue
		}
		if err := judge(p, false); err != nil {
			return Result{}, err
		}
	}
	// Unchanged launchers that may name a given non-candidate put it on
	// trial too; a launcher's text must hold the target's base name before
	// it is parsed.
	var orphans []string
	for p := range seen {
		if !judged[p] && !inRecords(p) {
			orphans = append(orphans, path.Base(p))
		}
	}
	var names *wordSet
	if len(orphans) > 0 && len(opt.Launchers) > 0 {
		slices.Sort(orphans)
		orphans = slices.Compact(orphans)
		// One pass over each launcher finds any of the names. The
		// automaton grows with the names; past maxOrphanNames every
		// launcher is parsed instead, still once each.
		if len(orphans) <= maxOrphanNames {
			names = newWordSet(orphans)
		}
	}
	for _, l := range opt.Launchers {
		l = cleanPath(l)
		if len(orphans) == 0 {
			break
		}
		if seen[l] || !MayLaunch(l) {
			continue
		}
		runs, err := launchedBy(fsys, l, names)
		if err != nil {
			return Result{}, err
		}
		for _, t := range runs {
			targets = append(targets, [2]string{l, t})
		}
	}
	// A launcher that names a config file puts that file on trial, whatever
	// its extension (SPEC 2). Targets are not followed further.
	for _, lt := range targets {
		files, err := resolveRefs(fsys, lt[0], []string{lt[1]})
		if err != nil {
			return Result{}, err
		}
		for _, p := range files {
			if judged[p] || inRecords(p) || !seen[lt[0]] && !seen[p] {
				// A launcher read only for its targets puts on trial
				// only the paths Detect was given.
				continue
			}
			if err := judge(p, true); err != nil {
				return Result{}, err
			}
		}
	}
	slices.SortFunc(res.Configs, func(a, b Config) int { return strings.Compare(a.Path, b.Path) })
	if res.Configs, err = addNamedData(fsys, res.Configs, exclude, records); err != nil {
		return Result{}, err
	}
	slices.SortFunc(res.Configs, func(a, b Config) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(res.Excluded, func(a, b Excluded) int { return strings.Compare(a.Config.Path, b.Config.Path) })
	slices.SortFunc(res.Unjudged, func(a, b Unjudged) int { return strings.Compare(a.Path, b.Path) })
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

// What readFile found at a path.
const (
	fileMissing = iota
	fileRegular
	// fileSubmodule is a directory where a file was named: a submodule's
	// gitlink, whose content is in another repository.
	fileSubmodule
)

// readFile reads p: at most MaxFile+1 bytes, enough to tell a file that is
// too large to judge, or for a notebook (whose outputs do not count) at
// most maxNotebook+1. It reports fileMissing, with a nil error, when p does
// not exist or is neither a regular file nor a directory.
func readFile(fsys fs.FS, p string) (data []byte, kind int, err error) {
	f, err := fsys.Open(p)
	if missing(err) {
		return nil, fileMissing, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", p, err)
	}
	if st.IsDir() {
		return nil, fileSubmodule, nil
	}
	if !st.Mode().IsRegular() {
		return nil, fileMissing, nil
	}
	limit := int64(MaxFile)
	if formatOf(Ext(p)) == Notebook {
		limit = maxNotebook
	}
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", p, err)
	}
	return data, fileRegular, nil
}

// maxOrphanNames bounds the names launchers are scanned for before they
// are parsed (about 1 KiB of automaton per name byte).
const maxOrphanNames = 256

// launchedBy lists the config files the shell script l launches, when its
// text holds one of names (one multi-pattern pass; nil lets every script
// through); it reads nothing more than judgeFile would.
func launchedBy(fsys fs.FS, l string, names *wordSet) ([]string, error) {
	data, kind, err := readFile(fsys, l)
	if err != nil || kind != fileRegular || len(data) > MaxFile || bytes.HasPrefix(data, lfsPointer) {
		return nil, err
	}
	if names != nil && !names.any(data) {
		return nil, nil
	}
	h, text := window(data, MaxFile)
	if !text {
		return nil, nil
	}
	script, parsed := shellWords(h.text)
	if !parsed {
		script = shellScript{text: shellUncomment(h.text)}
	}
	return launchTargets(script), nil
}

// unreadable says why p cannot be judged when it is a submodule or a Git
// LFS pointer, reading no more than a pointer's first line; it returns ""
// for anything else, a missing path included.
func unreadable(fsys fs.FS, p string) (string, error) {
	f, err := fsys.Open(p)
	if missing(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	if st.IsDir() {
		return ReasonSubmodule, nil
	}
	if !st.Mode().IsRegular() {
		return "", nil
	}
	head := make([]byte, len(lfsPointer))
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	if bytes.Equal(head[:n], lfsPointer) {
		return ReasonLFS, nil
	}
	return "", nil
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

// resolveRefs keeps the files named in refs (backend files, datasets, a
// launcher's targets) that exist in fsys, as repository-relative paths. A
// reference is tried from the repository root (how axolotl, LLaMA-Factory
// and the HF trainers resolve it when launched from there) and then from
// the naming file's directory.
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
				// A file a fine-tune also runs with is fine-tuning
				// material, whatever a pretraining config sharing it is.
				if c.Kind == Finetune {
					out[i].Kind = Finetune
				}
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
	h, ok := window(data, MaxHead)
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
