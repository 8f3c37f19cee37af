package changes

import (
	"bytes"
	"errors"
)

// IsAncestor reports whether commit a is an ancestor of commit b (or b
// itself): whether a push from a to b only added commits.
func (r *Repo) IsAncestor(a, b string) (bool, error) {
	ca, err := r.ResolveCommit(a)
	if err != nil {
		return false, err
	}
	cb, err := r.ResolveCommit(b)
	if err != nil {
		return false, err
	}
	if _, err := run(r.dir, "merge-base", "--is-ancestor", ca, cb); err != nil {
		if ge, ok := errors.AsType[*Error](err); ok && ge.exitCode() == 1 && ge.Stderr == "" {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// IsShallow reports whether the clone is shallow (fetched with a depth), in
// which case a commit it lacks may exist all the same.
func (r *Repo) IsShallow() (bool, error) {
	out, err := run(r.dir, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, err
	}
	return string(bytes.TrimSpace(out)) == "true", nil
}
