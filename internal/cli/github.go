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
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/finding"
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
	ev     *prEvent
	client *githubapi.Client
	action *githubactions.Action
	ctx    context.Context
}

// errClosed ends a check of a closed pull request: there is nothing to gate.
var errClosed = errors.New("pull request closed")

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
	name := e.getenv("GITHUB_EVENT_NAME")
	if name != "pull_request" && name != "pull_request_target" {
		return nil, &usageError{msg: fmt.Sprintf("GitHub mode judges pull_request events, not %q: pass --base or --all", name)}
	}
	p := e.getenv("GITHUB_EVENT_PATH")
	if p == "" {
		return nil, failf("GITHUB_EVENT_PATH is not set")
	}
	data, err := readCapped(p, maxEventBytes)
	if err != nil {
		return nil, failf("read event payload: %v", err)
	}
	if g.ev, err = parseEvent(data); err != nil {
		return nil, &checkError{info: report.ErrorInfo{Message: err.Error(), File: p}}
	}
	if g.ev.Action == "closed" {
		return g, errClosed
	}
	repo := e.getenv("GITHUB_REPOSITORY")
	if repo == "" {
		repo = g.ev.Repository.FullName
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

func readCapped(name string, limit int64) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, limit+1))
}

// gather finds the changed files and the two trees. With both commits in
// the clone, git answers (merge base of base.sha and head.sha); otherwise —
// the default shallow checkout of the merge commit, or the base that
// pull_request_target checks out — the API lists the files. The head's
// configs, records and evidence come from head.sha, in git or through the
// API, never from the checkout; the base's policy and CODEOWNERS from
// base.sha likewise.
func (g *ghRun) gather() (*inputs, error) {
	pr := g.ev.PullRequest
	in := &inputs{}
	repo, err := changes.Open(g.f.dir)
	if err != nil {
		return nil, err
	}
	// One run, one commit per revision name: the diff and the trees
	// resolve the same names once between them.
	repo.PinRevisions()
	in.repo = repo
	in.closers = append(in.closers, repo)
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

// emit writes everything GitHub mode produces from one result: the report
// in --format (inside a stop-commands block), the annotations, the job
// summary, the outputs and the sticky comment.
func (g *ghRun) emit(rep report.Reporter, res *result.Result, sarifPath, prefix string) error {
	var buf bytes.Buffer
	if err := rep.Report(&buf, res); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if g.f.output != "" {
		if err := os.WriteFile(g.f.output, buf.Bytes(), 0o644); err != nil {
			return failf("--output: %v", err)
		}
	} else if g.f.format != "github" {
		if err := g.inert(buf.Bytes()); err != nil {
			return err
		}
	}
	var ann bytes.Buffer
	gh, _ := report.NewWithOptions("github", report.Options{PathPrefix: prefix})
	if err := gh.Report(&ann, res); err != nil {
		return err
	}
	if _, err := g.e.stdout.Write(ann.Bytes()); err != nil {
		return err
	}
	if err := g.summary(res); err != nil {
		return err
	}
	if err := writeOutputs(g.e.getenv, res.Result, violations(res), len(res.Configs), sarifPath); err != nil {
		return err
	}
	return g.comment(res)
}

// violations counts the findings at or above --fail-on as the reports show
// them: a record's finding is counted once however many configs it judges.
func violations(res *result.Result) int {
	return finding.Count(finding.Distinct(res.Findings), res.FailOn)
}

// inert prints text that quotes the change (file names, record values)
// between ::stop-commands:: and a token the change cannot guess, so that a
// line of it starting with "::" is never run as a workflow command.
func (g *ghRun) inert(text []byte) error {
	token := randomToken()
	_, err := fmt.Fprintf(g.e.stdout, "::stop-commands::%s\n%s::%s::\n", token, text, token)
	return err
}

func (g *ghRun) summary(res *result.Result) error {
	p := g.e.getenv("GITHUB_STEP_SUMMARY")
	if p == "" {
		return nil
	}
	var b bytes.Buffer
	if err := report.NewMarkdown(report.MaxSummaryBytes).Report(&b, res); err != nil {
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
	if g.f.comment == "never" {
		return nil
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
