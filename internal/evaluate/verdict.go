package evaluate

import (
	"encoding/json"
	"fmt"
	"strings"

	"cuelang.org/go/cue"

	"github.com/ftgate/ftgate/internal/result"
)

// Input is what the policy sees of one config on trial, besides the record
// itself (input.record). Field names are the policy's contract with repo
// rules, documented in the README.
type Input struct {
	Today    string            `json:"today"`
	Config   ConfigInput       `json:"config"`
	Metrics  result.MetricsDoc `json:"metrics"`
	Facts    Facts             `json:"facts"`
	Sections Sections          `json:"sections"`
}

// ConfigInput is the config on trial.
type ConfigInput struct {
	Path      string  `json:"path"`
	Kind      string  `json:"kind"`
	Framework string  `json:"framework"`
	BaseModel *string `json:"base_model"`
	// TrainingData is true for a training set (chat JSONL), which names no
	// model of its own.
	TrainingData bool `json:"training_data"`
}

// Sections says, per evidence section, "ok" (computed), "absent" (the record
// names no evidence) or "error" (the evidence could not be read: FT004 says
// why).
type Sections struct {
	PromptCeiling string `json:"prompt_ceiling"`
	Agreement     string `json:"agreement"`
	Coverage      string `json:"coverage"`
	Data          string `json:"data"`
}

// Facts are what ftgate checked in the repository and the calendar.
type Facts struct {
	BaseModelMatch  *bool          `json:"base_model_match"`
	DaysPastReview  int            `json:"days_past_review"`
	ReviewDays      int            `json:"review_days"`
	EvidenceAgeDays *int           `json:"evidence_age_days"`
	EvalPipeline    string         `json:"eval_pipeline"`    // ok, missing, absent
	RegressionSuite string         `json:"regression_suite"` // ok, missing, absent
	CodeOwners      CodeOwnersFact `json:"codeowners"`
	Waivers         []WaiverFact   `json:"waivers"`
}

// CodeOwnersFact is what CODEOWNERS says of the config's path.
type CodeOwnersFact struct {
	// Where says where ftgate looked for CODEOWNERS ("at the base commit
	// 1a2b3c4", "in the working tree"), for the notice when there is none.
	Where    string   `json:"where,omitempty"`
	File     *string  `json:"file"`
	Line     *int     `json:"line"`
	Owners   []string `json:"owners"`
	HasOwner bool     `json:"has_owner"`
}

// WaiverFact is per waiver, in the record's order.
type WaiverFact struct {
	DaysToExpiry int `json:"days_to_expiry"`
}

// Verdict is what the policy decided for one config.
type Verdict struct {
	Findings    []RuleFinding
	Waived      []string
	QualityGap  bool
	LatencyCost bool
}

// RuleFinding is one entry of verdict.findings or of a repo rule.
type RuleFinding struct {
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
	Severity string `json:"severity"`
	Field    string `json:"field"`
}

// Verdict unifies the policy with one config's input and reads back the
// built-in verdict and the repository's deny rules.
func (p *Policy) Verdict(record cue.Value, task string, in Input) (Verdict, error) {
	// Through JSON, so that a nil pointer is null in CUE rather than _.
	data, err := json.Marshal(in)
	if err != nil {
		return Verdict{}, fmt.Errorf("encode policy input: %w", err)
	}
	inv := p.root.Context().CompileBytes(data, cue.Filename("input.json"))
	if inv.Err() != nil {
		return Verdict{}, fmt.Errorf("encode policy input: %w", inv.Err())
	}
	// Assemble the input first and fill the policy once: each fill of the
	// policy's root evaluates the whole policy again.
	inv = inv.FillPath(cue.MakePath(cue.Str("record")), record)
	inv = inv.FillPath(cue.MakePath(cue.Str("thresholds")), p.thresholdsValue(task))
	v := p.root.FillPath(cue.MakePath(cue.Str("input")), inv)
	var out Verdict
	var raw struct {
		Findings    []RuleFinding `json:"findings"`
		Waived      []string      `json:"waived"`
		QualityGap  bool          `json:"quality_gap"`
		LatencyCost bool          `json:"latency_cost"`
	}
	// With the input filled in, every rule is evaluable: an error anywhere
	// (a repo rule over a field that does not exist) stops the check.
	if err := v.Validate(cue.Concrete(true)); err != nil {
		return out, policyRuntimeError(err)
	}
	verdict := v.LookupPath(cue.MakePath(cue.Str("verdict")))
	// Decode alone can read an incomplete list as empty: a rule that failed
	// to evaluate must stop the check, not pass it.
	if err := verdict.Validate(cue.Concrete(true)); err != nil {
		return out, policyRuntimeError(err)
	}
	if err := verdict.Decode(&raw); err != nil {
		return out, policyRuntimeError(err)
	}
	out.Findings, out.Waived = raw.Findings, raw.Waived
	out.QualityGap, out.LatencyCost = raw.QualityGap, raw.LatencyCost
	denies, err := v.LookupPath(cue.MakePath(cue.Str("deny"))).Fields()
	if err != nil {
		return out, policyRuntimeError(err)
	}
	for denies.Next() {
		var f RuleFinding
		if err := denies.Value().Decode(&f); err != nil {
			return out, policyRuntimeError(err)
		}
		f.Rule = denies.Selector().Unquoted()
		if strings.HasPrefix(f.Rule, "FT") {
			var pe PolicyError
			pe.add(denyPos(p.repo, f.Rule, denies.Value()), fmt.Sprintf("deny.%s: rule IDs beginning with FT are reserved for ftgate's own rules; choose another ID", f.Rule))
			return out, &pe
		}
		out.Findings = append(out.Findings, f)
	}
	return out, nil
}

// policyRuntimeError reports a policy that loaded but fails on a real input
// (a repo rule over a field that does not exist, say): exit 2 with every
// CUE error.
func policyRuntimeError(err error) error {
	var pe PolicyError
	pe.addCUE(err)
	if len(pe.Problems) == 0 {
		return fmt.Errorf("evaluate policy: %w", err)
	}
	for i := range pe.Problems {
		pe.Problems[i].Message = "evaluating the policy: " + strings.TrimSpace(pe.Problems[i].Message)
	}
	return &pe
}
