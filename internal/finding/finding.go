// Package finding is the shared vocabulary of what ftgate reports: a rule's
// verdict about one place in one file.
package finding

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings; a larger value is more severe.
type Severity int

// Severities, least to most severe.
const (
	Notice Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Notice:
		return "notice"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "notice".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "notice":
		return Notice, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or notice)", s)
}

// Rule is a built-in rule's identity (a rules.ID). Findings of built-in
// rules are made with New from it, never from a string, so that a misspelt
// rule does not compile.
type Rule interface {
	RuleID() string
}

// New makes a finding of rule at pos.
func New(rule Rule, sev Severity, pos Position, message, hint string) Finding {
	return Finding{Rule: rule.RuleID(), Severity: sev, Pos: pos, Message: message, Hint: hint}
}

// Position is a place in a repository file. Line and Col are 1-based; Col
// counts Unicode code points. A zero Line means the whole file.
type Position struct {
	File string
	Line int
	Col  int
}

func (p Position) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Finding is one rule's verdict. Config and Record name the training config
// and the decision record it concerns, when it concerns them.
type Finding struct {
	Rule     string
	Severity Severity
	Message  string
	Hint     string
	Pos      Position
	Config   string
	Record   string
	// Related points at other places that explain the finding (the config
	// behind a record finding, the floor behind a policy value).
	Related []Position
}

// File is the file the finding is placed on: its position's, or its
// config's when it has no position; "" when it concerns no file.
func (f Finding) File() string {
	if f.Pos.File != "" {
		return f.Pos.File
	}
	return f.Config
}

func (f Finding) String() string {
	loc := f.Pos.String()
	if loc == "" {
		loc = "ftgate"
	}
	return fmt.Sprintf("%s: %s: %s [%s]", loc, f.Severity, f.Message, f.Rule)
}

// ruleGroup orders FT0xx before FT1xx before FT2xx before repo rules.
func ruleGroup(id string) int {
	if len(id) == 5 && strings.HasPrefix(id, "FT") {
		switch id[2] {
		case '0':
			return 0
		case '1':
			return 1
		case '2':
			return 2
		}
	}
	return 3
}

// Compare orders findings by config, record, rule group, rule, file, line,
// column and message, the order every report uses.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Config, b.Config),
		cmp.Compare(a.Record, b.Record),
		cmp.Compare(ruleGroup(a.Rule), ruleGroup(b.Rule)),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(b.Severity, a.Severity),
	)
}

// Sort sorts findings in report order and drops exact repeats (the same
// rule, place, subject and message), keeping the most severe.
func Sort(fs []Finding) []Finding {
	slices.SortStableFunc(fs, Compare)
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return a.Rule == b.Rule && a.Config == b.Config && a.Record == b.Record &&
			a.Pos == b.Pos && a.Message == b.Message
	})
}

// Distinct drops the findings that repeat one already listed word for word
// and place for place: a record judging several configs (a config and its
// training set) is wrong once, in one place, however many configs it covers.
// Reports a person reads, and the counts they show, use it; JSON and SARIF
// keep every config's findings.
func Distinct(fs []Finding) []Finding {
	type line struct {
		pos           Position
		rule, message string
		severity      Severity
	}
	seen := map[line]bool{}
	var out []Finding
	for _, f := range fs {
		l := line{f.Pos, f.Rule, f.Message, f.Severity}
		if !seen[l] {
			seen[l] = true
			out = append(out, f)
		}
	}
	return out
}

// Count returns how many findings are at or above min.
func Count(fs []Finding, min Severity) int {
	n := 0
	for _, f := range fs {
		if f.Severity >= min {
			n++
		}
	}
	return n
}
