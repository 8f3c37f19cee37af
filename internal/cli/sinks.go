package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/ftgate/ftgate/internal/report"
	"github.com/ftgate/ftgate/internal/result"
)

// A sink is one output of a check: a format written to a destination. A
// check builds its sinks once from the flags and the mode and writes them
// in one loop, so that every output renders the same result.
type sink struct {
	name  string // what the sink writes, for the error when it cannot
	write func(res *result.Result) error
}

// sinks are the outputs of one check, in the order they are written: the
// SARIF file, the report (--format to --output or stdout) and, in GitHub
// mode, the annotations, the job summary, the step outputs and the sticky
// comment. prefix goes before paths where GitHub resolves them from the
// repository's top level.
func sinks(e *env, f checkFlags, rep report.Reporter, prefix string, gh *ghRun) []sink {
	var out []sink
	if f.sarif != "" {
		sarif, _ := report.NewWithOptions("sarif", report.Options{PathPrefix: prefix})
		out = append(out, sink{"--sarif-file", func(res *result.Result) error {
			return writeReport(e, sarif, res, f.sarif, "--sarif-file", false)
		}})
	}
	// The report's text quotes the change (file names, record values):
	// wherever it reaches the log inside Actions it is made inert, except
	// the github format, whose commands are meant. JSON and SARIF escape
	// every string, so no line of theirs can start a command.
	inert := e.getenv("GITHUB_ACTIONS") == "true" && (f.format == "text" || f.format == "markdown")
	out = append(out, sink{"the report", func(res *result.Result) error {
		return writeReport(e, rep, res, f.output, "--output", inert)
	}})
	if gh == nil {
		return out
	}
	if f.format != "github" || f.output != "" {
		annotations, _ := report.NewWithOptions("github", report.Options{PathPrefix: prefix})
		out = append(out, sink{"the annotations", func(res *result.Result) error {
			return writeReport(e, annotations, res, "", "", false)
		}})
	}
	return append(out,
		sink{"the job summary", gh.summary},
		sink{"the step outputs", func(res *result.Result) error {
			return writeOutputs(e.getenv, res.Result, violations(res), len(res.Configs), f.sarif)
		}},
		sink{"the pull-request comment", gh.comment},
	)
}

// writeReport renders res with rep to the file path (given by flag), or to
// stdout when path is "". inert puts what reaches the log (stdout, or a path that is the
// process's stdout or stderr) in a stop-commands block.
func writeReport(e *env, rep report.Reporter, res *result.Result, path, flag string, inert bool) error {
	var buf bytes.Buffer
	if err := rep.Report(&buf, res); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	text := buf.Bytes()
	if inert && reachesLog(e, path) {
		text = stopCommands(text)
	}
	if path == "" {
		_, err := e.stdout.Write(text)
		return err
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		return failf("%s: %v", flag, err)
	}
	return nil
}

// logNames are the paths that name a process's standard output or error.
var logNames = map[string]bool{
	"/dev/stdout": true, "/dev/stderr": true, "/dev/fd/1": true, "/dev/fd/2": true,
	"/proc/self/fd/1": true, "/proc/self/fd/2": true,
}

// reachesLog reports whether writing to path ("" for stdout) lands in the
// job's log: stdout, stderr, or a file that is one of them.
func reachesLog(e *env, path string) bool {
	if path == "" || logNames[path] {
		return true
	}
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, w := range []io.Writer{e.stdout, e.stderr} {
		if f, ok := w.(*os.File); ok {
			if fst, err := f.Stat(); err == nil && os.SameFile(st, fst) {
				return true
			}
		}
	}
	return false
}

// stopCommands wraps text in ::stop-commands:: and a token the change
// cannot guess, so that a line of it starting with "::" is never run as a
// workflow command. It is the one wrapper for what reaches the log.
func stopCommands(text []byte) []byte {
	token := randomToken()
	return fmt.Appendf(nil, "::stop-commands::%s\n%s::%s::\n", token, text, token)
}
