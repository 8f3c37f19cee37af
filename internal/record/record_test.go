package record

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/finding"
)

const goodRecord = `apiVersion: ftgate/v1
kind: FineTuneDecision
id: FTD-0001
title: Tune the triage model
status: accepted
decided: 2026-10-02
review_by: 2027-03-31
covers: ["training/triage/**"]
base_model: meta-llama/Llama-3.1-8B-Instruct
necessary:
  data:
    training_set: data/triage.jsonl
    annotations: evidence/labels.csv
  prompt_ceiling:
    history: evidence/evals.csv
`

func newLoader(t *testing.T) *Loader {
	t.Helper()
	l, err := NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestParseValid(t *testing.T) {
	r := newLoader(t).Parse("decisions/a.yaml", []byte(goodRecord))
	if !r.Valid {
		t.Fatalf("problems: %v", r.Problems)
	}
	if r.Task != "default" || r.Urgency != "normal" || r.Necessary.Data.Level != "nominal" {
		t.Errorf("defaults not applied: task %q urgency %q level %q", r.Task, r.Urgency, r.Necessary.Data.Level)
	}
	if p := r.Pos("necessary.data.annotations"); p != (finding.Position{File: "decisions/a.yaml", Line: 13, Col: 18}) {
		t.Errorf("position of annotations: %v", p)
	}
	// A missing field points at its nearest existing parent.
	if p := r.Pos("necessary.coverage.production"); p != (finding.Position{File: "decisions/a.yaml", Line: 10, Col: 1}) {
		t.Errorf("position of an absent field: %v, want the necessary key at 10:1", p)
	}
	if p := r.Pos("covers.0"); p != (finding.Position{File: "decisions/a.yaml", Line: 8, Col: 10}) {
		t.Errorf("position of a list element: %v", p)
	}
	if !r.Matches("training/triage/x/sft.yaml") || r.Matches("training/other.yaml") {
		t.Error("covers glob matching is wrong")
	}
	if got := strings.Join(r.NamedFiles(), ","); got != "data/triage.jsonl,evidence/evals.csv,evidence/labels.csv" {
		t.Errorf("named files: %s", got)
	}
}

func TestParseProblems(t *testing.T) {
	cases := []struct {
		name, edit, with string
		file             string
		want             string // "line:col: message substring"
	}{
		{"syntax", "title: Tune the triage model", "title: Tune: the: model", "", "4:1: syntax error: mapping values are not allowed"},
		{"unknown field", "title: Tune the triage model", "title: Tune the triage model\nowner: bob", "", "5:1: unknown field owner"},
		{"missing required", "base_model: meta-llama/Llama-3.1-8B-Instruct\n", "", "", "1:1: required field base_model is missing"},
		{"bad enum", "status: accepted", "status: approved", "", "5:9: status: \"approved\" is not one of \"accepted\", \"proposed\", \"rejected\", \"superseded\""},
		{"bad id", "id: FTD-0001", "id: DEC-1", "", "3:5: id:"},
		{"bad date", "decided: 2026-10-02", "decided: October 2nd", "", "6:10: decided:"},
		{"wrong type", `covers: ["training/triage/**"]`, "covers: training/triage/**", "", "8:9: covers:"},
		{"empty covers", `covers: ["training/triage/**"]`, "covers: []", "", "8:9: covers is empty"},
		{"unicode column", `covers: ["training/triage/**"]`, `covers: ["é/ü/**", "/abs"]`, "", "8:20: covers: glob \"/abs\" is absolute"},
		{"absolute glob", `covers: ["training/triage/**"]`, `covers: ["/abs/**"]`, "", "8:10: covers: glob \"/abs/**\" is absolute"},
		{"duplicate key", "status: accepted", "status: accepted\nstatus: accepted", "", "6:1: key \"status\" appears twice in one mapping (first at line 5)"},
		{"duplicate nested key", "    annotations: evidence/labels.csv", "    annotations: evidence/labels.csv\n    annotations: evidence/other.csv", "", "14:5: key \"annotations\" appears twice in one mapping (first at line 13)"},
		{"json duplicate key", "", "", "decisions/c.json", "decisions/c.json:1:26: key \"title\" appears twice in one mapping (first at line 1)"},
		{"json syntax", "", "", "decisions/a.json", "decisions/a.json:1:"},
		{"json unicode column", "", "", "decisions/b.json", "decisions/b.json:1:18: unknown field bogus"},
	}
	l := newLoader(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := goodRecord
			if c.edit != "" {
				if !strings.Contains(src, c.edit) {
					t.Fatalf("edit %q not in record", c.edit)
				}
				src = strings.Replace(src, c.edit, c.with, 1)
			}
			name := "decisions/a.yaml"
			switch c.file {
			case "decisions/a.json":
				name, src = c.file, "{\"id\": "
			case "decisions/b.json":
				name, src = c.file, `{"title": "éü", "bogus": 1}`
			case "decisions/c.json":
				name, src = c.file, `{"title": "éü", "x": 1, "title": "b"}`
			}
			r := l.Parse(name, []byte(src))
			if r.Valid {
				t.Fatal("record accepted")
			}
			var got []string
			for _, p := range r.Problems {
				if p.Pos.Line == 0 || p.Pos.Col == 0 {
					t.Errorf("problem without line:col: %+v", p)
				}
				if p.Rule != "FT002" || p.Severity != finding.Error || p.Record != name {
					t.Errorf("problem not an FT002 error about the record: %+v", p)
				}
				got = append(got, p.Pos.String()+": "+p.Message)
			}
			joined := strings.Join(got, "\n")
			want := c.want
			if !strings.HasPrefix(want, "decisions/") {
				want = name + ":" + want
			}
			if !strings.Contains(joined, want) {
				t.Errorf("problems:\n%s\nwant one containing %q", joined, want)
			}
		})
	}
}

func TestParseNotUTF8(t *testing.T) {
	r := newLoader(t).Parse("decisions/a.yaml", []byte("title: \xff\n"))
	if r.Valid || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, "not valid UTF-8") {
		t.Errorf("problems: %v", r.Problems)
	}
}

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"decisions/a.yaml":        {Data: []byte(goodRecord)},
		"decisions/sub/b.json":    {Data: []byte(`{"kind": "FineTuneDecision"}`)},
		"decisions/c.cue":         {Data: []byte("import \"strings\"\nx: strings.ToUpper(\"a\")\n")},
		"decisions/README.md":     {Data: []byte("# not a record")},
		"decisions/notes.txt":     {Data: []byte("ignored")},
		"training/triage/sft.yml": {Data: []byte("base_model: x\n")},
	}
	recs, err := newLoader(t).LoadDir(fsys, "decisions")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Path)
	}
	if strings.Join(names, ",") != "decisions/a.yaml,decisions/c.cue,decisions/sub/b.json" {
		t.Fatalf("records read: %v", names)
	}
	if !recs[0].Valid || recs[1].Valid || recs[2].Valid {
		t.Errorf("validity: %v %v %v", recs[0].Valid, recs[1].Valid, recs[2].Valid)
	}
	if !strings.Contains(recs[1].Problems[0].Message, "may not import") {
		t.Errorf("cue import: %v", recs[1].Problems)
	}
	if none, err := newLoader(t).LoadDir(fsys, "adr"); err != nil || len(none) != 0 {
		t.Errorf("missing dir: %v %v", none, err)
	}
}

func cfg(path, framework string) detect.Config {
	return detect.Config{Path: path, Kind: detect.Finetune, Framework: framework}
}

func rec(t *testing.T, l *Loader, name string, edits ...string) *Record {
	t.Helper()
	src := goodRecord
	for i := 0; i+1 < len(edits); i += 2 {
		src = strings.Replace(src, edits[i], edits[i+1], 1)
	}
	return l.Parse(name, []byte(src))
}

func rulesOf(fs []finding.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Config+" "+f.Record)
	}
	return strings.Join(out, "\n")
}

func TestTrial(t *testing.T) {
	l := newLoader(t)
	a := rec(t, l, "decisions/a.yaml")
	b := rec(t, l, "decisions/b.yaml", "FTD-0001", "FTD-0002", "status: accepted", "status: proposed", "2026-10-02", "2026-10-09")
	c := rec(t, l, "decisions/c.yaml", "FTD-0001", "FTD-0003", "status: accepted", "status: rejected")
	dup := rec(t, l, "decisions/d.yaml", "training/triage/**", "training/dup/**")
	broken := l.Parse("decisions/e.yaml", []byte("covers: [\"training/broken/**\"]\nstatus: accepted\n"))
	configs := []detect.Config{
		cfg("training/triage/sft.yaml", "axolotl"),
		cfg("training/orphan.yaml", "axolotl"),
		cfg("data/triage.jsonl", ChatFramework),
		cfg("evidence/labels.csv", ChatFramework), // named as evidence: dropped
		cfg("training/broken/x.yaml", "trl"),
		{Path: "pretrain/pt.yaml", Kind: detect.Pretrain, Framework: "axolotl"},
	}
	changed := func(paths ...string) Scope {
		var s Scope
		for _, p := range paths {
			s.Changed = append(s.Changed, changes.ChangedFile{Path: p, Status: changes.Modified})
		}
		return s
	}

	t.Run("one accepted record judges", func(t *testing.T) {
		cases, _, fs := Trial(configs, []*Record{a, b, c}, changed("training/triage/sft.yaml"))
		if len(cases) != 1 || cases[0].Judge != a || len(cases[0].Records) != 3 {
			t.Fatalf("cases: %+v", cases)
		}
		if rulesOf(fs) != "" {
			t.Errorf("findings: %s", rulesOf(fs))
		}
	})
	t.Run("no record is FT001", func(t *testing.T) {
		_, _, fs := Trial(configs, []*Record{a}, changed("training/orphan.yaml"))
		if rulesOf(fs) != "FT001 training/orphan.yaml " {
			t.Errorf("findings: %q", rulesOf(fs))
		}
	})
	t.Run("two accepted records is FT001", func(t *testing.T) {
		a2 := rec(t, l, "decisions/a2.yaml", "FTD-0001", "FTD-0009")
		cases, _, fs := Trial(configs, []*Record{a, a2}, changed("training/triage/sft.yaml"))
		if cases[0].Judge != nil || !strings.Contains(fs[0].Message, "covered by 2 accepted records: decisions/a.yaml, decisions/a2.yaml; supersede one") {
			t.Errorf("findings: %v", fs)
		}
	})
	t.Run("none accepted is FT003 on the latest", func(t *testing.T) {
		_, _, fs := Trial(configs, []*Record{b, c}, changed("training/triage/sft.yaml"))
		if rulesOf(fs) != "FT003 training/triage/sft.yaml decisions/b.yaml" || !strings.Contains(fs[0].Message, "is proposed, not accepted") {
			t.Errorf("findings: %q %v", rulesOf(fs), fs)
		}
	})
	t.Run("FT003 passes over a newer superseded record for a live one", func(t *testing.T) {
		// s is the newest but superseded; b, older and proposed, is the
		// record to act on.
		s := rec(t, l, "decisions/s.yaml", "FTD-0001", "FTD-0004", "status: accepted", "status: superseded", "2026-10-02", "2026-11-20")
		_, _, fs := Trial(configs, []*Record{s, b}, changed("training/triage/sft.yaml"))
		if rulesOf(fs) != "FT003 training/triage/sft.yaml decisions/b.yaml" {
			t.Errorf("findings: %q", rulesOf(fs))
		}
		// Superseded alone: it is the one named.
		_, _, fs = Trial(configs, []*Record{s}, changed("training/triage/sft.yaml"))
		if rulesOf(fs) != "FT003 training/triage/sft.yaml decisions/s.yaml" || !strings.Contains(fs[0].Message, "is superseded, not accepted") {
			t.Errorf("findings: %q", rulesOf(fs))
		}
	})
	t.Run("record change puts covered configs and its training set on trial", func(t *testing.T) {
		cases, _, _ := Trial(configs, []*Record{a}, changed("decisions/a.yaml"))
		var got []string
		for _, cs := range cases {
			got = append(got, cs.Config.Path)
		}
		if strings.Join(got, ",") != "training/triage/sft.yaml,data/triage.jsonl" {
			t.Errorf("on trial: %v", got)
		}
	})
	t.Run("evidence change puts covered configs on trial", func(t *testing.T) {
		cases, _, _ := Trial(configs, []*Record{a}, changed("evidence/evals.csv"))
		if len(cases) != 2 {
			t.Errorf("on trial: %+v", cases)
		}
	})
	t.Run("evidence named by an accepted record is not a config", func(t *testing.T) {
		cases, _, fs := Trial(configs, []*Record{a}, changed("evidence/labels.csv"))
		for _, cs := range cases {
			if cs.Config.Path == "evidence/labels.csv" {
				t.Errorf("evidence judged as a config")
			}
		}
		if strings.Contains(rulesOf(fs), "evidence/labels.csv") {
			t.Errorf("findings: %s", rulesOf(fs))
		}
	})
	t.Run("pretrain is set apart", func(t *testing.T) {
		cases, pre, _ := Trial(configs, []*Record{a}, changed("pretrain/pt.yaml"))
		if len(cases) != 0 || len(pre) != 1 {
			t.Errorf("cases %v pretrain %v", cases, pre)
		}
	})
	t.Run("a broken covering record is FT002 and judges nothing", func(t *testing.T) {
		cases, _, fs := Trial(configs, []*Record{a, broken}, changed("training/broken/x.yaml"))
		if cases[0].Judge != nil || !strings.Contains(rulesOf(fs), "FT002  decisions/e.yaml") {
			t.Errorf("cases %+v findings %s", cases, rulesOf(fs))
		}
	})
	t.Run("an unrelated broken record is not reported in a change", func(t *testing.T) {
		_, _, fs := Trial(configs, []*Record{a, broken}, changed("training/triage/sft.yaml"))
		if rulesOf(fs) != "" {
			t.Errorf("findings: %s", rulesOf(fs))
		}
	})
	t.Run("all reports every record and duplicate ids", func(t *testing.T) {
		_, _, fs := Trial(configs, []*Record{a, broken, dup}, Scope{All: true})
		got := rulesOf(fs)
		if !strings.Contains(got, "FT002  decisions/e.yaml") || !strings.Contains(got, "FT002  decisions/d.yaml") {
			t.Errorf("findings: %s", got)
		}
	})
	t.Run("a backend file is covered through the config naming it", func(t *testing.T) {
		backend := detect.Config{Path: "ds/zero3.json", Kind: detect.Finetune, Framework: detect.BackendFramework, Via: []string{"training/triage/sft.yaml"}}
		cases, _, fs := Trial(append(slices.Clone(configs), backend), []*Record{a}, changed("ds/zero3.json"))
		if len(cases) != 1 || cases[0].Judge != a || len(fs) != 0 {
			t.Errorf("cases %+v findings %v", cases, fs)
		}
	})
	t.Run("deleted configs are not judged", func(t *testing.T) {
		s := Scope{Changed: []changes.ChangedFile{{Path: "training/orphan.yaml", Status: changes.Deleted}}}
		cases, _, fs := Trial(configs, []*Record{a}, s)
		if len(cases) != 0 || len(fs) != 0 {
			t.Errorf("cases %v findings %v", cases, fs)
		}
	})
}

func TestCandidates(t *testing.T) {
	l := newLoader(t)
	a := rec(t, l, "decisions/a.yaml")
	tree := []string{"training/triage/sft.yaml", "training/other.yaml", "data/triage.jsonl", "decisions/a.yaml", "README.md"}
	s := Scope{Changed: []changes.ChangedFile{{Path: "decisions/a.yaml", Status: changes.Modified}, {Path: "gone.yaml", Status: changes.Deleted}}}
	got := Candidates(tree, Triggered([]*Record{a}, s), s, "decisions")
	if strings.Join(got, ",") != "data/triage.jsonl,training/triage/sft.yaml" {
		t.Errorf("candidates: %v", got)
	}
	all := Candidates(tree, nil, Scope{All: true}, "decisions")
	if len(all) != 4 {
		t.Errorf("all candidates: %v", all)
	}
}

// A history named by a glob (promptfoo result files) puts its record on
// trial when a file the glob matches changes, and only then.
func TestTriggeredByHistoryGlob(t *testing.T) {
	l := newLoader(t)
	a := rec(t, l, "decisions/a.yaml", "history: evidence/evals.csv", `history: "evidence/promptfoo/*.json"`)
	if !a.Valid {
		t.Fatalf("problems: %v", a.Problems)
	}
	for path, want := range map[string]bool{
		"evidence/promptfoo/results-9.json":   true,
		"evidence/promptfoo/old/results.json": false,
		"evidence/evals.csv":                  false,
	} {
		s := Scope{Changed: []changes.ChangedFile{{Path: path, Status: changes.Added}}}
		if got := len(Triggered([]*Record{a}, s)) == 1; got != want {
			t.Errorf("%s: triggered %v, want %v", path, got, want)
		}
	}
}

// A history may be one path or a list of them (promptfoo result files).
func TestHistoryOneOrMany(t *testing.T) {
	l := newLoader(t)
	one := rec(t, l, "decisions/a.yaml")
	many := rec(t, l, "decisions/b.yaml", "history: evidence/evals.csv", "history: [evidence/pf/r1.json, evidence/pf/r2.json]")
	empty := rec(t, l, "decisions/c.yaml", "history: evidence/evals.csv", "history: []")
	if !one.Valid || !many.Valid {
		t.Fatalf("problems: %v %v", one.Problems, many.Problems)
	}
	if got := one.Necessary.PromptCeiling.History; !slices.Equal(got, []string{"evidence/evals.csv"}) {
		t.Errorf("one: %q", got)
	}
	if got := many.Necessary.PromptCeiling.History; !slices.Equal(got, []string{"evidence/pf/r1.json", "evidence/pf/r2.json"}) {
		t.Errorf("many: %q", got)
	}
	if empty.Valid {
		t.Error("an empty history list loads")
	}
	s := Scope{Changed: []changes.ChangedFile{{Path: "evidence/pf/r2.json", Status: changes.Modified}}}
	if len(Triggered([]*Record{many}, s)) != 1 {
		t.Error("a change to a listed history file does not trigger the record")
	}
}
