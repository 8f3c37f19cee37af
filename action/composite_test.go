package action

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionFile is the part of action.yml a runner reads to run a composite
// action.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// runner is what a GitHub-hosted runner provides to a composite action's
// steps: contexts for ${{ }} expressions and the process environment.
type runner struct {
	t        *testing.T
	action   actionFile
	inputs   map[string]string
	contexts map[string]string // github.*, runner.*
	env      map[string]string // GITHUB_* and the like
	workdir  string
}

// expr matches the expressions action.yml uses: a context path, nothing
// more. Anything else fails the test, so action.yml cannot grow an
// expression this simulation would silently mis-evaluate.
var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
var contextPath = regexp.MustCompile(`^[a-z]+(\.[A-Za-z0-9_-]+)+$`)

func (r *runner) eval(s string, steps map[string]map[string]string) string {
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		p := expr.FindStringSubmatch(m)[1]
		if !contextPath.MatchString(p) {
			r.t.Fatalf("action.yml: expression %q is not a context path", m)
		}
		parts := strings.Split(p, ".")
		switch {
		case parts[0] == "inputs" && len(parts) == 2:
			in, ok := r.action.Inputs[parts[1]]
			if !ok {
				r.t.Fatalf("action.yml: %s names no input", m)
			}
			if v, ok := r.inputs[parts[1]]; ok {
				return v
			}
			return r.eval(in.Default, steps)
		case parts[0] == "steps" && len(parts) == 4 && parts[2] == "outputs":
			return steps[parts[1]][parts[3]]
		case parts[0] == "github" || parts[0] == "runner":
			v, ok := r.contexts[p]
			if !ok {
				r.t.Fatalf("action.yml: %s is not provided by this simulation", m)
			}
			return v
		}
		r.t.Fatalf("action.yml: unknown expression %s", m)
		return ""
	})
}

// run runs the steps as the runner does (bash --noprofile --norc -eo
// pipefail, one GITHUB_OUTPUT file per step), stopping at the first that
// fails, and returns the action's outputs, the exit code of the step that
// failed (0 when none did) and the combined log.
func (r *runner) run() (outputs map[string]string, code int, log string) {
	if r.action.Runs.Using != "composite" {
		r.t.Fatalf("action.yml runs using %q, want composite", r.action.Runs.Using)
	}
	steps := map[string]map[string]string{}
	var logb bytes.Buffer
	for i, st := range r.action.Runs.Steps {
		if st.Shell != "bash" {
			r.t.Fatalf("step %d: shell %q, want bash (the one shell on every runner OS)", i, st.Shell)
		}
		if expr.MatchString(st.Run) {
			r.t.Fatalf("step %d: run holds an expression; values must reach it through env", i)
		}
		dir := r.t.TempDir()
		script := filepath.Join(dir, "step.sh")
		if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
			r.t.Fatal(err)
		}
		env := maps.Clone(r.env)
		env["GITHUB_OUTPUT"] = filepath.Join(dir, "output")
		for k, v := range st.Env {
			env[k] = r.eval(v, steps)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = r.workdir
		for _, k := range slices.Sorted(maps.Keys(env)) {
			cmd.Env = append(cmd.Env, k+"="+env[k])
		}
		cmd.Stdout, cmd.Stderr = &logb, &logb
		err := cmd.Run()
		if st.ID != "" {
			steps[st.ID] = readOutputs(r.t, env["GITHUB_OUTPUT"])
		}
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				r.t.Fatal(err)
			}
			code = ee.ExitCode()
			break
		}
	}
	outputs = map[string]string{}
	for name, o := range r.action.Outputs {
		outputs[name] = r.eval(o.Value, steps)
	}
	return outputs, code, logb.String()
}

// readOutputs parses a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER heredocs.
func readOutputs(t *testing.T, name string) map[string]string {
	out := map[string]string{}
	data, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if k, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(k, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[k] = strings.Join(val, "\n")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: malformed output line %q", name, line)
		}
		out[k] = v
	}
	return out
}

func loadAction(t *testing.T) actionFile {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir,
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		"GIT_AUTHOR_DATE=2026-11-01T12:00:00Z", "GIT_COMMITTER_DATE=2026-11-01T12:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// prRepo is a clone holding a pull request's base and head commits (as
// after actions/checkout with fetch-depth: 0): the base has a README, the
// head adds the bundled example, whose support-bot config fails.
func prRepo(t *testing.T, withExample bool) (dir, base, head string) {
	dir = t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# demo\n"), 0o644)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")
	base = git(t, dir, "rev-parse", "HEAD")
	if withExample {
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot(t), "testdata", "example"))); err != nil {
			t.Fatal(err)
		}
	} else {
		os.WriteFile(filepath.Join(dir, "README.md"), []byte("# demo, edited\n"), 0o644)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "head")
	return dir, base, git(t, dir, "rev-parse", "HEAD")
}

// prEvent is the real pull_request payload (internal/cli/testdata/github,
// see its manifest) with the commits of repo.
func prEvent(t *testing.T, base, head string) string {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "internal", "cli", "testdata", "github", "pull_request.opened.payload.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	pr := ev["pull_request"].(map[string]any)
	pr["base"].(map[string]any)["sha"] = base
	pr["head"].(map[string]any)["sha"] = head
	data, _ = json.Marshal(ev)
	p := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// newRunner is a pull_request run of the action checked out at ref: the
// action's files are this repository, the releases come from srv, and the
// GitHub API is a server that fails the test on any call (with both commits
// in the clone and comment: never, none is needed).
func newRunner(t *testing.T, srv *server, ref, workdir, event string, inputs map[string]string) *runner {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected API call %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(api.Close)
	tmp := t.TempDir()
	for _, d := range []string{"tool-cache", "temp", "home"} {
		os.Mkdir(filepath.Join(tmp, d), 0o755)
	}
	osName := map[string]string{"linux": "Linux", "darwin": "macOS"}[runtime.GOOS]
	archName := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	return &runner{
		t:      t,
		action: loadAction(t),
		inputs: inputs,
		contexts: map[string]string{
			"github.action_ref": ref,
			"github.token":      "ghs_composite000000000000000000000000000",
			"runner.os":         osName,
			"runner.arch":       archName,
			"runner.tool_cache": filepath.Join(tmp, "tool-cache"),
			"runner.temp":       filepath.Join(tmp, "temp"),
		},
		env: map[string]string{
			"PATH":                os.Getenv("PATH"),
			"HOME":                filepath.Join(tmp, "home"),
			"GITHUB_ACTIONS":      "true",
			"GITHUB_ACTION_PATH":  repoRoot(t),
			"GITHUB_EVENT_NAME":   "pull_request",
			"GITHUB_EVENT_PATH":   event,
			"GITHUB_REPOSITORY":   "Codertocat/Hello-World",
			"GITHUB_API_URL":      api.URL + "/api/v3",
			"GITHUB_WORKSPACE":    workdir,
			"GITHUB_STEP_SUMMARY": filepath.Join(tmp, "summary.md"),
			"FTGATE_BASE_URL":     srv.URL + "/ok",
			"NO_COLOR":            "1",
		},
		workdir: workdir,
	}
}

// TestCompositeAction runs action.yml's steps on a pull request that adds
// the bundled example: the release of the action's ref is installed from
// the local server, verified, and judges the pull request in GitHub mode.
func TestCompositeAction(t *testing.T) {
	rel := needRelease(t)
	srv := serve(t, rel)
	repo, base, head := prRepo(t, true)
	sarif := filepath.Join(t.TempDir(), "ftgate.sarif")
	r := newRunner(t, srv, rel.version, repo, prEvent(t, base, head), map[string]string{
		"comment": "never", "sarif-file": sarif,
	})
	outputs, code, log := r.run()
	if code != 1 {
		t.Fatalf("the action exited %d, want 1 (the example's support-bot config fails)\n%s", code, log)
	}
	// The example's nine errors (example_all.txtar) at least: a check run
	// on another day may add a stale-evidence error, so the count is taken
	// from the error annotations the same run printed (fewer than the ten
	// shown per level).
	errs := strings.Count(log, "\n::error ")
	if errs < 9 || errs >= 10 {
		t.Fatalf("%d error annotations, want the example's 9 (or more, under 10)\n%s", errs, log)
	}
	want := map[string]string{"result": "fail", "violations": fmt.Sprint(errs), "configs": "4", "sarif": sarif}
	if !maps.Equal(outputs, want) {
		t.Errorf("outputs %v, want %v\n%s", outputs, want, log)
	}
	for _, s := range []string{
		"ftgate install: " + rel.version + " (" + runtime.GOOS + "/" + runtime.GOARCH + ") verified and installed in ",
		"\nftgate " + rel.version + "\n",
		"\n::error col=18,file=decisions/ftd-0008-support-bot.yaml,line=19,title=FT102 annotator-agreement::alpha 0.259 < 0.800 over 120 units, 4 annotators",
	} {
		if !strings.Contains(log, s) {
			t.Errorf("log lacks %q:\n%s", s, log)
		}
	}
	if strings.Contains(log, r.contexts["github.token"]) && !strings.Contains(log, "::add-mask::"+r.contexts["github.token"]) {
		t.Errorf("the token was printed unmasked")
	}
	if _, err := os.Stat(sarif); err != nil {
		t.Errorf("sarif-file: %v", err)
	}

	// A second job on the same runner finds the verified install in the
	// tool cache and downloads nothing.
	before := srv.requests.Load()
	repo2, base2, head2 := prRepo(t, false)
	r2 := newRunner(t, srv, rel.version, repo2, prEvent(t, base2, head2), map[string]string{"comment": "never"})
	r2.contexts["runner.tool_cache"] = r.contexts["runner.tool_cache"]
	outputs, code, log = r2.run()
	if code != 0 {
		t.Fatalf("README-only pull request: exit %d\n%s", code, log)
	}
	want = map[string]string{"result": "pass", "violations": "0", "configs": "0", "sarif": ""}
	if !maps.Equal(outputs, want) {
		t.Errorf("outputs %v, want %v\n%s", outputs, want, log)
	}
	if !strings.Contains(log, "already in") || srv.requests.Load() != before {
		t.Errorf("the second job downloaded again (%d requests)\n%s", srv.requests.Load()-before, log)
	}
}

// TestCompositeVersion: the version input overrides the ref; the ref comes
// from the action's path when the context is empty (actions/runner#2473);
// a ref that names no release, with no Go to build it, fails with a clear
// error and no check runs.
func TestCompositeVersion(t *testing.T) {
	rel := needRelease(t)
	srv := serve(t, rel)
	repo, base, head := prRepo(t, false)
	ev := prEvent(t, base, head)

	r := newRunner(t, srv, "main", repo, ev, map[string]string{"comment": "never", "version": rel.version})
	if out, code, log := r.run(); code != 0 || out["result"] != "pass" || !strings.Contains(log, "ftgate "+rel.version+"\n") {
		t.Errorf("version input: exit %d, outputs %v\n%s", code, out, log)
	}

	r = newRunner(t, srv, "", repo, ev, map[string]string{"comment": "never"})
	actions := filepath.Join(t.TempDir(), "_actions", "ftgate", "ftgate")
	os.MkdirAll(actions, 0o755)
	if err := os.Symlink(repoRoot(t), filepath.Join(actions, rel.version)); err != nil {
		t.Fatal(err)
	}
	r.env["GITHUB_ACTION_PATH"] = filepath.Join(actions, rel.version)
	if out, code, log := r.run(); code != 0 || out["result"] != "pass" || !strings.Contains(log, "ftgate "+rel.version+"\n") {
		t.Errorf("ref from the action's path: exit %d, outputs %v\n%s", code, out, log)
	}

	// An install that fails stops the action before any check: exit 2,
	// the install script's message, no outputs.
	r = newRunner(t, srv, rel.version, repo, ev, map[string]string{"comment": "never", "version": "v9.9.9"})
	out, code, log := r.run()
	wantLog := fmt.Sprintf("ftgate install: download %s/ok/v9.9.9/checksums.txt: HTTP 404: is v9.9.9 released, with an archive for %s/%s?\n",
		srv.URL, runtime.GOOS, runtime.GOARCH)
	if code != 2 || log != wantLog || out["result"] != "" {
		t.Errorf("unreleased version: exit %d, outputs %v, log:\n%s\nwant:\n%s", code, out, log, wantLog)
	}

	r = newRunner(t, srv, "main", repo, ev, map[string]string{"comment": "never"})
	noGo := t.TempDir()
	for _, tool := range []string{"bash", "basename", "tail", "cat"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		os.Symlink(p, filepath.Join(noGo, tool))
	}
	r.env["PATH"] = noGo
	out, code, log = r.run()
	wantLog = "::error title=ftgate::the action's ref names no release (vX.Y.Z) and Go is not installed: set the version input (version: v0.1.0) or use the action at a release tag\n"
	if code != 2 || log != wantLog || out["result"] != "" {
		t.Errorf("no release, no Go: exit %d, outputs %v, log:\n%s\nwant:\n%s", code, out, log, wantLog)
	}
}

// TestCompositeShellcheck runs shellcheck on each step's script, which
// actionlint does not read (it lints workflows, not action metadata).
// scripts/ci.d/30-action.sh installs shellcheck.
func TestCompositeShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck is not installed (scripts/ci.d/30-action.sh installs it and runs this test)")
	}
	for i, st := range loadAction(t).Runs.Steps {
		script := filepath.Join(t.TempDir(), "step.sh")
		if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("shellcheck", "--shell=bash", script).CombinedOutput()
		if err != nil {
			t.Errorf("step %d (%s): shellcheck: %v\n%s", i, st.ID, err, out)
		}
	}
}
