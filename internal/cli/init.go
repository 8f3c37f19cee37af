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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/rules"
)

type initFlags struct {
	policyFlags
	id        string
	today     string
	supersede bool
}

func newInit(e *env) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init CONFIG",
		Short: "Write a decision record for a training config, pre-filled from it",
		Long: `init writes decisions/<id>-<task>.yaml for a detected training config: the next
free FTD- id, covers, base_model and the training set from the config, decided
today, review_by at the end of the policy's review window, and every evidence
field pointing at the file it expects (evidence/<task>/prompt-evals.csv, ...).
Where an evidence file already exists, its figures are computed and the
declared agreement filled in. It then prints what is still missing, rule by
rule. It never overwrites a file (exit 2).`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(e, f, args[0])
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.id, "id", "", "record `ID` (FTD- and digits; default: the next free one)")
	cmd.Flags().BoolVar(&f.supersede, "supersede", false, "when records already cover the config, write a successor and mark them superseded")
	cmd.Flags().StringVar(&f.today, "today", "", "date the decision `YYYY-MM-DD` (default: today, UTC)")
	return cmd
}

// idPattern and plainYAML compile on first use, which only init reaches.
var idPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^FTD-([0-9]+)$`)
})

func runInit(e *env, f initFlags, config string) error {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if f.today != "" {
		var err error
		if today, err = time.Parse(time.DateOnly, f.today); err != nil {
			return &usageError{msg: fmt.Sprintf("--today %q: want YYYY-MM-DD", f.today)}
		}
	}
	if f.id != "" && !idPattern().MatchString(f.id) {
		return &usageError{msg: fmt.Sprintf("--id %q: want FTD- and digits", f.id)}
	}
	loader, pol, err := f.load()
	if err != nil {
		return policyFailed(e, err)
	}
	fsys := changes.WorktreeFS(f.dir)
	rel, err := repoPath(f.dir, config)
	if err != nil {
		return err
	}
	data, err := fs.ReadFile(fsys, rel)
	if err != nil {
		return fmt.Errorf("read %s: %w", config, err)
	}
	cfg, ok := detect.File(rel, data)
	if !ok {
		return fmt.Errorf("%s is not a training config ftgate detects (see `ftgate detect`)", rel)
	}
	cfg.Path = rel

	recs, err := loader.LoadDir(fsys, pol.RecordsDir)
	if err != nil {
		return err
	}
	id := f.id
	if id == "" {
		id = nextID(recs)
	} else if i := slices.IndexFunc(recs, func(r *record.Record) bool { return r.ID == id }); i >= 0 {
		return fmt.Errorf("--id %s: %s already has that id", id, recs[i].Path)
	}
	var live []*record.Record // the records the new one supersedes
	for _, r := range recs {
		if (r.Matches(rel) || r.TrainingSet() == rel) && (r.Status == "proposed" || r.Status == "accepted") {
			live = append(live, r)
		}
	}
	if len(live) > 0 && !f.supersede {
		names := make([]string, len(live))
		for i, r := range live {
			names[i] = fmt.Sprintf("%s (%s, status %s)", r.Path, r.ID, r.Status)
		}
		return fmt.Errorf("%s is already covered by %s: edit that record, or pass --supersede to write a successor", rel, strings.Join(names, ", "))
	}

	task := taskName(rel)
	name := path.Join(pol.RecordsDir, strings.ToLower(id)+"-"+task+".yaml")
	th, _, err := pol.ThresholdsFor(task, rel) // the bars check will hold the config to
	if err != nil {
		return err
	}
	owners, _, err := gate.Owners(fsys)
	if err != nil {
		return err
	}
	d := draft{
		ID: id, Task: task, Config: cfg, Today: today,
		ReviewBy:      today.AddDate(0, 0, th.Maintenance.MaxReviewDays),
		MaxReviewDays: th.Maintenance.MaxReviewDays,
		TrainingSet:   gate.TrainingSet(fsys, cfg),
	}
	if owners != nil {
		if o, _, ok := owners.Owners(rel); ok && len(o) > 0 {
			d.Owner = o[0]
		}
		if o, _, ok := owners.Owners(name); ok {
			d.Deciders = o
		}
	}
	d.Declared = gate.DeclaredAgreement(fsys, d.evidence("labels.csv"), pol.EvidenceMaxBytes)
	if _, err := fs.Stat(fsys, d.evidence("prompt-evals.csv")); err != nil {
		d.History = promptfooHistory(fsys, pol.EvidenceMaxBytes)
	}
	text := d.render()

	loader.Today = today
	rec := loader.Parse(name, text)
	if !rec.Valid {
		// The template and the schema disagree: a bug, not the user's doing.
		msgs := make([]string, len(rec.Problems))
		for i, p := range rec.Problems {
			msgs[i] = p.String()
		}
		return fmt.Errorf("the drafted record does not load: %s", strings.Join(msgs, "; "))
	}
	target := filepath.Join(f.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; ftgate init never overwrites a record", name)
	}
	if err != nil {
		return err
	}
	if _, err := out.Write(text); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%s, status proposed) for %s (%s)\n", name, id, rel, cfg.Framework)
	for _, r := range live {
		if err := markSuperseded(f.dir, r); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "marked %s (%s) superseded by %s\n", r.Path, r.ID, id)
	}

	missing, err := gate.Draft(pol, fsys, cfg, rec, today)
	if err != nil {
		return err
	}
	return printMissing(e.stdout, rel, missing)
}

// markSuperseded sets the status of record r to superseded in its file,
// changing nothing else (comments and layout stay).
func markSuperseded(dir string, r *record.Record) error {
	at := r.Pos("status")
	name := filepath.Join(dir, filepath.FromSlash(r.Path))
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(data), "\n")
	if at.Line < 1 || at.Line > len(lines) {
		return fmt.Errorf("%s: no status to mark superseded", r.Path)
	}
	line := []rune(lines[at.Line-1])
	start := at.Col - 1
	if start < 0 || start >= len(line) || string(line[start:start+min(len(r.Status), len(line)-start)]) != r.Status {
		return fmt.Errorf("%s:%d:%d: status is not written as a plain %s; set it to superseded by hand", r.Path, at.Line, at.Col, r.Status)
	}
	lines[at.Line-1] = string(line[:start]) + "superseded" + string(line[start+len(r.Status):])
	return os.WriteFile(name, []byte(strings.Join(lines, "")), 0o644)
}

// nextID is one more than the highest FTD- number in use, four digits at
// least.
func nextID(recs []*record.Record) string {
	highest := 0
	for _, r := range recs {
		if m := idPattern().FindStringSubmatch(r.ID); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > highest {
				highest = n
			}
		}
	}
	return fmt.Sprintf("FTD-%04d", highest+1)
}

// taskName names the decision after the directory holding the config
// (training/contract-risk/axolotl.yaml is contract-risk), or the config's own
// name when it sits at the root. A directory named for a training stage or
// for configs in general says nothing of the task, so its parent's name
// comes first: recipes/smollm2/sft/config.yaml is smollm2-sft.
func taskName(p string) string {
	dir := path.Dir(p)
	name := slug(path.Base(dir))
	if genericDirs[name] {
		if parent := slug(path.Base(path.Dir(dir))); parent != "" && !genericDirs[parent] {
			name = parent + "-" + name
		}
	}
	if name == "" {
		name = slug(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	}
	if name == "" {
		return "model"
	}
	return name
}

// genericDirs are directory names that name a training stage or a place for
// configs, not a task.
var genericDirs = map[string]bool{
	"sft": true, "dpo": true, "orpo": true, "kto": true, "ppo": true, "grpo": true, "rlhf": true, "reward": true,
	"lora": true, "qlora": true, "full": true, "peft": true, "pretrain": true,
	"config": true, "configs": true, "recipes": true, "examples": true, "train": true, "training": true,
	"finetune": true, "fine-tune": true, "finetuning": true, "fine-tuning": true,
}

// slug is s in lower case with every run of other characters than letters
// and digits made one dash ("" for "." and "/").
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// draft is what init knows of the decision before anyone has filled it in.
type draft struct {
	ID, Task      string
	Config        detect.Config
	Today         time.Time
	ReviewBy      time.Time
	MaxReviewDays int
	TrainingSet   string
	Owner         string
	Deciders      []string
	Declared      string
	History       string // promptfoo results found in the repository
}

func (d draft) evidence(file string) string { return path.Join("evidence", d.Task, file) }

// render writes the record as YAML, with a comment on every line a person
// still has to decide. Fields nobody can guess are left commented out: an
// empty value would not load.
func (d draft) render() []byte {
	var b bytes.Buffer
	// line writes content with its comment aligned in one column.
	line := func(content, comment string) {
		b.WriteString(content)
		if comment != "" {
			b.WriteString(strings.Repeat(" ", max(1, 44-len(content))) + "# " + comment)
		}
		b.WriteByte('\n')
	}
	q := yamlString
	line("# Decision record for "+d.Config.Path+", drafted by `ftgate init`.", "")
	line("# Commit the evidence each field names, fill in what is marked TODO, and", "")
	line("# set status: accepted once the deciders agree. `ftgate explain RULE` says", "")
	line("# what each rule needs; `ftgate check "+d.Config.Path+"` judges it.", "")
	line("apiVersion: ftgate/v1", "")
	line("kind: FineTuneDecision", "")
	line("id: "+d.ID, "")
	line("title: "+q(fmt.Sprintf("Fine-tune %s (%s)", d.Task, d.Config.Framework)), "")
	line("status: proposed", "proposed | accepted | rejected | superseded")
	line("decided: "+d.Today.Format(time.DateOnly), "")
	line("review_by: "+d.ReviewBy.Format(time.DateOnly), fmt.Sprintf("at most %d days after decided", d.MaxReviewDays))
	if len(d.Deciders) > 0 {
		quoted := make([]string, len(d.Deciders))
		for i, s := range d.Deciders {
			quoted[i] = q(s)
		}
		line("deciders: ["+strings.Join(quoted, ", ")+"]", "")
	} else {
		line(`# deciders: ["@your-org/ml-leads"]`, "TODO: who decides (and approves waivers)")
	}
	line("covers: ["+q(coversGlob(d.Config.Path))+"]", "the configs this record authorises")
	if d.Config.BaseModel != "" {
		line("base_model: "+q(d.Config.BaseModel), "")
	} else {
		line("base_model: unknown", "TODO: the config names no base model")
	}
	line("task: "+q(d.Task), "selects tasks."+q(d.Task)+" thresholds in the policy")
	line("urgency: normal", "low | normal | high")
	line("necessary:", "")
	line("  prompt_ceiling:", string(rules.FT101))
	line("    metric: score", "TODO: the metric's name (f1, accuracy, ...)")
	if d.History != "" {
		line("    history: "+q(d.History), "promptfoo results found in the repository")
	} else {
		line("    history: "+q(d.evidence("prompt-evals.csv")), "iteration,score,n,technique,date[,model], or promptfoo results")
	}
	line("  data:", "")
	if d.TrainingSet != "" {
		line("    training_set: "+q(d.TrainingSet), "FT103: examples counted")
	} else {
		line("    training_set: "+q(path.Join("data", d.Task, "train.jsonl")), "FT103: TODO: the config names no dataset file here")
	}
	line("    annotations: "+q(d.evidence("labels.csv")), "FT102: raw labels, unit,annotator,label")
	line("    level: nominal", "nominal | ordinal | interval | ratio")
	if d.Declared != "" {
		line("    agreement: {metric: krippendorff_alpha, declared: "+d.Declared+"}", "computed from the labels")
	} else {
		line("    agreement: {metric: krippendorff_alpha}", "declared: filled in once the labels exist")
	}
	line("  coverage:", "FT104: scenario,count")
	line("    production: "+q(d.evidence("prod-scenarios.csv")), "")
	line("    training: "+q(d.evidence("train-scenarios.csv")), "")
	line("  maintenance:", string(rules.FT105))
	if d.Owner != "" {
		line("    owner: "+q(d.Owner), "a code owner of the config")
	} else {
		line(`    # owner: "@your-org/ml-platform"`, "TODO: who maintains the model")
	}
	line(`    # backup: "@someone"`, "TODO: who maintains it when the owner cannot")
	line("    eval_pipeline: "+q(path.Join(".github/workflows", d.Task+"-eval.yml")), "")
	line("    regression_suite: "+q(path.Join("evals", d.Task+"-regression.yaml")), "")
	line("    retrain_triggers: [base_model_update, drift]", "")
	line("# sufficient:", "FT201/FT202: TODO: claim at least one")
	line("#   quality_gap: {target: 0.90}", "the score the product needs")
	line("#   latency_cost: {calls_per_day: 0, prompt_tokens: 0, tuned_prompt_tokens: 0,", "")
	line("#                  usd_per_mtok: 0, p95_latency_ms: 0, latency_budget_ms: 0}", "")
	line("# costs: {data_usd: 0, training_usd: 0, maintenance_usd_per_month: 0}", "")
	line("alternatives: [few_shot, rag]", "tried instead; add wait_for_next_model (FT203)")
	return b.Bytes()
}

// coversGlob covers the config's directory, or the config alone when it
// sits at the root.
func coversGlob(p string) string {
	if dir := path.Dir(p); dir != "." {
		return dir + "/**"
	}
	return p
}

// plainYAML are strings YAML reads back unchanged without quotes.
var plainYAML = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9_.][A-Za-z0-9_./-]*$`)
})

// yamlString writes s as a YAML scalar that reads back as the string s:
// plain when safe, else double-quoted (JSON quoting is valid YAML).
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "":
		return strconv.Quote(s)
	}
	if plainYAML().MatchString(s) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return s
		}
	}
	return strconv.Quote(s) // Go's escapes are all valid in YAML double quotes
}

// printMissing lists, rule by rule, what keeps the draft from passing.
func printMissing(w io.Writer, config string, findings []finding.Finding) error {
	findings = finding.Sort(findings)
	var shown []finding.Finding
	for _, f := range findings {
		if f.Severity >= finding.Warning {
			shown = append(shown, f)
		}
	}
	if len(shown) == 0 {
		fmt.Fprintln(w, "\nNothing missing: the evidence meets every threshold.")
	} else {
		fmt.Fprintln(w, "\nStill missing, rule by rule:")
		last := ""
		for _, f := range shown {
			if f.Rule != last {
				name := ""
				if r, ok := rules.Lookup(f.Rule); ok {
					name = " " + r.Name
				}
				fmt.Fprintf(w, "  %s%s\n", f.Rule, name)
				last = f.Rule
			}
			fmt.Fprintf(w, "    %s\n", oneLine(f.Message))
		}
	}
	_, err := fmt.Fprintf(w, "\nWhen the deciders agree, set status: accepted and run: ftgate check %s\n", config)
	return err
}

// promptfooHistory looks through the repository for promptfoo result files
// (promptfoo eval -o results.json) that read as an eval history, and names
// them: one file, or a glob of its directory's JSON files when every one
// of them is a result file. Dependency and VCS directories are skipped;
// each JSON file's first bytes decide whether it is read at all.
func promptfooHistory(fsys fs.FS, maxBytes int64) string {
	found := map[string][]string{} // directory → result files
	other := map[string]bool{}     // directories holding other JSON
	var dirs []string
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "vendor", ".venv":
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.EqualFold(path.Ext(p), ".json") {
			return nil
		}
		dir := path.Dir(p)
		if !looksLikePromptfoo(fsys, p) {
			other[dir] = true
			return nil
		}
		if _, err := evidence.ReadHistory(fsys, []string{p}, maxBytes); err != nil {
			other[dir] = true
			return nil
		}
		if found[dir] == nil {
			dirs = append(dirs, dir)
		}
		found[dir] = append(found[dir], p)
		return nil
	})
	if len(dirs) == 0 {
		return ""
	}
	dir := dirs[0] // the walk is in lexical order
	if files := found[dir]; len(files) > 1 && !other[dir] {
		return path.Join(dir, "*.json")
	}
	return found[dir][0]
}

// looksLikePromptfoo reports whether a JSON file starts as promptfoo's
// result files do, with its evalId and results near the top.
func looksLikePromptfoo(fsys fs.FS, name string) bool {
	f, err := fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.Contains(head, []byte(`"evalId"`)) && bytes.Contains(head, []byte(`"results"`))
}
