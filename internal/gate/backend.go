package gate

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
)

// followBackends applies SPEC §2's rule for DeepSpeed, accelerate and FSDP
// files: they are never configs of their own, and a change to one puts on
// trial every config in the tree that references it, judged exactly as if
// that config had changed. It drops the backend entries detection made and,
// outside an All run, adds the referencing configs to the configs and to
// the change. A changed file is looked for as a backend only when it is
// not a config itself; then the tree's candidate files that mention its
// name are detected, which costs one read of those files.
func followBackends(head fs.FS, configs []detect.Config, excluded []detect.Excluded, refused []finding.Finding, scope record.Scope, recordsDir string, opt detect.Options, skip func(string) bool) ([]detect.Config, record.Scope, error) {
	configs = slices.DeleteFunc(slices.Clone(configs), func(c detect.Config) bool { return c.Framework == detect.BackendFramework })
	if scope.All {
		return configs, scope, nil
	}
	known := map[string]bool{}
	for _, c := range configs {
		known[c.Path] = true
	}
	for _, x := range excluded {
		known[x.Config.Path] = true
	}
	for _, f := range refused { // links out of the tree or into a loop: FT004 already
		known[f.Config] = true
	}
	var pending []string // changed files that may be backends
	for _, c := range scope.Changed {
		for _, p := range []string{c.Path, c.OldPath} {
			if p != "" && !known[p] && mayBeBackend(p) && !record.InDir(p, recordsDir) && !Own(p) && !slices.Contains(pending, p) {
				pending = append(pending, p)
			}
		}
	}
	if len(pending) == 0 {
		return configs, scope, nil
	}
	tree, err := listTree(head, skip)
	if err != nil {
		return nil, scope, err
	}
	names := make([][]byte, len(pending))
	for i, p := range pending {
		names[i] = []byte(path.Base(p))
	}
	var mention []string
	for _, p := range tree {
		if known[p] || !detect.Candidate(p) || record.InDir(p, recordsDir) || Own(p) || slices.Contains(pending, p) || brokenLink(head, p) {
			continue
		}
		data, err := readHead(head, p)
		if err != nil {
			return nil, scope, err
		}
		if slices.ContainsFunc(names, func(n []byte) bool { return bytes.Contains(data, n) }) {
			mention = append(mention, p)
		}
	}
	if len(mention) == 0 {
		return configs, scope, nil
	}
	det, err := detect.Detect(head, mention, opt)
	if err != nil {
		return nil, scope, err
	}
	changed := slices.Clone(scope.Changed)
	for _, c := range det.Configs {
		if c.Framework == detect.BackendFramework || known[c.Path] {
			continue
		}
		refs, err := references(head, c, pending)
		if err != nil {
			return nil, scope, err
		}
		if !refs {
			continue
		}
		known[c.Path] = true
		c.Refs = nil
		configs = append(configs, c)
		changed = append(changed, changes.ChangedFile{Path: c.Path, Status: changes.Modified})
	}
	slices.SortFunc(configs, func(a, b detect.Config) int { return strings.Compare(a.Path, b.Path) })
	scope.Changed = changed
	return configs, scope, nil
}

// references reports whether config c references one of the backend paths:
// among the references detection resolved in the tree, or, for a deleted
// backend, as written in the config, from the repository root or the
// config's directory (as detection resolves them).
func references(head fs.FS, c detect.Config, backends []string) (bool, error) {
	if slices.ContainsFunc(c.Refs, func(r string) bool { return slices.Contains(backends, r) }) {
		return true, nil
	}
	data, err := readHead(head, c.Path)
	if err != nil {
		return false, err
	}
	raw, _ := detect.File(c.Path, data)
	for _, r := range raw.Refs {
		for _, p := range []string{path.Clean(r), path.Join(path.Dir(c.Path), r)} {
			if slices.Contains(backends, strings.TrimPrefix(p, "./")) {
				return true, nil
			}
		}
	}
	return false, nil
}

// mayBeBackend reports whether p has the type of a DeepSpeed, accelerate or
// FSDP file: JSON or YAML.
func mayBeBackend(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// brokenLink reports whether p is a symbolic link that leads out of the tree
// or into a loop: a file no config can be read from, which the run reports
// where it is on trial and otherwise leaves unread.
func brokenLink(fsys fs.FS, p string) bool {
	if info, err := fs.Lstat(fsys, p); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return false
	}
	_, err := evidence.Resolve(fsys, p)
	return err != nil
}

// readHead reads what detection reads of p: at most detect.MaxHead bytes.
func readHead(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, detect.MaxHead))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return data, nil
}
