package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/githubapi"
	"github.com/ftgate/ftgate/internal/report"
	"github.com/ftgate/ftgate/internal/result"
)

// githubSleep waits between API attempts; tests replace it so that a
// Retry-After of a minute costs nothing.
var githubSleep = time.Sleep

// commentMarker starts the one comment ftgate keeps on a pull request; the
// next run finds the comment by it.
const commentMarker = "<!-- ftgate:sticky-comment -->"

// maxCommentBytes keeps the comment under GitHub's 65,536-character limit
// (bytes are at least characters) with room for the marker.
const maxCommentBytes = 65536 - 1024

// githubMode reports whether a check runs in GitHub mode (SPEC §5): inside
// GitHub Actions with nothing on the command line saying what to check.
func githubMode(e *env, f checkFlags, files []string) bool {
	return e.getenv("GITHUB_ACTIONS") == "true" && f.base == "" && !f.staged && !f.all && len(files) == 0
}

// ghRun is one check in GitHub mode.
type ghRun struct {
	e      *env
	f      checkFlags
	event  string           // GITHUB_EVENT_NAME
	ev     *prEvent         // pull_request, pull_request_target
	mg     *mergeGroupEvent // merge_group
	push   *pushEvent       // push
	client *githubapi.Client
	action *githubactions.Action
	ctx    context.Context

	// expiringDays is how far ahead a scheduled audit looks for decisions
	// running out (the expiring-days input).
	expiringDays int
	// skip says why there is nothing to check when newGitHubRun returns
	// errClosed.
	skip string
	// header opens the job summary, naming what was judged when the
	// report alone does not say (a merge group's pull request, a push).
	header string
}

// errClosed ends a check with nothing to gate: a closed pull request, a tag
// push, a deleted branch.
var errClosed = errors.New("nothing to check")

// githubEvents are the events GitHub mode judges (SPEC §5).
var githubEvents = []string{"pull_request", "pull_request_target", "merge_group", "push", "schedule", "workflow_dispatch"}

// defaultExpiringDays is the expiring-days input's default.
const defaultExpiringDays = 30

func newGitHubRun(e *env, f checkFlags) (*ghRun, error) {
	switch f.comment {
	case "auto", "always", "never":
	default:
		return nil, &usageError{msg: fmt.Sprintf("--comment %q: want auto, always or never", f.comment)}
	}
	g := &ghRun{e: e, f: f, ctx: context.Background(),
		action: githubactions.New(githubactions.WithWriter(e.stdout), githubactions.WithGetenv(e.getenv))}
	if tok := e.getenv("GITHUB_TOKEN"); tok != "" {
		// Masked before anything else is printed; the runner then hides it
		// wherever it appears. AddMask escapes it as command data.
		g.action.AddMask(tok)
	}
	g.event = e.getenv("GITHUB_EVENT_NAME")
	if !slices.Contains(githubEvents, g.event) {
		return nil, &usageError{msg: fmt.Sprintf("GitHub mode judges %s events, not %q: pass --base or --all",
			strings.Join(githubEvents, ", "), g.event)}
	}
	if g.event == "schedule" || g.event == "workflow_dispatch" {
		// The audit reads the checkout alone: no payload field and no API
		// call decides what it judges.
		days, err := expiringDays(e.getenv)
		if err != nil {
			return nil, err
		}
		g.expiringDays = days
		g.header = fmt.Sprintf("**Audit** (%s): every training config in the checkout, as `check --all` judges them.", g.event)
		return g, nil
	}
	p := e.getenv("GITHUB_EVENT_PATH")
	if p == "" {
		return nil, failf("GITHUB_EVENT_PATH is not set")
	}
	data, err := readCapped(p, maxEventBytes)
	if err != nil {
		return nil, failf("read event payload: %v", err)
	}
	bad := func(err error) error { return failAt(p, 0, 0, "%v", err) }
	var fullName string
	switch g.event {
	case "merge_group":
		if g.mg, err = parseMergeGroup(data); err != nil {
			return nil, bad(err)
		}
		if g.mg.Action != "checks_requested" {
			g.skip = fmt.Sprintf("the merge group event is %q, not checks_requested: nothing to check", g.mg.Action)
			return g, errClosed
		}
		fullName = g.mg.Repository.FullName
		g.header = mergeGroupHeader(g.mg)
	case "push":
		if g.push, err = parsePush(data); err != nil {
			return nil, bad(err)
		}
		switch {
		case g.push.branch() == "":
			g.skip = "a tag push changes no files: nothing to check"
			return g, errClosed
		case g.push.Deleted:
			g.skip = "the push deletes the branch: nothing to check"
			return g, errClosed
		}
		fullName = g.push.Repository.FullName
	default:
		if g.ev, err = parseEvent(data); err != nil {
			return nil, bad(err)
		}
		if g.ev.Action == "closed" {
			g.skip = "the pull request is closed: nothing to check"
			return g, errClosed
		}
		fullName = g.ev.Repository.FullName
	}
	repo := e.getenv("GITHUB_REPOSITORY")
	if repo == "" {
		repo = fullName
	}
	g.client, err = githubapi.New(githubapi.Options{
		APIURL: e.getenv("GITHUB_API_URL"), Token: e.getenv("GITHUB_TOKEN"), Repository: repo,
		Sleep: githubSleep,
	})
	if err != nil {
		return nil, failf("%v", err)
	}
	return g, nil
}

// expiringDays reads the expiring-days input: INPUT_EXPIRING-DAYS as the
// runner sets it for an action, or FTGATE_EXPIRING_DAYS; default 30.
func expiringDays(getenv func(string) string) (int, error) {
	for _, k := range []string{"INPUT_EXPIRING-DAYS", "FTGATE_EXPIRING_DAYS"} {
		v := strings.TrimSpace(getenv(k))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 3660 {
			return 0, &usageError{msg: fmt.Sprintf("%s %q: want a number of days from 0 to 3660", k, v)}
		}
		return n, nil
	}
	return defaultExpiringDays, nil
}

// mergeGroupHeader names the pull request a merge group tests, from its
// head_ref, and the branch it merges into.
func mergeGroupHeader(ev *mergeGroupEvent) string {
	into := strings.TrimPrefix(ev.MergeGroup.BaseRef, "refs/heads/")
	what := "a merge group"
	if n := ev.pullRequest(); n > 0 {
		what = fmt.Sprintf("pull request #%d", n)
	}
	return fmt.Sprintf("**Merge queue**: %s into %s, merge group commit %s.", what, codeSpan(into), codeSpan(ev.MergeGroup.HeadSHA[:12]))
}

// codeSpan puts a branch name or commit in a Markdown code span. Branch
// names may hold backticks; a fence longer than any run of them inside
// keeps the span closed where it should be, and spaces (which CommonMark
// strips) keep a backtick at either end from joining the fence.
func codeSpan(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func readCapped(name string, limit int64) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, limit+1))
}

// gather finds what the event asks to judge and where each input is read
// from (SPEC §4, §5).
func (g *ghRun) gather() (*inputs, error) {
	switch g.event {
	case "merge_group":
		return g.gatherMergeGroup()
	case "push":
		return g.gatherPush()
	}
	in, err := g.gatherPR()
	if err == nil {
		in.where = "at the base commit " + gate.ShortCommit(g.ev.PullRequest.Base.SHA)
	}
	return in, err
}

// audit reports whether the event asks for every config in the checkout
// (schedule, workflow_dispatch), which the engine's All mode judges.
func (g *ghRun) audit() bool {
	return g.event == "schedule" || g.event == "workflow_dispatch"
}

// gatherPR finds a pull request's changed files and two trees. With both commits in
// the clone, git answers (merge base of base.sha and head.sha); otherwise —
// the default shallow checkout of the merge commit, or the base that
// pull_request_target checks out — the API lists the files. The head's
// configs, records and evidence come from head.sha, in git or through the
// API, never from the checkout; the base's policy and CODEOWNERS from
// base.sha likewise.
func (g *ghRun) gatherPR() (*inputs, error) {
	pr := g.ev.PullRequest
	in := &inputs{}
	repo, err := g.openRepo(in)
	if err != nil {
		return nil, err
	}
	hasBase, hasHead := repo.HasCommit(pr.Base.SHA), repo.HasCommit(pr.Head.SHA)
	if hasBase && hasHead {
		if in.changed, err = repo.DiffCommits(pr.Base.SHA, pr.Head.SHA); err != nil {
			return nil, err
		}
		if in.policyFS, err = repo.TreeFS(pr.Base.SHA); err != nil {
			return nil, err
		}
		if in.headFS, err = repo.TreeFS(pr.Head.SHA); err != nil {
			return nil, err
		}
		return in, nil
	}
	files, err := changes.FromPR(g.ctx, g.client, g.ev.Number, pr.ChangedFiles)
	if err != nil {
		if errors.Is(err, changes.ErrIncompletePRFiles) {
			return nil, failf("%v; check out with fetch-depth: 0 so that ftgate can diff the pull request's commits itself", err)
		}
		return nil, err
	}
	in.changed = changes.Relative(files, repo.Prefix())
	if in.headFS, err = g.headTree(repo, pr.Head.SHA, hasHead); err != nil {
		return nil, err
	}
	if hasBase {
		in.policyFS, err = repo.TreeFS(pr.Base.SHA)
		return in, err
	}
	var base fs.FS = g.client.ContentsFS(g.ctx, pr.Base.SHA)
	if pfx := strings.TrimSuffix(repo.Prefix(), "/"); pfx != "" {
		if base, err = fs.Sub(base, pfx); err != nil {
			return nil, err
		}
	}
	in.policyFS = base
	return in, nil
}

// headTree is the tree of commit sha below the -C directory: from git when
// the clone has it, else through the API. When neither can serve it the
// check stops (exit 2): the checkout is another commit and would judge the
// wrong files.
func (g *ghRun) headTree(repo *changes.Repo, sha string, inClone bool) (fs.FS, error) {
	if inClone {
		return repo.TreeFS(sha)
	}
	t, err := g.client.TreeFS(g.ctx, sha, repo.Prefix())
	if err != nil {
		return nil, failf("read the head commit %s: it is not in the clone, and through the API: %v; fetch it (actions/checkout with fetch-depth: 0, or git fetch origin %s)", sha, err, sha)
	}
	return t, nil
}

// violations counts the findings at or above --fail-on as the reports show
// them: a record's finding is counted once however many configs it judges.
func violations(res *result.Result) int {
	return finding.Count(finding.Distinct(res.Findings), res.FailOn)
}

func (g *ghRun) summary(res *result.Result) error {
	p := g.e.getenv("GITHUB_STEP_SUMMARY")
	if p == "" {
		return nil
	}
	var b bytes.Buffer
	if g.header != "" {
		b.WriteString(g.header + "\n\n")
	}
	if err := report.NewMarkdown(report.MaxSummaryBytes-b.Len()).Report(&b, res); err != nil {
		return err
	}
	return appendFile(p, b.Bytes())
}

// comment keeps the sticky comment: created when the run fails or judged a
// config (or always with --comment always), updated on every later run so
// that a fixed pull request shows as passing. A token that may not comment
// (pull requests from forks get a read-only one) leaves the annotations and
// the summary, with a notice.
func (g *ghRun) comment(res *result.Result) error {
	if g.f.comment == "never" || g.ev == nil {
		return nil // merge groups, pushes and audits have no pull request to comment on
	}
	var b bytes.Buffer
	b.WriteString(commentMarker + "\n")
	if err := report.NewMarkdown(maxCommentBytes).Report(&b, res); err != nil {
		return err
	}
	create := g.f.comment == "always" || res.Result == result.Fail || len(res.Configs) > 0
	_, err := g.client.StickyComment(g.ctx, g.ev.Number, commentMarker, b.String(), create)
	if errors.Is(err, githubapi.ErrForbidden) {
		g.notice("ftgate could not comment on the pull request (the token is read-only, as for pull requests from forks); the annotations and the job summary hold the report")
		return nil
	}
	return err
}

// notice prints a notice of ftgate's own words, escaped as command data.
func (g *ghRun) notice(msg string) {
	g.action.IssueCommand(&githubactions.Command{Name: "notice", Message: msg})
}

// writeOutputs appends the step outputs to GITHUB_OUTPUT, each in a heredoc
// whose delimiter is random: a value can then never close its heredoc and
// set another output (go-githubactions' SetOutput uses a fixed delimiter).
func writeOutputs(getenv func(string) string, verdict string, violations, configs int, sarifPath string) error {
	p := getenv("GITHUB_OUTPUT")
	if p == "" {
		return nil
	}
	var b bytes.Buffer
	for _, kv := range [][2]string{
		{"result", verdict},
		{"violations", strconv.Itoa(violations)},
		{"configs", strconv.Itoa(configs)},
		{"sarif", sarifPath},
	} {
		delim := "ftgate_" + randomToken()
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", kv[0], delim, kv[1], delim)
	}
	return appendFile(p, b.Bytes())
}

func appendFile(name string, data []byte) error {
	fh, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return failf("write %s: %v", name, err)
	}
	if _, err := fh.Write(data); err != nil {
		fh.Close()
		return failf("write %s: %v", name, err)
	}
	if err := fh.Close(); err != nil {
		return failf("write %s: %v", name, err)
	}
	return nil
}

// randomToken is 128 random bits in hex, for stop-commands tokens and
// heredoc delimiters.
func randomToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// githubError is what a failed check leaves in GitHub mode: an error
// annotation of one line and result=error in the outputs, so that a later
// step can tell "could not check" from "failed".
func githubError(e *env, msg string) {
	a := githubactions.New(githubactions.WithWriter(e.stdout), githubactions.WithGetenv(e.getenv))
	a.IssueCommand(&githubactions.Command{Name: "error", Properties: githubactions.CommandProperties{"title": "ftgate could not check"}, Message: oneLine(msg)})
	writeOutputs(e.getenv, result.Error, 0, 0, "")
}
