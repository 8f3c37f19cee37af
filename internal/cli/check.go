package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/report"
	"github.com/ftgate/ftgate/internal/result"
)

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
	verbose bool
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

Inside GitHub Actions, with none of --base, --staged, --all or FILE, check runs
in GitHub mode: it judges the pull request (pull_request, pull_request_target),
the merge group (merge_group), the pushed commits (push) or the whole checkout
(schedule, workflow_dispatch), and writes annotations, the job summary, step
outputs and, for a pull request, one sticky comment.`,
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
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "text format: list the files the policy's detect.exclude removed (otherwise counted)")
	fl.StringVar(&f.comment, "comment", "auto", "GitHub mode: keep a pull-request comment: auto (when the change fails or touches a config), always or never")
	return cmd
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
	out := printError(e, f.format, err)
	if githubMode(e, f, files) {
		githubError(e, errorInfos(err)[0].Message)
	}
	return out
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
	repOpts := report.Options{Color: f.output == "" && isTerminal(e.stdout) && e.getenv("NO_COLOR") == "", Verbose: f.verbose}
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
	opts := gate.Options{
		Mode: gateModes[m], Dir: f.dir, Base: f.base, Files: files, PolicyDir: f.policy,
		Today: today, FailOn: failOn,
		// GitHub reads annotation and SARIF paths from the repository's top
		// level, which -C (or the working directory) may be below.
		Root: f.format == "github" || f.format == "sarif" || f.sarif != "" || m == modeGitHub,
	}
	if recordsSet {
		// An empty --records (the Action's default input) means the
		// policy's records.dir, as if the flag were not given.
		opts.RecordsDir = f.records
	}
	if m == modeGitHub {
		if gh, err = newGitHubRun(e, f); err != nil {
			if errors.Is(err, errClosed) {
				gh.notice(gh.skip)
				writeOutputs(e.getenv, result.Pass, 0, 0, "")
			}
			return err
		}
		if gh.audit() {
			opts.Mode = gate.All
			opts.Audit, opts.AuditDays = true, gh.expiringDays
		} else {
			in, err := gh.gather()
			if err != nil {
				return err
			}
			defer in.close()
			opts.Trees = in.trees()
		}
	}
	out, err := gate.RunOutcome(context.Background(), opts)
	if err != nil {
		return err
	}
	for _, n := range out.Notes {
		fmt.Fprintf(e.stderr, "ftgate: note: %s\n", oneLine(n))
	}
	res, prefix := out.Result, out.Root
	if (f.format == "github" || f.format == "sarif") && prefix != "" {
		repOpts.PathPrefix = prefix
		if rep, err = report.NewWithOptions(f.format, repOpts); err != nil {
			return err
		}
	}
	for _, s := range sinks(e, f, rep, prefix, gh) {
		if err := s.write(res); err != nil {
			return err
		}
	}
	if res.Result == result.Fail {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// gateModes maps a check's mode to the engine's.
var gateModes = map[mode]gate.Mode{
	modeBase: gate.Base, modeStaged: gate.Staged, modeAll: gate.All, modeFiles: gate.Files, modeGitHub: gate.Given,
}

// inputs says where a check reads each input from (SPEC §4); GitHub mode
// gathers them and hands them to the engine as gate.Trees.
type inputs struct {
	repo     *changes.Repo
	headFS   fs.FS // configs, records, evidence
	policyFS fs.FS // policy and CODEOWNERS
	changed  []changes.ChangedFile
	all      bool   // judge every config in headFS, as --all does
	where    string // where policyFS is, for notices (gate.Trees.PolicyWhere)
	closers  []io.Closer
}

func (in *inputs) close() {
	for _, c := range in.closers {
		c.Close()
	}
}

// trees are the inputs as the engine takes them: a pull request's change,
// whose edits to the policy are FT010.
func (in *inputs) trees() *gate.Trees {
	return &gate.Trees{Repo: in.repo, Head: in.headFS, Policy: in.policyFS, PolicyWhere: in.where,
		Changed: in.changed, Diff: true, All: in.all}
}

// repoPath turns a FILE argument into a path relative to the -C root.
func repoPath(dir, name string) (string, error) { return gate.RepoPath(dir, name) }

// readPolicy reads the policy files of a tree and of --policy.
func readPolicy(fsys fs.FS, extra string) ([]evaluate.Source, error) {
	return gate.ReadPolicy(fsys, extra)
}
