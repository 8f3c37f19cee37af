package evaluate

import (
	"strings"
	"testing"

	"cuelang.org/go/cue/cuecontext"
)

func loadRepo(t *testing.T, files ...string) (*Policy, error) {
	t.Helper()
	var srcs []Source
	for i := 0; i+1 < len(files); i += 2 {
		srcs = append(srcs, Source{Name: files[i], Data: []byte(files[i+1])})
	}
	return Load(cuecontext.New(), srcs)
}

func TestBaselineLoads(t *testing.T) {
	p, err := loadRepo(t)
	if err != nil {
		t.Fatal(err)
	}
	if p.RecordsDir != "decisions" || p.Pretrain != "warning" || p.EvidenceMaxBytes != 1<<30 {
		t.Errorf("defaults: dir %q pretrain %q max %d", p.RecordsDir, p.Pretrain, p.EvidenceMaxBytes)
	}
	th, err := p.Thresholds("default")
	if err != nil {
		t.Fatal(err)
	}
	if th.Agreement.Min != 0.8 || th.PromptCeiling.Window != 3 || th.Data.MinExamples != 500 {
		t.Errorf("thresholds: %+v", th)
	}
}

func TestPolicyErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // substrings of the one-line problems, in order
	}{
		{"below floor", "package ftgate\nthresholds: agreement: min: 0.5\n",
			[]string{".ftgate/p.cue:2:29: thresholds.agreement.min 0.5 is below the baseline floor 0.667 (floor at policy/thresholds.cue:"}},
		{"above ceiling", "package ftgate\nthresholds: coverage: max_uncovered_share: 0.1\n",
			[]string{".ftgate/p.cue:2:44: thresholds.coverage.max_uncovered_share 0.1 is above the baseline ceiling 0.02"}},
		{"floor beside a rule over input", "package ftgate\nthresholds: data: min_examples: 10\nif input.record.urgency == \"high\" {\n\tdeny: ORG1: message: \"x\"\n}\n",
			[]string{".ftgate/p.cue:2:33: thresholds.data.min_examples 10 is below the baseline floor 500"}},
		{"task below floor", "package ftgate\ntasks: chat: thresholds: data: min_examples: 10\n",
			[]string{"tasks.chat.thresholds.data.min_examples 10 is below the baseline floor 500"}},
		{"drops technique", "package ftgate\nthresholds: prompt_ceiling: required_techniques: [\"few_shot\"]\n",
			[]string{"thresholds.prompt_ceiling.required_techniques drops rag from the baseline [few_shot, rag]"}},
		{"unknown top-level", "package ftgate\nthreshold: agreement: min: 0.9\n",
			[]string{".ftgate/p.cue:2:1: unknown policy field \"threshold\""}},
		{"unknown nested", "package ftgate\nthresholds: agreement: minimum: 0.9\n",
			[]string{"thresholds.agreement.minimum: field not allowed"}},
		{"reserved id", "package ftgate\ndeny: FT900: {message: \"x\"}\n",
			[]string{".ftgate/p.cue:2:7: deny.FT900: rule IDs beginning with FT are reserved"}},
		{"syntax", "package ftgate\nthresholds: {\n",
			[]string{".ftgate/p.cue:2:14: expected"}},
		{"wrong package", "package other\n",
			[]string{"policy files are package ftgate, not \"other\""}},
		{"bad pretrain", "package ftgate\ndetect: pretrain: \"sometimes\"\n",
			[]string{"detect.pretrain"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadRepo(t, ".ftgate/p.cue", c.src)
			if err == nil {
				t.Fatal("loaded; want a policy error")
			}
			pe, ok := err.(*PolicyError)
			if !ok {
				t.Fatalf("error %T %v; want *PolicyError", err, err)
			}
			for i, w := range c.want {
				if i >= len(pe.Problems) || !strings.Contains(pe.Problems[i].String(), w) {
					t.Errorf("problems:\n%v\nwant #%d containing %q", err, i, w)
				}
			}
			for _, p := range pe.Problems {
				if strings.Contains(p.String(), "\n") {
					t.Errorf("problem spans lines: %q", p)
				}
			}
		})
	}
}

func TestTighterPolicyAndTasks(t *testing.T) {
	p, err := loadRepo(t, ".ftgate/p.cue", `package ftgate
thresholds: agreement: min: 0.85
tasks: triage: thresholds: agreement: min: 0.9
records: dir: "adr"
detect: exclude: ["testdata/**"]
deny: ORG1: {message: "x", severity: "warning"}
`)
	if err != nil {
		t.Fatal(err)
	}
	if p.RecordsDir != "adr" || len(p.Exclude) != 1 {
		t.Errorf("config: %+v", p)
	}
	for task, want := range map[string]float64{"default": 0.85, "triage": 0.9} {
		th, err := p.Thresholds(task)
		if err != nil {
			t.Fatal(err)
		}
		if th.Agreement.Min != want {
			t.Errorf("task %s: agreement.min %v, want %v", task, th.Agreement.Min, want)
		}
		if th.Data.MinExamples != 500 {
			t.Errorf("task %s: data.min_examples %v, want the default 500", task, th.Data.MinExamples)
		}
	}
}
