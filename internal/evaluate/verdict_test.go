package evaluate

import (
	"os"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/result"
)

func ptr[T any](v T) *T { return &v }

func loadRecord(t *testing.T, l *record.Loader, name string, edit func(string) string) *record.Record {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	if edit != nil {
		src = edit(src)
	}
	r := l.Parse("decisions/ftd-7.yaml", []byte(src))
	if !r.Valid {
		t.Fatalf("record invalid: %v", r.Problems)
	}
	return r
}

// passingMetrics are figures that meet every default threshold.
func passingMetrics() result.Metrics {
	return result.Metrics{
		PromptCeiling: &result.PromptCeiling{Metric: "f1", Iterations: 8, BestScore: ptr(0.81), BestIteration: ptr(6), N: ptr(400), Noise: 0.012, Window: 3, Gain: ptr(0.004), Epsilon: 0.01, Techniques: []string{"few_shot", "rag", "zero_shot"}, MissingTechniques: []string{}, NewestDate: "2026-09-20"},
		Agreement:     &result.Agreement{Metric: "krippendorff_alpha", Level: "nominal", Value: ptr(0.842), Units: 412, Annotators: 5, Pairable: 1900, Declared: ptr(0.84)},
		Coverage:      &result.Coverage{Coverage: ptr(0.97), TVD: ptr(0.1), Scenarios: 10, Covered: 9, Uncovered: []result.Uncovered{{Scenario: "other", Share: 0.01, Examples: 3}}},
		Data:          &result.Data{TrainingSet: "data/contract-risk/train.jsonl", Examples: 2400},
		Cost:          &result.Cost{MonthlySavingUSD: ptr(27000.0), PaybackMonths: ptr(0.8)},
	}
}

// passingInput is a config whose evidence meets every default threshold;
// its metrics are passingMetrics, without verdicts.
func passingInput() Input {
	m := passingMetrics()
	return Input{
		Today:    "2026-11-27",
		Config:   ConfigInput{Path: "training/contract-risk/axolotl.yaml", Kind: "finetune", Framework: "axolotl", BaseModel: ptr("meta-llama/Llama-3.1-8B-Instruct")},
		Metrics:  m.Doc(),
		Sections: Sections{PromptCeiling: "ok", Agreement: "ok", Coverage: "ok", Data: "ok"},
		Facts: Facts{
			BaseModelMatch: ptr(true), DaysPastReview: -124, ReviewDays: 180, EvidenceAgeDays: ptr(12),
			EvalPipeline: "ok", RegressionSuite: "ok",
			CodeOwners: CodeOwnersFact{File: ptr(".github/CODEOWNERS"), Line: ptr(3), Owners: []string{"@acme/ml-platform"}, HasOwner: true},
			Waivers:    []WaiverFact{{DaysToExpiry: 34}},
		},
	}
}

// decided is the input of rec as Judge builds it: the passing metrics,
// changed by edit (when not nil), held to the task's thresholds by Decide.
func decided(t *testing.T, p *Policy, rec *record.Record, edit func(*Input, *result.Metrics)) Input {
	t.Helper()
	in := passingInput()
	m := passingMetrics()
	if edit != nil {
		edit(&in, &m)
	}
	th, err := p.Thresholds(rec.Task)
	if err != nil {
		t.Fatal(err)
	}
	Decide(&m, th, rec)
	in.Metrics = m.Doc()
	return in
}

// judgeEdited judges the test record, changed by edit, against the
// passing input changed by input (either may be nil), and lists the
// findings as rulesOf does.
func judgeEdited(t *testing.T, p *Policy, l *record.Loader, edit func(string) string, input func(*Input, *result.Metrics)) []string {
	t.Helper()
	rec := loadRecord(t, l, "testdata/record.yaml", edit)
	v, err := p.Verdict(rec.Value, rec.Task, decided(t, p, rec, input))
	if err != nil {
		t.Fatal(err)
	}
	return rulesOf(v, "")
}

func rulesOf(v Verdict, minSeverity string) []string {
	var out []string
	for _, f := range v.Findings {
		if minSeverity == "error" && f.Severity != "error" {
			continue
		}
		out = append(out, f.Rule+" "+f.Severity+" "+f.Message+" @"+f.Field)
	}
	return out
}

func TestVerdictPassing(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := loadRecord(t, l, "testdata/record.yaml", nil)
	v, err := p.Verdict(rec.Value, rec.Task, decided(t, p, rec, nil))
	if err != nil {
		t.Fatal(err)
	}
	if errs := rulesOf(v, "error"); len(errs) > 0 {
		t.Errorf("passing input has errors:\n%s", strings.Join(errs, "\n"))
	}
	if !v.QualityGap || !v.LatencyCost {
		t.Errorf("sufficient: gap %v cost %v, want both", v.QualityGap, v.LatencyCost)
	}
	if len(v.Waived) != 1 || v.Waived[0] != "FT104" {
		t.Errorf("waived %v, want [FT104]", v.Waived)
	}
	all := strings.Join(rulesOf(v, ""), "\n")
	if !strings.Contains(all, "FT009 notice waiver for FT104 in force until 2026-12-31") {
		t.Errorf("no FT009 notice:\n%s", all)
	}
}

func TestVerdictFailures(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(string) string
		input func(*Input, *result.Metrics)
		want  string // "RULE severity message-substring @field"
	}{
		{"alpha below", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.71); m.Agreement.Declared = nil },
			"FT102 error alpha 0.710 < 0.800 over 412 units, 5 annotators @necessary.data.annotations"},
		{"declared disagrees", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.71) },
			"FT006 error declared krippendorff_alpha 0.840 disagrees with 0.710 recomputed from evidence/contract-risk/labels.csv @necessary.data.agreement.declared"},
		{"alpha undefined", nil, func(in *Input, m *result.Metrics) {
			m.Agreement.Value = nil
			m.Agreement.Undefined = "no_variation"
		},
			"FT102 error krippendorff_alpha is undefined (no_variation) over 412 units"},
		{"few units", nil, func(in *Input, m *result.Metrics) { m.Agreement.Units = 40 },
			"FT102 error 40 units labelled by two or more annotators < 100 required"},
		{"not converged", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.Gain = ptr(0.05) },
			"FT101 error prompting has not converged: best f1 rose 0.050 over the last 3 iterations > max(epsilon 0.010, noise 0.012)"},
		{"short history", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.Gain = nil; m.PromptCeiling.Iterations = 3 },
			"FT101 error convergence cannot be measured: 3 iterations are not more than the window 3"},
		{"missing technique", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.MissingTechniques = []string{"rag"} },
			"FT101 error techniques required but never tried: rag"},
		{"no history", func(s string) string {
			return strings.Replace(s, "  prompt_ceiling:\n    metric: f1\n    history: evidence/contract-risk/prompt-evals.csv\n", "", 1)
		}, func(in *Input, m *result.Metrics) { m.PromptCeiling = nil; in.Sections.PromptCeiling = "absent" },
			"FT101 error no prompt-optimisation history: necessary.prompt_ceiling is missing @necessary"},
		{"few examples", nil, func(in *Input, m *result.Metrics) { m.Data.Examples = 120 },
			"FT103 error 120 training examples < 500 required @necessary.data.training_set"},
		{"low coverage", nil, func(in *Input, m *result.Metrics) { m.Coverage.Coverage = ptr(0.9) },
			"FT104 error training data covers 90.0% of production traffic < 95.0% (9 of 10 scenarios)"},
		{"big uncovered", nil, func(in *Input, m *result.Metrics) { m.Coverage.Uncovered[0].Share = 0.04 },
			"FT104 error scenario \"other\" carries 4.0% of production > 2.0% with 3 training examples < 20"},
		{"base model differs", nil, func(in *Input, m *result.Metrics) {
			in.Facts.BaseModelMatch = ptr(false)
			in.Config.BaseModel = ptr("Qwen/Qwen2.5-7B")
		},
			"FT007 error the config trains Qwen/Qwen2.5-7B but the record decided for meta-llama/Llama-3.1-8B-Instruct @base_model"},
		{"no base model", nil, func(in *Input, m *result.Metrics) { in.Facts.BaseModelMatch = nil; in.Config.BaseModel = nil },
			"FT007 notice the config names no base model; FT007 was not evaluated"},
		{"expired", nil, func(in *Input, m *result.Metrics) { in.Facts.DaysPastReview = 3 },
			"FT008 error the record expired: review_by 2027-03-31 is before today 2026-11-27 @review_by"},
		{"stale evidence", nil, func(in *Input, m *result.Metrics) { in.Facts.EvidenceAgeDays = ptr(120) },
			"FT008 error the newest eval 2026-09-20 is 120 days older than decided 2026-10-02 (max 90) @decided"},
		{"waiver expired", nil, func(in *Input, m *result.Metrics) { in.Facts.Waivers[0].DaysToExpiry = -2 },
			"FT009 error invalid waiver for FT104: expired on 2026-12-31 @waivers.0"},
		{"waiver too long", nil, func(in *Input, m *result.Metrics) { in.Facts.Waivers[0].DaysToExpiry = 200 },
			"FT009 error invalid waiver for FT104: expires 200 days from today > 90"},
		{"waiver approver", func(s string) string {
			return strings.Replace(s, `approved_by: "@acme/ml-leads"`, `approved_by: "@intern"`, 1)
		}, nil,
			"FT009 error invalid waiver for FT104: approved_by"},
		{"waiver rule", func(s string) string { return strings.Replace(s, "{rule: FT104", "{rule: FT001", 1) }, nil,
			"FT009 error invalid waiver for FT001: FT001 cannot be waived"},
		{"no codeowner", nil, func(in *Input, m *result.Metrics) { in.Facts.CodeOwners.HasOwner = false },
			"FT105 error .github/CODEOWNERS:3 does not list @acme/ml-platform for training/contract-risk/axolotl.yaml @necessary.maintenance.owner"},
		{"no codeowners rule", nil, func(in *Input, m *result.Metrics) {
			in.Facts.CodeOwners.HasOwner = false
			in.Facts.CodeOwners.Line = nil
		},
			"FT105 error .github/CODEOWNERS has no rule for training/contract-risk/axolotl.yaml"},
		{"no codeowners file", nil, func(in *Input, m *result.Metrics) { in.Facts.CodeOwners = CodeOwnersFact{Owners: []string{}} },
			"FT105 notice no CODEOWNERS in the repository (.github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS): the owner was not checked against it"},
		{"pipeline missing", nil, func(in *Input, m *result.Metrics) { in.Facts.EvalPipeline = "missing" },
			"FT105 error eval_pipeline .github/workflows/contract-risk-eval.yml does not exist in the repository @necessary.maintenance.eval_pipeline"},
		{"long review", nil, func(in *Input, m *result.Metrics) { in.Facts.ReviewDays = 200 },
			"FT105 error review window 200 days (decided 2026-10-02 to review_by 2027-03-31) > 180 @review_by"},
		{"no backup", func(s string) string { return strings.Replace(s, "    backup: \"@dana\"\n", "", 1) }, nil,
			"FT105 error necessary.maintenance.backup is missing"},
		{"gap too small, cost holds", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.BestScore = ptr(0.88) },
			"FT201 notice quality gap 0.020 (target 0.900 - best prompt 0.880) < 0.050"},
		{"nothing sufficient", func(s string) string {
			return strings.Replace(s, "calls_per_day: 2000000", "calls_per_day: 2000", 1)
		}, func(in *Input, m *result.Metrics) { m.PromptCeiling.BestScore = ptr(0.88) },
			"FT202 error 2000 calls/day < 100000"},
		{"nothing claimed", func(s string) string {
			i := strings.Index(s, "sufficient:")
			j := strings.Index(s, "costs:")
			return s[:i] + s[j:]
		}, nil, "FT201 error no sufficient condition claimed"},
		{"low urgency", func(s string) string {
			return strings.Replace(strings.Replace(s, "urgency: normal", "urgency: low", 1), "calls_per_day: 2000000", "calls_per_day: 2000", 1)
		}, nil, "FT203 warning urgency is low and latency/cost does not hold: the quality gap 0.090 may close with the next model generation @urgency"},
		{"no wait alternative", func(s string) string { return strings.Replace(s, ", wait_for_next_model]", "]", 1) }, nil,
			"FT203 notice alternatives does not list wait_for_next_model @alternatives"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := judgeEdited(t, p, l, c.edit, c.input)
			for _, g := range got {
				if strings.HasPrefix(g, strings.Split(c.want, " @")[0]) || strings.Contains(g, c.want) {
					if at := strings.Split(c.want, " @"); len(at) == 2 && !strings.HasSuffix(g, "@"+at[1]) {
						t.Errorf("field: got %q, want @%s", g, at[1])
					}
					return
				}
			}
			t.Errorf("findings:\n%s\nwant one starting %q", strings.Join(got, "\n"), c.want)
		})
	}
}

func TestRepoRules(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), []Source{{Name: ".ftgate/rules.cue", Data: []byte(`package ftgate

if input.record.urgency == "normal" {
	deny: ORG001: {
		message:  "normal-urgency fine-tuning needs a platform review"
		severity: "warning"
		field:    "urgency"
	}
}
deny: ORG002: {
	message: "always"
	hint:    "a rule with no condition fires on every config"
}
if input.metrics.agreement != null if input.metrics.agreement.ci_low != null
if input.metrics.agreement.ci_low < 0.9 {
	deny: ORG003: message: "agreement interval reaches below 0.9"
}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	rec := loadRecord(t, l, "testdata/record.yaml", nil)
	v, err := p.Verdict(rec.Value, rec.Task, decided(t, p, rec, func(_ *Input, m *result.Metrics) { m.Agreement.CILow = ptr(0.7) }))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rulesOf(v, ""), "\n")
	for _, want := range []string{
		"ORG001 warning normal-urgency fine-tuning needs a platform review @urgency",
		"ORG002 error always @",
		"ORG003 error agreement interval reaches below 0.9 @",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("findings:\n%s\nwant %q", got, want)
		}
	}
	rec = loadRecord(t, l, "testdata/record.yaml", func(s string) string { return strings.Replace(s, "urgency: normal", "urgency: high", 1) })
	v, err = p.Verdict(rec.Value, rec.Task, decided(t, p, rec, func(_ *Input, m *result.Metrics) { m.Agreement.CILow = ptr(0.95) }))
	if err != nil {
		t.Fatal(err)
	}
	got = strings.Join(rulesOf(v, ""), "\n")
	if strings.Contains(got, "ORG001") || strings.Contains(got, "ORG003") {
		t.Errorf("conditional rules fired:\n%s", got)
	}
}

func TestConditionalReservedID(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), []Source{{Name: ".ftgate/rules.cue", Data: []byte("package ftgate\nif input.record.urgency == \"normal\" {\n\tdeny: FT999: message: \"x\"\n}\n")}})
	if err == nil {
		rec := loadRecord(t, l, "testdata/record.yaml", nil)
		_, err = p.Verdict(rec.Value, rec.Task, decided(t, p, rec, nil))
	}
	if err == nil || !strings.Contains(err.Error(), ".ftgate/rules.cue:3:8: deny.FT999: rule IDs beginning with FT are reserved") {
		t.Errorf("error %v", err)
	}
}

func TestRepoRuleThatCannotEvaluateIsAnError(t *testing.T) {
	l, _ := record.NewLoader()
	for _, src := range []string{
		"package ftgate\nif input.record.no_such_field == \"x\" {\n\tdeny: ORG9: message: \"never\"\n}\n",
		"package ftgate\ndeny: ORG8: message: \"owner is \\(input.record.necessary.maintenance.nobody)\"\n",
	} {
		p, err := Load(l.Context(), []Source{{Name: ".ftgate/rules.cue", Data: []byte(src)}})
		if err == nil {
			rec := loadRecord(t, l, "testdata/record.yaml", nil)
			_, err = p.Verdict(rec.Value, rec.Task, decided(t, p, rec, nil))
		}
		if err == nil {
			t.Fatalf("a rule over a missing field evaluated silently:\n%s", src)
		}
		if _, ok := err.(*PolicyError); !ok || !strings.Contains(err.Error(), ".ftgate/rules.cue:") {
			t.Errorf("error %T %v; want a PolicyError naming the rule's file", err, err)
		}
	}
}

// TestVerdictMinimalRecord evaluates a record with only the required fields
// and no evidence at all: every rule must still evaluate, and report what is
// missing.
func TestVerdictMinimalRecord(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := l.Parse("decisions/min.yaml", []byte(`apiVersion: ftgate/v1
kind: FineTuneDecision
id: FTD-0001
title: Minimal
status: accepted
decided: 2026-10-02
review_by: 2027-01-02
covers: ["x/**"]
base_model: org/model
`))
	if !r.Valid {
		t.Fatal(r.Problems)
	}
	in := Input{
		Today: "2026-11-27", Config: ConfigInput{Path: "x/a.yaml", Kind: "finetune", Framework: "axolotl"},
		Sections: Sections{PromptCeiling: "absent", Agreement: "absent", Coverage: "absent", Data: "absent"},
		Facts:    Facts{EvalPipeline: "absent", RegressionSuite: "absent", CodeOwners: CodeOwnersFact{Owners: []string{}}, Waivers: []WaiverFact{}},
	}
	v, err := p.Verdict(r.Value, r.Task, in)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rulesOf(v, "error"), "\n")
	for _, want := range []string{"FT101 error no prompt-optimisation history", "FT102 error no raw annotations", "FT103 error no training set",
		"FT104 error no coverage evidence", "FT105 error no maintenance plan", "FT201 error no sufficient condition claimed"} {
		if !strings.Contains(got, want) {
			t.Errorf("findings:\n%s\nwant %q", got, want)
		}
	}
}

// TestVerdictBoundaries pins the comparisons of FT006 (|declared - computed|
// > 0.01, on either side), FT101 (gain above both epsilon and noise) and the
// list membership tests of FT009 and FT203 at and around their edges.
func TestVerdictBoundaries(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(string) string
		input func(*Input, *result.Metrics)
		rule  string // rule prefix of the finding, e.g. "FT006 error"
		fires bool
	}{
		{"declared above by 0.02", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.82) }, "FT006 error", true},
		{"declared below by 0.02", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.86) }, "FT006 error", true},
		{"declared above by 0.01", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.83) }, "FT006 error", false},
		{"declared below by 0.01", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.85) }, "FT006 error", false},
		{"declared below by 0.0101", nil, func(in *Input, m *result.Metrics) { m.Agreement.Value = ptr(0.8501) }, "FT006 error", true},
		{"gain between epsilon and noise", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.Gain = ptr(0.011) }, "FT101 error prompting has not converged", false},
		{"gain at noise", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.Gain = ptr(0.012) }, "FT101 error prompting has not converged", false},
		{"gain above noise", nil, func(in *Input, m *result.Metrics) { m.PromptCeiling.Gain = ptr(0.0121) }, "FT101 error prompting has not converged", true},
		{"gain between noise and epsilon", nil, func(in *Input, m *result.Metrics) {
			m.PromptCeiling.Noise = 0.004
			m.PromptCeiling.Gain = ptr(0.008)
		}, "FT101 error prompting has not converged", false},
		{"gain above epsilon over small noise", nil, func(in *Input, m *result.Metrics) {
			m.PromptCeiling.Noise = 0.004
			m.PromptCeiling.Gain = ptr(0.0101)
		}, "FT101 error prompting has not converged", true},
		{"waiting considered", nil, nil, "FT203 notice alternatives does not list", false},
		{"no alternatives", func(s string) string {
			return strings.Replace(s, "alternatives: [few_shot, rag, wait_for_next_model]\n", "", 1)
		}, nil, "FT203 notice alternatives does not list", true},
		{"approver among several deciders", func(s string) string {
			return strings.Replace(s, `deciders: ["@acme/ml-leads"]`, `deciders: ["@dana", "@acme/ml-leads"]`, 1)
		}, nil, "FT009 error", false},
		{"no deciders", func(s string) string {
			return strings.Replace(s, "deciders: [\"@acme/ml-leads\"]\n", "", 1)
		}, nil, "FT009 error invalid waiver for FT104: approved_by @acme/ml-leads is not among deciders", true},
		{"last waivable rule", func(s string) string { return strings.Replace(s, "{rule: FT104", "{rule: FT202", 1) }, nil, "FT009 error", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := judgeEdited(t, p, l, c.edit, c.input)
			fired := false
			for _, g := range got {
				fired = fired || strings.HasPrefix(g, c.rule)
			}
			if fired != c.fires {
				t.Errorf("%q fired %v, want %v; findings:\n%s", c.rule, fired, c.fires, strings.Join(got, "\n"))
			}
		})
	}
}
