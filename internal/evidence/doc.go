// Package evidence opens the files a decision record names, safely (inside the
// repository only, size-capped, Git LFS pointers refused, digests checked),
// and parses eval histories, annotations, scenario counts and training sets
// with file:line:col on every error.
package evidence
