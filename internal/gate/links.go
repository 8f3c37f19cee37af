package gate

import (
	"errors"
	"io/fs"

	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/pathglob"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/rules"
)

// brokenLinks takes out of paths each one that could be a training config
// (a candidate name, or matched by a record's covers or an include glob) but
// is a symbolic link leading out of the tree or into a loop, and reports it
// as FT004 on that path: the change brought it, so it is a finding, and its
// content cannot be judged, so it must not pass either.
func brokenLinks(fsys fs.FS, paths []string, recs []*record.Record, include []string) ([]string, []finding.Finding) {
	var globs []pathglob.Glob
	for _, p := range include {
		if g, err := pathglob.Compile(p); err == nil {
			globs = append(globs, g)
		}
	}
	judgeable := func(p string) bool {
		if detect.Candidate(p) {
			return true
		}
		for _, r := range recs {
			if r.Matches(p) {
				return true
			}
		}
		for _, g := range globs {
			if g.Match(p) {
				return true
			}
		}
		return false
	}
	keep := paths[:0:0]
	var out []finding.Finding
	for _, p := range paths {
		var e *evidence.Error
		resolved, err := evidence.Resolve(fsys, p)
		if err == nil && resolved != p && isDir(fsys, resolved) {
			// A link to a directory of the tree holds no config of its
			// own: the files it leads to are listed, and judged, at their
			// own paths. (Read through the link, it would look like a
			// submodule.)
			continue
		}
		if errors.As(err, &e) &&
			(e.Kind == evidence.Outside || e.Kind == evidence.Unreadable) && judgeable(p) {
			out = append(out, finding.Finding{
				Rule: rules.FT004.RuleID(), Severity: finding.Error, Config: p,
				Pos:     finding.Position{File: p, Line: 1, Col: 1},
				Message: "cannot judge " + p + ": " + e.Msg,
				Hint:    "commit the config itself inside the repository, not a symbolic link that leads out of it or into a loop",
			})
			continue
		}
		keep = append(keep, p)
	}
	return keep, out
}

func isDir(fsys fs.FS, p string) bool {
	info, err := fs.Stat(fsys, p)
	return err == nil && info.IsDir()
}
