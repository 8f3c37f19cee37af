// Package evidence opens the files a decision record names, safely (inside the
// repository only, size-capped, Git LFS pointers refused, digests checked),
// and parses eval histories, annotations, scenario counts and training sets
// with file:line:col on every error.
//
// Every failure is an *Error whose Kind says what went wrong (Missing,
// Unreadable, Malformed, TooLarge, LFSPointer, Outside, Duplicate); the
// caller reports it as FT004 at Error.Pos. Lines and columns are 1-based and
// columns count Unicode code points, as ftgate's reports do; a byte order
// mark is not counted.
//
// The file system is the repository root. Symlinks are resolved here,
// component by component with fs.ReadLinkFS, because os.DirFS would follow a
// link anywhere: a link whose target is absolute or climbs above the root is
// refused before anything is read through it. The check and the later open
// are not atomic; ftgate reads a checkout it owns, not a tree that changes
// under it.
//
// Parsers stream and keep no line or cell: memory grows with what they
// return (interned values, one small Rating per label), never with the size
// of the file.
package evidence
