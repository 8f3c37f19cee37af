package changes

import (
	"context"
	"errors"
	"fmt"
)

// PRFiles lists the files a pull request changes, as its hosting service
// reports them. The GitHub client implements it; a check falls back to it
// when the pull request's commits are not in the local clone (a shallow
// checkout of the merge commit, the actions/checkout default).
type PRFiles interface {
	// ListPRFiles returns every file pull request number changes,
	// repository-relative and slash-separated, in the service's order.
	ListPRFiles(ctx context.Context, number int) ([]ChangedFile, error)
}

// MaxPRFiles is the most files the REST API lists for one pull request; a
// list of that length may have been cut short.
const MaxPRFiles = 3000

// ErrIncompletePRFiles is wrapped by the error FromPR returns when the
// service's list cannot be the whole change.
var ErrIncompletePRFiles = errors.New("incomplete list of changed files")

// FromPR lists the files of pull request number through p and checks that the
// list is the whole change: it holds fewer than MaxPRFiles entries and at
// least changedFiles (the count the event payload carries). A partial list
// would let a config slip past the gate, so it is an error, never a guess.
func FromPR(ctx context.Context, p PRFiles, number, changedFiles int) ([]ChangedFile, error) {
	files, err := p.ListPRFiles(ctx, number)
	if err != nil {
		return nil, err
	}
	switch {
	case len(files) >= MaxPRFiles:
		return nil, fmt.Errorf("%w: the API lists at most %d files of a pull request and pull request #%d reached that limit",
			ErrIncompletePRFiles, MaxPRFiles, number)
	case len(files) < changedFiles:
		return nil, fmt.Errorf("%w: the API listed %d files of pull request #%d, which changes %d",
			ErrIncompletePRFiles, len(files), number, changedFiles)
	}
	return files, nil
}

// HasCommit reports whether rev names a commit present in the clone; a
// shallow checkout often lacks the pull request's base and head.
func (r *Repo) HasCommit(rev string) bool {
	_, err := r.ResolveCommit(rev)
	return err == nil
}

// DiffCommits lists the files changed between the merge base of base and
// head, and head: what a pull request from head into base changes. Unlike
// Diff it never looks at HEAD, which in a pull_request workflow is the
// temporary merge commit rather than the pull request's head.
func (r *Repo) DiffCommits(base, head string) ([]ChangedFile, error) {
	b, err := r.ResolveCommit(base)
	if err != nil {
		return nil, err
	}
	h, err := r.ResolveCommit(head)
	if err != nil {
		return nil, err
	}
	mb, err := r.mergeBase(b, h, base, head)
	if err != nil {
		return nil, err
	}
	out, err := run(r.dir, "diff-tree", "-r", "-z", "--name-status",
		"--find-renames", "--find-copies", "--relative", mb, h)
	if err != nil {
		return nil, err
	}
	return parseNameStatus(out)
}
