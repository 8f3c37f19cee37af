package evaluate

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"cuelang.org/go/cue/cuecontext"
)

// fuzzPolicyName is where a fuzzed repository policy lives.
const fuzzPolicyName = ".ftgate/policy.cue"

// FuzzLoad checks that no repository policy makes Load panic; that every
// problem it reports is one line placed inside the repository file or a
// baseline file; and that a policy that loads never loosens a floor, for
// the repository-wide thresholds and the task it may define.
func FuzzLoad(f *testing.F) {
	if data, err := os.ReadFile("../../testdata/example/.ftgate/policy.cue"); err == nil {
		f.Add(data)
	} else {
		f.Fatal(err)
	}
	for _, s := range []string{
		"package ftgate\n",
		"package ftgate\nthresholds: agreement: min: 0.5\n",
		"package ftgate\nthresholds: coverage: max_uncovered_share: 0.1\n",
		"package ftgate\ntasks: chat: thresholds: data: min_examples: 10\n",
		"package ftgate\nthresholds: prompt_ceiling: required_techniques: [\"few_shot\"]\n",
		"package ftgate\nthreshold: agreement: min: 0.9\n",
		"package ftgate\ndeny: FT900: {message: \"x\"}\n",
		"package ftgate\nthresholds: {\n",
		"package other\n",
		"package ftgate\ndetect: pretrain: \"sometimes\"\n",
		"package ftgate\nrecords: dir: \"adr\"\ndetect: exclude: [\"testdata/**\"]\nevidence: max_bytes: 1024\n",
		"package ftgate\nimport \"strings\"\ndeny: \"ACME1\": {message: strings.ToUpper(input.record.id)} & {}\n",
		"package ftgate\nif input.metrics.agreement.value < 0.9 {\n\tdeny: ACME2: {message: \"é\", field: \"necessary.data\"}\n}\n",
		"package ftgate\nthresholds: agreement: min: >0.9 & <0.95\ntasks: \"x\": thresholds: agreement: min: 0.99\n",
		"package ftgate\n_x: [for i in [1, 2] {i}]\n#y: _x\nthresholds: data: min_examples: 500 + len(_x)\n",
		"package ftgate\nthresholds: agreement: min: thresholds.agreement.min\n",
		"package ftgate\nthresholds: data: min_examples: \"many\"\n",
		"package ftgate\nthresholds: é: 1\n",
		"package ftgate\ndeny: ORG1: {severity: \"warning\", if input.record.urgency == \"high\" {message: \"h\"}, for w in *input.record.waivers | [] {message: w.reason}}\n",
		"package ftgate\nif input.today > \"2026\" {deny: ORG2: {if true {message: \"t\"}}}\n",
		"package ftgate\ntasks: x: {covers: [\"training/**\", \"/abs\"], thresholds: agreement: min: 0.9}\n",
		"package ftgate\ntasks: x: covers: \"training/**\"\n",
	} {
		f.Add([]byte(s))
	}
	base, err := Baseline()
	if err != nil {
		f.Fatal(err)
	}
	baseLines := map[string][][]byte{}
	for _, s := range base {
		baseLines[s.Name] = bytes.Split(s.Data, []byte("\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(cuecontext.New(), []Source{{Name: fuzzPolicyName, Data: data}})
		if err != nil {
			var pe *PolicyError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("error %T %v; want a *PolicyError with problems", err, err)
			}
			for _, prob := range pe.Problems {
				checkProblem(t, prob, data, baseLines)
			}
			return
		}
		for _, task := range []string{"default", "x", "chat"} {
			th, err := p.Thresholds(task)
			if err != nil {
				continue
			}
			checkFloors(t, task, th)
			// Tasks bound to paths only ever tighten.
			if th, _, err := p.ThresholdsFor(task, "training/x/config.yaml"); err == nil {
				checkFloors(t, task+" at training/x/config.yaml", th)
			}
		}
	})
}

func checkProblem(t *testing.T, prob Problem, data []byte, baseLines map[string][][]byte) {
	t.Helper()
	if strings.ContainsAny(prob.Message, "\r\n") {
		t.Errorf("problem is not one line: %q", prob.Message)
	}
	var lines [][]byte
	switch pos := prob.Pos; {
	case pos.File == fuzzPolicyName:
		lines = bytes.Split(data, []byte("\n"))
	case baseLines[pos.File] != nil:
		lines = baseLines[pos.File]
	default:
		t.Errorf("%q placed at %v: neither the policy file nor the baseline", prob.Message, pos)
		return
	}
	pos := prob.Pos
	switch {
	case pos.Line == 0 && pos.Col == 0:
		// the whole file
	case pos.Line < 1 || pos.Line > len(lines):
		t.Errorf("%q at %v: line outside the file's %d lines", prob.Message, pos, len(lines))
	case pos.Col < 1 || pos.Col > utf8.RuneCount(lines[pos.Line-1])+1:
		t.Errorf("%q at %v: column outside line %q", prob.Message, pos, lines[pos.Line-1])
	}
}

// checkFloors holds the thresholds a loaded policy puts in force to the
// floors of SPEC §4: unification may only tighten them.
func checkFloors(t *testing.T, task string, th Thresholds) {
	t.Helper()
	pc, ag, cov := th.PromptCeiling, th.Agreement, th.Coverage
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"prompt_ceiling.min_iterations", pc.MinIterations >= 5},
		{"prompt_ceiling.window", pc.Window >= 3},
		{"prompt_ceiling.epsilon", pc.Epsilon <= 0.01},
		{"prompt_ceiling.required_techniques", containsAll(pc.RequiredTechniques, "few_shot", "rag")},
		{"agreement.min", ag.Min >= 0.667},
		{"agreement.min_units", ag.MinUnits >= 100},
		{"data.min_examples", th.Data.MinExamples >= 500},
		{"coverage.min", cov.Min >= 0.95},
		{"coverage.max_uncovered_share", cov.MaxUncoveredShare <= 0.02},
		{"coverage.min_examples_per_scenario", cov.MinExamplesPerScenario >= 20},
		{"maintenance.max_review_days", th.Maintenance.MaxReviewDays <= 180},
		{"evidence.max_evidence_age_days", th.Evidence.MaxEvidenceAgeDays <= 90},
		{"waivers.max_days", th.Waivers.MaxDays <= 90},
		{"quality_gap.min_gap", th.QualityGap.MinGap >= 0.05},
		{"latency_cost.min_calls_per_day", th.LatencyCost.MinCallsPerDay >= 100000},
	} {
		if !c.ok {
			t.Errorf("task %s: %s loosened past its floor: %+v", task, c.name, th)
		}
	}
}

func containsAll(have []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
