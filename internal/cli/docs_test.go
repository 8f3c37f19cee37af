package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/record"
)

// docSkip, on the line before a fence, exempts one block from
// TestDocSnippets, with the reason after it: only for commands that need
// the network or GitHub, or that another test runs on files of its own.
const docSkip = "<!-- docs-test: skip"

// A docBlock is one fenced block of a Markdown file.
type docBlock struct {
	file string // repository-relative
	line int    // of the opening fence
	lang string
	body string
	skip string // the opt-out reason, when the block has one
}

func (b docBlock) String() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// docBlocks reads the fenced blocks of a Markdown file.
func docBlocks(t *testing.T, root, name string) []docBlock {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	var out []docBlock
	var cur *docBlock
	var body []string
	prev := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &docBlock{file: name, line: n, lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
			if strings.HasPrefix(prev, docSkip) {
				cur.skip = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(prev, docSkip), "-->"))
			}
			body = nil
		case cur != nil && trimmed == "```":
			cur.body = strings.Join(body, "\n") + "\n"
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
		if trimmed != "" {
			prev = trimmed
		}
	}
	if cur != nil {
		t.Errorf("%s: the block opened here is never closed", cur)
	}
	return out
}

// TestDocSnippets checks every CUE, YAML and shell snippet in README.md and
// docs/*.md (new docs included): a policy snippet must load and each of its
// rules evaluate (as `policy vet`), a record must load without problems,
// other YAML must parse, and every ftgate command of a shell block must run
// on the example repository without a usage or configuration error (exit 0
// or 1; findings are what the example is for). README's commands run from a
// copy of the project layout (testdata/example, scripts/), the other docs'
// inside the example as a git repository, as a user would.
func TestDocSnippets(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"README.md"}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		names = append(names, filepath.ToSlash(rel))
	}
	var blocks []docBlock
	for _, name := range names {
		blocks = append(blocks, docBlocks(t, root, name)...)
	}
	ran := 0
	for _, b := range blocks {
		var check func(*testing.T, docBlock)
		switch b.lang {
		case "cue":
			check = checkCUESnippet
		case "yaml", "yml":
			check = func(t *testing.T, b docBlock) { checkYAMLSnippet(t, root, b) }
		case "sh", "bash", "shell", "console":
			if len(ftgateCommands(b.body)) == 0 {
				continue // tooling (go, bash scripts/…, pre-commit), not ftgate
			}
			check = func(t *testing.T, b docBlock) { runShellSnippet(t, root, b) }
		default:
			if len(transcriptCommands(b.body)) == 0 {
				continue // output and prose
			}
			// A transcript ("$ ftgate ..." then its output) of files the
			// example does not have: its commands must at least parse.
			check = func(t *testing.T, b docBlock) { checkTranscript(t, b) }
		}
		ran++
		t.Run(b.String(), func(t *testing.T) {
			if b.skip != "" {
				t.Skip("opted out in the doc: " + b.skip)
			}
			check(t, b)
		})
	}
	if ran == 0 {
		t.Fatal("no snippets found: the fence parser is broken")
	}
}

func checkCUESnippet(t *testing.T, b docBlock) {
	l, err := record.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^package ftgate$`).MatchString(b.body) {
		r := l.Parse("decisions/doc.cue", []byte(b.body))
		if !r.Valid {
			t.Errorf("%s: the record does not load: %v", b, r.Problems)
		}
		return
	}
	pol, err := evaluate.Load(l.Context(), []evaluate.Source{{Name: ".ftgate/doc.cue", Data: []byte(b.body)}})
	if err != nil {
		t.Fatalf("%s: the policy does not load:\n%v", b, err)
	}
	if err := pol.VetRules(l, os.DirFS(t.TempDir()), nil, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("%s: a rule does not evaluate:\n%v", b, err)
	}
}

var recordSnippet = regexp.MustCompile(`(?m)^apiVersion: ftgate/`)

func checkYAMLSnippet(t *testing.T, root string, b docBlock) {
	if recordSnippet.MatchString(b.body) {
		l, err := record.NewLoader()
		if err != nil {
			t.Fatal(err)
		}
		if r := l.Parse("decisions/doc.yaml", []byte(b.body)); !r.Valid {
			t.Errorf("%s: the record does not load: %v", b, r.Problems)
		}
		return
	}
	if strings.HasPrefix(b.body, "# expected.yaml") {
		// A policy test case's expectation: only the fields policy test reads.
		dec := yaml.NewDecoder(strings.NewReader(b.body))
		dec.KnownFields(true)
		var e expected
		if err := dec.Decode(&e); err != nil {
			t.Errorf("%s: not an expected.yaml: %v", b, err)
		}
		return
	}
	var v any
	if err := yaml.Unmarshal([]byte(b.body), &v); err != nil {
		t.Errorf("%s: not YAML: %v", b, err)
	}
	checkActionInputs(t, root, b)
}

// checkActionInputs holds a workflow snippet's steps that use the Action to
// action.yml: every `with:` key must be one of its inputs.
func checkActionInputs(t *testing.T, root string, b docBlock) {
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	var steps []struct {
		Uses string         `yaml:"uses"`
		With map[string]any `yaml:"with"`
	}
	var workflow struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string         `yaml:"uses"`
				With map[string]any `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if yaml.Unmarshal([]byte(b.body), &workflow) == nil {
		for _, j := range workflow.Jobs {
			steps = append(steps, j.Steps...)
		}
	}
	// A fragment of a steps list.
	_ = yaml.Unmarshal([]byte(b.body), &steps)
	for _, s := range steps {
		if !strings.HasPrefix(s.Uses, "ftgate/ftgate@") {
			continue
		}
		for k := range s.With {
			if _, ok := action.Inputs[k]; !ok {
				t.Errorf("%s: %s has no input %q (action.yml)", b, s.Uses, k)
			}
		}
	}
}

// transcriptCommands are the "$ ftgate ..." lines of a transcript.
func transcriptCommands(body string) []string {
	var out []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "$ ftgate ") {
			out = append(out, strings.TrimPrefix(line, "$ "))
		}
	}
	return out
}

// checkTranscript parses each command of a transcript as ftgate would (its
// subcommand and flags), by asking for the command's help.
func checkTranscript(t *testing.T, b docBlock) {
	for _, line := range transcriptCommands(b.body) {
		args := strings.Fields(line)[1:]
		var stdout, stderr bytes.Buffer
		code := Main(append(args, "--help"), strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
		if code != ExitPass {
			t.Errorf("%s: %s does not parse (exit %d): %s", b, line, code, stderr.String())
		}
	}
}

// ftgateCommand finds an ftgate invocation in a shell line: at its start or
// after a separator, and `go run ./cmd/ftgate` as README runs it.
var ftgateCommand = regexp.MustCompile(`(^|[;&|(]\s*)ftgate(\s|$)`)

// ftgateCommands returns the logical lines of a shell block that run
// ftgate, with `go run ./cmd/ftgate` as `ftgate` and comments removed.
func ftgateCommands(body string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(body, "\\\n", " "), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "$ "))
		if i := strings.Index(line, " #"); i >= 0 && !strings.ContainsAny(line[:i], `'"`) {
			line = strings.TrimSpace(line[:i])
		}
		line = strings.ReplaceAll(line, "go run ./cmd/ftgate", "ftgate")
		if ftgateCommand.MatchString(line) {
			out = append(out, line)
		}
	}
	return out
}

func runShellSnippet(t *testing.T, root string, b docBlock) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed to run the docs' shell snippets")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// TestMain runs this test binary as ftgate when it is called so.
	if err := os.Symlink(exe, filepath.Join(bin, "ftgate")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(work, "repo")
	if b.file == "README.md" {
		// README speaks from the project's root.
		dir = filepath.Join(work, "project")
		for _, p := range []string{"testdata/example", "scripts"} {
			if err := copyTree(filepath.Join(root, p), filepath.Join(dir, p)); err != nil {
				t.Fatal(err)
			}
		}
		// copyTree writes plain files; README runs scripts/*.sh directly.
		scripts, _ := filepath.Glob(filepath.Join(root, "scripts", "*.sh"))
		for _, s := range scripts {
			if st, err := os.Stat(s); err == nil && st.Mode()&0o111 != 0 {
				if err := os.Chmod(filepath.Join(dir, "scripts", filepath.Base(s)), 0o755); err != nil {
					t.Fatal(err)
				}
			}
		}
	} else {
		if err := copyTree(filepath.Join(root, "testdata/example"), dir); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "example"}} {
			if out, err := shell(dir, bin, work, "git "+strings.Join(args, " ")); err != nil {
				t.Fatalf("git %s: %v\n%s", args[0], err, out)
			}
		}
	}
	for _, cmd := range ftgateCommands(b.body) {
		out, err := shell(dir, bin, work, cmd)
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee) && ee.ExitCode() == 1:
			// Findings: the example's support-bot decision fails on purpose.
		default:
			t.Errorf("%s: %s: %v\n%s", b, cmd, err, out)
		}
	}
}

// shell runs one command line with bash in dir, ftgate on the PATH and a
// fixed git identity.
func shell(dir, bin, home, line string) ([]byte, error) {
	cmd := exec.Command("bash", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home, "NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		// GitHub mode must not switch on when the tests run in Actions.
		"GITHUB_ACTIONS=", "GITHUB_EVENT_PATH=", "GITHUB_EVENT_NAME=",
	)
	return cmd.CombinedOutput()
}
