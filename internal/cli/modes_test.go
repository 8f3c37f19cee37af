package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/result"
)

// A mutation is one generated edit of the example repository, made on a
// pull-request branch.
type mutation struct {
	name  string
	apply func(t *testing.T, dir string)
}

func appendTo(rel, text string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		writeText(t, p, string(data)+text)
	}
}

func replaceIn(rel, old, new string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s does not hold %q", rel, old)
		}
		writeText(t, p, strings.Replace(string(data), old, new, 1))
	}
}

func copyTo(src, dst string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, src))
		if err != nil {
			t.Fatal(err)
		}
		writeText(t, filepath.Join(dir, dst), string(data))
	}
}

func writeText(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const zero2 = "{\n  \"zero_optimization\": {\"stage\": 2},\n  \"train_micro_batch_size_per_gpu\": \"auto\"\n}\n"

// mutations are the edits the property test draws from: configs, records,
// evidence and backend files, each of which puts configs on trial.
var mutations = []mutation{
	{"edit contract-risk config", appendTo("training/contract-risk/axolotl.yaml", "# one more run\n")},
	{"edit support-bot config", replaceIn("training/support-bot/sft.yaml", "num_train_epochs: 3.0", "num_train_epochs: 2.0")},
	{"declare another alpha", replaceIn("decisions/ftd-0007-contract-risk.yaml", "declared: 0.83}", "declared: 0.95}")},
	{"shorten the review window", replaceIn("decisions/ftd-0008-support-bot.yaml", "review_by:", "review_by: 2026-12-01\nx_review_by:")},
	{"a prompt run still improving", appendTo("evidence/contract-risk/prompt-evals.csv", "9,0.861,400,rag,2026-09-28,gpt-4o-mini\n")},
	{"add an uncovered config", copyTo("training/contract-risk/axolotl.yaml", "training/ranker/axolotl.yaml")},
	{"add a config under a record", copyTo("training/support-bot/sft.yaml", "training/support-bot/sft-v2.yaml")},
	{"edit the deepspeed file", appendTo("deepspeed/zero2.json", "\n")},
	{"edit the training set", appendTo("data/contract-risk/train.jsonl", `{"messages": [{"role": "user", "content": "Clause 9: fees double yearly."}, {"role": "assistant", "content": "high"}]}`+"\n")},
	{"break the prompt history", appendTo("evidence/contract-risk/prompt-evals.csv", "10,not-a-score\n")},
	{"remove production scenarios", func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, "evidence/contract-risk/prod-scenarios.csv")); err != nil {
			t.Fatal(err)
		}
	}},
}

// TestModesAgree is the property SPEC §2 and §4 ask of the engine: for the
// same content, a config's findings are the same whichever way it is put on
// trial — --base, --staged, GitHub mode (both commits in the clone),
// --all and FILE…. Each round commits the example on main (with a
// DeepSpeed file two configs reference), draws a few mutations onto a
// branch, judges it every way, and compares each config's findings
// wherever two modes both put it on trial.
func TestModesAgree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	rounds := 8
	if testing.Short() {
		rounds = 3
	}
	rng := rand.New(rand.NewPCG(11, 2026))
	for round := range rounds {
		picked := rng.Perm(len(mutations))[:1+rng.IntN(3)]
		var names []string
		for _, i := range picked {
			names = append(names, mutations[i].name)
		}
		t.Run(fmt.Sprintf("%d:%s", round, strings.Join(names, "+")), func(t *testing.T) {
			dir := modesRepo(t)
			for _, i := range picked {
				mutations[i].apply(t, dir)
			}
			judgeEveryWay(t, dir)
		})
	}
	// The mutations one at a time, so that each is seen alone too.
	for _, m := range mutations {
		t.Run("alone:"+m.name, func(t *testing.T) {
			dir := modesRepo(t)
			m.apply(t, dir)
			judgeEveryWay(t, dir)
		})
	}
}

// modesRepo is the example committed on main, with a DeepSpeed file both
// configs reference, and a pr branch checked out.
func modesRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyTree(filepath.Join("..", "..", "testdata", "example"), dir); err != nil {
		t.Fatal(err)
	}
	writeText(t, filepath.Join(dir, "deepspeed/zero2.json"), zero2)
	appendTo("training/contract-risk/axolotl.yaml", "deepspeed: deepspeed/zero2.json\n")(t, dir)
	appendTo("training/support-bot/sft.yaml", "deepspeed: deepspeed/zero2.json\n")(t, dir)
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "base")
	gitIn(t, dir, "checkout", "-q", "-b", "pr")
	return dir
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir,
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// judgeEveryWay judges the uncommitted mutations of dir in every mode and
// fails on the first config two modes judge differently.
func judgeEveryWay(t *testing.T, dir string) {
	t.Helper()
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	run := func(mode string, opts gate.Options) *result.Result {
		t.Helper()
		opts.Dir, opts.Today = dir, today
		res, err := gate.Run(context.Background(), opts)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		return res
	}
	got := map[string]*result.Result{}

	// FILE…: the files the change touches that still exist, from the work
	// tree.
	gitIn(t, dir, "add", "-A")
	var files []string
	for _, p := range strings.Split(gitIn(t, dir, "diff", "--cached", "--name-only", "--no-renames", "--diff-filter=d", "main"), "\n") {
		if p != "" {
			files = append(files, p)
		}
	}
	if len(files) > 0 {
		got["FILE"] = run("FILE", gate.Options{Mode: gate.Files, Files: files})
	}
	got["--staged"] = run("--staged", gate.Options{Mode: gate.Staged})
	gitIn(t, dir, "commit", "-q", "--allow-empty", "-m", "change")
	got["--base"] = run("--base", gate.Options{Mode: gate.Base, Base: "main"})
	got["--all"] = run("--all", gate.Options{Mode: gate.All})

	base, head := gitIn(t, dir, "rev-parse", "main"), gitIn(t, dir, "rev-parse", "HEAD")
	ev, err := parseEvent(fmt.Appendf(nil, `{"action":"synchronize","number":7,"pull_request":{"number":7,"base":{"sha":%q,"ref":"main"},"head":{"sha":%q}},"repository":{"full_name":"acme/models"}}`, base, head))
	if err != nil {
		t.Fatal(err)
	}
	g := &ghRun{e: &env{getenv: func(string) string { return "" }}, f: checkFlags{dir: dir}, ev: ev, ctx: context.Background()}
	in, err := g.gather()
	if err != nil {
		t.Fatal(err)
	}
	defer in.close()
	got["GitHub"] = run("GitHub", gate.Options{Mode: gate.Given, Trees: in.trees()})

	// The same change puts the same configs on trial in every mode that
	// judges a change; FILE… cannot name a deleted file, so it may put
	// fewer; --all judges every config.
	onTrial := func(mode string) []string {
		var out []string
		for _, c := range got[mode].Configs {
			out = append(out, c.Path)
		}
		return out
	}
	for _, mode := range []string{"--staged", "GitHub"} {
		if a, b := onTrial("--base"), onTrial(mode); !slices.Equal(a, b) {
			t.Errorf("--base puts %v on trial, %s %v", a, mode, b)
		}
	}
	all := onTrial("--all")
	for _, p := range onTrial("--base") {
		if !slices.Contains(all, p) {
			t.Errorf("--base puts %s on trial, --all does not judge it", p)
		}
	}
	if got["FILE"] != nil && !deletes(t, dir) {
		if a, b := onTrial("--base"), onTrial("FILE"); !slices.Equal(a, b) {
			t.Errorf("--base puts %v on trial, FILE %v", a, b)
		}
	}

	modes := []string{"--base", "--staged", "GitHub", "FILE", "--all"}
	for i, a := range modes {
		for _, b := range modes[i+1:] {
			if got[a] != nil && got[b] != nil {
				compareModes(t, a, got[a], b, got[b])
			}
		}
	}
	if len(got["--base"].Configs) == 0 && len(files) > 0 {
		t.Logf("no config on trial for %v", files)
	}
}

// compareModes fails when a config on trial in both results has other
// findings, another record or another kind in one of them.
func compareModes(t *testing.T, a string, ra *result.Result, b string, rb *result.Result) {
	t.Helper()
	for _, ca := range ra.Configs {
		i := slices.IndexFunc(rb.Configs, func(c result.Config) bool { return c.Path == ca.Path })
		if i < 0 {
			continue
		}
		cb := rb.Configs[i]
		if ca.Record != cb.Record || ca.Kind != cb.Kind {
			t.Errorf("%s: %s judges it by %q (%s), %s by %q (%s)", ca.Path, a, ca.Record, ca.Kind, b, cb.Record, cb.Kind)
		}
		fa, fb := configFindings(ra, ca.Path), configFindings(rb, ca.Path)
		if !slices.Equal(fa, fb) {
			t.Errorf("%s: findings differ\n%s:\n  %s\n%s:\n  %s", ca.Path, a, strings.Join(fa, "\n  "), b, strings.Join(fb, "\n  "))
		}
	}
}

// configFindings are the findings about config path, each as its text
// line with severity and rule.
func configFindings(res *result.Result, path string) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Config == path {
			out = append(out, fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.Rule))
		}
	}
	slices.Sort(out)
	return out
}

// deletes reports whether the change deletes a file.
func deletes(t *testing.T, dir string) bool {
	return gitIn(t, dir, "diff", "--name-only", "--diff-filter=D", "main", "HEAD") != ""
}
