package gate

import (
	"path"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/record"
)

// nothingStaged is the no-op path of a Staged run: one git process, no
// policy, when nothing staged could be a config, a record or policy.
func nothingStaged(opts Options) (bool, error) {
	names, err := changes.StagedNames(opts.Dir)
	if err != nil {
		return false, err
	}
	recordsDir := detect.DefaultRecordsDir
	if opts.RecordsDir != "" {
		recordsDir = cleanDir(opts.RecordsDir)
	}
	return !AnyCandidate(names, recordsDir), nil
}

// AnyCandidate reports whether any of names could matter to a check: a
// policy or record file, or a file a detector reads (detect.Candidate, the
// predicate detection itself applies).
func AnyCandidate(names []string, recordsDir string) bool {
	for _, n := range names {
		if record.InDir(n, PolicyDir) || record.InDir(n, recordsDir) || path.Base(n) == "Modelfile" || detect.Candidate(n) {
			return true
		}
	}
	return false
}
