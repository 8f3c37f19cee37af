package cli

import (
	"errors"
	"fmt"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/gate"
)

// openRepo opens the -C directory's repository for one GitHub-mode run.
func (g *ghRun) openRepo(in *inputs) (*changes.Repo, error) {
	repo, err := changes.Open(g.f.dir)
	if err != nil {
		return nil, err
	}
	// One run, one commit per revision name.
	repo.PinRevisions()
	in.repo = repo
	in.closers = append(in.closers, repo)
	return repo, nil
}

// gatherMergeGroup judges what a merge group adds to its base branch: the
// changes from the merge base of base_sha and head_sha to head_sha, with
// the policy and CODEOWNERS of base_sha. Both commits must be in the clone:
// a merge group has no pull-request file list to fall back on.
func (g *ghRun) gatherMergeGroup() (*inputs, error) {
	mg := g.mg.MergeGroup
	in := &inputs{}
	repo, err := g.openRepo(in)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct{ name, sha string }{{"base_sha", mg.BaseSHA}, {"head_sha", mg.HeadSHA}} {
		if !repo.HasCommit(c.sha) {
			return nil, failf("the merge group's %s %s is not in the clone: check out with fetch-depth: 0 so that ftgate can diff the merge group", c.name, c.sha)
		}
	}
	if in.changed, err = repo.DiffCommits(mg.BaseSHA, mg.HeadSHA); err != nil {
		return nil, err
	}
	if in.policyFS, err = repo.TreeFS(mg.BaseSHA); err != nil {
		return nil, err
	}
	in.where = "at the merge group's base commit " + gate.ShortCommit(mg.BaseSHA)
	if in.headFS, err = repo.TreeFS(mg.HeadSHA); err != nil {
		return nil, err
	}
	return in, nil
}

// gatherPush judges what a push brings to its branch. A fast-forward is
// judged from before to after with before's policy. A new branch, or a
// force push (before is no ancestor of after, or gone from the clone), is
// judged from its merge base with the default branch, with the default
// branch's policy, as a pull request into it would be. The default branch
// itself, created or force-pushed with nothing left to compare with, is
// judged whole.
func (g *ghRun) gatherPush() (*inputs, error) {
	p := g.push
	in := &inputs{}
	repo, err := g.openRepo(in)
	if err != nil {
		return nil, err
	}
	if !repo.HasCommit(p.After) {
		return nil, failf("the pushed commit %s is not in the clone: check out the pushed commit", p.After)
	}
	base, how := "", ""
	if !isZeroObject(p.Before) && repo.HasCommit(p.Before) {
		ok, err := repo.IsAncestor(p.Before, p.After)
		if err != nil {
			return nil, err
		}
		if ok {
			base, how = p.Before, fmt.Sprintf("the pushed commits since %s", codeSpan(p.Before[:12]))
		}
	}
	branch, def := p.branch(), p.Repository.DefaultBranch
	if base == "" {
		shallow, err := repo.IsShallow()
		if err != nil {
			return nil, err
		}
		if shallow {
			return nil, failf("the push to %s is a new branch or a force push, and the clone is shallow: check out with fetch-depth: 0 so that ftgate can find its merge base with %s", branch, def)
		}
		why := "a new branch"
		if !isZeroObject(p.Before) {
			why = "a force push"
		}
		switch {
		case branch != def:
			if base, err = defaultTip(repo, def); err != nil {
				return nil, err
			}
			how = fmt.Sprintf("%s, judged from its merge base with %s", why, codeSpan(def))
		case !isZeroObject(p.Before) && repo.HasCommit(p.Before):
			// A force push to the default branch: what after adds since
			// the histories parted.
			base, how = p.Before, why+", judged from its merge base with the commit it replaced"
		default:
			in.all = true
			how = "the default branch created, with no earlier commit to compare with: every training config judged"
			if !isZeroObject(p.Before) {
				how = "a force push to the default branch whose replaced commit is not in the clone: every training config judged"
			}
		}
	}
	g.header = fmt.Sprintf("**Push** to %s (%s): %s.", codeSpan(branch), codeSpan(p.After[:12]), how)
	if in.headFS, err = repo.TreeFS(p.After); err != nil {
		return nil, err
	}
	if in.all {
		in.policyFS, in.where = in.headFS, "at the pushed commit "+gate.ShortCommit(p.After)
		return in, nil
	}
	if in.changed, err = repo.DiffCommits(base, p.After); err != nil {
		return nil, err
	}
	if in.policyFS, err = repo.TreeFS(base); err != nil {
		return nil, err
	}
	in.where = "at the commit " + gate.ShortCommit(base)
	return in, nil
}

// defaultTip is the default branch's commit in the clone: its remote-
// tracking branch, which actions/checkout fetches, else a local branch.
func defaultTip(repo *changes.Repo, def string) (string, error) {
	for _, ref := range []string{"refs/remotes/origin/" + def, "refs/heads/" + def} {
		c, err := repo.ResolveCommit(ref)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, changes.ErrUnknownRevision) {
			return "", err
		}
	}
	return "", failf("the default branch %s is not in the clone: check out with fetch-depth: 0 so that ftgate can compare the push with it", def)
}
