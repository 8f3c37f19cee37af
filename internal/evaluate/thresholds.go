package evaluate

import (
	"fmt"

	"cuelang.org/go/cue"
)

// Thresholds are the effective thresholds for one task (SPEC §4).
type Thresholds struct {
	PromptCeiling struct {
		MinIterations      int      `json:"min_iterations"`
		Window             int      `json:"window"`
		Epsilon            float64  `json:"epsilon"`
		RequiredTechniques []string `json:"required_techniques"`
	} `json:"prompt_ceiling"`
	Agreement struct {
		Min      float64 `json:"min"`
		MinUnits int     `json:"min_units"`
	} `json:"agreement"`
	Data struct {
		MinExamples int `json:"min_examples"`
	} `json:"data"`
	Coverage struct {
		Min                    float64 `json:"min"`
		MaxUncoveredShare      float64 `json:"max_uncovered_share"`
		MinExamplesPerScenario int     `json:"min_examples_per_scenario"`
	} `json:"coverage"`
	Maintenance struct {
		MaxReviewDays int `json:"max_review_days"`
	} `json:"maintenance"`
	Evidence struct {
		MaxEvidenceAgeDays int `json:"max_evidence_age_days"`
	} `json:"evidence"`
	Waivers struct {
		MaxDays int `json:"max_days"`
	} `json:"waivers"`
	QualityGap struct {
		MinGap float64 `json:"min_gap"`
	} `json:"quality_gap"`
	LatencyCost struct {
		MinCallsPerDay float64 `json:"min_calls_per_day"`
	} `json:"latency_cost"`
}

// thresholdsValue is the thresholds value in force for a task: the task's
// own when the policy defines it, else the repository-wide one.
func (p *Policy) thresholdsValue(task string) cue.Value {
	v := p.root.LookupPath(cue.MakePath(cue.Str("tasks"), cue.Str(task), cue.Str("thresholds")))
	if v.Exists() {
		return v
	}
	return p.root.LookupPath(cue.MakePath(cue.Str("thresholds")))
}

// Thresholds decodes the thresholds in force for a task.
func (p *Policy) Thresholds(task string) (Thresholds, error) {
	var th Thresholds
	if err := p.thresholdsValue(task).Decode(&th); err != nil {
		return th, fmt.Errorf("thresholds for task %s: %w", task, err)
	}
	return th, nil
}
