package changes

import (
	"io/fs"
	"os"
	"slices"
)

// FS is a read-only file tree: the working tree, the index or a commit. It
// reports symbolic links as links (Lstat, ReadLink) instead of following
// them, so that callers can refuse links that leave the tree.
type FS interface {
	fs.ReadDirFS
	fs.ReadFileFS
	fs.StatFS
	fs.ReadLinkFS
}

// WorktreeFS is the working tree rooted at dir, as the file system has it.
// Opening a path follows symbolic links, even out of dir; use Lstat and
// ReadLink to check before trusting a path.
func WorktreeFS(dir string) FS {
	// os.DirFS implements every interface FS names.
	return os.DirFS(dir).(FS)
}

// ListFiles returns the slash-separated paths of all regular files in fsys,
// sorted. Symbolic links are not followed and not listed, and neither are
// .git directories (or the .git files of submodules and worktrees).
func ListFiles(fsys fs.FS) ([]string, error) { return list(fsys, false) }

// ListTree is ListFiles with the symbolic links listed too, unfollowed: what
// git tracks as files, so that a whole-tree check sees the links a change
// would bring and can refuse those leading out of the tree or into a loop.
func ListTree(fsys fs.FS) ([]string, error) { return list(fsys, true) }

func list(fsys fs.FS, links bool) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() || links && d.Type()&fs.ModeSymlink != 0 {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// WalkDir visits "a/b" before "a.txt" (it sorts each directory's names),
	// but callers want the whole list in byte order.
	slices.Sort(files)
	return files, nil
}
