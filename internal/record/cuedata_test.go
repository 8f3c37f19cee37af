package record

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/finding"
)

const goodCUERecord = `package decisions

// A record written in CUE, as plain data.
apiVersion: "ftgate/v1"
kind:       "FineTuneDecision"
id:         "FTD-0001"
title:      "Tune the triage model"
status:     "accepted"
decided:    "2026-10-02"
review_by:  "2027-03-31"
covers: ["training/triage/**"]
"base_model": "meta-llama/Llama-3.1-8B-Instruct"
sufficient: quality_gap: target: 0.9
costs: {data_usd: -0, training_usd: +2500, maintenance_usd_per_month: 1.5e3}
necessary: data: {
	training_set: "data/triage.jsonl"
	agreement: {metric: "krippendorff_alpha", declared: 0.84}
}
`

func TestCUERecordData(t *testing.T) {
	r := newLoader(t).Parse("decisions/a.cue", []byte(goodCUERecord))
	if !r.Valid {
		t.Fatalf("a plain-data CUE record was refused: %v", r.Problems)
	}
	if r.Costs.TrainingUSD != 2500 || r.Costs.MaintenanceUSDPerMonth == nil || *r.Costs.MaintenanceUSDPerMonth != 1500 {
		t.Errorf("costs read as %+v", r.Costs)
	}
	// The same record as one embedded struct is data too.
	body := strings.TrimPrefix(goodCUERecord, "package decisions\n")
	if r := newLoader(t).Parse("decisions/b.cue", []byte("{"+body+"}")); !r.Valid {
		t.Fatalf("a CUE record written as one struct was refused: %v", r.Problems)
	}
}

// TestCUERecordNotData: every construct CUE would evaluate is FT002 at its
// position, naming it, and nothing else is reported about the record. The
// two stalls (nested comprehensions, a string doubled 26 times) come back
// at once because the record is never evaluated.
func TestCUERecordNotData(t *testing.T) {
	nested := "x: [for a in [1,2,3,4,5,6,7,8,9,10] for b in [1,2,3,4,5,6,7,8,9,10] for c in [1,2,3,4,5,6,7,8,9,10] " +
		"for d in [1,2,3,4,5,6,7,8,9,10] for e in [1,2,3,4,5,6,7,8,9,10] for f in [1,2,3,4,5,6,7,8,9,10] " +
		"for g in [1,2,3,4,5,6,7,8,9,10] for h in [1,2,3,4,5,6,7,8,9,10] {a+b+c+d+e+f+g+h}]"
	var doubling strings.Builder
	doubling.WriteString("s0: \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 26; i++ {
		doubling.WriteString(fmt.Sprintf("s%d: s%d + s%d\n", i, i-1, i-1))
	}
	doubling.WriteString("title: s26\n")
	cases := []struct {
		name, add, want string
	}{
		{"nested comprehensions", nested, "19:5: a record in CUE is data only: a comprehension is not allowed"},
		{"doubled string", doubling.String(), "20:8: a record in CUE is data only: an operator (+) is not allowed"},
		{"reference", "task: id", "19:7: a record in CUE is data only: a reference (id) is not allowed"},
		{"selector", "task: costs.data_usd", "19:7: a record in CUE is data only: a reference is not allowed"},
		{"interpolation", `task: "t-\(id)"`, "19:7: a record in CUE is data only: string interpolation is not allowed"},
		{"operator", `task: "a" + "b"`, "19:11: a record in CUE is data only: an operator (+) is not allowed"},
		{"disjunction", `urgency: *"low" | "high"`, "19:17: a record in CUE is data only: an operator (|) is not allowed"},
		{"type", `task: string`, "19:7: a record in CUE is data only: a reference (string) is not allowed"},
		{"struct comprehension", `necessary: {for k in ["a"] {(k): 1}}`, "19:13: a record in CUE is data only: a comprehension is not allowed"},
		{"let", "let X = 1\ntask: \"t\"", "19:1: a record in CUE is data only: a let clause is not allowed"},
		{"definition", `#T: "t"`, "19:1: a record in CUE is data only: a definition or hidden field (#T) is not allowed"},
		{"hidden", `_t: "t"`, "19:1: a record in CUE is data only: a definition or hidden field (_t) is not allowed"},
		{"optional", `task?: "t"`, "19:1: a record in CUE is data only: an optional or required field marker (?) is not allowed"},
		{"dynamic label", `("ta" + "sk"): "t"`, "19:1: a record in CUE is data only: a parenthesised expression is not allowed"},
		{"open list", `alternatives: ["rag", ...]`, "19:23: a record in CUE is data only: an open struct or list (...) is not allowed"},
		{"call", `title: strings.ToUpper("x")`, "19:8: a record in CUE is data only: a function call is not allowed"},
		{"attribute", `task: "t" @tag(t)`, "19:11: a record in CUE is data only: an attribute is not allowed"},
		{"embedding", `necessary: {costs}`, "19:13: a record in CUE is data only: an embedded value is not allowed"},
		{"bottom", `task: _|_`, "19:7: a record in CUE is data only: bottom (_|_) is not allowed"},
		{"negated reference", `costs: data_usd: -id`, "19:18: a record in CUE is data only: an operator (-) is not allowed"},
	}
	l := newLoader(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := goodCUERecord + c.add + "\n"
			r := l.Parse("decisions/a.cue", []byte(src))
			var got []string
			for _, p := range r.Problems {
				if p.Rule != "FT002" || p.Severity != finding.Error {
					t.Errorf("not an FT002 error: %+v", p)
				}
				got = append(got, p.Pos.String()+": "+p.Message)
			}
			want := "decisions/a.cue:" + c.want
			if r.Valid || strings.Join(got, "\n") != want {
				t.Errorf("problems:\n%s\nwant exactly:\n%s", strings.Join(got, "\n"), want)
			}
		})
	}
}

// TestDeepNesting: a record nested past the parsers' depth limits is FT002
// with a message, in every format (the YAML decoder's error used to come
// back empty).
func TestDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	cases := []struct{ name, src, want string }{
		{"decisions/a.yaml", "x: " + deep + "\n", "decisions/a.yaml:1:1: syntax error: exceeded max depth of 10000"},
		{"decisions/a.json", `{"x": ` + deep + "}\n", "decisions/a.json:1:10006: syntax error: invalid JSON for file \"decisions/a.json\""},
		{"decisions/a.cue", "x: " + deep + "\n", "decisions/a.cue:1:10004: syntax error: expression exceeds maximum nesting depth of 10000"},
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
	}
}
