package report

import (
	"math"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

// The results below stand in for what the pipeline produces. Each golden
// case renders one of them in every format.

// oddPath is a file name Git accepts and a naive reporter would print as two
// lines, the second posing as a workflow command (STYLE.md, practice 9).
const oddPath = "training/a:b,c%0A\n::warning::x.yaml"

func ptr[T any](v T) *T { return &v }

// failingRun has findings of every severity, a config without a record (at
// oddPath), a pretraining config and a file excluded by policy.
func failingRun() *result.Result {
	const (
		cfg    = "training/contract-risk/axolotl.yaml"
		record = "decisions/ftd-7.yaml"
	)
	fs := []finding.Finding{
		{
			Rule: "FT010", Severity: finding.Notice,
			Message: "the change edits the policy; it is judged by the base commit's policy, and the new policy (loads, keeps every floor) applies after merge",
		},
		{
			Rule: "FT101", Severity: finding.Error,
			Message: "prompting has not converged: gain 0.031 over the last 3 iterations > max(epsilon 0.010, noise 0.016), and rag was never tried",
			Hint:    "keep iterating on the prompt until the best score stops rising, and record every iteration in evidence/contract-risk/prompt-evals.csv",
			Pos:     finding.Position{File: record, Line: 16, Col: 5}, Config: cfg, Record: record,
		},
		{
			Rule: "FT102", Severity: finding.Error,
			Message: "krippendorff_alpha 0.712 < 0.800 over 412 units, 5 annotators",
			Hint:    "sharpen the labelling guidelines, adjudicate disagreements and re-label evidence/contract-risk/labels.csv",
			Pos:     finding.Position{File: record, Line: 20, Col: 5}, Config: cfg, Record: record,
		},
		{
			Rule: "FT006", Severity: finding.Error,
			Message: "record says krippendorff_alpha 0.840, raw labels give 0.712",
			Hint:    "set declared to 0.712 or remove it",
			Pos:     finding.Position{File: record, Line: 23, Col: 49}, Config: cfg, Record: record,
		},
		{
			Rule: "FT009", Severity: finding.Notice,
			Message: "waiver of FT104 in force until 2026-12-31, approved by @acme/ml-leads",
			Pos:     finding.Position{File: record, Line: 40, Col: 5}, Config: cfg, Record: record,
		},
		{
			Rule: "FT104", Severity: finding.Notice,
			Message: "coverage 91.0% < 95.0%; uncovered: indemnity 6.0% (4 examples) (waived)",
			Pos:     finding.Position{File: record, Line: 25, Col: 5}, Config: cfg, Record: record,
		},
		{
			Rule: "FT203", Severity: finding.Warning,
			Message: "urgency is low and the latency/cost case does not hold: a gap of 0.058 may close with the next model generation",
			Hint:    "re-evaluate the prompt on the newest available model before fine-tuning",
			Pos:     finding.Position{File: record, Line: 12, Col: 10}, Config: cfg, Record: record,
		},
		{
			Rule: "FT001", Severity: finding.Error,
			Message: "training config is covered by no decision record",
			Hint:    "add a record under decisions/ whose covers match this path; ftgate init scaffolds one",
			Config:  oddPath,
		},
		{
			Rule: "FT001", Severity: finding.Error,
			Message: "SFTTrainer( starts a fine-tuning run here",
			Pos:     finding.Position{File: oddPath, Line: 12, Col: 7}, Config: oddPath,
		},
		{
			Rule: "FT011", Severity: finding.Warning,
			Message: "pretraining config changed (torchtune)",
			Pos:     finding.Position{File: "training/base/pretrain.yaml"}, Config: "training/base/pretrain.yaml",
		},
	}
	return &result.Result{
		Result: result.Fail,
		FailOn: finding.Error,
		Configs: []result.Config{
			{
				Path: "training/base/pretrain.yaml", Kind: "pretrain", Framework: "torchtune",
				Signature: "torchtune:recipe", BaseModel: "meta-llama/Llama-3.2-1B",
				Datasets: []string{"data/corpus/*.txt"},
			},
			{
				Path: cfg, Kind: "finetune", Framework: "axolotl", Signature: "axolotl:base_model+datasets",
				BaseModel: "meta-llama/Llama-3.1-8B-Instruct", Datasets: []string{"data/contract-risk/train.jsonl"},
				Records: []string{record}, Record: record,
			},
			{
				Path: oddPath, Kind: "finetune", Framework: "trl", Signature: "trl:SFTTrainer(", Line: 12,
			},
		},
		Excluded: []result.Excluded{
			{Path: "vendor/axolotl/examples/lora.yml", Framework: "axolotl", Glob: "vendor/**"},
		},
		Findings: finding.Sort(fs),
		Metrics: map[string]*result.Metrics{
			cfg: {
				Verdicts: []result.Verdict{
					at("FT101", "iterations", ptr(6.0), ">=", 5, true),
					at("FT101", "gain", ptr(0.031), "<=", 0.0163, false),
					all("FT101", "techniques", false),
					all("FT101", "converged", false),
					at("FT102", "agreement", ptr(0.712), ">=", 0.8, false),
					at("FT102", "units", ptr(412.0), ">=", 100, true),
					at("FT006", "declared", ptr(0.128), "<=", 0.01, false),
					at("FT103", "examples", ptr(1200.0), ">=", 500, true),
					at("FT104", "coverage", ptr(0.91), ">=", 0.95, false),
					about("indemnity", at("FT104", "uncovered_share", ptr(0.06), "<=", 0.02, false)),
					about("force\nmajeure", at("FT104", "uncovered_share", ptr(0.03), "<=", 0.02, false)),
				},
				PromptCeiling: &result.PromptCeiling{
					Metric: "f1", Iterations: 6, BestScore: ptr(0.842), BestIteration: ptr(6), N: ptr(500),
					Noise: 0.0163, Window: 3, Gain: ptr(0.031), Epsilon: 0.01,
					Techniques:        []string{"zero_shot", "few_shot", "cot"},
					MissingTechniques: []string{"rag"},
					NewestDate:        "2026-09-20",
				},
				Agreement: &result.Agreement{
					Metric: "krippendorff_alpha", Level: "nominal", Value: ptr(0.712),
					Units: 412, Annotators: 5, Pairable: 1648,
					CILow: ptr(0.681), CIHigh: ptr(0.744), Declared: ptr(0.84),
				},
				Data: &result.Data{TrainingSet: "data/contract-risk/train.jsonl", Examples: 1200},
				Coverage: &result.Coverage{
					Coverage: ptr(0.91), TVD: ptr(0.123), Scenarios: 12, Covered: 10,
					Uncovered: []result.Uncovered{
						{Scenario: "indemnity", Share: 0.06, Examples: 4},
						{Scenario: "force\nmajeure", Share: 0.03, Examples: 0},
					},
				},
				Cost: &result.Cost{MonthlySavingUSD: ptr(-1230.5), Holds: false},
			},
		},
	}
}

// passingRun holds every figure, all within their bars; its only findings
// are notices.
func passingRun() *result.Result {
	const (
		cfg    = "training/support-triage/sft.yaml"
		record = "decisions/ftd-12.yaml"
	)
	var uncovered []result.Uncovered
	for i, s := range []string{"billing-dispute", "gdpr-erasure", "legacy-plan", "partner-api", "refund-fraud", "sms-opt-out", "tax-id"} {
		uncovered = append(uncovered, result.Uncovered{Scenario: s, Share: 0.004 - float64(i)*0.0005, Examples: float64(19 - i)})
	}
	return &result.Result{
		Result: result.Pass,
		FailOn: finding.Error,
		Configs: []result.Config{{
			Path: cfg, Kind: "finetune", Framework: "trl", Signature: "trl:SFTConfig",
			BaseModel: "Qwen/Qwen2.5-7B-Instruct", Datasets: []string{"data/support/train.jsonl", "data/support/extra.jsonl"},
			Records: []string{"decisions/ftd-3.yaml", record}, Record: record,
		}},
		Findings: finding.Sort([]finding.Finding{
			{
				Rule: "FT202", Severity: finding.Notice,
				Message: "latency/cost case does not hold: 40000 calls/day < 100000; the quality gap holds",
				Pos:     finding.Position{File: record, Line: 44, Col: 3}, Config: cfg, Record: record,
			},
			{
				Rule: "FT203", Severity: finding.Notice,
				Message: "wait_for_next_model is not among the alternatives considered",
				Hint:    "add wait_for_next_model to alternatives once it has been weighed",
				Pos:     finding.Position{File: record, Line: 50, Col: 15}, Config: cfg, Record: record,
			},
		}),
		Metrics: map[string]*result.Metrics{
			cfg: {
				Verdicts: append([]result.Verdict{
					at("FT101", "iterations", ptr(11.0), ">=", 5, true),
					at("FT101", "gain", ptr(0.0), "<=", 0.01, true),
					all("FT101", "techniques", true),
					all("FT101", "converged", true),
					at("FT201", "quality_gap", ptr(0.0875), ">=", 0.05, true),
					at("FT102", "agreement", ptr(0.874), ">=", 0.8, true),
					at("FT102", "units", ptr(250.0), ">=", 100, true),
					at("FT006", "declared", ptr(0.004), "<=", 0.01, true),
					at("FT103", "examples", ptr(5210.0), ">=", 500, true),
					at("FT104", "coverage", ptr(0.9825), ">=", 0.95, true),
					at("FT202", "calls_per_day", ptr(40000.0), ">=", 100000, false),
					at("FT202", "saving", ptr(1234567.0), ">=", 2000, true),
					at("FT202", "p95_latency", ptr(420.0), ">", 800, false),
					all("FT202", "latency_cost", false),
				}, uncoveredHold(uncovered)...),
				PromptCeiling: &result.PromptCeiling{
					Metric: "accuracy", Iterations: 11, BestScore: ptr(0.8125), BestIteration: ptr(8), N: ptr(1600),
					Noise: 0.00976, Window: 3, Gain: ptr(0.0), Epsilon: 0.01, Converged: true,
					Techniques:        []string{"zero_shot", "few_shot", "cot", "rag", "self_consistency"},
					MissingTechniques: []string{},
					NewestDate:        "2026-08-30",
					Scores:            []result.Point{{Iteration: 1, Score: 0.61}, {Iteration: 8, Score: 0.8125}},
				},
				Agreement: &result.Agreement{
					Metric: "cohen_kappa", Weights: "quadratic", Value: ptr(0.874),
					Units: 250, Annotators: 2, Pairable: 500,
					CILow: ptr(0.842), CIHigh: ptr(0.903), Declared: ptr(0.87),
				},
				Data: &result.Data{TrainingSet: "data/support/train.jsonl", Examples: 5210},
				Coverage: &result.Coverage{
					Coverage: ptr(0.9825), TVD: ptr(0.0412), Scenarios: 41, Covered: 34, Uncovered: uncovered,
				},
				Cost: &result.Cost{MonthlySavingUSD: ptr(1234567.0), PaybackMonths: ptr(0.0169), Holds: false},
			},
		},
	}
}

// nilRun has every figure that can be absent absent, a noise floor that is
// not a number, a config whose metrics entry is nil and one whose sections
// are all nil. It fails on warnings.
func nilRun() *result.Result {
	const record = "decisions/ftd-9.yaml"
	return &result.Result{
		Result: result.Fail,
		FailOn: finding.Warning,
		Configs: []result.Config{
			{Path: "training/empty/lora.yaml", Kind: "finetune", Framework: "llama-factory", Signature: "llamafactory:stage", Records: []string{record}, Record: record},
			{Path: "training/nil/a.yaml", Kind: "finetune", Framework: "unsloth", Signature: "unsloth:FastLanguageModel", Records: []string{record}, Record: record},
			{Path: "training/sections/b.jsonl", Kind: "finetune", Framework: "chat-jsonl", Signature: "messages", Records: []string{record}, Record: record},
		},
		Findings: finding.Sort([]finding.Finding{
			{
				Rule: "FT101", Severity: finding.Error,
				Message: "2 prompt iterations < 5, no gain over the last 3 iterations can be computed",
				Pos:     finding.Position{File: record, Line: 14, Col: 5}, Config: "training/empty/lora.yaml", Record: record,
			},
			{
				Rule: "FT102", Severity: finding.Error,
				Message: "krippendorff_alpha is undefined (no_variation): every pairable label is the same",
				Pos:     finding.Position{File: "evidence/labels.csv", Line: 1}, Config: "training/empty/lora.yaml", Record: record,
			},
			{
				Rule: "FT008", Severity: finding.Warning,
				Message: "record expires in 3 days (review_by 2026-10-05)",
				Pos:     finding.Position{File: record, Line: 8, Col: 12}, Record: record,
			},
		}),
		Metrics: map[string]*result.Metrics{
			"training/empty/lora.yaml": {
				Verdicts: []result.Verdict{
					at("FT101", "iterations", ptr(2.0), ">=", 5, false),
					at("FT101", "gain", nil, "<=", 0.01, false),
					all("FT101", "techniques", true),
					all("FT101", "converged", false),
					at("FT102", "agreement", nil, ">=", 0.8, false),
					at("FT102", "units", ptr(3.0), ">=", 100, false),
					at("FT103", "examples", ptr(0.0), ">=", 500, false),
					at("FT104", "coverage", nil, ">=", 0.95, false),
				},
				PromptCeiling: &result.PromptCeiling{Iterations: 2, Noise: math.NaN(), Window: 3, Epsilon: 0.01},
				Agreement:     &result.Agreement{Metric: "krippendorff_alpha", Level: "ordinal", Undefined: "no_variation", Units: 3, Annotators: 2, Pairable: 6},
				Coverage:      &result.Coverage{Scenarios: 0},
				Data:          &result.Data{},
				Cost:          &result.Cost{MonthlySavingUSD: ptr(math.Inf(1))},
			},
			"training/nil/a.yaml":       nil,
			"training/sections/b.jsonl": {},
		},
	}
}

// at is a figure held to its bar, as evaluate.Decide writes it; the cases
// spell each verdict out, so the reports are tested on what they render,
// not on a second judgement.
func at(rule, figure string, value *float64, op string, bar float64, holds bool) result.Verdict {
	return result.Verdict{Rule: rule, Figure: figure, Value: value, Op: op, Bar: &bar, Holds: holds}
}

// all is a verdict over other verdicts (converged, latency_cost).
func all(rule, figure string, holds bool) result.Verdict {
	return result.Verdict{Rule: rule, Figure: figure, Holds: holds}
}

func about(subject string, v result.Verdict) result.Verdict {
	v.Subject = subject
	return v
}

// uncoveredHold: every uncovered scenario of the passing run is within the
// 2% bar.
func uncoveredHold(us []result.Uncovered) []result.Verdict {
	var out []result.Verdict
	for _, u := range us {
		out = append(out, about(u.Scenario, at("FT104", "uncovered_share", ptr(u.Share), "<=", 0.02, true)))
	}
	return out
}
