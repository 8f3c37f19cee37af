package gate

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ftgate/ftgate/internal/baseline"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/rules"
)

// dropBaselined takes out of configs those the baseline of the judging
// tree lists with the digest of their content in head, with an FT012
// notice for each. The baseline comes from the tree the policy comes from
// (the base in PR mode), so that a change cannot baseline its own config.
func dropBaselined(policy, head fs.FS, configs []detect.Config) ([]detect.Config, []finding.Finding, error) {
	b, err := baseline.Load(policy)
	if err != nil {
		var be *baseline.Error
		if errors.As(err, &be) {
			return nil, nil, &Error{Pos: finding.Position{File: be.File, Line: be.Line, Col: be.Col}, Message: be.Msg}
		}
		return nil, nil, err
	}
	if b == nil {
		return configs, nil, nil
	}
	// One map, so that a repository adopting with thousands of configs
	// costs one digest per listed config on trial, not a scan each.
	digests := make(map[string]string, len(b.Configs))
	for _, e := range b.Configs {
		digests[e.Path] = e.Digest
	}
	var kept []detect.Config
	var notices []finding.Finding
	for _, c := range configs {
		want, listed := digests[c.Path]
		held := false
		if listed {
			got, err := baseline.Digest(head, c.Path)
			if err != nil {
				return nil, nil, err
			}
			held = got == want
		}
		if !held {
			kept = append(kept, c)
			continue
		}
		notices = append(notices, finding.Finding{
			Rule: rules.FT012.RuleID(), Severity: finding.Notice, Config: c.Path,
			Pos:     finding.Position{File: c.Path, Line: max(c.Line, 1), Col: 1},
			Message: fmt.Sprintf("%s is baselined, not judged: unchanged since %s", c.Path, baseline.Path),
			Hint:    "an edit puts it on trial; a decision record covering it lets its line leave the baseline",
		})
	}
	return kept, notices, nil
}

// baselineChange checks the baseline a change brings: FT010 is reported
// for it as for the policy, and a baseline that does not parse is an error
// there, since it would stop every later check.
func baselineChange(head fs.FS) *finding.Finding {
	_, err := baseline.Load(head)
	if err == nil {
		return nil
	}
	at := finding.Position{File: baseline.Path, Line: 1, Col: 1}
	var be *baseline.Error
	if errors.As(err, &be) {
		at = finding.Position{File: be.File, Line: be.Line, Col: be.Col}
	}
	return &finding.Finding{
		Rule: rules.FT010.RuleID(), Severity: finding.Error, Pos: at,
		Message: "the change breaks the baseline, which would fail every later check: " + oneLine(err.Error()),
		Hint:    "rewrite it with `ftgate baseline`",
	}
}
