package record

import (
	"strings"
	"testing"
	"time"
)

// TestNumberOverflow: a number past the float64 range is FT002 naming the
// field, in YAML, JSON and CUE records alike, and nothing else is reported.
func TestNumberOverflow(t *testing.T) {
	yamlRec := strings.Replace(goodRecord, "base_model:", "costs: {data_usd: 1e400, training_usd: -1e400}\nbase_model:", 1)
	cueRec := strings.Replace(goodCUERecord, "data_usd: -0", "data_usd: -1e400", 1)
	jsonRec := `{"apiVersion": "ftgate/v1", "costs": {"data_usd": 1` + strings.Repeat("0", 400) + `}}`
	cases := []struct{ name, src, want string }{
		{"decisions/a.yaml", yamlRec, "decisions/a.yaml:9:19: costs.data_usd: 1e400 is beyond the largest number ftgate computes with (1.8e+308)\n" +
			"decisions/a.yaml:9:40: costs.training_usd: -1e400 is beyond the largest number ftgate computes with (1.8e+308)"},
		{"decisions/a.cue", cueRec, "decisions/a.cue:14:19: costs.data_usd: -1e400 is beyond the largest number ftgate computes with (1.8e+308)"},
		{"decisions/a.json", jsonRec, "decisions/a.json:1:51: costs.data_usd: 1" + strings.Repeat("0", 400) + " is beyond the largest number ftgate computes with (1.8e+308)"},
	}
	l := newLoader(t)
	for _, c := range cases {
		r := l.Parse(c.name, []byte(c.src))
		var got []string
		for _, p := range r.Problems {
			got = append(got, p.Pos.String()+": "+p.Message)
		}
		if r.Valid || strings.Join(got, "\n") != c.want {
			t.Errorf("%s: problems:\n%s\nwant exactly:\n%s", c.name, strings.Join(got, "\n"), c.want)
		}
		// The broken record still stands in front of what it covers.
		if c.name != "decisions/a.json" && !r.Matches("training/triage/x.yaml") {
			t.Errorf("%s: covers not read", c.name)
		}
	}
	// A quoted number is a string: the schema, not the range, judges it.
	quoted := strings.Replace(goodRecord, "base_model:", "costs: {data_usd: \"1e400\"}\nbase_model:", 1)
	r := l.Parse("decisions/a.yaml", []byte(quoted))
	if len(r.Problems) != 1 || strings.Contains(r.Problems[0].Message, "beyond the largest") {
		t.Errorf("quoted 1e400: %v", r.Problems)
	}
	// Large numbers within range stay valid.
	big := strings.Replace(goodRecord, "base_model:", "costs: {data_usd: 1e300}\nbase_model:", 1)
	if r := l.Parse("decisions/a.yaml", []byte(big)); !r.Valid {
		t.Errorf("1e300 refused: %v", r.Problems)
	}
}

// TestDecidedInFuture: decided after today is FT002 on the field; decided
// today is fine.
func TestDecidedInFuture(t *testing.T) {
	l := newLoader(t)
	l.Today = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	r := l.Parse("decisions/a.yaml", []byte(goodRecord))
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.Rule+" "+p.Pos.String()+": "+p.Message)
	}
	want := "FT002 decisions/a.yaml:6:10: decided 2026-10-02 is after today (2026-10-01): a decision cannot be dated in the future"
	if r.Valid || strings.Join(got, "\n") != want {
		t.Errorf("problems:\n%s\nwant exactly:\n%s", strings.Join(got, "\n"), want)
	}
	l.Today = l.Today.AddDate(0, 0, 1)
	if r := l.Parse("decisions/a.yaml", []byte(goodRecord)); !r.Valid {
		t.Errorf("decided today refused: %v", r.Problems)
	}
	// Without a date set, the current date judges: 2099 is in the future.
	l.Today = time.Time{}
	far := strings.Replace(goodRecord, "decided: 2026-10-02", "decided: 2099-01-01", 1)
	if r := l.Parse("decisions/a.yaml", []byte(far)); r.Valid {
		t.Error("decided 2099-01-01 accepted")
	}
}

// TestCostProductsOverflow: figures that fit but whose products in FT202's
// formulas do not are FT002 on the latency_cost block, not an infinite
// saving that makes the case hold.
func TestCostProductsOverflow(t *testing.T) {
	l := newLoader(t)
	src := strings.Replace(goodRecord, "base_model:", "sufficient:\n  latency_cost: {calls_per_day: 1e308, prompt_tokens: 1e308, tuned_prompt_tokens: 1, usd_per_mtok: 1}\ncosts: {data_usd: 1.7e308, training_usd: 1.7e308}\nbase_model:", 1)
	r := l.Parse("decisions/a.yaml", []byte(src))
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.Pos.String()+": "+p.Message)
	}
	want := "decisions/a.yaml:10:17: sufficient.latency_cost: calls_per_day × 30 × tokens × usd_per_mtok passes the largest number ftgate computes with\n" +
		"decisions/a.yaml:11:8: costs: data_usd + training_usd passes the largest number ftgate computes with"
	if r.Valid || strings.Join(got, "\n") != want {
		t.Errorf("problems:\n%s\nwant exactly:\n%s", strings.Join(got, "\n"), want)
	}
}
