package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// badCase is one bad input: the files of testdata/bad/<name>/ laid over a
// passing copy of the example repository, then edit (for what is generated
// at test time: big files, binary bytes, symlinks, git history). The check
// must exit with code, and report rule (empty for exit 2) in a line that
// matches msg.
type badCase struct {
	name string
	edit func(t *testing.T, dir string)
	args []string // default: check --all
	env  map[string]string
	code int
	rule string
	msg  string
}

const (
	badRecordFile = "decisions/ftd-0007-contract-risk.yaml"
	badLabelsFile = "evidence/contract-risk/labels.csv"
)

var badCases = []badCase{
	// Records: whatever is wrong is FT002 at a line and column.
	{name: "record-yaml-indent", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:\d+:\d+: error: syntax error: .*`},
	{name: "record-yaml-unclosed-flow", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:\d+:\d+: error: syntax error: .*`},
	{name: "record-yaml-tab", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:\d+:\d+: error: syntax error: found character that cannot start any token`},
	{name: "record-alias-bomb", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-bomb\.yaml:\d+:\d+: error: syntax error: aliases expand to more than \d+ nodes`},
	{name: "record-json-malformed", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-json\.json:3:\d+: error: syntax error: .*`},
	{name: "record-json-truncated", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-json\.json:\d+:\d+: error: syntax error: .*`},
	{name: "record-cue-syntax", code: 1, rule: "FT002", msg: `^decisions/ftd-0009\.cue:\d+:\d+: error: syntax error: .*`},
	{name: "record-cue-import", code: 1, rule: "FT002", msg: `^decisions/ftd-0009\.cue:1:\d+: error: syntax error: a record may not import packages`},
	{name: "record-cue-comprehension", code: 1, rule: "FT002", msg: `^decisions/ftd-0009\.cue:6:5: error: a record in CUE is data only: a comprehension is not allowed`},
	{name: "record-cue-doubling", code: 1, rule: "FT002", msg: `^decisions/ftd-0009\.cue:7:8: error: a record in CUE is data only: an operator \(\+\) is not allowed`},
	{name: "record-yaml-too-deep", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-deep\.yaml:1:1: error: syntax error: exceeded max depth of 10000`,
		edit: func(t *testing.T, dir string) {
			badWrite(t, dir, "decisions/ftd-0009-deep.yaml", []byte("x: "+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"\n"))
		}},
	{name: "record-invalid-utf8", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-latin1\.yaml:1:1: error: record is not valid UTF-8`},
	{name: "record-binary", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-blob\.yaml:1:1: error: record is not valid UTF-8`,
		edit: func(t *testing.T, dir string) {
			badWrite(t, dir, "decisions/ftd-0009-blob.yaml", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xfe"))
		}},
	{name: "record-over-size-cap", code: 1, rule: "FT002", msg: `^decisions/ftd-0009-big\.yaml:1:1: error: record is larger than 1048576 bytes`,
		edit: func(t *testing.T, dir string) {
			badWrite(t, dir, "decisions/ftd-0009-big.yaml", bytes.Repeat([]byte("# padding padding padding\n"), 1<<20/26+1))
		}},
	{name: "record-wrong-types", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:3:5: error: id: .*`},
	{name: "record-unknown-field", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:13:1: error: unknown field urgent`},
	{name: "record-bad-enum", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:5:9: error: status: "approved" is not one of .*"accepted"`},
	{name: "record-empty-covers", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:9:\d+: error: covers is empty`},
	{name: "record-duplicate-key", code: 1, rule: "FT002", msg: `^decisions/ftd-0007-contract-risk\.yaml:12:10: error: urgency: "high" and "normal" do not match`},

	// Evidence the record names: FT004 at the file, line and column.
	{name: "history-unterminated-quote", code: 1, rule: "FT004", msg: `^evidence/contract-risk/prompt-evals\.csv:\d+:\d+: error: .*quote`},
	{name: "history-score-out-of-range", code: 1, rule: "FT004", msg: `^evidence/contract-risk/prompt-evals\.csv:5:3: error: .*1\.80?.*`},
	{name: "history-unknown-technique", code: 1, rule: "FT004", msg: `^evidence/contract-risk/prompt-evals\.csv:5:\d+: error: .*magic`},
	{name: "history-missing-column", code: 1, rule: "FT004", msg: `^evidence/contract-risk/prompt-evals\.csv:1:\d+: error: .*technique`},
	{name: "labels-duplicate-row", code: 1, rule: "FT004", msg: `^evidence/contract-risk/labels\.csv:6:1: error: duplicate label for unit "clause-0002" by annotator "ana" \(first at line 5\)`},
	{name: "labels-lfs-pointer", code: 1, rule: "FT004", msg: `^decisions/ftd-0007-contract-risk\.yaml:19:18: error: evidence/contract-risk/labels\.csv: is a Git LFS pointer`},
	{name: "labels-invalid-utf8", code: 1, rule: "FT004", msg: `^evidence/contract-risk/labels\.csv:5:\d+: error: .*UTF-8`},
	{name: "labels-no-header", code: 1, rule: "FT004", msg: `^evidence/contract-risk/labels\.csv:1:1: error: the first row reads as data, not a header: "clause-0001" is also a unit in the rows below`},
	{name: "labels-binary", code: 1, rule: "FT004", msg: `^evidence/contract-risk/labels\.csv:\d+:\d+: error: .*`,
		edit: func(t *testing.T, dir string) {
			badWrite(t, dir, badLabelsFile, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x57\x00\x00\x00\xff\xff"))
		}},
	{name: "labels-over-size-cap", code: 1, rule: "FT004", msg: `^decisions/ftd-0007-contract-risk\.yaml:19:18: error: evidence/contract-risk/labels\.csv: file of 9884 bytes exceeds the 4096-byte limit`,
		edit: func(t *testing.T, dir string) {
			badWrite(t, dir, ".ftgate/cap.cue", []byte("package ftgate\n\nevidence: max_bytes: 4096\n"))
		}},
	{name: "evidence-dotdot-path", code: 1, rule: "FT004", msg: `^decisions/ftd-0007-contract-risk\.yaml:19:18: error: .*\.\./outside\.csv`,
		edit: func(t *testing.T, dir string) {
			badReplace(t, dir, badRecordFile, "annotations: evidence/contract-risk/labels.csv", "annotations: ../outside.csv")
			badWrite(t, filepath.Dir(dir), "outside.csv", []byte("unit,annotator,label\n"))
		}},
	{name: "evidence-absolute-path", code: 1, rule: "FT004", msg: `^decisions/ftd-0007-contract-risk\.yaml:16:14: error: /etc/passwd: absolute path`,
		edit: func(t *testing.T, dir string) {
			badReplace(t, dir, badRecordFile, "history: evidence/contract-risk/prompt-evals.csv", "history: /etc/passwd")
		}},
	{name: "evidence-symlink-out", code: 1, rule: "FT004", msg: `^decisions/ftd-0007-contract-risk\.yaml:19:18: error: evidence/contract-risk/labels\.csv: symlink .* leads outside the repository`,
		edit: func(t *testing.T, dir string) {
			outside := filepath.Join(filepath.Dir(dir), "secret.csv")
			badWrite(t, filepath.Dir(dir), "secret.csv", []byte("unit,annotator,label\n"))
			p := filepath.Join(dir, filepath.FromSlash(badLabelsFile))
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, p); err != nil {
				t.Skip("no symlinks here:", err)
			}
		}},
	{name: "evidence-missing", code: 1, rule: "FT004", msg: `^decisions/ftd-0007-contract-risk\.yaml:16:14: error: evidence/contract-risk/prompt-evals\.csv: does not exist`,
		edit: func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "evidence/contract-risk/prompt-evals.csv")); err != nil {
				t.Fatal(err)
			}
		}},
	{name: "scenarios-bad-count", code: 1, rule: "FT004", msg: `^evidence/contract-risk/prod-scenarios\.csv:3:11: error: .*19OO`},
	{name: "scenarios-negative-count", code: 1, rule: "FT004", msg: `^evidence/contract-risk/train-scenarios\.csv:3:11: error: .*-120`},
	{name: "training-set-malformed-jsonl", code: 1, rule: "FT004", msg: `^data/contract-risk/train\.jsonl:641:\d+: error: .*`},

	// ftgate's own inputs: exit 2 with one line on stderr.
	{name: "judging-policy-syntax", code: 2, msg: `^ftgate: \.ftgate/policy\.cue:3:58: expected '}', found 'EOF'`},
	{name: "judging-policy-below-floor", code: 2, msg: `^ftgate: \.ftgate/policy\.cue:4:29: thresholds\.agreement\.min 0\.5 is below the baseline floor 0\.667`},
	{name: "judging-policy-reserved-rule", code: 2, msg: `^ftgate: \.ftgate/policy\.cue:3:7: deny\.FT900: rule IDs beginning with FT are reserved`},
	{name: "judging-policy-unknown-field", code: 2, msg: `^ftgate: \.ftgate/policy\.cue:3:1: unknown policy field "threshold"`},
	{name: "judging-policy-wrong-package", code: 2, msg: `^ftgate: \.ftgate/policy\.cue:1:1: policy files are package ftgate, not "acme"`},
	{name: "judging-policy-invalid-utf8", code: 2, msg: `^ftgate: \.ftgate/policy\.cue:3:4: illegal UTF-8 encoding`,
		edit: func(t *testing.T, dir string) {
			badWrite(t, dir, ".ftgate/policy.cue", []byte("package ftgate\n\n// \xff\xfe\ntasks: \"contract-risk\": thresholds: agreement: min: \"\xff\"\n"))
		}},
	{name: "unknown-flag", args: []string{"check", "--all", "--no-such-flag"}, code: 2, msg: `^ftgate: unknown flag: --no-such-flag`},
	{name: "bad-format", args: []string{"check", "--all", "--format", "yaml"}, code: 2, msg: `^ftgate: --format: .*yaml`},
	{name: "dir-missing", args: []string{"check", "--all", "-C", "no/such/dir"}, code: 2, msg: `^ftgate: -C no/such/dir: not a directory`},
	{name: "head-policy-broken", code: 1, rule: "FT010", msg: `^\.ftgate/policy\.cue:3:\d+: error: the change breaks the policy.*below the baseline floor`,
		edit: badGitBase, args: []string{"check", "--base", "main"}},
	{name: "event-payload-truncated", code: 2, msg: `^ftgate: .*/event\.json: event payload: unexpected end of JSON input`, args: []string{"check"},
		env: map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "event.json"}},
}

// TestBadInputs runs every bad input through Main in-process and holds it
// to SPEC §6: the rule the file names (exit 1) when the change brought it,
// exit 2 when it is ftgate's own input, always one line naming the file and
// position, never a panic or a stack trace.
func TestBadInputs(t *testing.T) {
	example, err := filepath.Abs("../../testdata/example")
	if err != nil {
		t.Fatal(err)
	}
	overlays, err := filepath.Abs("../../testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range badCases {
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "repo")
			if err := copyTree(example, dir); err != nil {
				t.Fatal(err)
			}
			// Only the contract-risk decision, which passes: whatever
			// fails comes from the case.
			for _, p := range []string{"training/support-bot", "decisions/ftd-0008-support-bot.yaml", "data/support-bot", "evidence/support-bot"} {
				if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
					t.Fatal(err)
				}
			}
			overlay := filepath.Join(overlays, c.name)
			if _, err := os.Stat(overlay); err == nil {
				if err := copyTree(overlay, dir); err != nil {
					t.Fatal(err)
				}
			}
			if c.edit != nil {
				c.edit(t, dir)
			}
			args := c.args
			if args == nil {
				args = []string{"check", "--all"}
			}
			args = append(args, "--today", "2026-11-27")
			if !slices.Contains(args, "-C") {
				args = append(args, "-C", dir)
			}
			env := map[string]string{"NO_COLOR": "1"}
			for k, v := range c.env {
				if strings.HasSuffix(k, "_PATH") { // a file of the case
					v = filepath.Join(dir, v)
				}
				env[k] = v
			}
			code, stdout, stderr := badRun(t, env, args...)
			out := stdout + stderr
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, stdout, stderr)
			}
			for _, bad := range []string{"goroutine ", ".go:", "panic", "internal error"} {
				if strings.Contains(out, bad) {
					t.Errorf("output holds %q:\n%s", bad, out)
				}
			}
			want := regexp.MustCompile(c.msg + badRuleSuffix(c.rule))
			if c.code == ExitError {
				// One line a problem (a broken policy may have several),
				// each a complete message.
				var found bool
				for _, line := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
					if !strings.HasPrefix(line, "ftgate: ") {
						t.Errorf("stderr line without the ftgate: prefix: %q", line)
					}
					found = found || want.MatchString(line)
				}
				if !found {
					t.Errorf("no stderr line matches %s:\n%s", want, stderr)
				}
				// Only GitHub mode writes there: the error as an annotation.
				for _, line := range strings.Split(strings.TrimRight(stdout, "\n"), "\n") {
					if line != "" && (c.env["GITHUB_ACTIONS"] != "true" || !strings.HasPrefix(line, "::error ")) {
						t.Errorf("stdout on exit 2: %q", line)
					}
				}
				return
			}
			var found bool
			for _, line := range strings.Split(stdout, "\n") {
				if !strings.HasSuffix(line, "]") || !badFindingLine.MatchString(line) {
					continue
				}
				if !badPlaced.MatchString(line) {
					t.Errorf("finding names no file and position: %q", line)
				}
				found = found || want.MatchString(line)
			}
			if !found {
				t.Errorf("no finding matches %s:\n%s", want, stdout)
			}
			// The same verdict as JSON parses and keeps the contract.
			code, jsonOut, _ := badRun(t, env, append(args, "--format", "json")...)
			var doc struct {
				Version  int    `json:"version"`
				Result   string `json:"result"`
				Findings []struct {
					Rule, File string
					Line, Col  int
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil || doc.Version != 1 || code != c.code || doc.Result != "fail" {
				t.Errorf("json: exit %d, version %d, result %q, err %v", code, doc.Version, doc.Result, err)
			}
			for _, f := range doc.Findings {
				// A zero line is the whole file, which has no column.
				if f.File == "" || f.Line < 0 || (f.Line == 0) != (f.Col == 0) {
					t.Errorf("json finding %+v is not badPlaced in a file", f)
				}
			}
		})
	}
	// Every overlay directory is a case.
	entries, err := os.ReadDir(overlays)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !seen[e.Name()] {
			t.Errorf("testdata/bad/%s has no case in badCases", e.Name())
		}
	}
	if len(badCases) < 30 {
		t.Errorf("%d bad inputs; SPEC §6 asks for at least 30", len(badCases))
	}
}

var (
	// badFindingLine is a finding in the text report: file[:line:col]: severity: message [rule].
	badFindingLine = regexp.MustCompile(`^\S.*: (error|warning|notice): .* \[[A-Z][A-Z0-9]*\]$`)
	badPlaced      = regexp.MustCompile(`^[^:]+(:\d+:\d+)?: (error|warning|notice): `)
)

func badRuleSuffix(rule string) string {
	if rule == "" {
		return ""
	}
	return `.* \[` + rule + `\]$`
}

// badRun runs Main in-process with env as the whole environment.
func badRun(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func badWrite(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func badReplace(t *testing.T, dir, name, old, repl string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%q not in %s", old, name)
	}
	if err := os.WriteFile(p, bytes.ReplaceAll(data, []byte(old), []byte(repl)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// badGitBase commits the example as it was (with its own policy) on main,
// then the case's overlay on top, so that --base main judges a change that
// edits the policy.
func badGitBase(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	head, err := os.ReadFile(filepath.Join(dir, ".ftgate/policy.cue"))
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile("../../testdata/example/.ftgate/policy.cue")
	if err != nil {
		t.Fatal(err)
	}
	badWrite(t, dir, ".ftgate/policy.cue", orig)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir,
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
			"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "pr")
	badWrite(t, dir, ".ftgate/policy.cue", head)
	git("commit", "-q", "-am", "loosen the policy")
}
