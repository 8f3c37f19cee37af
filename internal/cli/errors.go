package cli

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/report"
)

// inputError is exit 2 about ftgate's own inputs — flags, the policy, git,
// the API, the event payload, a file named on the command line — placed at
// a file and position when there is one. Every command reports it, and any
// other error that stops it, through printError.
type inputError struct {
	info report.ErrorInfo
}

func (c *inputError) Error() string { return c.info.Message }

func failf(format string, args ...any) error {
	return &inputError{info: report.ErrorInfo{Message: fmt.Sprintf(format, args...)}}
}

// failAt is failf placed at a file (and a line and column when known).
func failAt(file string, line, col int, format string, args ...any) error {
	return &inputError{info: report.ErrorInfo{Message: fmt.Sprintf(format, args...), File: file, Line: line, Col: col}}
}

// errorInfos are the one-line reports of an error that stops a command,
// each placed where it has a position: one for most errors, one per
// problem of a policy that does not load.
func errorInfos(err error) []report.ErrorInfo {
	var ie *inputError
	var ge *gate.Error
	var pe *evaluate.PolicyError
	switch {
	case errors.As(err, &ie):
		info := ie.info
		info.Message = oneLine(info.Message)
		return []report.ErrorInfo{info}
	case errors.As(err, &ge):
		return []report.ErrorInfo{{Message: oneLine(ge.Message), File: ge.Pos.File, Line: ge.Pos.Line, Col: ge.Pos.Col}}
	case errors.As(err, &pe) && len(pe.Problems) > 0:
		out := make([]report.ErrorInfo, len(pe.Problems))
		for i, p := range pe.Problems {
			out[i] = report.ErrorInfo{Message: oneLine(p.Message), File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col}
		}
		return out
	}
	return []report.ErrorInfo{{Message: oneLine(err.Error())}}
}

// printError is the one exit-2 path of every command: it prints err once
// and returns the exit code. In text (and for a format the command does not
// know) each problem is a line on stderr; a machine format writes its error
// document to stdout, holding the first problem and the count of the
// others, which go to stderr one a line.
func printError(e *env, format string, err error) error {
	infos := errorInfos(err)
	if format == "text" || !slices.Contains(append(report.Formats(), report.StatsFormats()...), format) {
		for _, info := range infos {
			if werr := report.WriteError(e.stderr, "text", info); werr != nil {
				return werr
			}
		}
		return &exitError{code: ExitError}
	}
	first := infos[0]
	if n := len(infos) - 1; n > 0 {
		first.Message += fmt.Sprintf(" (and %d more policy errors)", n)
		for _, info := range infos[1:] {
			if werr := report.WriteError(e.stderr, "text", info); werr != nil {
				return werr
			}
		}
	}
	if werr := report.WriteError(e.stdout, format, first); werr != nil {
		return werr
	}
	return &exitError{code: ExitError}
}

// policyFailed reports a policy that does not load (exit 2), every problem
// on its own line.
func policyFailed(e *env, err error) error {
	return printError(e, "text", err)
}
