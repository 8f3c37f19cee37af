package evaluate

import (
	"slices"
	"testing"

	"github.com/ftgate/ftgate/internal/record"
)

// TestThresholdsForTightest: a config is held, threshold by threshold, to
// the tightest value among its record's task and every task covering its
// path, in the direction #floors gives (larger, smaller, superset).
func TestThresholdsForTightest(t *testing.T) {
	l, _ := record.NewLoader()
	p, err := Load(l.Context(), []Source{{Name: ".ftgate/tasks.cue", Data: []byte(`package ftgate

tasks: legal: {
	covers: ["training/legal/**"]
	thresholds: {
		prompt_ceiling: {epsilon: 0.005, required_techniques: ["few_shot", "rag", "cot"]}
		maintenance: max_review_days: 90
		agreement: min: 0.85
	}
}
tasks: strict: {
	covers: ["training/*/sft.yaml"]
	thresholds: {agreement: min: 0.9, data: min_examples: 2000}
}
tasks: mine: thresholds: {agreement: min: 0.88, prompt_ceiling: required_techniques: ["few_shot", "rag", "self_consistency"]}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	th, applied, err := p.ThresholdsFor("mine", "training/legal/sft.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(applied, []string{"legal", "strict"}) {
		t.Errorf("applied %v, want [legal strict]", applied)
	}
	if th.Agreement.Min != 0.9 || th.Data.MinExamples != 2000 || th.PromptCeiling.Epsilon != 0.005 || th.Maintenance.MaxReviewDays != 90 {
		t.Errorf("merged %+v", th)
	}
	if want := []string{"few_shot", "rag", "self_consistency", "cot"}; !slices.Equal(th.PromptCeiling.RequiredTechniques, want) {
		t.Errorf("techniques %v, want %v", th.PromptCeiling.RequiredTechniques, want)
	}
	// Untouched thresholds keep the baseline.
	if th.Coverage.Min != 0.95 || th.LatencyCost.MinCallsPerDay != 100000 {
		t.Errorf("baseline values changed: %+v", th)
	}

	// A path no task covers: the record's task alone; an unknown task: the
	// repository-wide thresholds.
	th, applied, err = p.ThresholdsFor("mine", "training/other/lora.yaml")
	if err != nil || len(applied) != 0 || th.Agreement.Min != 0.88 {
		t.Errorf("uncovered path: %v %v %+v", err, applied, th)
	}
	th, applied, err = p.ThresholdsFor("renamed", "training/legal/lora.yaml")
	if err != nil || !slices.Equal(applied, []string{"legal"}) || th.Agreement.Min != 0.85 || th.PromptCeiling.Epsilon != 0.005 {
		t.Errorf("renamed task: %v %v %+v", err, applied, th)
	}
}
