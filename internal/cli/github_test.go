package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftgate/ftgate/internal/baseline"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const ghFixtures = "testdata/github"

// fixture is a recorded or constructed response: status, headers, body.
type fixture struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

func readFixture(t *testing.T, name string) fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ghFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func readJSON(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ghFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// stub answers one request. Each stub answers once; a test fails on a
// request no stub matches and on a stub nothing requested.
type stub struct {
	method, path string
	query        map[string]string // parameters the request must carry
	status       int
	header       map[string]string
	body         []byte
	got          *[]byte // receives the request body
	used         bool
}

type registry struct {
	t     *testing.T
	mu    sync.Mutex
	stubs []*stub
	trees []*servedTree
}

// servedTree answers the Git trees API for one commit name and the blobs
// API for the blobs it lists, any number of times, from a real repository:
// the commit the API knows and the clone lacks.
type servedTree struct {
	sha, dir, rev string
	blobs         map[string]bool
	used          bool
}

// serveTree serves the tree of rev in the repository at dir as the tree of
// commit sha; the test fails if it is never listed.
func (r *registry) serveTree(sha, dir, rev string) {
	r.trees = append(r.trees, &servedTree{sha: sha, dir: dir, rev: rev, blobs: map[string]bool{}})
}

func (st *servedTree) serve(t *testing.T, w http.ResponseWriter, req *http.Request) bool {
	if p, ok := strings.CutPrefix(req.URL.Path, apiRepo+"/git/trees/"); ok && p == st.sha {
		if req.URL.Query().Get("recursive") != "1" {
			t.Errorf("tree %s listed without recursive=1", st.sha)
		}
		st.used = true
		type entry struct {
			Path string `json:"path"`
			Mode string `json:"mode"`
			Type string `json:"type"`
			SHA  string `json:"sha"`
			Size *int64 `json:"size,omitempty"`
			URL  string `json:"url"`
		}
		var entries []entry
		for _, rec := range strings.Split(strings.TrimSuffix(git(t, st.dir, "ls-tree", "-r", "-t", "-l", "-z", st.rev), "\x00"), "\x00") {
			meta, name, _ := strings.Cut(rec, "\t")
			f := strings.Fields(meta)
			e := entry{Path: name, Mode: f[0], Type: f[1], SHA: f[2], URL: "https://api.github.com" + apiRepo + "/git/" + f[1] + "s/" + f[2]}
			if n, err := strconv.ParseInt(f[3], 10, 64); err == nil {
				e.Size = &n
			}
			if f[1] == "blob" {
				st.blobs[f[2]] = true
			}
			entries = append(entries, e)
		}
		data, _ := json.Marshal(map[string]any{"sha": st.sha, "url": "https://api.github.com" + apiRepo + "/git/trees/" + st.sha, "tree": entries, "truncated": false})
		w.Write(data)
		return true
	}
	if oid, ok := strings.CutPrefix(req.URL.Path, apiRepo+"/git/blobs/"); ok && st.blobs[oid] {
		if req.Header.Get("Accept") != "application/vnd.github.raw+json" {
			t.Errorf("blob %s requested as %q", oid, req.Header.Get("Accept"))
		}
		cmd := exec.Command("git", "cat-file", "blob", oid)
		cmd.Dir = st.dir
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("cat-file %s: %v", oid, err)
		}
		w.Write(out)
		return true
	}
	return false
}

func newRegistry(t *testing.T) (*registry, *httptest.Server) {
	reg := &registry{t: t}
	srv := httptest.NewServer(reg)
	t.Cleanup(func() {
		srv.Close()
		for _, st := range reg.trees {
			if !st.used {
				t.Errorf("tree %s was never listed", st.sha)
			}
		}
		for _, s := range reg.stubs {
			if !s.used {
				t.Errorf("stub %s %s %v was never requested", s.method, s.path, s.query)
			}
		}
	})
	return reg, srv
}

func (r *registry) add(s *stub) *stub {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	r.stubs = append(r.stubs, s)
	return s
}

// respond registers a fixture file's status, headers and body.
func (r *registry) respond(method, path string, query map[string]string, f fixture) *stub {
	return r.add(&stub{method: method, path: path, query: query, status: f.Status, header: f.Headers, body: f.Body})
}

func (r *registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if auth := req.Header.Get("Authorization"); auth != "Bearer "+testToken {
		r.t.Errorf("%s %s: Authorization %q", req.Method, req.URL.Path, auth)
	}
	for _, s := range r.stubs {
		if s.used || s.method != req.Method || s.path != req.URL.Path {
			continue
		}
		match := true
		for k, v := range s.query {
			if req.URL.Query().Get(k) != v {
				match = false
			}
		}
		if !match {
			continue
		}
		s.used = true
		if s.got != nil {
			*s.got, _ = io.ReadAll(req.Body)
		}
		for k, v := range s.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(s.status)
		w.Write(s.body)
		return
	}
	for _, st := range r.trees {
		if req.Method == "GET" && st.serve(r.t, w, req) {
			return
		}
	}
	r.t.Errorf("no stub for %s %s", req.Method, req.URL)
	w.WriteHeader(http.StatusNotImplemented)
}

const (
	testToken = "ghs_test0000000000000000000000000000000"
	apiRepo   = "/api/v3/repos/Codertocat/Hello-World"
	baseSHA   = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	headSHA   = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
)

// event writes the real pull_request payload with the fields a test sets.
func event(t *testing.T, name string, number, changedFiles int, base, head string) string {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(readJSON(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	pr := ev["pull_request"].(map[string]any)
	ev["number"] = number
	pr["number"] = number
	pr["changed_files"] = changedFiles
	pr["base"].(map[string]any)["sha"] = base
	pr["head"].(map[string]any)["sha"] = head
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

// ghEnv is the Actions environment of a pull_request run.
type ghEnv map[string]string

func newGHEnv(t *testing.T, srv *httptest.Server, eventPath string) ghEnv {
	dir := t.TempDir()
	return ghEnv{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_EVENT_PATH":   eventPath,
		"GITHUB_REPOSITORY":   "Codertocat/Hello-World",
		"GITHUB_API_URL":      srv.URL + "/api/v3",
		"GITHUB_TOKEN":        testToken,
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"NO_COLOR":            "1",
	}
}

func (g ghEnv) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"check"}, args...), strings.NewReader(""), &out, &errb, func(k string) string { return g[k] })
	if strings.Contains(out.String()+errb.String(), testToken) && !strings.Contains(out.String(), "::add-mask::"+testToken) {
		t.Errorf("the token was printed")
	}
	return code, out.String(), errb.String()
}

func (g ghEnv) file(t *testing.T, key string) string {
	data, err := os.ReadFile(g[key])
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// gitRepo copies the example repository into a fresh one-commit clone,
// standing in for the merge commit actions/checkout fetches at depth 1.
func gitRepo(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	src := filepath.Join("..", "..", "testdata", "example")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, rel), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range extra {
		if err := writeFile(filepath.Join(dir, name), []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "merge")
	return dir
}

func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		// Fixed dates make commit names, which goldens show, the same on
		// every run.
		"GIT_AUTHOR_DATE=2026-11-20T12:00:00Z", "GIT_COMMITTER_DATE=2026-11-20T12:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// prFiles is a page of PullRequests.ListFiles in the shape of the API's own
// example (GET.repos.pulls.number.files.200.json), one entry per file.
func prFiles(t *testing.T, entries [][3]string) []byte {
	t.Helper()
	var example []map[string]any
	if err := json.Unmarshal(readJSON(t, "GET.repos.pulls.number.files.200.json"), &example); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range entries {
		f := map[string]any{}
		for k, v := range example[0] {
			f[k] = v
		}
		f["filename"], f["status"] = e[0], e[1]
		if e[2] != "" {
			f["previous_filename"] = e[2]
		}
		out = append(out, f)
	}
	data, _ := json.Marshal(out)
	return data
}

// contentsFile is a contents API answer for a file, in the shape of the
// API's example, holding data.
func contentsFile(t *testing.T, path string, data []byte) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(readJSON(t, "GET.repos.contents.path.file.200.json"), &f); err != nil {
		t.Fatal(err)
	}
	f["path"], f["name"], f["size"] = path, filepath.Base(path), len(data)
	f["content"] = base64.StdEncoding.EncodeToString(data)
	out, _ := json.Marshal(f)
	return out
}

func contentsDir(t *testing.T, entries ...string) []byte {
	t.Helper()
	var example []map[string]any
	if err := json.Unmarshal(readJSON(t, "GET.repos.contents.path.dir.200.json"), &example); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, p := range entries {
		e := map[string]any{}
		for k, v := range example[0] {
			e[k] = v
		}
		e["type"], e["path"], e["name"] = "file", p, filepath.Base(p)
		out = append(out, e)
	}
	data, _ := json.Marshal(out)
	return data
}

// baseContents registers the contents API answers for the base commit's
// policy, baseline and CODEOWNERS, taken from the example repository.
func baseContents(t *testing.T, reg *registry, repo string) {
	// The base has no baseline: every config on trial is judged.
	baseContentsWith(t, reg, repo, readFixture(t, "404.contents-not-found.json"))
}

// baseContentsWith is baseContents with the given answer for the base's
// .ftgate/baseline.json.
func baseContentsWith(t *testing.T, reg *registry, repo string, baselineJSON fixture) {
	ref := map[string]string{"ref": baseSHA}
	policy, _ := os.ReadFile(filepath.Join(repo, ".ftgate", "policy.cue"))
	owners, _ := os.ReadFile(filepath.Join(repo, ".github", "CODEOWNERS"))
	reg.add(&stub{method: "GET", path: apiRepo + "/contents/.ftgate", query: ref, body: contentsDir(t, ".ftgate/policy.cue")})
	reg.add(&stub{method: "GET", path: apiRepo + "/contents/.ftgate/policy.cue", query: ref, body: contentsFile(t, ".ftgate/policy.cue", policy)})
	reg.add(&stub{method: "GET", path: apiRepo + "/contents/.github/CODEOWNERS", query: ref, body: contentsFile(t, ".github/CODEOWNERS", owners)})
	reg.respond("GET", apiRepo+"/contents/.ftgate/baseline.json", ref, baselineJSON)
}

// exampleFiles is what the example's pull request changes: both configs,
// one of them renamed, their records, data and evidence, and a removal.
var exampleFiles = [][3]string{
	{"training/contract-risk/axolotl.yaml", "added", ""},
	{"training/support-bot/sft.yaml", "renamed", "training/support-bot/old-sft.yaml"},
	{"decisions/ftd-0007-contract-risk.yaml", "added", ""},
	{"decisions/ftd-0008-support-bot.yaml", "added", ""},
	{"data/contract-risk/train.jsonl", "added", ""},
	{"data/support-bot/train.jsonl", "modified", ""},
	{"evidence/contract-risk/labels.csv", "added", ""},
	{"docs/old-notes.md", "removed", ""},
}

func noSleep(t *testing.T) *[]time.Duration {
	var slept []time.Duration
	old := githubSleep
	githubSleep = func(d time.Duration) { slept = append(slept, d) }
	t.Cleanup(func() { githubSleep = old })
	return &slept
}

// TestGitHubExample runs GitHub mode on the example repository through the
// API path (a shallow clone), twice: the first run creates the sticky
// comment, the second finds it and updates it.
func TestGitHubExample(t *testing.T) {
	noSleep(t)
	repo := gitRepo(t, nil)
	reg, srv := newRegistry(t)
	ev := event(t, "pull_request.opened.payload.json", 7, len(exampleFiles), baseSHA, headSHA)
	env := newGHEnv(t, srv, ev)

	reg.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", query: map[string]string{"per_page": "100"}, body: prFiles(t, exampleFiles)})
	baseContents(t, reg, repo)
	reg.serveTree(headSHA, repo, "HEAD")
	reg.add(&stub{method: "GET", path: apiRepo + "/issues/7/comments", body: readJSON(t, "GET.repos.issues.number.comments.200.json")})
	var created []byte
	reg.add(&stub{method: "POST", path: apiRepo + "/issues/7/comments", status: 201, body: readJSON(t, "POST-GET-PATCH.repos.issues.comment.json"), got: &created})

	code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27", "--sarif-file", filepath.Join(filepath.Dir(env["GITHUB_OUTPUT"]), "ftgate.sarif"))
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	checkNoInjection(t, stdout)
	checkGHGolden(t, "example.annotations.txt", annotationLines(stdout))
	checkGHGolden(t, "example.summary.md", env.file(t, "GITHUB_STEP_SUMMARY"))
	checkGHGolden(t, "example.outputs.txt", normaliseOutputs(t, env.file(t, "GITHUB_OUTPUT"), env))
	var body struct{ Body string }
	if err := json.Unmarshal(created, &body); err != nil {
		t.Fatalf("comment request %q: %v", created, err)
	}
	if !strings.HasPrefix(body.Body, commentMarker+"\n") || len(body.Body) >= 65536 {
		t.Errorf("comment does not start with the marker or is too long (%d bytes)", len(body.Body))
	}
	checkGHGolden(t, "example.comment.md", body.Body)
	if !strings.HasPrefix(stdout, "::add-mask::"+testToken+"\n") {
		t.Errorf("stdout does not start by masking the token:\n%s", stdout)
	}

	// The second run finds the comment by its marker and updates it.
	existing := map[string]any{}
	json.Unmarshal(readJSON(t, "POST-GET-PATCH.repos.issues.comment.json"), &existing)
	existing["body"] = body.Body
	existing["user"].(map[string]any)["type"] = "Bot"
	list, _ := json.Marshal([]any{existing})
	reg.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", body: prFiles(t, exampleFiles)})
	baseContents(t, reg, repo)
	reg.add(&stub{method: "GET", path: apiRepo + "/issues/7/comments", body: list})
	var updated []byte
	reg.add(&stub{method: "PATCH", path: apiRepo + "/issues/comments/1", body: readJSON(t, "POST-GET-PATCH.repos.issues.comment.json"), got: &updated})
	if code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27"); code != ExitFindings {
		t.Fatalf("second run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !bytes.Contains(updated, []byte(`ftgate:sticky-comment`)) {
		t.Errorf("update body %q", updated)
	}
}

// TestGitHubBaselineFromBase: GitHub mode reads the baseline from the base
// commit through the contents API; a config it lists with its content is
// an FT012 notice, and the rest of the change is judged as before.
func TestGitHubBaselineFromBase(t *testing.T) {
	noSleep(t)
	repo := gitRepo(t, nil)
	reg, srv := newRegistry(t)
	ev := event(t, "pull_request.opened.payload.json", 7, len(exampleFiles), baseSHA, headSHA)
	env := newGHEnv(t, srv, ev)

	const cfg = "training/contract-risk/axolotl.yaml"
	b, err := baseline.Build(os.DirFS(repo), []string{cfg})
	if err != nil {
		t.Fatal(err)
	}
	var doc bytes.Buffer
	if err := b.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	reg.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", query: map[string]string{"per_page": "100"}, body: prFiles(t, exampleFiles)})
	baseContentsWith(t, reg, repo, fixture{Status: 200, Body: contentsFile(t, baseline.Path, doc.Bytes())})
	reg.serveTree(headSHA, repo, "HEAD")
	reg.add(&stub{method: "GET", path: apiRepo + "/issues/7/comments", body: readJSON(t, "GET.repos.issues.number.comments.200.json")})
	reg.add(&stub{method: "POST", path: apiRepo + "/issues/7/comments", status: 201, body: readJSON(t, "POST-GET-PATCH.repos.issues.comment.json")})

	code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1 (support-bot still fails)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	lines := annotationLines(stdout)
	var ft012 []string
	for _, l := range strings.Split(lines, "\n") {
		if strings.Contains(l, "FT012") {
			ft012 = append(ft012, l)
		}
	}
	if len(ft012) != 1 || !strings.HasPrefix(ft012[0], "::notice ") || !strings.Contains(ft012[0], "file="+cfg+",") || !strings.Contains(ft012[0], "baselined, not judged") {
		t.Errorf("want one FT012 notice on %s, got %q\nall annotations:\n%s", cfg, ft012, lines)
	}
	if n := strings.Count(lines, "file="+cfg+","); n != 1 {
		t.Errorf("%s is baselined but has other annotations:\n%s", cfg, lines)
	}
}

// TestGitHubReadOnlyToken: a 403 on the comment leaves the annotations and
// the summary, and a notice; the verdict stands.
func TestGitHubReadOnlyToken(t *testing.T) {
	noSleep(t)
	repo := gitRepo(t, nil)
	reg, srv := newRegistry(t)
	env := newGHEnv(t, srv, event(t, "pull_request.opened.payload.json", 7, len(exampleFiles), baseSHA, headSHA))
	reg.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", body: prFiles(t, exampleFiles)})
	baseContents(t, reg, repo)
	reg.serveTree(headSHA, repo, "HEAD")
	reg.add(&stub{method: "GET", path: apiRepo + "/issues/7/comments", body: []byte("[]")})
	reg.respond("POST", apiRepo+"/issues/7/comments", nil, readFixture(t, "403.resource-not-accessible.json"))
	code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "::notice::ftgate could not comment on the pull request (the token is read-only") {
		t.Errorf("no read-only notice:\n%s", stdout)
	}
	if !strings.Contains(env.file(t, "GITHUB_STEP_SUMMARY"), "ftgate: fail") {
		t.Errorf("no summary")
	}
}

// TestGitHubSecondaryRateLimit: a 403 secondary rate limit with Retry-After
// is waited for and retried; a primary limit resetting in an hour is not,
// and the error names the reset time.
func TestGitHubSecondaryRateLimit(t *testing.T) {
	slept := noSleep(t)
	repo := gitRepo(t, nil)
	reg, srv := newRegistry(t)
	env := newGHEnv(t, srv, event(t, "pull_request.opened.payload.json", 7, len(exampleFiles), baseSHA, headSHA))
	reg.respond("GET", apiRepo+"/pulls/7/files", nil, readFixture(t, "403.secondary-rate-limit.json"))
	reg.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", body: prFiles(t, exampleFiles)})
	baseContents(t, reg, repo)
	reg.serveTree(headSHA, repo, "HEAD")
	code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27", "--comment", "never")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !slices.Equal(*slept, []time.Duration{60 * time.Second}) {
		t.Errorf("slept %v, want [1m0s]", *slept)
	}

	*slept = nil
	reg2, srv2 := newRegistry(t)
	env2 := newGHEnv(t, srv2, env["GITHUB_EVENT_PATH"])
	limit := readFixture(t, "403.primary-rate-limit.installation-token.json")
	reset := time.Now().Add(time.Hour).Unix()
	limit.Headers["x-ratelimit-reset"] = fmt.Sprint(reset)
	reg2.respond("GET", apiRepo+"/pulls/7/files", nil, limit)
	code, stdout, stderr = env2.run(t, "-C", repo, "--comment", "never")
	want := time.Unix(reset, 0).UTC().Format(time.RFC3339)
	if code != ExitError || !strings.Contains(stderr, "rate limit exceeded until "+want) {
		t.Errorf("exit %d, stderr %q: want exit 2 naming %s", code, stderr, want)
	}
	if len(*slept) != 0 {
		t.Errorf("waited %v for a reset an hour away", *slept)
	}
	if out := env2.file(t, "GITHUB_OUTPUT"); !strings.Contains(out, "\nerror\n") {
		t.Errorf("outputs %q: want result error", out)
	}
}

// TestGitHubPaginationAndInjection serves the synthetic three-page file list
// (a rename, a removal, and names holding ",", ":", "%" and a newline) to a
// repository holding a config whose name is built to inject a command.
func TestGitHubPaginationAndInjection(t *testing.T) {
	noSleep(t)
	const odd = "training/a:b,c%0A\n::warning::x.yaml"
	axolotl, err := os.ReadFile(filepath.Join("..", "..", "testdata", "example", "training", "contract-risk", "axolotl.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	repo := gitRepo(t, map[string]string{odd: string(axolotl)})
	reg, srv := newRegistry(t)
	env := newGHEnv(t, srv, event(t, "pull_request.opened.payload.json", 42, 8, baseSHA, headSHA))
	var pages struct {
		Pages []struct {
			Page    int               `json:"page"`
			Headers map[string]string `json:"headers"`
			Body    []map[string]any  `json:"body"`
		} `json:"pages"`
	}
	if err := json.Unmarshal(readJSON(t, "pulls.42.files.paginated.json"), &pages); err != nil {
		t.Fatal(err)
	}
	for i, p := range pages.Pages {
		if i == len(pages.Pages)-1 {
			// The odd config joins the last page as an added file.
			p.Body = append(p.Body, map[string]any{"filename": odd, "status": "added"})
		}
		body, _ := json.Marshal(p.Body)
		q := map[string]string{}
		if p.Page > 1 {
			q["page"] = fmt.Sprint(p.Page)
		}
		reg.add(&stub{method: "GET", path: apiRepo + "/pulls/42/files", query: q, header: p.Headers, body: body})
	}
	baseContents(t, reg, repo)
	reg.serveTree(headSHA, repo, "HEAD")
	code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27", "--comment", "never")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	checkNoInjection(t, stdout)
	checkGHGolden(t, "injection.annotations.txt", annotationLines(stdout))
	if !strings.Contains(stdout, "title=FT010 policy-change") {
		t.Errorf("the modified .ftgate/policy.cue on page 1 was not seen:\n%s", stdout)
	}
}

// TestGitHubTooManyFiles: a list that reached 3000 entries, or holds fewer
// than changed_files, cannot be trusted: exit 2 asking for fetch-depth: 0.
func TestGitHubTooManyFiles(t *testing.T) {
	noSleep(t)
	repo := gitRepo(t, nil)
	reg, srv := newRegistry(t)
	env := newGHEnv(t, srv, event(t, "pull_request.opened.payload.json", 9, 3500, baseSHA, headSHA))
	for page := 1; page <= 30; page++ {
		var entries [][3]string
		for i := range 100 {
			entries = append(entries, [3]string{fmt.Sprintf("gen/%02d/%03d.txt", page, i), "added", ""})
		}
		q := map[string]string{}
		if page > 1 {
			q["page"] = fmt.Sprint(page)
		}
		hdr := map[string]string{"Link": fmt.Sprintf(`<%s%s/pulls/9/files?per_page=100&page=%d>; rel="next"`, srv.URL, apiRepo, page+1)}
		reg.add(&stub{method: "GET", path: apiRepo + "/pulls/9/files", query: q, header: hdr, body: prFiles(t, entries)})
	}
	code, _, stderr := env.run(t, "-C", repo, "--comment", "never")
	if code != ExitError || !strings.Contains(stderr, "fetch-depth: 0") || !strings.Contains(stderr, "3000") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}

	reg2, srv2 := newRegistry(t)
	env2 := newGHEnv(t, srv2, event(t, "pull_request.opened.payload.json", 9, 12, baseSHA, headSHA))
	reg2.add(&stub{method: "GET", path: apiRepo + "/pulls/9/files", body: prFiles(t, exampleFiles)})
	code, _, stderr = env2.run(t, "-C", repo, "--comment", "never")
	if code != ExitError || !strings.Contains(stderr, "listed 8 files of pull request #9, which changes 12") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestGitHubLocalCommits: with both commits in the clone, git answers and
// the API is not called at all (the registry fails on any request).
func TestGitHubLocalCommits(t *testing.T) {
	repo := gitRepo(t, nil)
	base := git(t, repo, "rev-parse", "HEAD")
	git(t, repo, "mv", "training/support-bot/sft.yaml", "training/support-bot/sft-v2.yaml")
	git(t, repo, "commit", "-q", "-m", "rename")
	head := git(t, repo, "rev-parse", "HEAD")
	_, srv := newRegistry(t)
	env := newGHEnv(t, srv, event(t, "pull_request.opened.payload.json", 7, 1, base, head))
	code, stdout, stderr := env.run(t, "-C", repo, "--today", "2026-11-27", "--comment", "never")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "file=decisions/ftd-0008-support-bot.yaml") {
		t.Errorf("the renamed config was not judged:\n%s", stdout)
	}
	if strings.Contains(stdout, "contract-risk") {
		t.Errorf("an unchanged config was judged:\n%s", stdout)
	}
}

func TestGitHubEvents(t *testing.T) {
	_, srv := newRegistry(t)
	env := newGHEnv(t, srv, filepath.Join(ghFixtures, "pull_request.closed.payload.json"))
	code, stdout, stderr := env.run(t, "-C", t.TempDir())
	if code != ExitPass || !strings.Contains(stdout, "::notice::the pull request is closed") {
		t.Errorf("closed: exit %d\n%s\n%s", code, stdout, stderr)
	}

	env["GITHUB_EVENT_NAME"] = "issues"
	code, _, stderr = env.run(t, "-C", t.TempDir())
	if code != ExitError || !strings.Contains(stderr, `not "issues": pass --base or --all`) {
		t.Errorf("issues: exit %d, stderr %q", code, stderr)
	}

	env["GITHUB_EVENT_NAME"] = "pull_request"
	bad := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(bad, []byte(`{"action":"opened","pull_request":{"base":{"sha":"--upload-pack=x"}}}`), 0o644)
	env["GITHUB_EVENT_PATH"] = bad
	code, _, stderr = env.run(t, "-C", t.TempDir())
	if code != ExitError || !strings.Contains(stderr, "not valid") && !strings.Contains(stderr, "not a commit id") {
		t.Errorf("bad payload: exit %d, stderr %q", code, stderr)
	}
}

// TestSARIFSchema validates the SARIF report of the failing example
// against the OASIS SARIF 2.1.0 schema (errata01).
func TestSARIFSchema(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "example")
	out := filepath.Join(t.TempDir(), "out.sarif")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"check", "-C", dir, "--all", "--today", "2026-11-27", "--sarif-file", out},
		strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	schemaFile, err := os.Open(filepath.Join(ghFixtures, "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("SARIF does not validate:\n%v", err)
	}
	var log struct {
		Runs []struct {
			ColumnKind string
			Results    []struct {
				PartialFingerprints map[string]string
			}
		}
	}
	json.Unmarshal(data, &log)
	if len(log.Runs) != 1 || log.Runs[0].ColumnKind != "unicodeCodePoints" || len(log.Runs[0].Results) == 0 ||
		log.Runs[0].Results[0].PartialFingerprints["ftgate/v1"] == "" {
		t.Errorf("SARIF run: %+v", log.Runs)
	}
}

// checkNoInjection fails when a line the runner would read as a workflow
// command is not one ftgate meant: outside a stop-commands block only
// add-mask, stop-commands and annotation commands may appear.
func checkNoInjection(t *testing.T, stdout string) {
	t.Helper()
	stop := ""
	for _, line := range strings.Split(stdout, "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if stop != "" {
			if trimmed == "::"+stop+"::" {
				stop = ""
			}
			continue
		}
		if !strings.HasPrefix(trimmed, "::") {
			continue
		}
		if tok, ok := strings.CutPrefix(trimmed, "::stop-commands::"); ok {
			stop = tok
			continue
		}
		if !regexp.MustCompile(`^::(add-mask|error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::`).MatchString(trimmed) {
			t.Errorf("stray command line %q", line)
		}
		if strings.HasPrefix(trimmed, "::warning::x.yaml") {
			t.Errorf("injected: %q", line)
		}
	}
	if stop != "" {
		t.Errorf("stop-commands block not closed")
	}
}

func annotationLines(stdout string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(stdout, "\n") {
		if strings.HasPrefix(line, "::error") || strings.HasPrefix(line, "::warning") || strings.HasPrefix(line, "::notice") ||
			strings.HasPrefix(line, "ftgate: ") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// normaliseOutputs replaces the random heredoc delimiters, after checking
// each closes its own heredoc.
func normaliseOutputs(t *testing.T, out string, env ghEnv) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^([a-z]+)<<(ftgate_[0-9a-f]{32})\n((?s:.*?))\n([^\n]*)\n`)
	var b strings.Builder
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if m[4] != m[2] {
			t.Errorf("output %s: delimiter %q closed by %q", m[1], m[2], m[4])
		}
		v := strings.ReplaceAll(m[3], filepath.Dir(env["GITHUB_OUTPUT"]), "$TMP")
		fmt.Fprintf(&b, "%s=%s\n", m[1], v)
	}
	return b.String()
}

func checkGHGolden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join(ghFixtures, "golden", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := writeFile(p, []byte(got)); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 go test ./internal/cli creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (UPDATE_GOLDEN=1 rewrites it)\n--- got\n%s\n--- want\n%s", p, got, want)
	}
}

// baseAndHead makes an origin repository holding the example as its base
// commit on main and, on branch pr, a head commit that adds extra; the
// checkout is a clone of main alone, as pull_request_target gives: the base
// checked out and the head absent.
func baseAndHead(t *testing.T, extra map[string]string) (checkout, origin, base, head string) {
	t.Helper()
	origin = gitRepo(t, nil)
	base = git(t, origin, "rev-parse", "HEAD")
	git(t, origin, "checkout", "-q", "-b", "pr")
	for name, content := range extra {
		if err := writeFile(filepath.Join(origin, name), []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	git(t, origin, "add", "-A")
	git(t, origin, "commit", "-q", "-m", "head")
	head = git(t, origin, "rev-parse", "HEAD")
	git(t, origin, "checkout", "-q", "main")
	checkout = filepath.Join(t.TempDir(), "checkout")
	// A file:// clone copies only what main reaches, as a fetch would; a
	// plain local clone would copy every object.
	git(t, filepath.Dir(checkout), "clone", "-q", "--single-branch", "--branch", "main", "file://"+origin, checkout)
	return checkout, origin, base, head
}

func exampleConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "example", "training", "contract-risk", "axolotl.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestGitHubHeadFromAPI: with the base checked out and head.sha absent from
// the clone, the head's files come through the API at head.sha, so a config
// the pull request adds is judged (FT001), not looked for in the checkout;
// when the API cannot serve head.sha either, the check stops with exit 2.
func TestGitHubHeadFromAPI(t *testing.T) {
	noSleep(t)
	checkout, origin, base, head := baseAndHead(t, map[string]string{"training/new-task/axolotl.yaml": exampleConfig(t)})
	if exec.Command("git", "-C", checkout, "cat-file", "-e", head).Run() == nil {
		t.Fatal("the checkout holds the head commit")
	}
	reg, srv := newRegistry(t)
	env := newGHEnv(t, srv, event(t, "pull_request.opened.payload.json", 7, 1, base, head))
	env["GITHUB_EVENT_NAME"] = "pull_request_target"
	reg.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", body: prFiles(t, [][3]string{{"training/new-task/axolotl.yaml", "added", ""}})})
	reg.serveTree(head, origin, head)
	code, stdout, stderr := env.run(t, "-C", checkout, "--today", "2026-11-27", "--comment", "never")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	checkGHGolden(t, "head-from-api.annotations.txt", annotationLines(stdout))
	checkGHGolden(t, "head-from-api.outputs.txt", normaliseOutputs(t, env.file(t, "GITHUB_OUTPUT"), env))

	// The API does not know head.sha either.
	reg2, srv2 := newRegistry(t)
	env2 := newGHEnv(t, srv2, env["GITHUB_EVENT_PATH"])
	reg2.add(&stub{method: "GET", path: apiRepo + "/pulls/7/files", body: prFiles(t, [][3]string{{"training/new-task/axolotl.yaml", "added", ""}})})
	nf := readFixture(t, "404.contents-not-found.json")
	reg2.respond("GET", apiRepo+"/git/trees/"+head, nil, nf)
	code, stdout, stderr = env2.run(t, "-C", checkout, "--comment", "never")
	if code != ExitError || !strings.Contains(stderr, "read the head commit "+head+": it is not in the clone") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "::error title=ftgate could not check::") || !strings.Contains(env2.file(t, "GITHUB_OUTPUT"), "\nerror\n") {
		t.Errorf("no error annotation or result=error:\n%s", stdout)
	}
}
