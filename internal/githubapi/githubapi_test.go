package githubapi

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ftgate/ftgate/internal/changes"
)

// The end-to-end tests of GitHub mode (internal/cli) serve the recorded
// payloads; these cover the client's own decisions.

func TestBackoff(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	rt := &retryTransport{now: func() time.Time { return now }}
	resp := func(code int, h map[string]string) *http.Response {
		r := &http.Response{StatusCode: code, Header: http.Header{}}
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	for _, c := range []struct {
		name  string
		resp  *http.Response
		wait  time.Duration
		retry bool
	}{
		{"retry-after", resp(403, map[string]string{"Retry-After": "60"}), 60 * time.Second, true},
		{"retry-after too long", resp(403, map[string]string{"Retry-After": "61"}), 61 * time.Second, false},
		{"reset soon", resp(403, map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": strconv.FormatInt(now.Unix()+30, 10)}), 31 * time.Second, true},
		{"reset in an hour", resp(403, map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": strconv.FormatInt(now.Unix()+3600, 10)}), 3601 * time.Second, false},
		{"read-only token", resp(403, nil), 0, false},
		{"server error", resp(502, nil), time.Second, true},
		{"not found", resp(404, nil), 0, false},
	} {
		wait, retry := rt.backoff(c.resp, nil, 1)
		if wait != c.wait || retry != c.retry {
			t.Errorf("%s: (%v, %v), want (%v, %v)", c.name, wait, retry, c.wait, c.retry)
		}
	}
}

func TestAttemptsBounded(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	var slept []time.Duration
	c, err := New(Options{APIURL: srv.URL + "/api/v3", Repository: "o/r", Sleep: func(d time.Duration) { slept = append(slept, d) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPRFiles(context.Background(), 1); err == nil {
		t.Fatal("no error")
	}
	if calls != maxAttempts || len(slept) != maxAttempts-1 {
		t.Errorf("%d calls, %d waits; want %d and %d", calls, len(slept), maxAttempts, maxAttempts-1)
	}
}

func TestChangedFile(t *testing.T) {
	for status, want := range map[string]changes.Status{
		"added": changes.Added, "removed": changes.Deleted, "modified": changes.Modified,
		"renamed": changes.Renamed, "copied": changes.Copied, "changed": changes.Modified,
	} {
		f := &githubCommitFile{Filename: "b", Status: status, Previous: "a"}
		got, ok := changedFile(f.commitFile())
		if !ok || got.Status != want {
			t.Errorf("%s: %+v", status, got)
		}
		if (want == changes.Renamed || want == changes.Copied) != (got.OldPath == "a") {
			t.Errorf("%s: old path %q", status, got.OldPath)
		}
	}
}

func TestContentsFSNotFound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("ref") != "abc" {
			t.Errorf("ref %q", r.URL.Query().Get("ref"))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest/repos/contents#get-repository-content","status":"404"}`))
	}))
	defer srv.Close()
	c, err := New(Options{APIURL: srv.URL + "/api/v3", Repository: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	fsys := c.ContentsFS(context.Background(), "abc")
	if _, err := fs.ReadDir(fsys, ".ftgate"); !errorsIsNotExist(err) {
		t.Errorf("ReadDir: %v, want not exist", err)
	}
	if _, err := fs.Stat(fsys, "../x"); err == nil {
		t.Errorf("Stat of an invalid path succeeded")
	}
}
