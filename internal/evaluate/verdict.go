package evaluate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"

	"github.com/ftgate/ftgate/internal/finding"
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
	// Thresholds, when set, are the thresholds that judge the config (see
	// Policy.ThresholdsFor); else those of the record's task.
	Thresholds *Thresholds `json:"-"`
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
	th := p.thresholdsValue(task)
	if in.Thresholds != nil {
		data, err := json.Marshal(in.Thresholds)
		if err != nil {
			return Verdict{}, fmt.Errorf("encode thresholds: %w", err)
		}
		th = p.root.Context().CompileBytes(data, cue.Filename("thresholds.json"))
	}
	inv = inv.FillPath(cue.MakePath(cue.Str("thresholds")), th)
	v := p.root.FillPath(cue.MakePath(cue.Str("input")), inv)
	var out Verdict
	var raw struct {
		Findings    []RuleFinding `json:"findings"`
		Waived      []string      `json:"waived"`
		QualityGap  bool          `json:"quality_gap"`
		LatencyCost bool          `json:"latency_cost"`
	}
	// With the input filled in, every rule is evaluable. A repository rule
	// that is not is reported on its own, at its place in the user's file.
	denyV := v.LookupPath(cue.MakePath(cue.Str("deny")))
	if err := denyV.Validate(cue.Concrete(true)); err != nil {
		return out, p.ruleError("", cue.Value{}, err)
	}
	denies, err := denyV.Fields()
	if err != nil {
		// A condition that does not evaluate fails the whole deny struct
		// (the rules are comprehensions over input): name the rule whose
		// text CUE blames.
		return out, p.ruleError("", cue.Value{}, err)
	}
	var repoFindings []RuleFinding
	for denies.Next() {
		id := denies.Selector().Unquoted()
		if strings.HasPrefix(id, "FT") {
			var pe PolicyError
			pe.add(denyPos(p.repo, id, denies.Value()), fmt.Sprintf("deny.%s: rule IDs beginning with FT are reserved for ftgate's own rules; choose another ID", id))
			return out, &pe
		}
		var f RuleFinding
		if err := denies.Value().Validate(cue.Concrete(true)); err != nil {
			return out, p.ruleError(id, denies.Value(), err)
		}
		if err := denies.Value().Decode(&f); err != nil {
			return out, p.ruleError(id, denies.Value(), err)
		}
		f.Rule = id
		repoFindings = append(repoFindings, f)
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
	// Anything else the repository defined must evaluate too.
	if err := v.Validate(cue.Concrete(true)); err != nil {
		return out, p.ruleError("", cue.Value{}, err)
	}
	out.Findings, out.Waived = raw.Findings, raw.Waived
	out.QualityGap, out.LatencyCost = raw.QualityGap, raw.LatencyCost
	out.Findings = append(out.Findings, repoFindings...)
	return out, nil
}

// ruleError reports a repository rule that cannot be evaluated on a real
// input as one problem, placed in the user's file: at the expression CUE
// blames when it is there, else at the rule's ID.
func (p *Policy) ruleError(id string, rule cue.Value, err error) error {
	all := errors.Errors(err)
	if len(all) == 0 {
		return policyRuntimeError(err)
	}
	first := all[0]
	path := first.Path()
	var pos finding.Position
	// The first position in a repository file: the expression that failed.
	for _, at := range append(errors.Positions(first), first.Position()) {
		if at.IsValid() && slices.ContainsFunc(p.repo, func(f *ast.File) bool { return f.Filename == at.Filename() }) {
			pos = cuePos(at)
			if id == "" {
				id = ruleAt(p.repo, at)
			}
			break
		}
	}
	if id == "" && len(path) >= 2 && path[0] == "deny" {
		id = path[1]
	}
	if id == "" {
		return policyRuntimeError(err)
	}
	if pos.File == "" {
		pos = denyPos(p.repo, id, rule)
	}
	// Error() carries the path and the cause an interpolation wraps.
	msg := strings.TrimPrefix(first.Error(), "deny: ")
	if format, _ := first.Msg(); len(path) == 3 && path[0] == "deny" && path[2] == "message" && strings.HasPrefix(format, "incomplete value") {
		field := strings.Join(path, ".")
		msg = field + ": it sets no message (" + strings.TrimPrefix(msg, field+": ") + ")"
	}
	msg, _, _ = strings.Cut(msg, "\n")
	pe := PolicyError{repo: p.repo}
	pe.add(pos, fmt.Sprintf("repository rule %s cannot be evaluated: %s", id, msg))
	return &pe
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
