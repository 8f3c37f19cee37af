package gate

import (
	"fmt"
	"io/fs"
	"time"

	"github.com/ftgate/ftgate/internal/codeowners"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
)

// Owners reads the CODEOWNERS of fsys: the file and its name, or nil and ""
// when there is none.
func Owners(fsys fs.FS) (*codeowners.File, string, error) {
	name, data, err := codeowners.Find(fsys)
	if err != nil {
		return nil, "", fmt.Errorf("read CODEOWNERS: %w", err)
	}
	if name == "" {
		return nil, "", nil
	}
	f, _ := codeowners.Parse(name, data)
	return f, name, nil
}

// Draft judges config cfg of the tree fsys by a record that is not yet
// accepted (the one `init` drafts) as if it were, with the tree's CODEOWNERS,
// and returns the findings that say what the record still lacks. It is the
// judging step of Run for one config and one record.
func Draft(pol *evaluate.Policy, fsys fs.FS, cfg detect.Config, rec *record.Record, today time.Time) ([]finding.Finding, error) {
	jd := &evaluate.Judge{Policy: pol, FS: fsys, Today: today, CodeOwnersWhere: "in the working tree"}
	if err := setOwners(jd, fsys); err != nil {
		return nil, err
	}
	out, err := jd.Case(record.Case{Config: cfg, Records: []*record.Record{rec}, Judge: rec})
	if err != nil {
		return nil, err
	}
	return out.Findings, nil
}
