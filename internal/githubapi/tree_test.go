package githubapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestTreeFS serves a listing in the shape of the Git trees API
// (docs.github.com/rest/git/trees#get-a-tree) and raw blobs, one of them
// after a 502.
func TestTreeFS(t *testing.T) {
	const commit = "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d"
	blobs := map[string]string{
		"44b4fc6d56897b048c772eb4087f854f46256132": "base_model: x\n",
		"45b983be36b73c0788dc9cbcb76cbb80fc7bb057": "train.yaml",
	}
	failed := false
	truncated := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v3/repos/o/r/git/trees/" + commit:
			if r.URL.Query().Get("recursive") != "1" {
				t.Errorf("tree without recursive: %s", r.URL)
			}
			fmt.Fprintf(w, `{"sha":"9fb037999f264ba9a7fc6274d15fa3ae2ab98312","url":"x","truncated":%v,"tree":[
{"path":"sub","mode":"040000","type":"tree","sha":"f484d249c660418515fb01c2b9662073663c242e","url":"x"},
{"path":"sub/train.yaml","mode":"100644","type":"blob","size":14,"sha":"44b4fc6d56897b048c772eb4087f854f46256132","url":"x"},
{"path":"sub/link.yaml","mode":"120000","type":"blob","size":10,"sha":"45b983be36b73c0788dc9cbcb76cbb80fc7bb057","url":"x"},
{"path":"vendor","mode":"160000","type":"commit","sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821"}]}`, truncated)
		case "/api/v3/repos/o/r/git/trees/" + "1111111111111111111111111111111111111111":
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/git/trees#get-a-tree"}`)
		default:
			oid := r.URL.Path[len("/api/v3/repos/o/r/git/blobs/"):]
			if r.Header.Get("Accept") != "application/vnd.github.raw+json" {
				t.Errorf("blob Accept %q", r.Header.Get("Accept"))
			}
			if !failed {
				failed = true
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			data, ok := blobs[oid]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			fmt.Fprint(w, data)
		}
	}))
	defer srv.Close()
	c, err := New(Options{APIURL: srv.URL + "/api/v3", Repository: "o/r", Sleep: func(time.Duration) {}})
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := c.TreeFS(context.Background(), commit, "sub/")
	if err != nil {
		t.Fatal(err)
	}
	if data, err := fs.ReadFile(fsys, "train.yaml"); err != nil || string(data) != "base_model: x\n" {
		t.Errorf("train.yaml: %q, %v", data, err)
	}
	if fi, err := fs.Lstat(fsys, "link.yaml"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link.yaml is not a link: %v, %v", fi, err)
	}
	if data, err := fs.ReadFile(fsys, "link.yaml"); err != nil || string(data) != "base_model: x\n" {
		t.Errorf("link.yaml followed: %q, %v", data, err)
	}
	if _, err := fs.Stat(fsys, "vendor"); err == nil {
		t.Errorf("a path outside the prefix is visible")
	}

	if _, err := c.TreeFS(context.Background(), "1111111111111111111111111111111111111111", ""); !errors.Is(err, ErrNoCommit) {
		t.Errorf("unknown commit: %v", err)
	}
	truncated = true
	if _, err := c.TreeFS(context.Background(), commit, ""); !errors.Is(err, ErrTreeTruncated) {
		t.Errorf("truncated: %v", err)
	}
}
