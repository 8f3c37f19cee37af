// Package gate is ftgate's engine: one Run that takes a change from its
// file list to sorted findings, in the stages of STYLE.md — change set →
// records → detect → trial → measure (evidence and stats) → evaluate.
// check, GitHub mode, `policy test` and `init` all judge through it, so a
// config gets the same findings whichever way it is put on trial. The
// engine prints nothing: the command line renders its result.
package gate

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/codeowners"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/result"
	"github.com/ftgate/ftgate/internal/rules"
)

// Mode is how a run finds what changed and where it reads each input from
// (SPEC §4).
type Mode int

// The modes. Given takes the trees a caller gathered itself (GitHub mode,
// policy test cases).
const (
	Base Mode = iota + 1
	Staged
	All
	Files
	Given
)

// Options say what one run judges and how.
type Options struct {
	Mode Mode
	// Dir is the root for configs, records, evidence and policy.
	Dir string
	// Base is the revision a Base run diffs against.
	Base string
	// Files are the FILE arguments of a Files run, as the user wrote them.
	Files []string
	// Trees are the inputs of a Given run.
	Trees *Trees
	// PolicyDir is --policy: repository-relative (read from the judging
	// tree) or absolute (read from disk); "" for none.
	PolicyDir string
	// RecordsDir overrides the policy's records.dir when not "".
	RecordsDir string
	// Policy and Loader, when set, are used instead of loading the policy
	// from the trees (policy test judges many cases with one policy).
	Policy *evaluate.Policy
	Loader *record.Loader
	Today  time.Time
	FailOn finding.Severity
	// Root asks for Result.Root: the judged directory relative to the top
	// level of its git work tree, which annotation and SARIF paths need.
	Root bool
	// Skip drops files of the tree before detection; nil keeps them all.
	Skip func(path string) bool
	// Supplement adds configs detection cannot see; nil adds none.
	Supplement func([]detect.Config, []*record.Record) []detect.Config
	// Audit adds the decision register's expiry check to an All run: what
	// runs out within AuditDays of Today is an FT008 error.
	Audit     bool
	AuditDays int
}

// Outcome is a run's result with what the command line needs besides it.
type Outcome struct {
	*result.Result
	// Root is the judged directory relative to the repository's top level
	// ("" at the top level or outside git), when Options.Root asked for it.
	Root string
	// Notes are what the user should know about the run that is not a
	// finding about the change (one line each), such as inputs it did not
	// read.
	Notes []string
}

// Run judges what opts describe and returns the result with its verdict.
// An error is ftgate's own failure (exit 2): flags, policy, git, I/O.
func Run(ctx context.Context, opts Options) (*result.Result, error) {
	out, err := RunOutcome(ctx, opts)
	if err != nil {
		return nil, err
	}
	return out.Result, nil
}

// RunOutcome is Run that also reports where the judged directory sits in
// its repository.
func RunOutcome(ctx context.Context, opts Options) (*Outcome, error) {
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if opts.FailOn == 0 {
		opts.FailOn = finding.Error
	}
	if opts.Mode == Staged && opts.Trees == nil {
		quiet, err := nothingStaged(opts)
		if err != nil {
			return nil, err
		}
		if quiet {
			return &Outcome{Result: &result.Result{Result: result.Pass, FailOn: opts.FailOn, Metrics: map[string]*result.Metrics{}}}, nil
		}
	}
	t := opts.Trees
	if t == nil {
		var err error
		if t, err = Gather(opts); err != nil {
			return nil, err
		}
		defer t.Close()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	loader, pol := opts.Loader, opts.Policy
	if pol == nil {
		var err error
		if loader == nil {
			if loader, err = record.NewLoader(); err != nil {
				return nil, err
			}
		}
		srcs, err := ReadPolicy(t.Policy, opts.PolicyDir)
		if err != nil {
			return nil, err
		}
		if pol, err = evaluate.Load(loader.Context(), srcs); err != nil {
			return nil, err
		}
	}
	recordsDir := opts.RecordsDir
	if recordsDir == "" {
		recordsDir = pol.RecordsDir
	}
	recordsDir = cleanDir(recordsDir)

	var prior []finding.Finding
	if t.Diff {
		prior = append(prior, PolicyChange(loader, t, opts.PolicyDir)...)
	}
	res, recs, err := judge(ctx, judgement{
		loader: loader, policy: pol, trees: t, recordsDir: recordsDir,
		scope: record.Scope{All: opts.Mode == All || t.All, Changed: t.Changed}, today: opts.Today, failOn: opts.FailOn,
		skip: opts.Skip, supplement: opts.Supplement,
	}, prior)
	if err != nil {
		return nil, err
	}
	if opts.Audit {
		res.Findings = finding.Sort(append(res.Findings, dueFindings(recs, res.Findings, opts.Today, opts.AuditDays)...))
		if finding.Count(res.Findings, opts.FailOn) > 0 {
			res.Result = result.Fail
		}
	}
	out := &Outcome{Result: res}
	if len(t.Uncommitted) > 0 {
		if note, err := uncommittedNote(opts, t.Uncommitted, recs, recordsDir, pol); err != nil {
			return nil, err
		} else if note != "" {
			out.Notes = append(out.Notes, note)
		}
	}
	if opts.Root {
		out.Root = repoPrefix(t.Repo, opts.Dir)
	}
	return out, nil
}

// judgement is one judging of a tree: what is on trial, the policy, and
// where each input is read from.
type judgement struct {
	loader     *record.Loader
	policy     *evaluate.Policy
	trees      *Trees
	recordsDir string
	scope      record.Scope
	today      time.Time
	failOn     finding.Severity
	skip       func(path string) bool
	supplement func([]detect.Config, []*record.Record) []detect.Config
}

// judge detects the configs on trial, matches them to records, judges each
// with its record's evidence, and returns the result with prior findings
// (such as FT010) merged in and the verdict set.
func judge(ctx context.Context, j judgement, prior []finding.Finding) (*result.Result, []*record.Record, error) {
	findings := prior
	pol := j.policy
	head := j.trees.Head
	j.loader.Today = j.today
	recs, err := j.loader.LoadDir(head, j.recordsDir)
	if err != nil {
		return nil, nil, err
	}
	triggered := record.Triggered(recs, j.scope)
	var tree []string
	if j.scope.All || len(triggered) > 0 {
		if tree, err = listTree(head, j.skip); err != nil {
			return nil, nil, err
		}
	}
	candidates := record.Candidates(tree, triggered, j.scope, j.recordsDir)
	candidates = slices.DeleteFunc(candidates, Own)
	candidates, linkFindings := brokenLinks(head, candidates, recs, pol.Include)
	findings = append(findings, linkFindings...)
	detOpts := detect.Options{Include: pol.Include, Exclude: pol.Exclude, RecordsDir: j.recordsDir, Pretrain: pol.Pretrain,
		Covered: func(p string) bool {
			return slices.ContainsFunc(recs, func(r *record.Record) bool { return r.Matches(p) })
		}}
	if detOpts.Launchers, err = launchers(head, tree, candidates, j); err != nil {
		return nil, nil, err
	}
	det, err := detect.Detect(head, candidates, detOpts)
	if err != nil {
		return nil, nil, err
	}
	// What detection cannot read (an LFS pointer, a submodule, a file too
	// large to judge) fails closed.
	for _, u := range det.Unjudged {
		findings = append(findings, finding.Finding{Rule: rules.FT004.RuleID(), Severity: finding.Error,
			Pos: finding.Position{File: u.Path, Line: 1, Col: 1}, Message: u.Reason})
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	configs := det.Configs
	if j.supplement != nil {
		configs = j.supplement(configs, recs)
	}
	scope := j.scope
	if configs, scope, err = followBackends(head, configs, det.Excluded, linkFindings, scope, j.recordsDir, detOpts, j.skip); err != nil {
		return nil, nil, err
	}
	var held []finding.Finding
	if configs, held, err = dropBaselined(j.trees.Policy, head, configs); err != nil {
		return nil, nil, err
	}
	findings = append(findings, held...)
	cases, pretrain, trialFindings := record.Trial(configs, recs, scope)
	findings = append(findings, trialFindings...)

	res := &result.Result{FailOn: j.failOn, Metrics: map[string]*result.Metrics{}}
	for _, x := range det.Excluded {
		res.Excluded = append(res.Excluded, result.Excluded{Path: x.Config.Path, Framework: x.Config.Framework, Glob: x.Glob})
	}
	for _, c := range pretrain {
		sev, _ := finding.ParseSeverity(pol.Pretrain)
		res.Configs = append(res.Configs, resultConfig(c, nil, nil))
		findings = append(findings, finding.Finding{
			Rule: rules.FT011.RuleID(), Severity: sev, Config: c.Path, Pos: finding.Position{File: c.Path, Line: max(c.Line, 1), Col: 1},
			Message: fmt.Sprintf("%s is a language-model pretraining config (%s)", c.Path, c.Framework),
			Hint:    "pretraining is outside the fine-tuning gate; the policy's detect.pretrain sets how it is reported",
		})
	}

	jd := &evaluate.Judge{Policy: pol, FS: head, Today: j.today, CodeOwnersWhere: j.trees.PolicyWhere}
	if err := setOwners(jd, j.trees.Policy); err != nil {
		return nil, nil, err
	}
	for _, cs := range cases {
		res.Configs = append(res.Configs, resultConfig(cs.Config, cs.Records, cs.Judge))
		if cs.Judge == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		out, err := jd.Case(cs)
		if err != nil {
			return nil, nil, err
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
	return res, recs, nil
}

// launchers lists the tree's shell scripts when a changed file is no
// candidate, so that an unchanged launcher naming it (axolotl train
// training/x/cfg.txt) puts it on trial. The tree is listed only then.
func launchers(head fs.FS, tree, candidates []string, j judgement) ([]string, error) {
	if j.scope.All || !slices.ContainsFunc(candidates, func(p string) bool { return !detect.Candidate(p) }) {
		return nil, nil
	}
	if tree == nil {
		var err error
		if tree, err = listTree(head, j.skip); err != nil {
			return nil, err
		}
	}
	return slices.DeleteFunc(slices.Clone(tree), func(p string) bool { return !detect.MayLaunch(p) || brokenLink(head, p) }), nil
}

// setOwners gives the judge the CODEOWNERS of the judging tree.
func setOwners(jd *evaluate.Judge, owners fs.FS) error {
	name, data, err := codeowners.Find(owners)
	if err != nil {
		return fmt.Errorf("read CODEOWNERS: %w", err)
	}
	if name != "" {
		jd.CodeOwners, _ = codeowners.Parse(name, data)
		jd.CodeOwnersName = name
	}
	return nil
}

// listTree lists the files of fsys, without those skip drops.
func listTree(fsys fs.FS, skip func(string) bool) ([]string, error) {
	tree, err := changes.ListTree(fsys)
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	if skip != nil {
		tree = slices.DeleteFunc(tree, skip)
	}
	return tree, nil
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
