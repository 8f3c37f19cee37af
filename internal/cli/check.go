package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/codeowners"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/report"
	"github.com/ftgate/ftgate/internal/result"
)

// policyDir holds a repository's policy files.
const policyDir = ".ftgate"

type checkFlags struct {
	base    string
	staged  bool
	all     bool
	dir     string
	records string
	policy  string
	failOn  string
	today   string
	format  string
	output  string
	sarif   string
	comment string
}

func newCheck(e *env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [--base REF | --staged | --all | FILE...]",
		Short: "Judge the training configs a change brings against their decision records",
		Long: `check finds the fine-tuning configs a change adds or edits, matches each to the
decision record that covers it, recomputes the record's evidence and evaluates
the policy. Exit 0: pass; 1: findings at or above --fail-on; 2: ftgate could not
check (flags, policy, git, I/O, the GitHub API).

Inside GitHub Actions, on a pull_request or pull_request_target event and with
none of --base, --staged, --all or FILE, check runs in GitHub mode: it judges the
pull request and writes annotations, the job summary, step outputs and one
sticky pull-request comment.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(e, f, args, cmd.Flags().Changed("records"))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.base, "base", "", "judge the changes since the merge base with `REF`; policy and CODEOWNERS come from REF")
	fl.BoolVar(&f.staged, "staged", false, "judge the staged changes (pre-commit); policy and CODEOWNERS come from HEAD")
	fl.BoolVar(&f.all, "all", false, "judge every training config in the tree")
	fl.StringVarP(&f.dir, "dir", "C", ".", "use `DIR` as the root for configs, records, evidence and policy")
	fl.StringVar(&f.records, "records", "", "decision records directory (default: the policy's records.dir, \"decisions\")")
	fl.StringVar(&f.policy, "policy", "", "extra policy `DIR` of .cue files (repository-relative, or absolute)")
	fl.StringVar(&f.failOn, "fail-on", "error", "lowest severity that fails the check: error or warning")
	fl.StringVar(&f.today, "today", "", "judge as of `YYYY-MM-DD` (default: today, UTC)")
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fl.StringVar(&f.output, "output", "", "write the report to `FILE` instead of standard output")
	fl.StringVar(&f.sarif, "sarif-file", "", "also write a SARIF 2.1.0 report to `FILE`")
	fl.StringVar(&f.comment, "comment", "auto", "GitHub mode: keep a pull-request comment: auto (when the change fails or touches a config), always or never")
	return cmd
}

// checkError is exit 2 with a position when there is one.
type checkError struct {
	info report.ErrorInfo
}

func (c *checkError) Error() string { return c.info.Message }

// errorInfo is the one-line report of an error that stops a command (exit
// 2), placed at a file and position when the error has one. A policy error
// reports its first problem and prints the others on stderr, one a line.
func errorInfo(e *env, err error) report.ErrorInfo {
	var ce *checkError
	var pe *evaluate.PolicyError
	switch {
	case errors.As(err, &ce):
		info := ce.info
		info.Message = oneLine(info.Message)
		return info
	case errors.As(err, &pe) && len(pe.Problems) > 0:
		for _, p := range pe.Problems[1:] {
			fmt.Fprintf(e.stderr, "ftgate: %s\n", oneLine(p.String()))
		}
		first := pe.Problems[0]
		info := report.ErrorInfo{Message: oneLine(first.Message), File: first.Pos.File, Line: first.Pos.Line, Col: first.Pos.Col}
		if n := len(pe.Problems) - 1; n > 0 {
			info.Message += fmt.Sprintf(" (and %d more policy errors)", n)
		}
		return info
	}
	return report.ErrorInfo{Message: oneLine(err.Error())}
}

func failf(format string, args ...any) error {
	return &checkError{info: report.ErrorInfo{Message: fmt.Sprintf(format, args...)}}
}

func runCheck(e *env, f checkFlags, files []string, recordsSet bool) error {
	err := check(e, f, files, recordsSet)
	if err == nil {
		return nil
	}
	if errors.Is(err, errClosed) {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	info := errorInfo(e, err)
	format := f.format
	if !slices.Contains(report.Formats(), format) {
		format = "text"
	}
	w := e.stdout
	if format == "text" {
		w = e.stderr
	}
	if err := report.WriteError(w, format, info); err != nil {
		return err
	}
	if githubMode(e, f, files) {
		githubError(e, info.Message)
	}
	return &exitError{code: ExitError}
}

// mode is how a check finds what changed and where each input is read from.
type mode int

const (
	modeBase mode = iota + 1
	modeStaged
	modeAll
	modeFiles
	modeGitHub // a pull request, from the Actions environment
)

func (f checkFlags) mode(files []string) (mode, error) {
	var chosen []string
	if f.base != "" {
		chosen = append(chosen, "--base")
	}
	if f.staged {
		chosen = append(chosen, "--staged")
	}
	if f.all {
		chosen = append(chosen, "--all")
	}
	if len(files) > 0 {
		chosen = append(chosen, "FILE arguments")
	}
	switch {
	case len(chosen) > 1:
		return 0, &usageError{msg: "choose one of " + strings.Join(chosen, ", ")}
	case f.base != "":
		return modeBase, nil
	case f.staged:
		return modeStaged, nil
	case f.all:
		return modeAll, nil
	case len(files) > 0:
		return modeFiles, nil
	}
	return 0, &usageError{msg: "nothing to check: pass --base REF, --staged, --all or FILE..."}
}

func check(e *env, f checkFlags, files []string, recordsSet bool) error {
	var gh *ghRun
	m, err := f.mode(files)
	if githubMode(e, f, files) {
		m, err = modeGitHub, nil
	}
	if err != nil {
		return err
	}
	repOpts := report.Options{Color: f.output == "" && isTerminal(e.stdout) && e.getenv("NO_COLOR") == ""}
	rep, err := report.NewWithOptions(f.format, repOpts)
	if err != nil {
		return &usageError{msg: "--format: " + err.Error()}
	}
	failOn, err := finding.ParseSeverity(f.failOn)
	if err != nil || failOn == finding.Notice {
		return &usageError{msg: fmt.Sprintf("--fail-on %q: want error or warning", f.failOn)}
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if f.today != "" {
		today, err = time.Parse(time.DateOnly, f.today)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("--today %q: want YYYY-MM-DD", f.today)}
		}
	}
	if st, err := os.Stat(f.dir); err != nil || !st.IsDir() {
		return failf("-C %s: not a directory", f.dir)
	}
	if m == modeGitHub {
		if gh, err = newGitHubRun(e, f); err != nil {
			if errors.Is(err, errClosed) {
				gh.notice("the pull request is closed: nothing to check")
				writeOutputs(e.getenv, result.Pass, 0, 0, "")
			}
			return err
		}
	}

	recordsDir := f.records
	if m == modeStaged {
		// The no-op path: one git process, no policy, when nothing staged
		// could be a config, a record or policy.
		names, err := changes.StagedNames(f.dir)
		if err != nil {
			return err
		}
		noopRecords := detect.DefaultRecordsDir
		if recordsSet {
			noopRecords = path.Clean(filepath.ToSlash(recordsDir))
		}
		if !anyCandidate(names, noopRecords) {
			return emit(e, f, rep, &result.Result{Result: result.Pass, FailOn: failOn, Metrics: map[string]*result.Metrics{}}, failOn)
		}
	}

	var in *inputs
	if gh != nil {
		in, err = gh.gather()
	} else {
		in, err = gather(f, m, files)
	}
	if err != nil {
		return err
	}
	defer in.close()

	loader, err := record.NewLoader()
	if err != nil {
		return err
	}
	policySources, err := readPolicy(in.policyFS, f.policy)
	if err != nil {
		return err
	}
	pol, err := evaluate.Load(loader.Context(), policySources)
	if err != nil {
		return err
	}
	if recordsDir == "" {
		recordsDir = pol.RecordsDir
	}
	recordsDir = path.Clean(strings.TrimPrefix(filepath.ToSlash(recordsDir), "./"))

	var findings []finding.Finding
	if m == modeBase || m == modeStaged || m == modeGitHub {
		findings = append(findings, policyChange(loader, in, f.policy)...)
	}

	res, err := judgement{
		loader: loader, policy: pol, head: in.headFS, owners: in.policyFS, recordsDir: recordsDir,
		scope: record.Scope{All: m == modeAll, Changed: in.changed}, today: today, failOn: failOn,
	}.run(findings)
	if err != nil {
		return err
	}
	// GitHub reads annotation and SARIF paths from the repository's top
	// level, which -C (or the working directory) may be below.
	namesFiles := f.format == "github" || f.format == "sarif"
	prefix := ""
	if namesFiles || f.sarif != "" || gh != nil {
		prefix = repoPrefix(in.repo, f.dir)
	}
	if namesFiles && prefix != "" {
		repOpts.PathPrefix = prefix
		if rep, err = report.NewWithOptions(f.format, repOpts); err != nil {
			return err
		}
	}
	if err := writeSARIF(f.sarif, res, prefix); err != nil {
		return err
	}
	if gh != nil {
		if err := gh.emit(rep, res, f.sarif, prefix); err != nil {
			return err
		}
		if res.Result == result.Fail {
			return &exitError{code: ExitFindings}
		}
		return nil
	}
	return emit(e, f, rep, res, failOn)
}

// judgement is one judging of a tree: what is on trial, the policy, and
// where each input is read from. check and policy test both run it.
type judgement struct {
	loader     *record.Loader
	policy     *evaluate.Policy
	head       fs.FS // configs, records and evidence
	owners     fs.FS // where CODEOWNERS is read: the base in PR mode
	recordsDir string
	scope      record.Scope
	today      time.Time
	failOn     finding.Severity
	// skip drops files of the tree before detection; nil keeps them all.
	skip func(path string) bool
	// supplement adds configs detection cannot see; nil adds none.
	supplement func([]detect.Config, []*record.Record) []detect.Config
}

// run detects the configs on trial, matches them to records, judges each
// with its record's evidence, and returns the result with prior findings
// (such as FT010) merged in and the verdict set.
func (j judgement) run(prior []finding.Finding) (*result.Result, error) {
	findings := prior
	pol := j.policy
	recs, err := j.loader.LoadDir(j.head, j.recordsDir)
	if err != nil {
		return nil, err
	}
	triggered := record.Triggered(recs, j.scope)
	var tree []string
	if j.scope.All || len(triggered) > 0 {
		if tree, err = changes.ListFiles(j.head); err != nil {
			return nil, fmt.Errorf("list files: %w", err)
		}
		if j.skip != nil {
			tree = slices.DeleteFunc(tree, j.skip)
		}
	}
	candidates := record.Candidates(tree, triggered, j.scope, j.recordsDir)
	det, err := detect.Detect(j.head, candidates, detect.Options{
		Include: pol.Include, Exclude: pol.Exclude, RecordsDir: j.recordsDir, Pretrain: pol.Pretrain,
	})
	if err != nil {
		return nil, err
	}
	configs := det.Configs
	if j.supplement != nil {
		configs = j.supplement(configs, recs)
	}
	cases, pretrain, trialFindings := record.Trial(configs, recs, j.scope)
	findings = append(findings, trialFindings...)

	res := &result.Result{FailOn: j.failOn, Metrics: map[string]*result.Metrics{}}
	for _, x := range det.Excluded {
		res.Excluded = append(res.Excluded, result.Excluded{Path: x.Config.Path, Framework: x.Config.Framework, Glob: x.Glob})
	}
	for _, c := range pretrain {
		sev, _ := finding.ParseSeverity(pol.Pretrain)
		res.Configs = append(res.Configs, resultConfig(c, nil, nil))
		findings = append(findings, finding.Finding{
			Rule: "FT011", Severity: sev, Config: c.Path, Pos: finding.Position{File: c.Path, Line: max(c.Line, 1), Col: 1},
			Message: fmt.Sprintf("%s is a language-model pretraining config (%s)", c.Path, c.Framework),
			Hint:    "pretraining is outside the fine-tuning gate; the policy's detect.pretrain sets how it is reported",
		})
	}

	judge := &evaluate.Judge{Policy: pol, FS: j.head, Today: j.today}
	if name, data, err := codeowners.Find(j.owners); err != nil {
		return nil, fmt.Errorf("read CODEOWNERS: %w", err)
	} else if name != "" {
		judge.CodeOwners, _ = codeowners.Parse(name, data)
		judge.CodeOwnersName = name
	}
	for _, cs := range cases {
		res.Configs = append(res.Configs, resultConfig(cs.Config, cs.Records, cs.Judge))
		if cs.Judge == nil {
			continue
		}
		out, err := judge.Case(cs)
		if err != nil {
			return nil, err
		}
		findings = append(findings, out.Findings...)
		res.Metrics[cs.Config.Path] = out.Metrics
	}
	slices.SortFunc(res.Configs, func(a, b result.Config) int { return strings.Compare(a.Path, b.Path) })
	res.Findings = finding.Sort(findings)
	res.Result = result.Pass
	if finding.Count(res.Findings, j.failOn) > 0 {
		res.Result = result.Fail
	}
	return res, nil
}

// repoPrefix is dir relative to the top level of its git work tree, as
// repo (when the check opened one) or git says, or "" outside a work tree:
// then dir is the top level as far as anyone can tell.
func repoPrefix(repo *changes.Repo, dir string) string {
	if repo == nil {
		r, err := changes.Open(dir)
		if err != nil {
			return ""
		}
		defer r.Close()
		repo = r
	}
	return repo.Prefix()
}

// writeSARIF writes the SARIF report to path, when one is asked for, in
// addition to the --format report; prefix goes before its paths (see
// report.Options).
func writeSARIF(path string, res *result.Result, prefix string) error {
	if path == "" {
		return nil
	}
	var b bytes.Buffer
	sarif, _ := report.NewWithOptions("sarif", report.Options{PathPrefix: prefix})
	if err := sarif.Report(&b, res); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return failf("--sarif-file: %v", err)
	}
	return nil
}

func emit(e *env, f checkFlags, rep report.Reporter, res *result.Result, failOn finding.Severity) error {
	var w io.Writer = e.stdout
	if f.output != "" {
		out, err := os.Create(f.output)
		if err != nil {
			return failf("--output: %v", err)
		}
		defer out.Close()
		w = out
	}
	// Inside Actions (--base in a workflow step, say) the runner reads
	// stdout for workflow commands, and the text and markdown reports quote
	// file names from the change: a config named "::error::x.yaml" would
	// start a line with a command. They go inside a stop-commands block.
	if f.output == "" && e.getenv("GITHUB_ACTIONS") == "true" && (f.format == "text" || f.format == "markdown") {
		var buf bytes.Buffer
		if err := rep.Report(&buf, res); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		token := randomToken()
		if _, err := fmt.Fprintf(w, "::stop-commands::%s\n%s::%s::\n", token, buf.Bytes(), token); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	} else if err := rep.Report(w, res); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if res.Result == result.Fail {
		return &exitError{code: ExitFindings}
	}
	return nil
}

func resultConfig(c detect.Config, recs []*record.Record, judge *record.Record) result.Config {
	rc := result.Config{Path: c.Path, Kind: c.Kind, Framework: c.Framework, Signature: c.Signature,
		BaseModel: c.BaseModel, Datasets: c.Datasets, Line: c.Line, Records: []string{}}
	for _, r := range recs {
		rc.Records = append(rc.Records, r.Path)
	}
	if judge != nil {
		rc.Record = judge.Path
	}
	return rc
}

// inputs says where a check reads each input from (SPEC §4).
type inputs struct {
	repo     *changes.Repo
	headFS   fs.FS // configs, records, evidence
	policyFS fs.FS // policy and CODEOWNERS
	changed  []changes.ChangedFile
	closers  []io.Closer
}

func (in *inputs) close() {
	for _, c := range in.closers {
		c.Close()
	}
}

func gather(f checkFlags, m mode, files []string) (*inputs, error) {
	in := &inputs{}
	switch m {
	case modeAll:
		in.headFS = changes.WorktreeFS(f.dir)
		in.policyFS = in.headFS
		return in, nil
	case modeFiles:
		in.headFS = changes.WorktreeFS(f.dir)
		in.policyFS = in.headFS
		for _, name := range files {
			p, err := repoPath(f.dir, name)
			if err != nil {
				return nil, err
			}
			if _, err := fs.Stat(in.headFS, p); err != nil {
				return nil, failf("%s: no such file under %s", name, f.dir)
			}
			in.changed = append(in.changed, changes.ChangedFile{Path: p, Status: changes.Modified})
		}
		return in, nil
	}
	repo, err := changes.Open(f.dir)
	if err != nil {
		return nil, err
	}
	// One run, one commit per revision name: the diff and the trees
	// resolve the same names once between them.
	repo.PinRevisions()
	in.repo = repo
	in.closers = append(in.closers, repo)
	switch m {
	case modeBase:
		if in.changed, err = repo.Diff(f.base); err != nil {
			return nil, err
		}
		baseFS, err := repo.TreeFS(f.base)
		if err != nil {
			return nil, err
		}
		headFS, err := repo.TreeFS("HEAD")
		if err != nil {
			return nil, err
		}
		// Both sides as committed: an uncommitted edit never changes the
		// verdict on what the change brings.
		in.policyFS, in.headFS = baseFS, headFS
	case modeStaged:
		if in.changed, err = repo.Staged(); err != nil {
			return nil, err
		}
		idx, err := repo.IndexFS()
		if err != nil {
			return nil, err
		}
		in.headFS = idx
		in.policyFS = emptyFS{}
		if head, err := repo.TreeFS("HEAD"); err == nil {
			in.policyFS = head
		} else if !errors.Is(err, changes.ErrUnknownRevision) {
			return nil, err
		}
	}
	return in, nil
}

// repoPath turns a FILE argument into a path relative to the -C root.
func repoPath(dir, name string) (string, error) {
	abs := name
	if !filepath.IsAbs(name) {
		abs = filepath.Join(dir, name)
	}
	rootAbs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	fileAbs, err := filepath.Abs(abs)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(rootAbs, fileAbs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", failf("%s is outside %s", name, dir)
	}
	return filepath.ToSlash(rel), nil
}

// readPolicy reads .ftgate/*.cue from the judging tree and the --policy
// directory: repository-relative from the same tree, absolute from disk.
func readPolicy(fsys fs.FS, extra string) ([]evaluate.Source, error) {
	srcs, err := evaluate.ReadDir(fsys, policyDir)
	if err != nil {
		return nil, err
	}
	if extra == "" {
		return srcs, nil
	}
	var more []evaluate.Source
	if filepath.IsAbs(extra) {
		more, err = evaluate.ReadDir(os.DirFS(extra), ".")
		for i := range more {
			more[i].Name = filepath.ToSlash(filepath.Join(extra, path.Base(more[i].Name)))
		}
	} else {
		dir := path.Clean(filepath.ToSlash(extra))
		if dir == policyDir {
			return srcs, nil
		}
		more, err = evaluate.ReadDir(fsys, dir)
	}
	if err != nil {
		return nil, err
	}
	if len(more) == 0 {
		return nil, failf("--policy %s: no .cue files", extra)
	}
	return append(srcs, more...), nil
}

// policyChange reports FT010 when the change edits the policy: the new policy
// applies after merge; this check was judged by the base's.
func policyChange(loader *record.Loader, in *inputs, extra string) []finding.Finding {
	var touched []string
	for _, c := range in.changed {
		if record.InDir(c.Path, policyDir) || (extra != "" && !filepath.IsAbs(extra) && record.InDir(c.Path, path.Clean(extra))) {
			touched = append(touched, c.Path)
		}
	}
	if len(touched) == 0 {
		return nil
	}
	at := finding.Position{File: touched[0], Line: 1, Col: 1}
	srcs, err := readPolicy(in.headFS, extra)
	if err == nil {
		var pol *evaluate.Policy
		if pol, err = evaluate.Load(loader.Context(), srcs); err == nil {
			// A rule that does not evaluate would stop every later check.
			err = pol.VetRules(loader, in.headFS, nil, time.Now().UTC())
		}
	}
	if err != nil {
		var pe *evaluate.PolicyError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Problems[0].Message
			if pe.Problems[0].Pos.File != "" {
				at = pe.Problems[0].Pos
			}
		}
		return []finding.Finding{{
			Rule: "FT010", Severity: finding.Error, Pos: at,
			Message: "the change breaks the policy, which would fail every later check: " + oneLine(msg),
			Hint:    "run `ftgate policy vet` and fix the policy before merging",
		}}
	}
	return []finding.Finding{{
		Rule: "FT010", Severity: finding.Notice, Pos: at,
		Message: fmt.Sprintf("the change edits the policy (%s): this check used the base's policy; the new one applies after merge", strings.Join(touched, ", ")),
		Hint:    "policy changes deserve their own review; protect .ftgate/ with CODEOWNERS",
	}}
}

// candidateSuffixes are the file types a config, record or policy may have.
var candidateSuffixes = []string{".yaml", ".yml", ".json", ".jsonl", ".toml", ".sh", ".py", ".ipynb"}

// anyCandidate reports whether any staged name could matter to a check.
func anyCandidate(names []string, recordsDir string) bool {
	for _, n := range names {
		if record.InDir(n, policyDir) || record.InDir(n, recordsDir) || path.Base(n) == "Modelfile" {
			return true
		}
		for _, s := range candidateSuffixes {
			if strings.HasSuffix(n, s) {
				return true
			}
		}
	}
	return false
}

// emptyFS is the tree before the first commit.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
