package changes

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Status says how a file changed, as git's --name-status letters do.
type Status byte

// The statuses git reports. An unmerged path (git's U, only seen in the index
// during a conflicted merge) is reported as Modified.
const (
	Added       Status = 'A'
	Modified    Status = 'M'
	Deleted     Status = 'D'
	Renamed     Status = 'R'
	Copied      Status = 'C'
	TypeChanged Status = 'T' // e.g. a regular file became a symbolic link
)

func (s Status) String() string {
	switch s {
	case Added:
		return "added"
	case Modified:
		return "modified"
	case Deleted:
		return "deleted"
	case Renamed:
		return "renamed"
	case Copied:
		return "copied"
	case TypeChanged:
		return "type changed"
	}
	return fmt.Sprintf("status(%q)", byte(s))
}

// ChangedFile is one changed path, relative to the Repo's directory and
// slash-separated. For a deleted file Path is the path it had; for a rename or
// copy Path is the new path and OldPath the source.
type ChangedFile struct {
	Path    string
	OldPath string
	Status  Status
}

// ErrUnknownRevision is wrapped by the error ResolveCommit returns for a
// revision that names no commit in the repository (often one a shallow clone
// has not fetched).
var ErrUnknownRevision = errors.New("unknown revision")

// ErrNoMergeBase is wrapped by the error MergeBase returns when two commits
// share no history (unrelated histories, or a clone too shallow to reach it).
var ErrNoMergeBase = errors.New("no merge base")

// ErrNotWorkTree is wrapped by the error Open returns for a directory inside
// a repository that has no work tree there (a bare repository, or .git).
var ErrNotWorkTree = errors.New("not inside a git work tree")

// Repo is a git work tree seen from a directory, which may be below the top
// level. Its methods name paths relative to that directory and ignore
// everything outside it.
type Repo struct {
	dir    string // absolute
	prefix string // dir relative to the top level, slash-separated, "" or ending in "/"
	objs   *objects

	// commits caches ResolveCommit's answers once PinRevisions is called;
	// nil until then.
	mu      sync.Mutex
	commits map[string]string
}

// PinRevisions makes the Repo resolve each revision name once: later calls
// answer from the first resolution, without a git process, so that one run
// sees one commit per name even if a ref moves meanwhile. A check resolves
// its base and HEAD for the diff and again for each tree.
func (r *Repo) PinRevisions() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.commits == nil {
		r.commits = map[string]string{}
	}
}

// Open finds the repository containing dir and dir's place in it.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", dir, err)
	}
	// One process answers both questions; the prefix comes last so that a
	// directory name holding a newline cannot be confused with a separator.
	out, err := run(abs, "rev-parse", "--is-inside-work-tree", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", dir, err)
	}
	inside, prefix, _ := strings.Cut(string(out), "\n")
	if inside != "true" {
		return nil, fmt.Errorf("open repository %s: %w", dir, ErrNotWorkTree)
	}
	prefix = strings.TrimSuffix(prefix, "\n")
	return &Repo{dir: abs, prefix: prefix, objs: newObjects(abs)}, nil
}

// Dir is the absolute directory the Repo was opened at.
func (r *Repo) Dir() string { return r.dir }

// Prefix is Dir relative to the top level of the work tree, slash-separated
// and ending in "/", or "" at the top level. Repository-relative paths from
// elsewhere (the GitHub API) pass through Relative with it.
func (r *Repo) Prefix() string { return r.prefix }

// Close stops the git processes that TreeFS and IndexFS read blobs through.
// Files still open fail on their next read.
func (r *Repo) Close() error { return r.objs.close() }

// ResolveCommit returns the full object name of the commit rev names.
func (r *Repo) ResolveCommit(rev string) (string, error) {
	// A revision that looks like an option would be read as one: refuse it
	// here, since base refs may come from an event payload.
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	}
	r.mu.Lock()
	commit, ok := r.commits[rev]
	r.mu.Unlock()
	if ok {
		return commit, nil
	}
	out, err := run(r.dir, "rev-parse", "-q", "--verify", rev+"^{commit}")
	if err != nil {
		// --verify -q fails silently with status 1 for a name that does not
		// resolve; anything else (a corrupt repository) keeps git's words.
		if ge, ok := errors.AsType[*Error](err); ok && ge.exitCode() == 1 && ge.Stderr == "" {
			return "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
		}
		return "", fmt.Errorf("resolve %q: %w", rev, err)
	}
	commit = string(bytes.TrimSpace(out))
	r.mu.Lock()
	if r.commits != nil {
		r.commits[rev] = commit
	}
	r.mu.Unlock()
	return commit, nil
}

// MergeBase returns the best common ancestor of the commits a and b name.
func (r *Repo) MergeBase(a, b string) (string, error) {
	ca, err := r.ResolveCommit(a)
	if err != nil {
		return "", err
	}
	cb, err := r.ResolveCommit(b)
	if err != nil {
		return "", err
	}
	return r.mergeBase(ca, cb, a, b)
}

func (r *Repo) mergeBase(ca, cb, a, b string) (string, error) {
	out, err := run(r.dir, "merge-base", ca, cb)
	if err != nil {
		if ge, ok := errors.AsType[*Error](err); ok && ge.exitCode() == 1 && ge.Stderr == "" {
			return "", fmt.Errorf("%w between %s and %s", ErrNoMergeBase, a, b)
		}
		return "", fmt.Errorf("merge base of %s and %s: %w", a, b, err)
	}
	return string(bytes.TrimSpace(out)), nil
}

// Diff lists the files changed between the merge base of base and HEAD, and
// HEAD: what a pull request from HEAD into base changes, ignoring whatever
// base gained since the branch point. Renames and copies are detected.
func (r *Repo) Diff(base string) ([]ChangedFile, error) {
	head, err := r.ResolveCommit("HEAD")
	if err != nil {
		return nil, err
	}
	b, err := r.ResolveCommit(base)
	if err != nil {
		return nil, err
	}
	mb, err := r.mergeBase(b, head, base, "HEAD")
	if err != nil {
		return nil, err
	}
	// Plumbing rather than `git diff`: no user configuration (diff.renames,
	// external diff drivers, colour) can change what it prints.
	out, err := run(r.dir, "diff-tree", "-r", "-z", "--name-status",
		"--find-renames", "--find-copies", "--relative", mb, head)
	if err != nil {
		return nil, err
	}
	return parseNameStatus(out)
}

// Staged lists the files the index changes relative to HEAD, or relative to
// nothing in a repository that has no commit yet.
func (r *Repo) Staged() ([]ChangedFile, error) {
	tree, err := r.headOrEmptyTree()
	if err != nil {
		return nil, err
	}
	out, err := run(r.dir, "diff-index", "--cached", "-z", "--name-status",
		"--find-renames", "--find-copies", "--relative", tree)
	if err != nil {
		return nil, err
	}
	return parseNameStatus(out)
}

// headOrEmptyTree returns HEAD's commit, or the empty tree when HEAD is an
// unborn branch.
func (r *Repo) headOrEmptyTree() (string, error) {
	head, err := r.ResolveCommit("HEAD")
	if err == nil {
		return head, nil
	}
	if !errors.Is(err, ErrUnknownRevision) {
		return "", err
	}
	// The empty tree's name depends on the object format (SHA-1 or SHA-256),
	// so ask git rather than hard-coding it.
	cmd := command(r.dir, "hash-object", "-t", "tree", "--stdin")
	cmd.Stdin = strings.NewReader("")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", newError(cmd.Args[1:], stderr.Bytes(), err)
	}
	return string(bytes.TrimSpace(out)), nil
}

// StagedNames lists the paths the index changes, relative to dir and
// restricted to it. It is the pre-commit hook's fast path: it runs exactly one
// process, `git diff --cached --name-only -z`, and nothing else, so that a
// commit touching no candidate file costs no more than that. Renames are not
// paired, so both the old and the new name of a moved file are listed.
func StagedNames(dir string) ([]string, error) {
	// `git diff --cached` compares with the empty tree by itself when HEAD is
	// unborn, which saves the process Staged spends finding that out.
	out, err := run(dir, "diff", "--cached", "--name-only", "-z", "--no-renames", "--relative")
	if err != nil {
		// Outside a repository `git diff` turns into `git diff --no-index`,
		// which rejects --cached with a page of usage; say what it means.
		if ge, ok := errors.AsType[*Error](err); ok && bytes.Contains(ge.stderr, []byte("--no-index")) {
			ge.Stderr = "not a git repository (or any of the parent directories): " + dir
		}
		return nil, err
	}
	return splitNUL(out), nil
}

// Relative turns repository-relative changed files (from the GitHub API) into
// the form Diff returns for a Repo whose Prefix is prefix: files outside the
// directory are dropped, a rename across its edge becomes an addition or a
// deletion, and the prefix is removed.
func Relative(files []ChangedFile, prefix string) []ChangedFile {
	if prefix == "" {
		return files
	}
	var out []ChangedFile
	for _, f := range files {
		p, inNew := strings.CutPrefix(f.Path, prefix)
		old, inOld := strings.CutPrefix(f.OldPath, prefix)
		switch {
		case f.OldPath == "" && inNew:
			out = append(out, ChangedFile{Path: p, Status: f.Status})
		case f.OldPath == "":
			// outside the directory
		case inNew && inOld:
			out = append(out, ChangedFile{Path: p, OldPath: old, Status: f.Status})
		case inNew:
			out = append(out, ChangedFile{Path: p, Status: Added})
		case inOld && f.Status == Renamed:
			out = append(out, ChangedFile{Path: old, Status: Deleted})
		}
	}
	return out
}

// parseNameStatus reads `--name-status -z` output: a status field, then one
// path, or two (source and destination) for renames and copies, each
// NUL-terminated. Renames and copies carry a similarity score ("R087").
func parseNameStatus(out []byte) ([]ChangedFile, error) {
	fields := splitNUL(out)
	var files []ChangedFile
	for i := 0; i < len(fields); {
		st := fields[i]
		i++
		if st == "" {
			return nil, fmt.Errorf("git diff: empty status in output")
		}
		var f ChangedFile
		switch st[0] {
		case 'A', 'M', 'D', 'T':
			f.Status = Status(st[0])
		case 'U':
			f.Status = Modified
		case 'R', 'C':
			f.Status = Status(st[0])
			if i >= len(fields) {
				return nil, fmt.Errorf("git diff: truncated output after status %q", st)
			}
			f.OldPath = fields[i]
			i++
		default:
			return nil, fmt.Errorf("git diff: unexpected status %q", st)
		}
		if i >= len(fields) {
			return nil, fmt.Errorf("git diff: truncated output after status %q", st)
		}
		f.Path = fields[i]
		i++
		files = append(files, f)
	}
	return files, nil
}

// splitNUL splits NUL-terminated records.
func splitNUL(out []byte) []string {
	s := strings.TrimSuffix(string(out), "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

// Uncommitted lists the files under Dir whose working-tree content is not
// HEAD's: edited, staged, deleted or untracked (ignored files aside),
// relative to Dir and sorted. A check of committed trees uses it to say
// what it did not see.
func (r *Repo) Uncommitted() ([]string, error) {
	tracked, err := run(r.dir, "diff", "HEAD", "--name-only", "-z", "--no-renames", "--relative")
	if err != nil {
		return nil, err
	}
	untracked, err := run(r.dir, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	out := append(splitNUL(tracked), splitNUL(untracked)...)
	slices.Sort(out)
	return slices.Compact(out), nil
}
