package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

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
// which can only make the check run when it might have been skipped. The
// names go into one set and each record is read once for the values it
// holds, so a commit staging many files costs their count plus the
// records' bytes, not their product.
func namedByRecords(fsys fs.FS, recordsDir string, names []string) (bool, error) {
	staged := make(map[string]bool, len(names))
	for _, n := range names {
		staged[n] = true
	}
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
		if namesOneOf(data, staged) {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read %s: %w", recordsDir, err)
	}
	return found, nil
}

// namesOneOf reports whether a record's text holds one of the staged paths
// as a value: a YAML, JSON or CUE scalar, quoted or plain, a list item, a
// mapping key (digests) or a mapping value, with a leading "./" allowed.
// Each piece between the structural bytes of those formats is looked at a
// constant number of times.
func namesOneOf(data []byte, staged map[string]bool) bool {
	isPath := func(b []byte) bool {
		b = bytes.TrimSpace(b)
		b = bytes.TrimPrefix(b, []byte("- "))
		b = bytes.TrimPrefix(bytes.TrimSpace(b), []byte("./"))
		return len(b) > 0 && staged[string(b)]
	}
	for _, piece := range bytes.FieldsFunc(data, func(r rune) bool {
		switch r {
		case '\n', '\r', '"', '\'', ',', '[', ']', '{', '}':
			return true
		}
		return false
	}) {
		if isPath(piece) {
			return true
		}
		// "key: value" in one piece: either side may be the path
		// (history: evidence/x.csv; evidence/x.csv: sha256:...).
		if k, v, ok := bytes.Cut(piece, []byte(": ")); ok && (isPath(k) || isPath(v)) {
			return true
		}
		if isPath(bytes.TrimSuffix(bytes.TrimSpace(piece), []byte(":"))) {
			return true
		}
	}
	return false
}

// AnyCandidate reports whether any of names could matter to a check: a
// policy or record file, or a file a detector reads (detect.Candidate, the
// predicate detection itself applies).
func AnyCandidate(names []string, recordsDir string) bool {
	for _, n := range names {
		if record.InDir(n, PolicyDir) || record.InDir(n, recordsDir) || detect.Candidate(n) {
			return true
		}
	}
	return false
}
