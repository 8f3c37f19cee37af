package cli

import (
	"context"
	"encoding/json"
	"encoding/xml"
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

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"
	yaml "go.yaml.in/yaml/v3"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/record"
)

// policyFlags locate the policy a policy command reads: the working tree's
// .ftgate/ under -C, plus --policy.
type policyFlags struct {
	dir    string
	policy string
}

func (f *policyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.dir, "dir", "C", ".", "read the policy of the repository at `DIR`")
	cmd.Flags().StringVar(&f.policy, "policy", "", "extra policy `DIR` of .cue files (repository-relative, or absolute)")
}

// load reads and unifies the policy. A policy that does not load is returned
// as *evaluate.PolicyError.
func (f *policyFlags) load() (*record.Loader, *evaluate.Policy, error) {
	if st, err := os.Stat(f.dir); err != nil || !st.IsDir() {
		return nil, nil, fmt.Errorf("-C %s: not a directory", f.dir)
	}
	loader, err := record.NewLoader()
	if err != nil {
		return nil, nil, err
	}
	srcs, err := readPolicy(changes.WorktreeFS(f.dir), f.policy)
	if err != nil {
		return nil, nil, err
	}
	pol, err := evaluate.Load(loader.Context(), srcs)
	return loader, pol, err
}

func newPolicy(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Validate, show, export and test the policy",
		Long: `policy works on the effective policy: the baseline embedded in ftgate unified
with the repository's .ftgate/*.cue files (and --policy DIR).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{msg: "ftgate policy needs a subcommand: vet, show, schema or test"}
		},
	}
	cmd.AddCommand(newPolicyVet(e), newPolicyShow(e), newPolicySchema(e), newPolicyTest(e))
	return cmd
}

func newPolicyVet(e *env) *cobra.Command {
	var f policyFlags
	cmd := &cobra.Command{
		Use:   "vet",
		Short: "Load the policy and report every error in it (exit 2 if any)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			loader, pol, err := f.load()
			records := 0
			if err == nil {
				records, err = vetRules(loader, pol, f.dir)
			}
			if err != nil {
				var pe *evaluate.PolicyError
				if errors.As(err, &pe) {
					fmt.Fprintf(e.stderr, "%d policy %s:\n", len(pe.Problems), plural(len(pe.Problems), "error", "errors"))
					for _, p := range pe.Problems {
						fmt.Fprintf(e.stderr, "%s\n", oneLine(p.String()))
					}
					return &exitError{code: ExitError}
				}
				return err
			}
			files := "the baseline alone"
			if len(pol.Sources) > 0 {
				files = "the baseline and " + strings.Join(pol.Sources, ", ")
			}
			rules := len(pol.Denies())
			evaluated := ""
			if rules > 0 {
				evaluated = fmt.Sprintf(", evaluated on %d %s and an empty input", records, plural(records, "record", "records"))
			}
			fmt.Fprintf(e.stdout, "policy ok: %s, %d repository %s%s\n", files, rules, plural(rules, "rule", "rules"), evaluated)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

// vetRules evaluates the repository's rules on every valid record in the
// tree (each judging a config at a path it covers) and on an empty input,
// and returns how many records it used.
func vetRules(loader *record.Loader, pol *evaluate.Policy, dir string) (int, error) {
	fsys := changes.WorktreeFS(dir)
	recs, err := loader.LoadDir(fsys, pol.RecordsDir)
	if err != nil {
		return 0, err
	}
	var cases []record.Case
	for _, r := range recs {
		if !r.Valid || len(r.Covers) == 0 {
			continue // FT002 in a check; nothing to evaluate rules on
		}
		cfg := detect.Config{Path: coveredPath(r.Covers[0]), Kind: detect.Finetune, Framework: detect.Custom, BaseModel: r.BaseModel}
		cases = append(cases, record.Case{Config: cfg, Records: []*record.Record{r}, Judge: r})
	}
	return len(cases), pol.VetRules(loader, fsys, cases, time.Now().UTC().Truncate(24*time.Hour))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func newPolicyShow(e *env) *cobra.Command {
	var f policyFlags
	var format string
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the effective policy: each threshold's value, floor and origin",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return &usageError{msg: fmt.Sprintf("--format %q: want text or json", format)}
			}
			_, pol, err := f.load()
			if err != nil {
				return policyFailed(e, err)
			}
			settings, denies := pol.Show(), pol.Denies()
			if format == "json" {
				return showJSON(e.stdout, pol, settings, denies)
			}
			return showText(e.stdout, pol, settings, denies)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func showJSON(w io.Writer, pol *evaluate.Policy, settings []evaluate.Setting, denies []evaluate.Deny) error {
	type rule struct {
		ID        string `json:"id"`
		Severity  string `json:"severity"`
		Message   string `json:"message"`
		Hint      string `json:"hint,omitempty"`
		Condition string `json:"condition,omitempty"`
		Origin    string `json:"origin"`
	}
	doc := struct {
		Version  int                `json:"version"`
		Sources  []string           `json:"sources"`
		Settings []evaluate.Setting `json:"settings"`
		// Tasks are the tasks bound to paths.
		Tasks []evaluate.TaskBinding `json:"tasks"`
		Rules []rule                 `json:"rules"`
	}{Version: 1, Sources: append([]string{}, pol.Sources...), Settings: settings, Tasks: append([]evaluate.TaskBinding{}, pol.TaskBindings()...), Rules: []rule{}}
	for _, d := range denies {
		doc.Rules = append(doc.Rules, rule{ID: d.ID, Severity: d.Severity, Message: d.Message, Hint: d.Hint, Condition: d.Condition, Origin: d.Pos.String()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func showText(w io.Writer, pol *evaluate.Policy, settings []evaluate.Setting, denies []evaluate.Deny) error {
	sources := "baseline only"
	if len(pol.Sources) > 0 {
		sources = "baseline + " + strings.Join(pol.Sources, ", ")
	}
	fmt.Fprintf(w, "policy: %s\n", sources)
	// ASCII borders, left-aligned, as check prints its tables.
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header("setting", "value", "floor", "origin")
	for _, s := range settings {
		floor := ""
		if s.Tighter != "" {
			floor = showValue(s.Floor) + " (" + s.Tighter + ")"
		}
		if err := t.Append(s.Path, showValue(s.Value), floor, s.Origin); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if tasks := pol.TaskBindings(); len(tasks) > 0 {
		// Which task values judge which paths: a config a task covers is
		// held, threshold by threshold, to the tightest of these and its
		// record's task.
		fmt.Fprintln(w, "tasks bound to paths (the tightest value applies, with the record's task):")
		for _, tb := range tasks {
			values := make([]string, 0, len(tb.Values))
			for _, v := range tb.Values {
				values = append(values, v.Path+" "+showValue(v.Value))
			}
			set := "no thresholds of its own"
			if len(values) > 0 {
				set = strings.Join(values, ", ")
			}
			fmt.Fprintf(w, "  %s (%s) on %s: %s\n", tb.Task, tb.Origin, strings.Join(tb.Covers, ", "), set)
		}
	}
	if len(denies) == 0 {
		fmt.Fprintln(w, "repository rules: none")
		return nil
	}
	fmt.Fprintln(w, "repository rules:")
	for _, d := range denies {
		fmt.Fprintf(w, "  %s (%s, %s): %s\n", d.ID, d.Severity, d.Pos, d.Message)
	}
	return nil
}

// showValue prints a decoded CUE value the way it is written in a policy.
func showValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = showValue(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func newPolicySchema(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print a JSON Schema of the decision record, for editors",
		Long: `schema prints a JSON Schema (draft 2020-12) of the decision record, generated
from the record definition ftgate validates against. Save it and point your
editor at it, e.g. with the YAML language server:

  ftgate policy schema > .ftgate/record.schema.json
  # yaml-language-server: $schema=../.ftgate/record.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := record.JSONSchema()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "%s\n", b)
			return err
		},
	}
}

// expected is a policy test case's expected.yaml.
type expected struct {
	// Verdict is pass or fail (at --fail-on error).
	Verdict string `yaml:"verdict"`
	// Rules are the rule IDs of every error and warning, in any order.
	Rules []string `yaml:"rules"`
	// Today is the day the case is judged as of; the default keeps a case
	// from expiring.
	Today string `yaml:"today"`
}

// caseResult is the outcome of one policy test case.
type caseResult struct {
	Name     string
	Problems []string // why it failed; empty when it passed
	Err      error    // the case could not be run
	Got      []string // rule IDs found
	Verdict  string
	Duration time.Duration
}

func newPolicyTest(e *env) *cobra.Command {
	var f policyFlags
	var format string
	cmd := &cobra.Command{
		Use:   "test DIR",
		Short: "Run policy test cases: record + evidence + expected verdict and rules",
		Long: `test runs each case directory under DIR (every directory holding an
expected.yaml) against the repository's policy, like conftest verify. A case is
a small repository: a record under decisions/, the evidence it names and,
optionally, the training config (without one, ftgate judges a config at a path
the record covers). expected.yaml says what must come out:

  verdict: fail          # pass or fail
  rules: [FT102, FT104]  # rule IDs of every error and warning
  today: 2026-11-27      # optional: judge as of this day

Exit 0 when every case meets its expectation, 1 when one does not, 2 when a
case cannot be run.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "junit" {
				return &usageError{msg: fmt.Sprintf("--format %q: want text or junit", format)}
			}
			loader, pol, err := f.load()
			if err != nil {
				return policyFailed(e, err)
			}
			dirs, err := caseDirs(args[0])
			if err != nil {
				return err
			}
			if len(dirs) == 0 {
				return fmt.Errorf("%s: no test cases (directories with an expected.yaml)", args[0])
			}
			var results []caseResult
			for _, d := range dirs {
				start := time.Now()
				r := runCase(loader, pol, args[0], d)
				r.Duration = time.Since(start)
				results = append(results, r)
			}
			if format == "junit" {
				err = writeJUnit(e.stdout, results)
			} else {
				err = writeCases(e.stdout, results)
			}
			if err != nil {
				return err
			}
			for _, r := range results {
				if r.Err != nil {
					return &exitError{code: ExitError}
				}
			}
			for _, r := range results {
				if len(r.Problems) > 0 {
					return &exitError{code: ExitFindings}
				}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or junit")
	return cmd
}

// caseDirs lists the directories under root that hold an expected.yaml,
// root itself included, in lexical order.
func caseDirs(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "expected.yaml" {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read test cases: %w", err)
	}
	slices.Sort(dirs)
	return dirs, nil
}

func runCase(loader *record.Loader, pol *evaluate.Policy, root, dir string) caseResult {
	name, _ := filepath.Rel(root, dir)
	res := caseResult{Name: filepath.ToSlash(name)}
	if res.Name == "." {
		res.Name = filepath.Base(dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
	if err != nil {
		res.Err = err
		return res
	}
	var want expected
	if err := yaml.Unmarshal(data, &want); err != nil {
		res.Err = fmt.Errorf("%s: %w", filepath.Join(dir, "expected.yaml"), err)
		return res
	}
	if want.Verdict != "pass" && want.Verdict != "fail" {
		res.Err = fmt.Errorf("%s: verdict %q: want pass or fail", filepath.Join(dir, "expected.yaml"), want.Verdict)
		return res
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if want.Today != "" {
		if today, err = time.Parse(time.DateOnly, want.Today); err != nil {
			res.Err = fmt.Errorf("%s: today %q: want YYYY-MM-DD", filepath.Join(dir, "expected.yaml"), want.Today)
			return res
		}
	}
	findings, err := judgeCase(loader, pol, changes.WorktreeFS(dir), today)
	if err != nil {
		res.Err = err
		return res
	}
	res.Verdict = "pass"
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Severity == finding.Error {
			res.Verdict = "fail"
		}
		if f.Severity >= finding.Warning && !seen[f.Rule] {
			seen[f.Rule] = true
			res.Got = append(res.Got, f.Rule)
		}
	}
	slices.Sort(res.Got)
	if res.Verdict != want.Verdict {
		res.Problems = append(res.Problems, fmt.Sprintf("verdict %s, want %s", res.Verdict, want.Verdict))
	}
	for _, id := range want.Rules {
		if !seen[strings.ToUpper(id)] {
			res.Problems = append(res.Problems, "missing "+strings.ToUpper(id))
		}
	}
	for _, id := range res.Got {
		if !slices.ContainsFunc(want.Rules, func(w string) bool { return strings.EqualFold(w, id) }) {
			msg := "unexpected " + id
			for _, f := range findings {
				if f.Rule == id {
					msg += ": " + oneLine(f.Message)
					break
				}
			}
			res.Problems = append(res.Problems, msg)
		}
	}
	return res
}

// judgeCase judges every training config of a case directory (as `check
// --all` does) with the policy under test. A case without a config gets one
// at a path its first record covers, so a case can be a record and its
// evidence alone.
func judgeCase(loader *record.Loader, pol *evaluate.Policy, fsys fs.FS, today time.Time) ([]finding.Finding, error) {
	res, err := gate.Run(context.Background(), gate.Options{
		Mode: gate.All, Trees: &gate.Trees{Head: fsys, Policy: fsys},
		Loader: loader, Policy: pol, Today: today, FailOn: finding.Error,
		Skip: func(p string) bool { return p == "expected.yaml" },
		// A case may hold only a record and its evidence: judge a config
		// made up at a path the first record covers.
		Supplement: func(configs []detect.Config, recs []*record.Record) []detect.Config {
			if len(recs) == 0 || slices.ContainsFunc(configs, func(c detect.Config) bool { return c.Framework != record.ChatFramework }) {
				return configs
			}
			if r := recs[0]; len(r.Covers) > 0 {
				configs = append(configs, detect.Config{Path: coveredPath(r.Covers[0]), Kind: detect.Finetune, Framework: detect.Custom, BaseModel: r.BaseModel})
			}
			return configs
		},
	})
	if err != nil {
		return nil, err
	}
	if len(res.Configs) == 0 {
		return nil, fmt.Errorf("no record under %s/ covers a config", pol.RecordsDir)
	}
	return res.Findings, nil
}

// coveredPath is a path a covers glob matches: each wildcard stands for one
// plain name.
func coveredPath(glob string) string {
	p := strings.NewReplacer("**", "x", "*", "x", "?", "x").Replace(glob)
	if strings.HasSuffix(glob, "/") || path.Base(p) == "x" || !strings.Contains(path.Base(p), ".") {
		p = path.Join(p, "config.yaml")
	}
	return p
}

func writeCases(w io.Writer, results []caseResult) error {
	failed, broken := 0, 0
	for _, r := range results {
		switch {
		case r.Err != nil:
			broken++
			fmt.Fprintf(w, "ERROR %s: %s\n", r.Name, oneLine(r.Err.Error()))
		case len(r.Problems) > 0:
			failed++
			fmt.Fprintf(w, "FAIL  %s: %s\n", r.Name, strings.Join(r.Problems, "; "))
		default:
			fmt.Fprintf(w, "PASS  %s (%s%s)\n", r.Name, r.Verdict, rulesSuffix(r.Got))
		}
	}
	_, err := fmt.Fprintf(w, "%d %s, %d passed, %d failed, %d errors\n", len(results), plural(len(results), "case", "cases"),
		len(results)-failed-broken, failed, broken)
	return err
}

func rulesSuffix(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ": " + strings.Join(ids, ", ")
}

func writeJUnit(w io.Writer, results []caseResult) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Error     *failure `xml:"error,omitempty"`
	}
	type testsuite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Time     string     `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	suite := testsuite{Name: "ftgate policy test", Tests: len(results)}
	var total time.Duration
	for _, r := range results {
		total += r.Duration
		tc := testcase{Name: r.Name, Classname: "ftgate.policy", Time: seconds(r.Duration)}
		switch {
		case r.Err != nil:
			suite.Errors++
			tc.Error = &failure{Message: oneLine(r.Err.Error()), Type: "error", Text: r.Err.Error()}
		case len(r.Problems) > 0:
			suite.Failures++
			tc.Failure = &failure{Message: strings.Join(r.Problems, "; "), Type: "expectation", Text: strings.Join(r.Problems, "\n")}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Time = seconds(total)
	out := struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []testsuite
	}{Suites: []testsuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
