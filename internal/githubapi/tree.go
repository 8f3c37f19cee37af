package githubapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/google/go-github/v60/github"

	"github.com/ftgate/ftgate/internal/changes"
)

// ErrTreeTruncated is wrapped by the error TreeFS returns when the API cut
// the listing short (over 100,000 entries or 7 MB): a partial tree would let
// a file go unseen.
var ErrTreeTruncated = errors.New("the API truncated the tree listing")

// ErrNoCommit is wrapped by the error TreeFS returns when the repository
// has no commit by that name.
var ErrNoCommit = errors.New("no such commit")

// TreeFS is the tree of commit ref, restricted to the directory prefix
// (as changes.Repo.Prefix gives it) and rooted there, read through the API:
// the listing in one request (the Git trees API, recursive), each blob when
// it is opened (the Git blobs API, by object name, so a file is the one the
// listing named). Unlike the contents API, the listing keeps symbolic links
// as links, which the check refuses to follow out of the tree, and
// serves files of any size up to the blob API's 100 MB. The context bounds
// every request, since fs.FS methods take none.
func (c *Client) TreeFS(ctx context.Context, ref, prefix string) (changes.FS, error) {
	ctx = ctxOr(ctx)
	tree, _, err := c.gh.Git.GetTree(ctx, c.owner, c.repo, ref, true)
	if err != nil {
		var er *github.ErrorResponse
		if errors.As(err, &er) && er.Response != nil &&
			(er.Response.StatusCode == http.StatusNotFound || er.Response.StatusCode == http.StatusUnprocessableEntity) {
			return nil, fmt.Errorf("list the tree at %s: %w (HTTP %d)", ref, ErrNoCommit, er.Response.StatusCode)
		}
		return nil, apiError("list the tree at "+ref, err)
	}
	if tree.GetTruncated() {
		return nil, fmt.Errorf("list the tree at %s: %w", ref, ErrTreeTruncated)
	}
	entries := make([]changes.TreeEntry, 0, len(tree.Entries))
	for _, e := range tree.Entries {
		if e.GetType() == "tree" {
			continue // directories follow from their files' paths
		}
		size := int64(-1)
		if e.Size != nil {
			size = int64(*e.Size)
		}
		entries = append(entries, changes.TreeEntry{Path: e.GetPath(), Mode: e.GetMode(), OID: e.GetSHA(), Size: size})
	}
	return changes.ListedTreeFS(entries, prefix, &blobs{c: c, ctx: ctx}), nil
}

// blobs reads blobs through the API; it implements changes.Blobs.
type blobs struct {
	c   *Client
	ctx context.Context
}

// OpenBlob streams blob oid's raw content.
func (b *blobs) OpenBlob(oid string) (io.ReadCloser, error) {
	u := fmt.Sprintf("repos/%s/%s/git/blobs/%s", url.PathEscape(b.c.owner), url.PathEscape(b.c.repo), url.PathEscape(oid))
	req, err := b.c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.github.raw+json")
	resp, err := b.c.gh.BareDo(b.ctx, req)
	if err != nil {
		return nil, apiError("read blob "+oid, err)
	}
	return resp.Body, nil
}
