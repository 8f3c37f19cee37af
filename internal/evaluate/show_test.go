package evaluate

import (
	"fmt"
	"strings"
	"testing"
)

func TestShowOrigins(t *testing.T) {
	p, err := loadRepo(t, ".ftgate/p.cue", `package ftgate

thresholds: agreement: min: 0.85
tasks: "contract-risk": thresholds: data: min_examples: 900
detect: exclude: ["vendor/**"]
deny: ORG001: {
	if input.record.urgency == "high" {
		message: "high-urgency fine-tuning needs two deciders"
		hint: "add a decider"
		field: "deciders"
	}
}
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Setting{}
	for _, s := range p.Show() {
		got[s.Path] = s
	}
	for path, want := range map[string]string{
		"thresholds.agreement.min":                           "0.85 0.667 larger .ftgate/p.cue:3:",
		"thresholds.agreement.min_units":                     "100 100 larger baseline",
		`tasks."contract-risk".thresholds.data.min_examples`: "900 500 larger .ftgate/p.cue:4:",
		"detect.exclude":                                     "[vendor/**] <nil>  .ftgate/p.cue:5:",
		"records.dir":                                        "decisions <nil>  baseline",
	} {
		s, ok := got[path]
		if !ok {
			t.Errorf("%s: not shown", path)
			continue
		}
		line := strings.Join([]string{fmtAny(s.Value), fmtAny(s.Floor), s.Tighter, s.Origin}, " ")
		if !strings.HasPrefix(line, want) {
			t.Errorf("%s: %q, want prefix %q", path, line, want)
		}
	}
	if _, ok := got[`tasks."contract-risk".thresholds.agreement.min`]; ok {
		t.Errorf("a threshold the task does not set is repeated")
	}
	d := p.Denies()
	if len(d) != 1 || d[0].ID != "ORG001" || d[0].Message != "high-urgency fine-tuning needs two deciders" ||
		d[0].Hint != "add a decider" || d[0].Severity != "error" || !strings.Contains(d[0].Condition, `input.record.urgency == "high"`) ||
		d[0].Pos.String() != ".ftgate/p.cue:6:7" {
		t.Errorf("denies: %+v", d)
	}
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case nil:
		return "<nil>"
	case []any:
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = fmtAny(x)
		}
		return "[" + strings.Join(s, ",") + "]"
	case string:
		return v
	}
	return strings.TrimSpace(strings.ReplaceAll(strings.TrimSpace(fmtNum(v)), "\n", ""))
}

func fmtNum(v any) string { return strings.TrimSpace(strings.ReplaceAll(sprint(v), " ", "")) }
func sprint(v any) string { return fmt.Sprint(v) }
