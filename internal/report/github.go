package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/sethvargo/go-githubactions"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
	"github.com/ftgate/ftgate/internal/rules"
)

// MaxAnnotations is how many annotations of one level GitHub shows for a
// step; the rest would be dropped silently, so the reporter stops there and
// says how many the job summary, the comment and SARIF hold beyond it.
const MaxAnnotations = 10

// githubReporter prints workflow-command annotations (::error file=…::…),
// errors first. Every string from the change passes through the escaping of
// go-githubactions' Command ("%", CR and LF in the message; also ":" and ","
// in properties), so that no file name or record text can end the command
// and start one of its own.
type githubReporter struct{ prefix string }

func newGitHub(opt Options) Reporter { return githubReporter{prefix: opt.PathPrefix} }

func (g githubReporter) Report(w io.Writer, r *result.Result) error {
	if r == nil {
		return errors.New("report: nil result")
	}
	var b bytes.Buffer
	shown := finding.Distinct(r.Findings)
	for _, sev := range []finding.Severity{finding.Error, finding.Warning, finding.Notice} {
		n := 0
		for _, f := range shown {
			if f.Severity != sev {
				continue
			}
			if n < MaxAnnotations {
				b.WriteString(annotation(f, g.prefix).String())
				b.WriteByte('\n')
			}
			n++
		}
		if n > MaxAnnotations {
			// Plain text of ftgate's own words: no command.
			fmt.Fprintf(&b, "ftgate: %s more not annotated; the job summary and SARIF list every finding\n",
				plural(n-MaxAnnotations, sev.String()))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// annotation is the workflow command for one finding, its path behind
// prefix. A finding without a file is placed on its config, as the text
// format does.
func annotation(f finding.Finding, prefix string) *githubactions.Command {
	props := githubactions.CommandProperties{"title": annotationTitle(f.Rule)}
	if file := f.File(); file != "" {
		props["file"] = prefix + file
		if f.Pos.File != "" && f.Pos.Line > 0 {
			props["line"] = strconv.Itoa(f.Pos.Line)
			if f.Pos.Col > 0 {
				props["col"] = strconv.Itoa(f.Pos.Col)
			}
		}
	}
	msg := clean(f.Message)
	if f.Hint != "" {
		msg += "\n" + clean(f.Hint)
	}
	return &githubactions.Command{Name: annotationLevel(f.Severity), Properties: props, Message: msg}
}

func annotationLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "notice"
}

// annotationTitle is "FT102 annotator-agreement", or the bare ID of a rule
// without documentation.
func annotationTitle(id string) string {
	if r, ok := rules.Lookup(id); ok {
		return id + " " + r.Name
	}
	return clean(id)
}
