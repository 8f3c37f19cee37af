package codeowners

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/finding"
)

// MaxSize is the size from which GitHub does not load a CODEOWNERS file
// ("CODEOWNERS files must be under 3 MB in size").
const MaxSize = 3 << 20

// locations are where GitHub looks for the file, in order.
var locations = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// File is a parsed CODEOWNERS file.
type File struct {
	Name  string // as given to Parse, for positions
	Rules []Rule // the valid lines, in file order
}

// Rule is one valid line: a pattern and its owners.
type Rule struct {
	Pattern string   // as written, escapes included
	Owners  []string // as written; empty when the line names none
	Line    int      // 1-based

	pat *pattern
}

// Match reports whether the rule's pattern matches path, a slash-separated
// path relative to the repository root. Only rules from Parse match.
func (r *Rule) Match(path string) bool {
	path = strings.TrimPrefix(path, "/")
	return r.pat != nil && path != "" && r.pat.match(path)
}

// Error is a line GitHub would skip, or a file it would not load.
type Error struct {
	Pos finding.Position // Line 0 means the whole file
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every problem Parse found, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return l[0].Error() + " (and 1 more error)"
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Parse reads a CODEOWNERS file. name is used in positions. The File it
// returns is never nil and holds every valid line: like GitHub, Parse skips
// an invalid line and carries on. The lines it skipped are reported in the
// error, an ErrorList.
func Parse(name string, data []byte) (*File, error) {
	f := &File{Name: name}
	if len(data) >= MaxSize {
		return f, ErrorList{{
			Pos: finding.Position{File: name},
			Msg: fmt.Sprintf("file is %d bytes; GitHub does not load a CODEOWNERS file of 3 MB or more", len(data)),
		}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var errs ErrorList
	for n := 1; len(data) > 0 || n == 1; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		rule, err := parseLine(string(line))
		if err != nil {
			errs = append(errs, &Error{
				Pos: finding.Position{File: name, Line: n, Col: utf8.RuneCount(line[:err.off]) + 1},
				Msg: err.msg,
			})
			continue
		}
		if rule != nil {
			rule.Line = n
			f.Rules = append(f.Rules, *rule)
		}
	}
	if errs != nil {
		return f, errs
	}
	return f, nil
}

// parseLine reads one line; it returns nil for a blank or comment line. The
// error's offset is a byte offset in line.
func parseLine(line string) (*Rule, *syntaxError) {
	i := skipSpace(line, 0)
	if i == len(line) || line[i] == '#' {
		return nil, nil
	}
	// The pattern runs to the first unescaped space, tab or `#`.
	start := i
	for i < len(line) && !isSpace(line[i]) && line[i] != '#' {
		if line[i] == '\\' {
			i++
		}
		i++
	}
	i = min(i, len(line))
	raw := line[start:i]
	pat, err := compile(raw)
	if err != nil {
		err.off += start
		return nil, err
	}
	r := &Rule{Pattern: raw, pat: pat}
	for {
		i = skipSpace(line, i)
		if i == len(line) || line[i] == '#' {
			break
		}
		start := i
		for i < len(line) && !isSpace(line[i]) && line[i] != '#' {
			i++
		}
		owner := line[start:i]
		if !validOwner(owner) {
			return nil, &syntaxError{start, fmt.Sprintf("invalid owner %q: want @user, @org/team or an e-mail address", owner)}
		}
		r.Owners = append(r.Owners, owner)
	}
	return r, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// validOwner accepts the three forms GitHub documents: @user, @org/team and
// an e-mail address. Whether the user or team exists only GitHub can tell.
func validOwner(s string) bool {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		org, team, isTeam := strings.Cut(name, "/")
		if isTeam {
			return validName(org) && validName(team)
		}
		return validName(name)
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") &&
		!strings.ContainsAny(domain, "@/") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// validName is a user, organisation or team slug: letters, digits, `-`,
// `_` and `.`.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// Owners returns the owners GitHub assigns to path, a slash-separated path
// relative to the repository root, and the line of the rule that decides it:
// the last one matching. ok is false when no rule matches. A matching rule
// with no owners gives ok true and no owners.
func (f *File) Owners(path string) (owners []string, line int, ok bool) {
	for i := len(f.Rules) - 1; i >= 0; i-- {
		if r := &f.Rules[i]; r.Match(path) {
			return r.Owners, r.Line, true
		}
	}
	return nil, 0, false
}

// HasOwner reports whether who is among owners. GitHub user, organisation
// and team names and e-mail addresses are case-insensitive, so the
// comparison is too.
func HasOwner(owners []string, who string) bool {
	who = strings.TrimSpace(who)
	for _, o := range owners {
		if strings.EqualFold(o, who) {
			return true
		}
	}
	return false
}

// Find returns the CODEOWNERS file GitHub would use: the first of
// .github/CODEOWNERS, CODEOWNERS and docs/CODEOWNERS that exists, and its
// content. name is "" when there is none. Only regular files count: a
// directory or symbolic link at one of those paths is passed over, since a
// link could lead to a file outside what the check trusts. At most MaxSize
// bytes are read, enough for Parse to tell that the file is too large.
func Find(fsys fs.FS) (name string, data []byte, err error) {
	for _, name := range locations {
		info, err := fs.Lstat(fsys, name)
		if err != nil {
			// A file named .github or docs makes the path "not a directory".
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				continue
			}
			return "", nil, fmt.Errorf("find CODEOWNERS: %w", err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		file, err := fsys.Open(name)
		if err != nil {
			return "", nil, fmt.Errorf("read %s: %w", name, err)
		}
		data, err := io.ReadAll(io.LimitReader(file, MaxSize))
		file.Close()
		if err != nil {
			return "", nil, fmt.Errorf("read %s: %w", name, err)
		}
		return name, data, nil
	}
	return "", nil, nil
}
