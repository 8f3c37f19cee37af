package githubapi

import (
	"context"

	"github.com/google/go-github/v60/github"

	"github.com/ftgate/ftgate/internal/changes"
)

// ListPRFiles lists every file pull request number changes, following the
// pages of PullRequests.ListFiles. It implements changes.PRFiles.
func (c *Client) ListPRFiles(ctx context.Context, number int) ([]changes.ChangedFile, error) {
	ctx = ctxOr(ctx)
	opt := &github.ListOptions{PerPage: 100}
	var out []changes.ChangedFile
	for {
		files, resp, err := c.gh.PullRequests.ListFiles(ctx, c.owner, c.repo, number, opt)
		if err != nil {
			return nil, apiError("list files of pull request", err)
		}
		for _, f := range files {
			if cf, ok := changedFile(f); ok {
				out = append(out, cf)
			}
		}
		// The API stops at changes.MaxPRFiles; FromPR reports a list that
		// reached it.
		if resp.NextPage == 0 || len(out) >= changes.MaxPRFiles {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// changedFile maps a diff entry's status to git's letters.
func changedFile(f *github.CommitFile) (changes.ChangedFile, bool) {
	cf := changes.ChangedFile{Path: f.GetFilename()}
	switch f.GetStatus() {
	case "added":
		cf.Status = changes.Added
	case "removed":
		cf.Status = changes.Deleted
	case "renamed":
		cf.Status = changes.Renamed
		cf.OldPath = f.GetPreviousFilename()
	case "copied":
		cf.Status = changes.Copied
		cf.OldPath = f.GetPreviousFilename()
	case "unchanged":
		return cf, false
	default:
		// "modified", and "changed" (a mode change): judged as edits.
		cf.Status = changes.Modified
	}
	return cf, cf.Path != ""
}
