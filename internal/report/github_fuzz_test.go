package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
)

// FuzzGitHubAnnotations: whatever a pull request puts in a file name, a
// message or a hint, each finding is one workflow command whose line starts
// with the severity ftgate chose. Text from the PR can neither end the line
// nor start a command of its own.
func FuzzGitHubAnnotations(f *testing.F) {
	for _, s := range [][3]string{
		{"training/a:b,c%0A::warning::x.yaml", "message\n::error::injected", "hint\r\n::add-mask::x"},
		{"x.yaml", "100% sure", "::stop-commands::tok"},
		{"dir/\x00.yaml", "%25%0A", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, file, message, hint string) {
		r := &result.Result{Result: result.Fail, FailOn: finding.Error, Metrics: map[string]*result.Metrics{}}
		for _, sev := range []finding.Severity{finding.Error, finding.Warning, finding.Notice} {
			r.Findings = append(r.Findings, finding.Finding{
				Rule: "FT001", Severity: sev, Message: message, Hint: hint,
				Pos: finding.Position{File: file, Line: 3, Col: 1}, Config: file,
			})
		}
		var out bytes.Buffer
		if err := (githubReporter{}).Report(&out, r); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d lines for 3 findings:\n%s", len(lines), out.String())
		}
		for i, want := range []string{"::error ", "::warning ", "::notice "} {
			if !strings.HasPrefix(lines[i], want) {
				t.Fatalf("line %d starts %q, want %q", i, lines[i], want)
			}
			if strings.ContainsAny(lines[i], "\r") {
				t.Fatalf("line %d holds a carriage return: %q", i, lines[i])
			}
		}
	})
}
