package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The events a protected branch meets besides pull requests, each run
// through the whole of GitHub mode on real repositories, with payloads
// derived from the recorded ones by setting their commits.

// eventFrom writes the recorded payload name with the fields set replaced
// (dotted paths, e.g. "merge_group.head_sha").
func eventFrom(t *testing.T, name string, set map[string]any) string {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(readJSON(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		m := ev
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			m = m[p].(map[string]any)
		}
		if _, ok := m[parts[len(parts)-1]]; !ok {
			t.Fatalf("%s has no field %s", name, k)
		}
		m[parts[len(parts)-1]] = v
	}
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// passingOrigin is the example repository without its failing support-bot
// decision, so that what a test adds is all that can fail: on main, one
// commit, every config covered and passing as of 2026-11-27.
func passingOrigin(t *testing.T) string {
	t.Helper()
	dir := gitRepo(t, nil)
	git(t, dir, "rm", "-r", "-q", "training/support-bot", "decisions/ftd-0008-support-bot.yaml", "data/support-bot", "evidence/support-bot")
	git(t, dir, "commit", "-q", "-m", "base")
	return dir
}

// commitOn commits files (content "" removes the file) on branch, creating
// it from the current HEAD when it does not exist, and returns the commit.
func commitOn(t *testing.T, dir, branch string, files map[string]string) string {
	t.Helper()
	if git(t, dir, "branch", "--list", branch) == "" {
		git(t, dir, "checkout", "-q", "-b", branch)
	} else {
		git(t, dir, "checkout", "-q", branch)
	}
	for name, content := range files {
		if content == "" {
			git(t, dir, "rm", "-q", name)
			continue
		}
		if err := writeFile(filepath.Join(dir, name), []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "change on "+branch)
	return git(t, dir, "rev-parse", "HEAD")
}

// cloneOf clones origin as actions/checkout with fetch-depth: 0 does (every
// branch as origin/*), checked out at commit.
func cloneOf(t *testing.T, origin, commit string, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "checkout")
	git(t, filepath.Dir(dir), append(append([]string{"clone", "-q"}, args...), "file://"+origin, dir)...)
	git(t, dir, "checkout", "-q", "--detach", commit)
	return dir
}

// runEvent runs GitHub mode for event name with the payload at path in the
// checkout dir, with no API server answering (none of these events may call
// it), and compares annotations, summary and outputs with the goldens
// prefixed golden.
func runEvent(t *testing.T, name, payload, dir, golden string, want int, extra ...string) (stdout, stderr string) {
	t.Helper()
	_, srv := newRegistry(t)
	env := newGHEnv(t, srv, payload)
	env["GITHUB_EVENT_NAME"] = name
	code, stdout, stderr := env.run(t, append([]string{"-C", dir, "--today", "2026-11-27"}, extra...)...)
	if code != want {
		t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", golden, code, want, stdout, stderr)
	}
	checkNoInjection(t, stdout)
	checkGHGolden(t, golden+".annotations.txt", annotationLines(stdout))
	checkGHGolden(t, golden+".summary.md", env.file(t, "GITHUB_STEP_SUMMARY"))
	checkGHGolden(t, golden+".outputs.txt", normaliseOutputs(t, env.file(t, "GITHUB_OUTPUT"), env))
	return stdout, stderr
}

const newConfig = "training/new-task/axolotl.yaml"

// TestGitHubMergeGroup: the queue's commit adds what the pull request adds.
// Without a record that is FT001 (exit 1), judged against base_sha's
// policy, with no comment; a change to a covered config passes; a shallow
// clone lacks base_sha and stops with exit 2.
func TestGitHubMergeGroup(t *testing.T) {
	origin := passingOrigin(t)
	base := git(t, origin, "rev-parse", "HEAD")
	failing := commitOn(t, origin, "gh-readonly-queue/main/pr-104", map[string]string{newConfig: exampleConfig(t)})
	git(t, origin, "checkout", "-q", "main")
	cfg := exampleConfig(t)
	passing := commitOn(t, origin, "gh-readonly-queue/main/pr-105", map[string]string{"training/contract-risk/axolotl.yaml": "# tuned\n" + cfg})
	git(t, origin, "checkout", "-q", "main")

	ev := func(head string, pr int) string {
		return eventFrom(t, "merge_group.checks_requested.payload.json", map[string]any{
			"merge_group.base_sha": base, "merge_group.head_sha": head,
			"merge_group.head_ref": fmt.Sprintf("refs/heads/gh-readonly-queue/main/pr-%d-%s", pr, head),
		})
	}
	stdout, _ := runEvent(t, "merge_group", ev(failing, 104), cloneOf(t, origin, failing), "merge-group-fail", ExitFindings)
	if !strings.Contains(stdout, "file="+newConfig) {
		t.Errorf("no annotation on %s", newConfig)
	}
	runEvent(t, "merge_group", ev(passing, 105), cloneOf(t, origin, passing), "merge-group-pass", ExitPass)

	// The default checkout: head_sha alone, at depth 1.
	_, srv := newRegistry(t)
	env := newGHEnv(t, srv, ev(failing, 104))
	env["GITHUB_EVENT_NAME"] = "merge_group"
	shallow := cloneOf(t, origin, failing, "--depth", "1", "--branch", "gh-readonly-queue/main/pr-104")
	code, stdout, stderr := env.run(t, "-C", shallow)
	if code != ExitError || !strings.Contains(stderr, "base_sha "+base+" is not in the clone: check out with fetch-depth: 0") {
		t.Errorf("shallow: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "::error title=ftgate could not check::") {
		t.Errorf("shallow: no error annotation:\n%s", stdout)
	}
}

// TestGitHubPush: a fast-forward is judged from before to after; a new
// branch and a force push from their merge base with the default branch;
// tag pushes and branch deletions have nothing to check.
func TestGitHubPush(t *testing.T) {
	origin := passingOrigin(t)
	before := git(t, origin, "rev-parse", "HEAD")
	after := commitOn(t, origin, "main", map[string]string{newConfig: exampleConfig(t)})
	push := func(ref, before, after string) string {
		return eventFrom(t, "push.with-new-branch.payload.json", map[string]any{
			"ref": ref, "before": before, "after": after, "repository.default_branch": "main",
		})
	}
	runEvent(t, "push", push("refs/heads/main", before, after), cloneOf(t, origin, after), "push-range", ExitFindings)

	// The default branch created (the recorded payload's case): nothing
	// earlier to compare with, so every config at after is judged.
	stdout, _ := runEvent(t, "push", push("refs/heads/main", strings.Repeat("0", 40), after), cloneOf(t, origin, after), "push-new-default", ExitFindings)
	if !strings.Contains(stdout, "file="+newConfig) {
		t.Errorf("the new default branch's config was not judged:\n%s", stdout)
	}

	// A new branch, two commits ahead of main: the first adds a config
	// without a record, the second edits a covered one.
	git(t, origin, "checkout", "-q", "main")
	git(t, origin, "checkout", "-q", "-b", "feature")
	commitOn(t, origin, "feature", map[string]string{"training/other/axolotl.yaml": exampleConfig(t)})
	tip := commitOn(t, origin, "feature", map[string]string{"training/contract-risk/axolotl.yaml": "# tuned\n" + exampleConfig(t)})
	zeros := strings.Repeat("0", 40)
	checkout := cloneOf(t, origin, tip)
	runEvent(t, "push", push("refs/heads/feature", zeros, tip), checkout, "push-new-branch", ExitFindings)

	// A force push replaces feature with one commit on main's tip that
	// adds another config; the replaced commits (still in the clone) are
	// not judged.
	git(t, origin, "checkout", "-q", "main")
	git(t, origin, "branch", "-q", "-D", "feature")
	forced := commitOn(t, origin, "feature", map[string]string{"training/forced/axolotl.yaml": exampleConfig(t)})
	git(t, checkout, "fetch", "-q", "--force", "origin", "+refs/heads/*:refs/remotes/origin/*")
	git(t, checkout, "checkout", "-q", "--detach", forced)
	stdout, _ = runEvent(t, "push", push("refs/heads/feature", tip, forced), checkout, "push-force", ExitFindings)
	if strings.Contains(stdout, "training/other/") {
		t.Errorf("the replaced commits were judged:\n%s", stdout)
	}

	// A new branch in a shallow clone cannot find its merge base.
	_, srv := newRegistry(t)
	env := newGHEnv(t, srv, push("refs/heads/feature", zeros, forced))
	env["GITHUB_EVENT_NAME"] = "push"
	code, _, stderr := env.run(t, "-C", cloneOf(t, origin, forced, "--depth", "1", "--branch", "feature"))
	if code != ExitError || !strings.Contains(stderr, "the clone is shallow: check out with fetch-depth: 0") {
		t.Errorf("shallow new branch: exit %d, stderr %q", code, stderr)
	}

	// Tags: the recorded payload deletes one; a created tag is the same
	// payload with after set. Neither reads the repository.
	runEvent(t, "push", filepath.Join(ghFixtures, "push.payload.json"), t.TempDir(), "push-tag-deleted", ExitPass)
	runEvent(t, "push", eventFrom(t, "push.payload.json", map[string]any{"after": after, "before": zeros, "deleted": false, "created": true}),
		t.TempDir(), "push-tag", ExitPass)
}

// TestGitHubSchedule: a scheduled audit judges every config in the
// checkout; an expired record fails it (FT008) though no file changed.
func TestGitHubSchedule(t *testing.T) {
	origin := passingOrigin(t)
	rec := filepath.Join(origin, "decisions", "ftd-0007-contract-risk.yaml")
	data, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	expired := commitOn(t, origin, "main", map[string]string{
		"decisions/ftd-0007-contract-risk.yaml": strings.Replace(string(data), "review_by: 2027-03-31", "review_by: 2026-11-26", 1),
	})
	payload := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(payload, []byte(`{"schedule":"0 6 * * 1"}`), 0o644)
	runEvent(t, "schedule", payload, cloneOf(t, origin, expired, "--depth", "1"), "schedule-expired", ExitFindings)

	// workflow_dispatch on the passing tree, with the input set.
	_, srv := newRegistry(t)
	env := newGHEnv(t, srv, payload)
	env["GITHUB_EVENT_NAME"] = "workflow_dispatch"
	env["INPUT_EXPIRING-DAYS"] = "45"
	code, stdout, stderr := env.run(t, "-C", cloneOf(t, origin, "HEAD~1"), "--today", "2026-11-27")
	if code != ExitPass || !strings.Contains(env.file(t, "GITHUB_STEP_SUMMARY"), "**Audit** (workflow_dispatch)") {
		t.Errorf("dispatch: exit %d\n%s\n%s\n%s", code, stdout, stderr, env.file(t, "GITHUB_STEP_SUMMARY"))
	}
	// A window that reaches the review dates makes them due: exit 1, an
	// FT008 error on each accepted record's review_by.
	env["INPUT_EXPIRING-DAYS"] = "124"
	code, stdout, stderr = env.run(t, "-C", cloneOf(t, origin, "HEAD~1"), "--today", "2026-11-27")
	due := "FT008 stale-decision::FTD-0007 review_by 2027-03-31 runs out in 124 days: due within the audit's 124 days"
	if code != ExitFindings || !strings.Contains(stdout, due) || strings.Contains(stdout, "FTD-0008 review_by") {
		t.Errorf("due within 124 days: exit %d, want 1 with only FTD-0007 due\n%s\n%s", code, stdout, stderr)
	}
	// A waiver that runs out within the window is due too, placed at the
	// record's waivers.
	waived := commitOn(t, origin, "main", map[string]string{
		"decisions/ftd-0007-contract-risk.yaml": string(data) +
			"waivers:\n  - {rule: FT104, reason: \"scenario labels arrive in December\", approved_by: \"@acme/ml-leads\", expires: 2026-12-10}\n",
	})
	env["INPUT_EXPIRING-DAYS"] = "30"
	code, stdout, stderr = env.run(t, "-C", cloneOf(t, origin, waived), "--today", "2026-11-27")
	waiverLine := strings.Count(string(data), "\n") + 2 // the list item, under the waivers key
	dueWaiver := fmt.Sprintf("::error col=3,file=decisions/ftd-0007-contract-risk.yaml,line=%d,title=FT008 stale-decision::FTD-0007 waiver FT104 2026-12-10 runs out in 13 days: due within the audit's 30 days", waiverLine)
	if code != ExitFindings || !strings.Contains(stdout, dueWaiver) {
		t.Errorf("waiver due within 30 days: exit %d, want 1 with %q\n%s\n%s", code, dueWaiver, stdout, stderr)
	}
	env["INPUT_EXPIRING-DAYS"] = "soon"
	if code, _, stderr := env.run(t, "-C", t.TempDir()); code != ExitError || !strings.Contains(stderr, `INPUT_EXPIRING-DAYS "soon": want a number of days`) {
		t.Errorf("bad input: exit %d, stderr %q", code, stderr)
	}
}

// TestGitHubEventPayloads: each event's malformed payload is one exit-2
// message naming the field; an unknown event asks for --base or --all.
func TestGitHubEventPayloads(t *testing.T) {
	zeros := strings.Repeat("0", 40)
	for _, c := range []struct {
		event, name string
		set         map[string]any
		want        string
	}{
		{"merge_group", "merge_group.checks_requested.payload.json", map[string]any{"merge_group.base_sha": "--upload-pack=x"}, `merge_group.base_sha "--upload-pack=x" is not a commit id`},
		{"merge_group", "merge_group.checks_requested.payload.json", map[string]any{"merge_group.head_sha": zeros}, "merge_group.head_sha"},
		{"merge_group", "merge_group.checks_requested.payload.json", map[string]any{"merge_group.head_ref": "main"}, `merge_group.head_ref "main" is not a branch`},
		{"merge_group", "merge_group.checks_requested.payload.json", map[string]any{"merge_group": "x"}, "event payload: json: cannot unmarshal"},
		{"push", "push.with-new-branch.payload.json", map[string]any{"ref": "refs/heads/a..b"}, `ref "refs/heads/a..b" is not a branch name`},
		{"push", "push.with-new-branch.payload.json", map[string]any{"ref": "refs/notes/x"}, "neither a branch nor a tag"},
		{"push", "push.with-new-branch.payload.json", map[string]any{"after": "HEAD"}, `after "HEAD" is not a commit id`},
		{"push", "push.with-new-branch.payload.json", map[string]any{"deleted": true}, "deleted is true but after is"},
		{"push", "push.with-new-branch.payload.json", map[string]any{"repository.default_branch": "-x"}, `repository.default_branch "-x"`},
	} {
		_, srv := newRegistry(t)
		env := newGHEnv(t, srv, eventFrom(t, c.name, c.set))
		env["GITHUB_EVENT_NAME"] = c.event
		code, stdout, stderr := env.run(t, "-C", t.TempDir())
		if code != ExitError || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%s %v: exit %d, stderr %q; want one line with %q", c.event, c.set, code, stderr, c.want)
		}
		if !strings.Contains(stdout, "::error title=ftgate could not check::") {
			t.Errorf("%s %v: no error annotation", c.event, c.set)
		}
	}
}

func TestExpiringDays(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want int
		err  string
	}{
		{nil, 30, ""},
		{map[string]string{"INPUT_EXPIRING-DAYS": " 45 "}, 45, ""},
		{map[string]string{"FTGATE_EXPIRING_DAYS": "0"}, 0, ""},
		{map[string]string{"INPUT_EXPIRING-DAYS": "7", "FTGATE_EXPIRING_DAYS": "9"}, 7, ""},
		{map[string]string{"INPUT_EXPIRING-DAYS": "-1"}, 0, "want a number of days"},
		{map[string]string{"FTGATE_EXPIRING_DAYS": "3661"}, 0, "from 0 to 3660"},
	} {
		got, err := expiringDays(func(k string) string { return c.env[k] })
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: %d, %v; want error %q", c.env, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v: %d, %v; want %d", c.env, got, err, c.want)
		}
	}
}
