package rules

// ID is a built-in rule's identity. Findings of built-in rules are made
// from it (finding.New takes the ID), so a misspelt rule is a compile error
// instead of a finding nobody can look up. Repository rules (deny entries
// of the policy) have IDs only the policy knows, and stay strings.
type ID string

// The built-in rules, in the order of All.
const (
	FT001 ID = "FT001"
	FT002 ID = "FT002"
	FT003 ID = "FT003"
	FT004 ID = "FT004"
	FT005 ID = "FT005"
	FT006 ID = "FT006"
	FT007 ID = "FT007"
	FT008 ID = "FT008"
	FT009 ID = "FT009"
	FT010 ID = "FT010"
	FT011 ID = "FT011"
	FT012 ID = "FT012"
	FT101 ID = "FT101"
	FT102 ID = "FT102"
	FT103 ID = "FT103"
	FT104 ID = "FT104"
	FT105 ID = "FT105"
	FT201 ID = "FT201"
	FT202 ID = "FT202"
	FT203 ID = "FT203"
)

// RuleID is the ID as findings carry it; it makes an ID a finding.Rule.
func (id ID) RuleID() string { return string(id) }

func (id ID) String() string { return string(id) }

// Doc is the rule's documentation in All.
func (id ID) Doc() Rule {
	r, _ := Lookup(string(id))
	return r
}

// Rule is one built-in rule's documentation.
type Rule struct {
	ID       string
	Name     string // short kebab-case name, e.g. "annotator-agreement"
	Severity string // default severity: error, warning or notice
	Summary  string // one line: what fails
	Checks   string // what the rule computes and compares
	Why      string // the reasoning of the decision framework behind it
	Satisfy  string // what evidence or change satisfies it
	// Settings are the policy settings the rule compares against, as
	// prefixes of the paths `policy show` prints; explain shows their
	// values in force.
	Settings []string
}

// All lists every built-in rule in ID order. It is the one place rules are
// declared.
//
// Severities are the defaults of section 1 of the specification. Several
// rules report at a lower severity in particular cases, and their text says
// when: a valid waiver turns a waivable rule's errors into notices (FT009),
// FT010 is an error only when the changed policy does not load, and FT201 and
// FT202 are notices when the other sufficient condition holds.
var All = []Rule{
	// Record and hygiene rules: is there exactly one readable, accepted,
	// current decision, and is its evidence the evidence that was decided on?
	{
		ID:       string(FT001),
		Name:     "covering-record",
		Severity: "error",
		Summary:  "A training config on trial is covered by no decision record, or by more than one accepted record.",
		Checks: "For every training config on trial (added, modified, copied or renamed, or covered by a record or evidence the change touches), " +
			"ftgate collects the decision records under `records.dir` (default `decisions/`) whose `covers` globs match the config's path, " +
			"plus every record that names the config as its `necessary.data.training_set`. " +
			"No covering record at all is an error. Two or more covering records with `status: accepted` is an error listing them " +
			"(\"covered by 2 accepted records: …; supersede one\"). " +
			"Globs match repository-relative paths byte for byte: `*` is any run of bytes except `/`, `?` one byte except `/`, " +
			"and `**` as a whole segment is zero or more segments.",
		Why: "Prompt first, fine-tune as fallback. A fine-tuning run commits a team to collecting data, paying for training and owning a model for as long as it serves traffic, " +
			"so the decision to take that path has to be written down where reviewers can read it before the config merges. " +
			"Exactly one accepted record must speak for a config: with two, nobody can tell which evidence justified it, " +
			"and the weaker record can quietly keep a config alive after the stronger one is superseded.",
		Satisfy: "Add a decision record (`kind: FineTuneDecision`) under `decisions/` whose `covers` list has a glob matching the config, " +
			"for example `covers: [\"training/contract-risk/**\"]`; `ftgate init CONFIG` scaffolds one pre-filled from the config. " +
			"When two accepted records cover the config, set the older one to `status: superseded` or narrow its `covers` so that exactly one remains.",
		Settings: []string{"records.dir"},
	},
	{
		ID:       string(FT002),
		Name:     "record-schema",
		Severity: "error",
		Summary:  "A decision record cannot be parsed or does not match the record schema.",
		Checks: "Every `.yaml`, `.yml`, `.json` and `.cue` file under the records directory is read as a record, and one that does not parse is reported, never skipped. " +
			"ftgate checks the record against the schema of the policy: required fields `apiVersion: ftgate/v1`, `kind: FineTuneDecision`, " +
			"`id` (`FTD-` and digits, unique across records), `title`, `status` (`proposed`, `accepted`, `rejected` or `superseded`), " +
			"`decided` and `review_by` (`YYYY-MM-DD`), a non-empty `covers` and `base_model`; " +
			"wrong types, unknown fields and bad enum values (`urgency`, `level`, an agreement metric other than `krippendorff_alpha`, `cohen_kappa` or `fleiss_kappa`) are errors too. " +
			"A record is data, read without running anything: a `.cue` record may hold no reference, operator, comprehension, interpolation or definition (the error names the construct), " +
			"and a record holds at most 1 MiB, 256 entries in one list or mapping and 4096 values in all, so that no record can make the check slow. " +
			"Each error is reported at its file:line:col in the record. " +
			"It is checked for every record the change adds or modifies and every record covering a config on trial (every record under `--all`).",
		Why: "A record ftgate cannot read proves nothing, and skipping it would let a typo switch the gate off. " +
			"Unknown fields are errors because a misspelt field (`anotations:` for `annotations:`) would otherwise look like evidence that was supplied but was never checked.",
		Satisfy: "Fix the syntax or schema error at the reported position. " +
			"`ftgate policy schema` exports a JSON Schema of the record that editors such as VS Code can validate against while you type, " +
			"and `ftgate init CONFIG` writes a record with every required field in place.",
		Settings: []string{"records.dir"},
	},
	{
		ID:       string(FT003),
		Name:     "record-not-accepted",
		Severity: "error",
		Summary:  "The decision record that covers a config on trial is not `accepted`.",
		Checks:   "Reads `status` of the records covering the config. When none of them is `accepted`, the finding is reported on the covering record with the latest `decided` date (a `superseded` one only when no other covers the config), naming its status.",
		Why: "A `proposed` record is a decision still under discussion, a `rejected` one is a decision against fine-tuning, and a `superseded` one has been replaced. " +
			"In none of these cases has the team agreed that fine-tuning is warranted, so the training config must not merge ahead of the decision.",
		Satisfy: "Once the deciders agree, set `status: accepted` in the record, in a change reviewed by the owners of `decisions/` (protect it with CODEOWNERS and branch protection). " +
			"If the decision was against fine-tuning, remove the training config, or write a new record with new evidence.",
	},
	{
		ID:       string(FT004),
		Name:     "evidence-unreadable",
		Severity: "error",
		Summary:  "An evidence file named by the record is missing, unreadable, malformed, too large, a Git LFS pointer, or outside the repository.",
		Checks: "Opens every evidence file ftgate parses: the eval `history`, the `annotations`, the `training_set`, the `production` and `training` scenario files, and every file under `digests`. " +
			"A path must be repository-relative (no absolute path, no `..`, no symlink escaping the repository), " +
			"the file must exist, be at most `evidence.max_bytes` (default 1 GiB) and not be a Git LFS pointer, and it must parse: " +
			"an eval history is CSV `iteration,score,n,technique,date[,model]` with integer iterations (a duplicate is an error), `score` in [0,1] " +
			"and `technique` one of `zero_shot`, `few_shot`, `rag`, `cot`, `self_consistency`, `other`; " +
			"annotations are long CSV `unit,annotator,label` or wide CSV `unit,<annotator>,…`, with no repeated (unit, annotator); " +
			"scenarios are CSV `scenario,count` or JSONL with the scenario at the record's `coverage.production_field` / `coverage.training_field` (default `scenario`); " +
			"a training set is JSONL or CSV. Malformed input is reported at its file:line:col. " +
			"A missing `eval_pipeline` or `regression_suite` is FT105, not FT004.",
		Why: "ftgate recomputes every figure from the evidence instead of trusting numbers typed into the record; evidence it cannot read cannot be recomputed. " +
			"A gate that passes when its input is unreadable is no gate, so ftgate fails closed. " +
			"An LFS pointer is refused because its text is not the data (CI checkouts often skip LFS objects), and paths outside the repository are refused because they are not part of the reviewed change.",
		Satisfy: "Commit the evidence file at the path the record names, in the format above, as a regular Git file; " +
			"when the real data is too large or lives in LFS, commit a representative extract under the size cap and name that. " +
			"Fix a malformed row at the reported line and column.",
		Settings: []string{"evidence.max_bytes"},
	},
	{
		ID:       string(FT005),
		Name:     "evidence-digest",
		Severity: "error",
		Summary:  "An evidence file differs from the sha256 digest the record pins.",
		Checks:   "For every entry of the record's `digests` (`path: \"sha256:<64 lowercase hex digits>\"`), ftgate hashes the file's bytes as committed and compares.",
		Why:      "A digest pins the evidence the deciders looked at. Without it, a later edit to the labels or the eval history could change the basis of an accepted decision without anyone re-reading the record.",
		Satisfy: "If the change to the evidence is intended, have the deciders review it and update the digest to the new value " +
			"(`sha256sum FILE`, written as `sha256:<hex>`); otherwise restore the file as it was when the decision was taken.",
	},
	{
		ID:       string(FT006),
		Name:     "declared-figure",
		Severity: "error",
		Summary:  "A figure the record declares disagrees with the figure ftgate recomputes from the evidence.",
		Checks: "Each `declared` figure in the record, such as `necessary.data.agreement.declared`, is compared with the value ftgate computes from the evidence; " +
			"a difference of more than 0.01 is reported with both numbers (\"record says alpha 0.84, raw labels give 0.71\").",
		Why: "People read the record and trust its numbers. A typed number that disagrees with the data means either that the evidence changed after the decision or that the number was wishful; " +
			"ftgate gates on the recomputed figure either way, but a wrong declared figure misleads every reviewer who reads the record.",
		Satisfy: "Set `declared` to the computed value (run `ftgate stats agreement FILE --metric …` to see it), remove the `declared` field, " +
			"or correct the evidence if it is the evidence that is wrong.",
	},
	{
		ID:       string(FT007),
		Name:     "base-model-mismatch",
		Severity: "error",
		Summary:  "The config fine-tunes a different base model from the one the record's decision was made for.",
		Checks: "Compares the base model the config names with the record's `base_model` after trimming both, dropping a `hf://` or `https://huggingface.co/` prefix and an `@revision` suffix, " +
			"case-insensitively; a local path never equals a hub id. When the config names no base model the rule is not evaluated and a notice says so.",
		Why: "The prompting ceiling is a property of a model. Evidence that prompting plateaued on one model says nothing about another, " +
			"and a newer or larger base model may close the quality gap with prompting alone, so a change of base model reopens the decision.",
		Satisfy: "Re-run the prompt evaluations on the new base model, append them to the eval history (the `model` column records which model each row used), " +
			"re-check the other conditions and update `base_model` in the record; or point the config back at the model the record names.",
	},
	{
		ID:       string(FT008),
		Name:     "stale-decision",
		Severity: "error",
		Summary:  "The record has expired, or its newest prompt evaluation was too old when the decision was taken.",
		Checks: "Fails when `review_by` is before today (the current UTC date, or `--today`; a record is valid through its `review_by` day), " +
			"or when the newest `date` in the eval history is more than `thresholds.evidence.max_evidence_age_days` (default 90) before `decided`.",
		Why: "New model generations arrive every few months and routinely move the prompting ceiling. " +
			"A decision based on old prompt evaluations may be obsolete on the day it is taken, and one past its review date has not been checked against the models available now.",
		Satisfy: "Re-run the prompt evaluations on current models, append the rows with their dates to the history, re-decide, " +
			"and set `decided` and a new `review_by` (at most `thresholds.maintenance.max_review_days`, default 180, after `decided`).",
		Settings: []string{"thresholds.evidence."},
	},
	{
		ID:       string(FT009),
		Name:     "waiver",
		Severity: "error",
		Summary:  "A waiver is in force (reported as a notice, never silently), or a waiver is invalid or expired (an error).",
		Checks: "A waiver in the record's `waivers` list is valid when its `rule` is one of FT004–FT008, FT101–FT105, FT201 or FT202, its `reason` is non-empty, " +
			"its `approved_by` is one of the record's `deciders`, and its `expires` date is today or later and at most `thresholds.waivers.max_days` (default 90) after today. " +
			"A valid waiver turns that rule's errors for this record into notices and is itself reported as a notice; any other waiver is an error.",
		Why: "Sometimes a team knowingly accepts a gap, such as a scenario that launches next month and has no training data yet. " +
			"A waiver keeps that choice visible, attributed and time-boxed instead of hidden. " +
			"The rules about whether a decision exists at all (FT001–FT003, FT009–FT012) and the time dimension (FT203) cannot be waived. " +
			"ftgate cannot tell who wrote `approved_by`, so `decisions/` should be protected with CODEOWNERS and branch protection.",
		Satisfy: "Give the waiver a waivable `rule`, a `reason`, an `approved_by` listed in `deciders` and an `expires` date no more than the allowed number of days ahead; " +
			"or remove the waiver and supply the evidence the waived rule asks for.",
		Settings: []string{"thresholds.waivers."},
	},
	{
		ID:       string(FT010),
		Name:     "policy-change",
		Severity: "notice",
		Summary:  "The change edits ftgate's policy: it is judged by the base commit's policy, and the new policy applies after merge.",
		Checks: "When the change touches `.ftgate/` (or a repository-relative `--policy` directory), ftgate judges the change with the policy of the base commit and loads the new policy on its own, unified with the embedded default. " +
			"If the new policy loads and keeps every floor, this is a notice; if it does not, it is an error naming the first CUE error and its position.",
		Why: "A pull request must not be able to weaken the rules that judge it, so its own policy change never counts for its verdict. " +
			"But a policy that does not load would make every later check fail with a configuration error, so the change that introduces it is stopped while it is still in review.",
		Satisfy: "A notice needs nothing. For the error, fix the reported CUE error; run `ftgate policy vet` locally. " +
			"A repository may only tighten a threshold, never move it past its floor (for example `thresholds.agreement.min` may not go below 0.667), and rule IDs beginning with `FT` are reserved.",
	},
	{
		ID:       string(FT011),
		Name:     "pretraining-config",
		Severity: "warning",
		Summary:  "The change adds or modifies a language-model pretraining config.",
		Checks: "Reports a changed config detected as `kind: pretrain`: training from random initialisation, or continued pretraining of existing weights (LoRA included) on raw text " +
			"with a plain language-modelling objective and no instruction, chat, preference or task labels. " +
			"The policy field `detect.pretrain` sets the severity: `warning` (default), `error`, or `ignore`.",
		Why: "Pretraining is not a fine-tuning decision, and the framework's conditions (a converged prompt, agreeing annotators) do not apply to it, " +
			"but it is an even larger commitment of data, compute and upkeep, so a reviewer should see it explicitly rather than have it pass unnoticed.",
		Satisfy: "A warning needs no record. A repository that pretrains routinely can set `detect: pretrain: \"ignore\"` (or `\"error\"` to require attention) in its policy. " +
			"A file wrongly detected as pretraining can be removed from detection with a `detect.exclude` glob.",
		Settings: []string{"detect.pretrain"},
	},
	{
		ID:       string(FT012),
		Name:     "baselined-config",
		Severity: "notice",
		Summary:  "A training config on trial is listed in the baseline with its present content: it is reported, not judged.",
		Checks: "`ftgate baseline` writes `.ftgate/baseline.json`: the training configs a repository held when it adopted ftgate, each with the SHA-256 of its content. " +
			"A config on trial whose path is listed there with the digest of its content is this notice and no other rule judges it; " +
			"a config whose content differs from its digest, or that is not listed, is judged as usual. " +
			"The baseline is read from the same tree as the policy: the working tree under `--all` and FILE, HEAD under `--staged`, the base commit in pull-request mode, " +
			"so a change cannot baseline its own config. A change that edits the baseline is FT010: the new baseline applies after merge. " +
			"A baseline that does not parse (unknown field, version other than 1, malformed digest, a path listed twice) stops the check with its position (exit 2).",
		Why: "A repository that already holds many fine-tuning configs would otherwise fail on day one for decisions made before the gate existed. " +
			"The baseline records what existed, so the gate applies to what changes from now on; " +
			"the digest makes any edit to a baselined config a new decision that needs a record.",
		Satisfy: "A notice needs nothing. To take a config out of the baseline, add a decision record covering it and remove its line from `.ftgate/baseline.json`; " +
			"any edit to the config puts it on trial anyway.",
	},

	// Necessary conditions: every one must hold before fine-tuning is
	// considered.
	{
		ID:       string(FT101),
		Name:     "prompt-ceiling",
		Severity: "error",
		Summary:  "The record does not show that prompt engineering has converged.",
		Checks: "Reads the eval history at `necessary.prompt_ceiling.history`: a CSV `iteration,score,n,technique,date[,model]`, " +
			"or promptfoo result files (`promptfoo eval -o results.json`; `history` may then name a file, a list of files or a glob; each prompt of each file is one iteration, " +
			"in the order of the runs' timestamps, scored `metrics.score` over the tests run, its technique named by the prompt's `label`). " +
			"It orders the rows by `iteration`, " +
			"and computes: `k`, the number of iterations; the best score `max(s1..sk)`; " +
			"the gain of the best score over the last `w` iterations, `max(s1..sk) − max(s1..s(k−w))`, with `w = thresholds.prompt_ceiling.window` (default 3; with `k ≤ w` there is no gain and the history has not converged); " +
			"and the noise floor, one standard error of the best score `sqrt(p(1−p)/n)` from the earliest row holding it. " +
			"It holds when `k ≥ thresholds.prompt_ceiling.min_iterations` (default 5), `gain ≤ max(thresholds.prompt_ceiling.epsilon, noise)` (epsilon default 0.01), " +
			"and every technique in `thresholds.prompt_ceiling.required_techniques` (default `few_shot`, `rag`) appears in the history. " +
			"A missing `necessary.prompt_ceiling` fails this rule.",
		Why: "Prompting is cheaper, faster to iterate on, and carries over to the next model generation; fine-tuning is the fallback once prompting has stopped improving, measured rather than felt. " +
			"A disappointing first zero-shot attempt is not a ceiling. Gains smaller than the eval set's standard error are noise, so the noise floor keeps a small, noisy eval set from hiding a plateau or faking progress. " +
			"Few-shot examples and retrieval are required because they are the cheap levers that most often close the gap a team is tempted to fine-tune for.",
		Satisfy: "Record every prompt iteration in the history CSV, one row each, for example `7,0.842,500,rag,2026-09-20,gpt-4.1`, or commit each promptfoo run's results file with prompts labelled by technique (`few_shot`, `rag+cot`); " +
			"keep iterating until the best score has stopped rising over the last `window` iterations, and include at least few-shot and RAG attempts. " +
			"Check locally with `ftgate stats convergence FILE`.",
		Settings: []string{"thresholds.prompt_ceiling."},
	},
	{
		ID:       string(FT102),
		Name:     "annotator-agreement",
		Severity: "error",
		Summary:  "Annotators do not agree enough on the labels, or too few units were labelled by more than one annotator.",
		Checks: "Reads the raw labels at `necessary.data.annotations`, one per (unit, annotator): long CSV `unit,annotator,label`, wide CSV `unit,<annotator1>,…` with empty cells for missing labels, " +
			"or an annotation tool's export, told from the content: Label Studio JSON, JSON-MIN or CSV, Prodigy `db-out` JSONL, or Argilla v2 records JSON (`dataset.records.to_json`). " +
			"`necessary.data.question` names the question when an export holds several; multi-choice answers are refused. " +
			"Computes the agreement named by `necessary.data.agreement.metric`: Krippendorff's alpha (`krippendorff_alpha`, the default, at `necessary.data.level`, default `nominal`), " +
			"Cohen's kappa (`cohen_kappa`, exactly two annotators, `weights` none, linear or quadratic) or Fleiss' kappa (`fleiss_kappa`), over all units with at least two labels. " +
			"It holds when the value is at least `thresholds.agreement.min` (default 0.800, floor 0.667) and the number of such units is at least `thresholds.agreement.min_units` (default 100). " +
			"An undefined value (no variation in the labels, chance agreement of 1, no unit with two labels) fails. " +
			"A 95% percentile bootstrap interval over units (1000 resamples, seed 1) is reported as `ci_low`..`ci_high`; the default policy does not gate on it.",
		Why: "A model fine-tuned on labels learns the annotators' disagreement along with their agreement: where people agree only 70% of the time, label noise caps what tuning can learn and what an evaluation can measure. " +
			"Inconsistent labels usually mean an unclear task, and clarifying the guidelines often improves the prompt as well, which may remove the need to fine-tune. " +
			"The default 0.800 is Krippendorff's bar for reliable data; 0.667 is his lowest bound for tentative conclusions, and no repository may go below it.",
		Satisfy: "Commit the raw, unaggregated labels (a CSV, or the annotation tool's export as it wrote it) with at least 100 units labelled by two or more annotators, and name the file in `necessary.data.annotations`. " +
			"If agreement is low, sharpen the labelling guidelines, adjudicate the disagreements and re-label, then recompute with `ftgate stats agreement FILE --metric krippendorff_alpha`.",
		Settings: []string{"thresholds.agreement."},
	},
	{
		ID:       string(FT103),
		Name:     "data-scale",
		Severity: "error",
		Summary:  "The training set has too few examples.",
		Checks: "Counts the examples of `necessary.data.training_set`: lines of a JSONL file or data rows of a CSV file. " +
			"It holds when the count is at least `thresholds.data.min_examples` (default 500). Dataset names found in the config are reported, not cross-checked. " +
			"A missing `necessary.data.training_set` fails this rule.",
		Why: "With too few examples, fine-tuning overfits and rarely beats a good prompt that uses the same examples as few-shot demonstrations or retrieval context. " +
			"Below a few hundred examples, the examples are usually worth more inside the prompt than inside the weights.",
		Satisfy:  "Name the training set in `necessary.data.training_set` and grow it to the threshold, or use the examples for few-shot prompting or RAG instead and record that in the eval history.",
		Settings: []string{"thresholds.data."},
	},
	{
		ID:       string(FT104),
		Name:     "production-coverage",
		Severity: "error",
		Summary:  "The training data does not cover the scenarios seen in production.",
		Checks: "Reads a production scenario sample (`necessary.coverage.production`) and the scenario labels of the training data (`necessary.coverage.training`), " +
			"each CSV `scenario,count` or JSONL with the scenario at `coverage.production_field` / `coverage.training_field` (default `scenario`). " +
			"A scenario is covered when the training side has at least `thresholds.coverage.min_examples_per_scenario` (default 20) examples of it, and coverage is the production share of covered scenarios. " +
			"It holds when coverage is at least `thresholds.coverage.min` (default 0.95) and no uncovered scenario has more than `thresholds.coverage.max_uncovered_share` (default 0.02) of production traffic. " +
			"Uncovered scenarios are listed by traffic share; the total-variation distance between the two distributions is reported, not gated.",
		Why: "A fine-tuned model is only as good as its data on the traffic it actually serves. Tuning narrows a model's behaviour, so a scenario that is missing from the training data " +
			"can end up worse than under the prompted baseline. Weighting by production traffic puts the effort where users are.",
		Satisfy: "Sample production traffic, label its scenarios, and add at least the minimum number of training examples for every uncovered scenario the finding lists, largest share first. " +
			"A scenario that is being retired can be waived for a limited time (FT009). Check locally with `ftgate stats coverage PRODUCTION TRAINING`.",
		Settings: []string{"thresholds.coverage."},
	},
	{
		ID:       string(FT105),
		Name:     "maintenance-ownership",
		Severity: "error",
		Summary:  "The record does not show that the team can maintain the fine-tuned model.",
		Checks: "Under `necessary.maintenance`: `owner` and `backup` are named; `eval_pipeline` and `regression_suite` exist in the repository; `retrain_triggers` is non-empty; " +
			"and `review_by − decided` is at most `thresholds.maintenance.max_review_days` (default 180). " +
			"ftgate reads the first of `.github/CODEOWNERS`, `CODEOWNERS` and `docs/CODEOWNERS` that exists, as GitHub does; " +
			"when no rule matches the config's path, or the last matching rule does not list `owner` (compared case-insensitively), the rule fails. " +
			"Without a CODEOWNERS file that part is skipped with a notice.",
		Why: "A prompt is a text file anyone can edit; a fine-tuned model is a system someone must own. It has to be retrained when the base model is updated or the data drifts, " +
			"and checked against a regression suite for catastrophic forgetting of general capabilities. Without a named owner, a backup and the pipelines in place, the tuned model rots. " +
			"CODEOWNERS ties that ownership to code review, so the owner sees every change to the config.",
		Satisfy: "Fill in `necessary.maintenance` (`owner`, `backup`, `eval_pipeline`, `regression_suite`, `retrain_triggers` such as `[base_model_update, drift]`), " +
			"commit the pipeline and suite files, add a CODEOWNERS line matching the config's path that lists the owner, and keep `review_by` within the allowed days of `decided`.",
		Settings: []string{"thresholds.maintenance."},
	},

	// Sufficient conditions: at least one must hold.
	{
		ID:       string(FT201),
		Name:     "quality-gap",
		Severity: "error",
		Summary:  "No sufficient condition holds: the quality gap prompting leaves is too small, or no sufficient condition is claimed.",
		Checks: "When `sufficient.quality_gap.target` is claimed, computes `target − best prompt score`, with the best score taken from the eval history (never a typed number), " +
			"and requires it to be at least `thresholds.quality_gap.min_gap` (default 0.05). " +
			"Sufficient conditions are judged together: when this one does not hold but FT202 does, the report is a notice; when neither holds, it is an error; " +
			"when neither `quality_gap` nor `latency_cost` is claimed, FT201 is an error saying so.",
		Why: "Once prompting has converged, fine-tuning earns its cost by closing a measured quality gap the product needs closed. " +
			"A small gap is within what a better prompt or the next model generation typically closes, and does not pay for the data, training and maintenance.",
		Satisfy: "Claim `sufficient.quality_gap: {target: 0.90}` with the score the product needs, on the same metric as the eval history, and make sure the history's best score is at least the minimum gap below it; " +
			"or claim `sufficient.latency_cost` if the case for fine-tuning is latency or cost.",
		Settings: []string{"thresholds.quality_gap."},
	},
	{
		ID:       string(FT202),
		Name:     "latency-cost",
		Severity: "error",
		Summary:  "The latency or cost case for fine-tuning does not hold.",
		Checks: "When `sufficient.latency_cost` is claimed, computes the monthly saving `calls_per_day × 30 × (prompt_tokens × usd_per_mtok − tuned_prompt_tokens × tuned_usd_per_mtok) / 1e6` " +
			"(`tuned_usd_per_mtok` defaults to `usd_per_mtok`). It holds when `calls_per_day` is at least `thresholds.latency_cost.min_calls_per_day` (default 100000) and either the saving is at least " +
			"`costs.maintenance_usd_per_month` or `p95_latency_ms` exceeds `latency_budget_ms`. " +
			"It reports the saving and the payback in months, `(data_usd + training_usd) / (saving − maintenance_usd_per_month)`, or never when the saving does not exceed maintenance. " +
			"A missing `costs.maintenance_usd_per_month` fails this rule. When FT201 holds, a failing FT202 is a notice.",
		Why: "At high call volume, a fine-tuned model that needs a short prompt can cut tokens and latency enough to pay for itself. " +
			"At low volume the saving never covers the cost of data, training and upkeep, and a latency problem is usually cheaper to solve with a smaller model, caching or a shorter prompt.",
		Satisfy: "Fill in `sufficient.latency_cost` (`calls_per_day`, `prompt_tokens`, `tuned_prompt_tokens`, `usd_per_mtok`, and `p95_latency_ms` with `latency_budget_ms` when latency is the case) from production metrics, " +
			"and `costs` (`data_usd`, `training_usd`, `maintenance_usd_per_month`) from real estimates.",
		Settings: []string{"thresholds.latency_cost."},
	},
	{
		ID:       string(FT203),
		Name:     "wait-for-next-model",
		Severity: "warning",
		Summary:  "A non-urgent gap may close with the next model generation: waiting can beat fine-tuning.",
		Checks: "When the record's `urgency` is `low` and FT202 does not hold, warns, naming the quality gap and suggesting re-evaluation on the newest available model. " +
			"When `wait_for_next_model` is missing from `alternatives`, reports a notice.",
		Why: "Model generations ship every few months and often close exactly the gaps teams fine-tune for, while a tuned model ties the team to today's base model and its retraining. " +
			"For a need that can wait, waiting costs nothing and keeps the cheaper, prompt-based path open.",
		Satisfy: "Re-run the prompt evaluations on the newest available model before tuning; if the need truly cannot wait, set `urgency: normal` or `high` in a reviewed change. " +
			"List `wait_for_next_model` in `alternatives` to show it was considered.",
		Settings: []string{"thresholds.latency_cost."},
	},
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (Rule, bool) {
	for _, r := range All {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
