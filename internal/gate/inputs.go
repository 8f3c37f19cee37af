package gate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ftgate/ftgate/internal/baseline"
	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/rules"
)

// PolicyDir holds a repository's policy files.
const PolicyDir = ".ftgate"

// Error is a failure of ftgate's own inputs (exit 2), placed at a file and
// position when it has one.
type Error struct {
	Pos     finding.Position
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Trees say where a run reads each input from (SPEC §4).
type Trees struct {
	// Repo is the git repository the trees come from; nil outside git.
	Repo *changes.Repo
	// Head holds the configs, records and evidence.
	Head fs.FS
	// Policy holds the judging policy and CODEOWNERS: the base in PR mode.
	Policy fs.FS
	// PolicyWhere says where Policy is, in the words of a notice ("at the
	// base commit 1a2b3c4", "in the working tree"); "" for "in the
	// repository".
	PolicyWhere string
	// Changed lists what the change touches.
	Changed []changes.ChangedFile
	// Diff is set when Changed is a change between two trees (PR, push,
	// staged), so that an edit to the policy is FT010.
	Diff bool
	// All judges every config in Head, as an All run does, whatever
	// Changed holds (a GitHub push with nothing earlier to compare with).
	All bool
	// Uncommitted lists the files of the work tree that differ from the
	// committed head a Base run judges.
	Uncommitted []string
	closers     []io.Closer
}

// AddCloser registers c to be closed with the trees.
func (t *Trees) AddCloser(c io.Closer) { t.closers = append(t.closers, c) }

// Close releases what the trees hold open (git processes).
func (t *Trees) Close() {
	for _, c := range t.closers {
		c.Close()
	}
	t.closers = nil
}

// Gather finds the changed files and the trees for a Base, Staged, All or
// Files run.
func Gather(opts Options) (*Trees, error) {
	if st, err := os.Stat(opts.Dir); err != nil || !st.IsDir() {
		return nil, errorf("-C %s: not a directory", opts.Dir)
	}
	t := &Trees{}
	switch opts.Mode {
	case All:
		t.Head = changes.WorktreeFS(opts.Dir)
		t.Policy, t.PolicyWhere = t.Head, "in the working tree"
		return t, nil
	case Files:
		t.Head = changes.WorktreeFS(opts.Dir)
		t.Policy, t.PolicyWhere = t.Head, "in the working tree"
		for _, name := range opts.Files {
			p, err := RepoPath(opts.Dir, name)
			if err != nil {
				return nil, err
			}
			// Lstat, not Stat: a link out of the tree or into a loop is
			// the file the user named, judged FT004 like any other mode's.
			if _, err := fs.Lstat(t.Head, p); err != nil {
				return nil, errorf("%s: no such file under %s", name, opts.Dir)
			}
			t.Changed = append(t.Changed, changes.ChangedFile{Path: p, Status: changes.Modified})
		}
		return t, nil
	case Base, Staged:
	default:
		return nil, errorf("no trees for mode %d", opts.Mode)
	}
	repo, err := changes.Open(opts.Dir)
	if err != nil {
		return nil, err
	}
	// One run, one commit per revision name: the diff and the trees
	// resolve the same names once between them.
	repo.PinRevisions()
	t.Repo = repo
	t.AddCloser(repo)
	t.Diff = true
	fail := func(err error) (*Trees, error) {
		t.Close()
		return nil, err
	}
	switch opts.Mode {
	case Base:
		if t.Changed, err = repo.Diff(opts.Base); err != nil {
			return fail(err)
		}
		if t.Policy, err = repo.TreeFS(opts.Base); err != nil {
			return fail(err)
		}
		if sha, err := repo.ResolveCommit(opts.Base); err == nil {
			t.PolicyWhere = "at the base commit " + ShortCommit(sha)
		}
		// Both sides as committed: an uncommitted edit never changes the
		// verdict on what the change brings.
		if t.Head, err = repo.TreeFS("HEAD"); err != nil {
			return fail(err)
		}
		if t.Uncommitted, err = repo.Uncommitted(); err != nil {
			return fail(err)
		}
	case Staged:
		if t.Changed, err = repo.Staged(); err != nil {
			return fail(err)
		}
		if t.Head, err = repo.IndexFS(); err != nil {
			return fail(err)
		}
		t.Policy, t.PolicyWhere = emptyFS{}, "at HEAD (no commit yet)"
		if head, err := repo.TreeFS("HEAD"); err == nil {
			t.Policy, t.PolicyWhere = head, "at HEAD"
		} else if !errors.Is(err, changes.ErrUnknownRevision) {
			return fail(err)
		}
	}
	return t, nil
}

// ShortCommit is a commit's name as a notice shows it: its first seven
// hex digits.
func ShortCommit(sha string) string { return sha[:min(len(sha), 7)] }

// RepoPath turns a FILE argument into a path relative to the root dir.
func RepoPath(dir, name string) (string, error) {
	abs := name
	if !filepath.IsAbs(name) {
		abs = filepath.Join(dir, name)
	}
	rootAbs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	fileAbs, err := filepath.Abs(abs)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(rootAbs, fileAbs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errorf("%s is outside %s", name, dir)
	}
	return filepath.ToSlash(rel), nil
}

// ReadPolicy reads .ftgate/*.cue from the judging tree and the --policy
// directory: repository-relative from the same tree, absolute from disk.
func ReadPolicy(fsys fs.FS, extra string) ([]evaluate.Source, error) {
	srcs, err := evaluate.ReadDir(fsys, PolicyDir)
	if err != nil {
		return nil, err
	}
	if extra == "" {
		return srcs, nil
	}
	var more []evaluate.Source
	if filepath.IsAbs(extra) {
		more, err = evaluate.ReadDir(os.DirFS(extra), ".")
		for i := range more {
			more[i].Name = filepath.ToSlash(filepath.Join(extra, path.Base(more[i].Name)))
		}
	} else {
		dir := path.Clean(filepath.ToSlash(extra))
		if dir == PolicyDir {
			return srcs, nil
		}
		more, err = evaluate.ReadDir(fsys, dir)
	}
	if err != nil {
		return nil, err
	}
	if len(more) == 0 {
		return nil, errorf("--policy %s: no .cue files", extra)
	}
	return append(srcs, more...), nil
}

// PolicyChange reports FT010 when the change edits the policy or the
// baseline: the new ones apply after merge; this check was judged by the
// base's. Other files ftgate writes itself under .ftgate/ (a record schema)
// and policy test cases are not policy.
func PolicyChange(loader *record.Loader, t *Trees, extra string) []finding.Finding {
	var touched []string
	for _, c := range t.Changed {
		if isPolicyFile(c.Path, extra) || (c.OldPath != "" && isPolicyFile(c.OldPath, extra)) {
			touched = append(touched, c.Path)
		}
	}
	if len(touched) == 0 {
		return nil
	}
	at := finding.Position{File: touched[0], Line: 1, Col: 1}
	if slices.Contains(touched, baseline.Path) {
		if f := baselineChange(t.Head); f != nil {
			return []finding.Finding{*f}
		}
	}
	srcs, err := ReadPolicy(t.Head, extra)
	if err == nil {
		var pol *evaluate.Policy
		if pol, err = evaluate.Load(loader.Context(), srcs); err == nil {
			// A rule that does not evaluate would stop every later check.
			err = pol.VetRules(loader, t.Head, nil, time.Now().UTC())
		}
	}
	if err != nil {
		var pe *evaluate.PolicyError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Problems[0].Message
			if pe.Problems[0].Pos.File != "" {
				at = pe.Problems[0].Pos
			}
		}
		return []finding.Finding{{
			Rule: rules.FT010.RuleID(), Severity: finding.Error, Pos: at,
			Message: "the change breaks the policy, which would fail every later check: " + oneLine(msg),
			Hint:    "run `ftgate policy vet` and fix the policy before merging",
		}}
	}
	used := "the base's policy; the new one applies"
	if slices.Contains(touched, baseline.Path) {
		used = "the base's policy and baseline; the new ones apply"
	}
	return []finding.Finding{{
		Rule: rules.FT010.RuleID(), Severity: finding.Notice, Pos: at,
		Message: fmt.Sprintf("the change edits the policy (%s): this check used %s after merge", strings.Join(touched, ", "), used),
		Hint:    "policy changes deserve their own review; protect .ftgate/ with CODEOWNERS",
	}}
}

// isPolicyFile reports whether p is a policy file: a .cue file directly in
// .ftgate/ or in a repository-relative --policy directory (the files
// ReadPolicy reads), or the baseline, which decides what is judged too.
func isPolicyFile(p, extra string) bool {
	if p == baseline.Path {
		return true
	}
	if !strings.EqualFold(path.Ext(p), ".cue") {
		return false
	}
	dir := path.Dir(p)
	return dir == PolicyDir || (extra != "" && !filepath.IsAbs(extra) && dir == path.Clean(filepath.ToSlash(extra)))
}

// Own reports whether p is a file ftgate keeps for itself under .ftgate/:
// its policy, the files it writes (a record schema, a baseline) and policy
// test cases. None of them is ever a training config.
func Own(p string) bool {
	return record.InDir(p, PolicyDir)
}

func cleanDir(dir string) string {
	return path.Clean(strings.TrimPrefix(filepath.ToSlash(dir), "./"))
}

// repoPrefix is dir relative to the top level of its git work tree, as
// repo (when the run opened one) or git says, or "" outside a work tree:
// then dir is the top level as far as anyone can tell.
func repoPrefix(repo *changes.Repo, dir string) string {
	if repo == nil {
		r, err := changes.Open(dir)
		if err != nil {
			return ""
		}
		defer r.Close()
		repo = r
	}
	return repo.Prefix()
}

// oneLine keeps a message on one line: messages name files whose names may
// hold newlines.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(strings.TrimSpace(s))
}

// emptyFS is the tree before the first commit.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
