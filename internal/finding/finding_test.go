package finding

import (
	"slices"
	"testing"
)

func TestSortOrderAndDedupe(t *testing.T) {
	at := func(file string, line int) Position { return Position{File: file, Line: line, Col: 1} }
	in := []Finding{
		{Rule: "ORG1", Severity: Error, Config: "a.yaml", Record: "r.yaml", Pos: at("r.yaml", 1), Message: "repo rule"},
		{Rule: "FT201", Severity: Error, Config: "a.yaml", Record: "r.yaml", Pos: at("r.yaml", 2), Message: "gap"},
		{Rule: "FT102", Severity: Error, Config: "a.yaml", Record: "r.yaml", Pos: at("r.yaml", 9), Message: "alpha"},
		{Rule: "FT004", Severity: Error, Config: "a.yaml", Record: "r.yaml", Pos: at("e.csv", 3), Message: "bad"},
		{Rule: "FT102", Severity: Error, Config: "a.yaml", Record: "r.yaml", Pos: at("r.yaml", 9), Message: "alpha"},
		{Rule: "FT001", Severity: Error, Config: "0.yaml", Pos: at("0.yaml", 1), Message: "no record"},
		{Rule: "FT010", Severity: Notice, Pos: at(".ftgate/p.cue", 1), Message: "policy"},
	}
	got := Sort(in)
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Rule)
	}
	want := []string{"FT010", "FT001", "FT004", "FT102", "FT201", "ORG1"}
	if !slices.Equal(rules, want) {
		t.Errorf("order %v, want %v", rules, want)
	}
}

func TestDistinct(t *testing.T) {
	pos := Position{File: "decisions/r.yaml", Line: 4, Col: 3}
	in := []Finding{
		{Rule: "FT102", Severity: Error, Config: "a.yaml", Record: "decisions/r.yaml", Pos: pos, Message: "alpha 0.5"},
		{Rule: "FT102", Severity: Error, Config: "b.jsonl", Record: "decisions/r.yaml", Pos: pos, Message: "alpha 0.5"},
		{Rule: "FT102", Severity: Notice, Config: "c.yaml", Record: "decisions/r.yaml", Pos: pos, Message: "alpha 0.5"},
		{Rule: "FT105", Severity: Error, Config: "b.jsonl", Record: "decisions/r.yaml", Pos: pos, Message: "no owner for b.jsonl"},
	}
	got := Distinct(in)
	if len(got) != 3 || got[0].Config != "a.yaml" || got[1].Severity != Notice || got[2].Rule != "FT105" {
		t.Errorf("Distinct kept %v", got)
	}
}

func TestPositionString(t *testing.T) {
	for _, c := range []struct {
		p    Position
		want string
	}{
		{Position{}, ""},
		{Position{File: "a"}, "a"},
		{Position{File: "a", Line: 3}, "a:3"},
		{Position{File: "a", Line: 3, Col: 7}, "a:3:7"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

func TestCount(t *testing.T) {
	fs := []Finding{{Severity: Error}, {Severity: Warning}, {Severity: Notice}}
	if Count(fs, Error) != 1 || Count(fs, Warning) != 2 || Count(fs, Notice) != 3 {
		t.Error("Count miscounts severities")
	}
}

func TestFindingFile(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{Pos: Position{File: "decisions/a.yaml", Line: 3}, Config: "train.yaml"}, "decisions/a.yaml"},
		{Finding{Config: "train.yaml"}, "train.yaml"},
		{Finding{}, ""},
	} {
		if got := tc.f.File(); got != tc.want {
			t.Errorf("%+v: File() = %q, want %q", tc.f, got, tc.want)
		}
	}
}
