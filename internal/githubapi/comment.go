package githubapi

import (
	"context"
	"strings"

	"github.com/google/go-github/v60/github"
)

// CommentAction says what StickyComment did.
type CommentAction int

// What StickyComment may do.
const (
	CommentSkipped CommentAction = iota // none existed and create was false
	CommentCreated
	CommentUpdated
)

func (a CommentAction) String() string {
	switch a {
	case CommentCreated:
		return "created"
	case CommentUpdated:
		return "updated"
	}
	return "skipped"
}

// StickyComment keeps one comment on pull request number: the comment whose
// body starts with marker is replaced by body (which must start with marker
// too, so that the next run finds it again); when there is none, one is
// created if create is true. A comment by a bot is preferred over a user's
// that happens to start with the marker, since a user's cannot be edited by
// the workflow token anyway.
func (c *Client) StickyComment(ctx context.Context, number int, marker, body string, create bool) (CommentAction, error) {
	ctx = ctxOr(ctx)
	existing, err := c.findComment(ctx, number, marker)
	if err != nil {
		return CommentSkipped, err
	}
	if existing != nil {
		_, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, existing.GetID(), &github.IssueComment{Body: &body})
		if err != nil {
			return CommentSkipped, apiError("update pull request comment", err)
		}
		return CommentUpdated, nil
	}
	if !create {
		return CommentSkipped, nil
	}
	if _, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: &body}); err != nil {
		return CommentSkipped, apiError("comment on pull request", err)
	}
	return CommentCreated, nil
}

func (c *Client) findComment(ctx context.Context, number int, marker string) (*github.IssueComment, error) {
	opt := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	var found *github.IssueComment
	for {
		comments, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, opt)
		if err != nil {
			return nil, apiError("list pull request comments", err)
		}
		for _, cm := range comments {
			if !strings.HasPrefix(cm.GetBody(), marker) {
				continue
			}
			if cm.GetUser().GetType() == "Bot" {
				return cm, nil
			}
			if found == nil {
				found = cm
			}
		}
		if resp.NextPage == 0 {
			return found, nil
		}
		opt.Page = resp.NextPage
	}
}
