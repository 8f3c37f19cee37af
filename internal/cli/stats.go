package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/report"
	"github.com/ftgate/ftgate/internal/result"
	"github.com/ftgate/ftgate/internal/stats"
)

// The calculators read the user's own files, named on the command line, so
// a bad file is exit 2 with its position, not a finding: there is no
// change and no record to attach a finding to.

func newStats(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats agreement|convergence|coverage FILE...",
		Short: "Compute agreement, convergence and coverage figures on their own",
		Long: `stats runs the calculators behind FT102, FT101 and FT104 on files outside any
decision record, so that a team can produce its evidence before writing one.
Exit 0 when the figures were computed (whatever they are), 2 when a flag or a
file is wrong.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newStatsAgreement(e), newStatsConvergence(e), newStatsCoverage(e))
	return cmd
}

func newStatsAgreement(e *env) *cobra.Command {
	var (
		opt                   stats.AgreementOptions
		format                string
		inputFormat, question string
	)
	cmd := &cobra.Command{
		Use:   "agreement FILE",
		Short: "Inter-annotator agreement of raw labels (CSV, Label Studio, Prodigy, Argilla)",
		Long: `agreement computes an agreement coefficient from raw labels: long format
(unit,annotator,label, one row per label), wide format (unit,<annotator>,...,
one row per unit, empty cells for missing labels), or the export of an
annotation tool: Label Studio (JSON, JSON-MIN, CSV), Prodigy db-out JSONL or
Argilla v2 records JSON, detected from the content (--input-format forces
one). --question names the question when an export holds several. Units with
fewer than two labels are not pairable and do not count. An undefined
coefficient prints as undefined (JSON: "value": null and "undefined" saying
why), never as 0 or 1. The figure is broken down by pair of annotators and by
label, so that a low one says who disagrees and on what.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return statsRun(e, format, func() (*result.Metrics, error) {
				// Options that fit no data at all are flag errors, told
				// before the file is read: try them on two annotators
				// agreeing on one label that any options accept.
				probe := "1"
				if len(opt.Categories) > 0 {
					probe = opt.Categories[0]
				}
				if inputFormat != "" && !slices.Contains(evidence.AnnotationFormats(), inputFormat) {
					return nil, &usageError{msg: fmt.Sprintf("--input-format: unknown format %q (known formats: %s)", inputFormat, strings.Join(evidence.AnnotationFormats(), ", "))}
				}
				fits := &evidence.Annotations{Annotators: []string{"a", "b"}, Labels: []string{probe}}
				fits.AddUnit("u", evidence.Rating{Annotator: 0, Label: 0}, evidence.Rating{Annotator: 1, Label: 0})
				if _, err := stats.ComputeAgreement(fits, opt); err != nil {
					return nil, &usageError{msg: err.Error()}
				}
				fsys, name, err := userFile(args[0])
				if err != nil {
					return nil, err
				}
				a, err := evidence.ReadAnnotations(fsys, name, 0, evidence.AnnotationOptions{Format: inputFormat, Question: question})
				if err != nil {
					return nil, userError(err, args[0])
				}
				res, err := stats.ComputeAgreement(a, opt)
				if err != nil {
					return nil, &inputError{info: report.ErrorInfo{Message: err.Error(), File: args[0]}}
				}
				if res.Pairs, res.Categories, err = stats.Breakdown(a, opt); err != nil {
					return nil, &inputError{info: report.ErrorInfo{Message: err.Error(), File: args[0]}}
				}
				res.PairsAmong = stats.PairsAmong(a)
				return &result.Metrics{Agreement: &res}, nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opt.Metric, "metric", stats.KrippendorffAlpha, "coefficient: "+strings.Join(stats.Metrics(), ", "))
	fl.StringVar(&opt.Level, "level", "", "level of measurement of krippendorff_alpha: "+strings.Join(stats.Levels(), ", ")+" (default nominal)")
	fl.StringVar(&opt.Weights, "weights", "", "weights of cohen_kappa, scott_pi and gwet_ac2: "+strings.Join(stats.WeightSchemes(), ", ")+" (default none)")
	fl.StringSliceVar(&opt.Categories, "categories", nil, "the codebook `A,B,C`: category order, scored 1..k (default: the observed labels, numeric order when all are numbers)")
	fl.StringVar(&format, "format", "text", "output format: "+strings.Join(report.StatsFormats(), ", "))
	fl.StringVar(&inputFormat, "input-format", "", "format of FILE: "+strings.Join(evidence.AnnotationFormats(), ", ")+" (default: detected from the content)")
	fl.StringVar(&question, "question", "", "the question whose answers are the labels, when an export holds several")
	return cmd
}

func newStatsConvergence(e *env) *cobra.Command {
	var (
		opt           stats.ConvergenceOptions
		minIterations int
		techniques    []string
		format        string
	)
	cmd := &cobra.Command{
		Use:   "convergence FILE...",
		Short: "Whether prompt optimisation has converged, from an eval history",
		Long: `convergence reads an eval history (iteration,score,n,technique,date[,model];
a technique may join several with +, as in rag+cot), or promptfoo result files
(promptfoo eval -o results.json; several files or a glob, one iteration per
prompt in time order), and prints FT101's figures: iterations, the best score,
the noise floor, the gain over the last --window iterations and the techniques
tried. The thresholds default to the baseline policy's.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return statsRun(e, format, func() (*result.Metrics, error) {
				switch {
				case opt.Window < 0:
					return nil, &usageError{msg: fmt.Sprintf("--window %d: want 0 or more", opt.Window)}
				case !(opt.Epsilon >= 0):
					return nil, &usageError{msg: fmt.Sprintf("--epsilon %v: want 0 or more", opt.Epsilon)}
				}
				opt.RequiredTechniques = slices.DeleteFunc(techniques, func(s string) bool { return strings.TrimSpace(s) == "" })
				// Every name is read from the file system's root, as one
				// file is: a glob too, so that promptfoo runs kept in one
				// directory can be named together.
				var fsys fs.FS
				names := make([]string, len(args))
				for i, arg := range args {
					f, name, err := userFile(arg)
					if err != nil {
						return nil, err
					}
					fsys, names[i] = f, name
				}
				h, err := evidence.ReadHistory(fsys, names, 0)
				if err != nil {
					return nil, userErrorOf(err, args, names)
				}
				pc := stats.ComputeConvergence(h, opt)
				m := &result.Metrics{PromptCeiling: &pc}
				var th evaluate.Thresholds
				th.PromptCeiling.MinIterations, th.PromptCeiling.Epsilon = minIterations, opt.Epsilon
				evaluate.Decide(m, th, nil)
				return m, nil
			})
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&minIterations, "min-iterations", 5, "fewest iterations before a ceiling can be claimed")
	fl.IntVar(&opt.Window, "window", 3, "measure the gain over the last `N` iterations")
	fl.Float64Var(&opt.Epsilon, "epsilon", 0.01, "largest gain that still counts as converged")
	fl.StringSliceVar(&techniques, "required-techniques", []string{"few_shot", "rag"}, "techniques the history must have tried")
	fl.StringVar(&opt.Metric, "metric", "", "name of the score, for the table only (f1, accuracy, ...)")
	fl.StringVar(&format, "format", "text", "output format: "+strings.Join(report.StatsFormats(), ", "))
	return cmd
}

func newStatsCoverage(e *env) *cobra.Command {
	var (
		opt                       stats.CoverageOptions
		prodField, trainField     string
		format                    string
		minExamples               int
		minCoverage, maxUncovered float64
	)
	cmd := &cobra.Command{
		Use:   "coverage PRODUCTION TRAINING",
		Short: "How much production traffic the training scenarios cover",
		Long: `coverage reads a production scenario sample and the training set's scenario
labels (CSV scenario,count, or JSONL with one scenario per line) and prints
FT104's figures: the production share of covered scenarios, the uncovered ones
by traffic share, and the total-variation distance. The thresholds default to
the baseline policy's.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return statsRun(e, format, func() (*result.Metrics, error) {
				switch {
				case !(minCoverage >= 0 && minCoverage <= 1):
					return nil, &usageError{msg: fmt.Sprintf("--min %v: want a share in [0, 1]", minCoverage)}
				case !(maxUncovered >= 0 && maxUncovered <= 1):
					return nil, &usageError{msg: fmt.Sprintf("--max-uncovered-share %v: want a share in [0, 1]", maxUncovered)}
				case minExamples < 0:
					return nil, &usageError{msg: fmt.Sprintf("--min-examples-per-scenario %d: want 0 or more", minExamples)}
				}
				opt = stats.CoverageOptions{MinExamplesPerScenario: float64(minExamples)}
				var sides [2]*evidence.Scenarios
				for i, field := range []string{prodField, trainField} {
					fsys, name, err := userFile(args[i])
					if err != nil {
						return nil, err
					}
					if sides[i], err = evidence.ParseScenarios(fsys, name, field, 0); err != nil {
						return nil, userError(err, args[i])
					}
				}
				cov := stats.ComputeCoverage(sides[0], sides[1], opt)
				m := &result.Metrics{Coverage: &cov}
				var th evaluate.Thresholds
				th.Coverage.Min, th.Coverage.MaxUncoveredShare, th.Coverage.MinExamplesPerScenario = minCoverage, maxUncovered, minExamples
				evaluate.Decide(m, th, nil)
				return m, nil
			})
		},
	}
	fl := cmd.Flags()
	fl.Float64Var(&minCoverage, "min", 0.95, "least production share the covered scenarios must carry")
	fl.Float64Var(&maxUncovered, "max-uncovered-share", 0.02, "largest production share one uncovered scenario may carry")
	fl.IntVar(&minExamples, "min-examples-per-scenario", 20, "training examples that make a scenario covered")
	fl.StringVar(&prodField, "production-field", "", "JSONL: dotted path of the scenario in PRODUCTION (default scenario)")
	fl.StringVar(&trainField, "training-field", "", "JSONL: dotted path of the scenario in TRAINING (default scenario)")
	fl.StringVar(&format, "format", "text", "output format: "+strings.Join(report.StatsFormats(), ", "))
	return cmd
}

// statsRun validates the format, computes the figures and prints them; any
// error is exit 2, printed once: text on stderr, JSON's error document on
// stdout, as `check` does.
func statsRun(e *env, format string, compute func() (*result.Metrics, error)) error {
	if !slices.Contains(report.StatsFormats(), format) {
		return &usageError{msg: fmt.Sprintf("--format: unknown format %q (known formats: %s)", format, strings.Join(report.StatsFormats(), ", "))}
	}
	m, err := compute()
	if err == nil {
		if err := report.WriteStats(e.stdout, format, m); err != nil {
			return fmt.Errorf("write figures: %w", err)
		}
		return nil
	}
	return printError(e, format, err)
}

// userFile maps a command-line path to the file system evidence.Open reads
// from. Evidence of a record must stay inside its repository; a file the
// user names is trusted as named, so the root is the file system's root
// and only the file's own name is checked.
func userFile(arg string) (fs.FS, string, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return nil, "", &inputError{info: report.ErrorInfo{Message: err.Error(), File: arg}}
	}
	root := filepath.VolumeName(abs) + string(filepath.Separator)
	return os.DirFS(root), filepath.ToSlash(strings.TrimPrefix(abs, root)), nil
}

// userError turns an evidence error into exit 2 at the position it names,
// with the path as the user spelt it rather than the absolute one read.
func userError(err error, arg string) error {
	var ee *evidence.Error
	if !errors.As(err, &ee) {
		return err
	}
	return &inputError{info: report.ErrorInfo{Message: ee.Msg, File: arg, Line: ee.Line, Col: ee.Col}}
}

// userErrorOf is userError for several command-line names: the error
// names the file as the user spelt it when it is one of them.
func userErrorOf(err error, args, names []string) error {
	var ee *evidence.Error
	if !errors.As(err, &ee) {
		return err
	}
	arg := ee.Path
	for i, n := range names {
		if n == ee.Path {
			arg = args[i]
		}
	}
	if arg == ee.Path && !slices.Contains(names, arg) {
		arg = string(filepath.Separator) + filepath.FromSlash(ee.Path)
	}
	return userError(err, arg)
}
