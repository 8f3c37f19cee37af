// Package codeowners reads a GitHub CODEOWNERS file and answers who owns a
// path, the way GitHub itself decides it. FT105 relies on it: a fine-tuned
// model is maintainable only if the owner a decision record names is also
// the code owner GitHub will ask to review changes to the config.
//
// The rules follow GitHub's documentation ("About code owners"):
//
//   - GitHub reads the first of .github/CODEOWNERS, CODEOWNERS and
//     docs/CODEOWNERS that exists (Find), and ignores a file of 3 MB or more.
//   - Each line is a pattern followed by owners (@user, @org/team or an
//     e-mail address). `#` starts a comment, at the start of a line or after
//     a pattern or owner; blank lines are ignored.
//   - Patterns follow gitignore: a leading `/` anchors to the root, and so
//     does a `/` inside the pattern; a pattern with no `/` but a trailing one
//     matches at any depth; a trailing `/` matches only directories (and so
//     everything below them); a pattern that names a directory owns
//     everything below it; `*` and `?` do not cross `/`; `**` as a whole
//     segment spans any number of directories; `\` escapes the next
//     character (a space, `#`, `*`, `?`).
//   - A final segment that is a lone `*` matches files in that directory
//     but not deeper: GitHub's example says `docs/*` matches
//     `docs/getting-started.md` but not `docs/build-app/troubleshooting.md`.
//   - `!` negation and `[ ]` character ranges do not work in CODEOWNERS.
//     GitHub skips any line with invalid syntax, so Parse reports such lines
//     with their position and leaves them out, as it does a line with a
//     malformed owner.
//   - The last matching line decides, and a matching line with no owners
//     leaves the path without owners.
//   - Paths are case-sensitive; owner names are not (HasOwner).
//
// GitHub's documentation also says that escaping a pattern's leading `#`
// with `\` does not work there. ftgate reads `\#` as a literal `#`, which
// matters only for files whose names start with `#`.
package codeowners
