// Package changes answers every question ftgate asks of a git repository:
// which files a pull request or the index changes, what a commit or the index
// holds, and which commit a revision names.
//
// Everything goes through the git command line rather than a Go
// reimplementation of git: the user's git already understands their object
// format, partial clones, alternates, worktrees and GIT_INDEX_FILE (which a
// pre-commit hook may point at a temporary index), and ftgate should see the
// repository exactly as that git does. Every name crosses the process boundary
// NUL-terminated (-z), so paths holding newlines, quotes, `:` or non-ASCII
// bytes arrive byte for byte, as the globs in decision records expect.
//
// A Repo is seen from a directory that may lie below the top level (ftgate's
// -C DIR): changed files, trees and the index are restricted to that
// directory and named relative to it, so the rest of ftgate never has to know
// where the repository begins.
//
// TreeFS and IndexFS list a tree or the index once and read blobs lazily
// through one long-lived `git cat-file --batch` process owned by the Repo;
// Close the Repo to stop it. Symbolic links are reported as links (Lstat,
// ReadLink) so that evidence loading can refuse links that leave the
// repository.
package changes
