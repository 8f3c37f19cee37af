package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
	if AnyCandidate(names, recordsDir) {
		return false, nil
	}
	named, err := namedByRecords(os.DirFS(opts.Dir), recordsDir, names)
	return !named, err
}

// maxRecordBytes bounds what the no-op path reads of one record file.
const maxRecordBytes = 1 << 20

// namedByRecords reports whether a file under the records directory of fsys
// (the work tree) mentions one of names: a staged evidence file (a CSV, a
// digested file of any type) puts its record on trial, so the no-op path
// must not skip it. Reading the work tree's records costs no git process;
// a record whose staged and unstaged text differ is read as it stands,
// which can only make the check run when it might have been skipped.
func namedByRecords(fsys fs.FS, recordsDir string, names []string) (bool, error) {
	found := false
	err := fs.WalkDir(fsys, recordsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == recordsDir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if found || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxRecordBytes))
		f.Close()
		if err != nil {
			return err
		}
		for _, n := range names {
			if bytes.Contains(data, []byte(n)) {
				found = true
				return fs.SkipAll
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read %s: %w", recordsDir, err)
	}
	return found, nil
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
