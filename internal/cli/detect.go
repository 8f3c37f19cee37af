package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evaluate"
)

type detectFlags struct {
	policyFlags
	format  string
	records string
}

// detectFormats are the formats detect prints; a list, not report's, since
// detect prints configs rather than findings.
var detectFormats = []string{"text", "json"}

func newDetect(e *env) *cobra.Command {
	var f detectFlags
	cmd := &cobra.Command{
		Use:   "detect [PATH...]",
		Short: "List the training configs in files or directories",
		Long: `detect lists the training configs among the files and directories named (default:
the whole tree under -C), with their kind (finetune or pretrain), framework, the
signature that matched, the base model and the datasets. The repository's policy
applies: detect.include and detect.exclude globs, detect.pretrain: ignore, and the
records directory, whose files are never configs. Exit 0 whether or not configs are
found; 2 when ftgate could not read the tree or the policy.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := runDetect(e, f, args)
			if err == nil {
				return nil
			}
			var ee *exitError
			if errors.As(err, &ee) {
				return err
			}
			return detectError(e, f.format, err)
		},
	}
	fl := cmd.Flags()
	f.register(cmd)
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(detectFormats, ", "))
	fl.StringVar(&f.records, "records", "", "decision records directory, whose files are never configs (default: the policy's records.dir)")
	return cmd
}

func runDetect(e *env, f detectFlags, args []string) error {
	if f.format != "text" && f.format != "json" {
		return &usageError{msg: fmt.Sprintf("--format %q: want %s", f.format, strings.Join(detectFormats, " or "))}
	}
	_, pol, err := f.load()
	if err != nil {
		return err
	}
	records := pol.RecordsDir
	if f.records != "" {
		records = path.Clean(filepath.ToSlash(f.records))
	}
	opts := detect.Options{Include: pol.Include, Exclude: pol.Exclude, RecordsDir: records, Pretrain: pol.Pretrain}
	// A path outside the -C root is a tree of its own: it is walked from
	// where it is, and its configs are listed under the path as given.
	var inside, outside []string
	for _, a := range args {
		_, err := repoPath(f.dir, a)
		switch {
		case err != nil && !pathExists(fromRoot(f.dir, a)):
			return failf("%s: no such file or directory", a)
		case err != nil:
			outside = append(outside, a)
		default:
			inside = append(inside, a)
		}
	}
	var res detect.Result
	if len(inside) > 0 || len(outside) == 0 {
		fsys := changes.WorktreeFS(f.dir)
		paths, err := detectPaths(fsys, f.dir, inside)
		if err != nil {
			return err
		}
		if res, err = detect.Detect(fsys, paths, opts); err != nil {
			return err
		}
	}
	for _, a := range outside {
		root, rel, shown := fromRoot(f.dir, a), ".", a
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			root, rel, shown = filepath.Dir(root), filepath.Base(root), filepath.Dir(a)
		}
		fsys := changes.WorktreeFS(root)
		paths, err := detectPaths(fsys, root, []string{rel})
		if err != nil {
			return err
		}
		more, err := detect.Detect(fsys, paths, opts)
		if err != nil {
			return err
		}
		prefix := filepath.ToSlash(shown)
		for _, c := range more.Configs {
			c.Path = path.Join(prefix, c.Path)
			res.Configs = append(res.Configs, c)
		}
		for _, x := range more.Excluded {
			x.Config.Path = path.Join(prefix, x.Config.Path)
			res.Excluded = append(res.Excluded, x)
		}
		for _, u := range more.Unjudged {
			u.Path = path.Join(prefix, u.Path)
			res.Unjudged = append(res.Unjudged, u)
		}
	}
	slices.SortFunc(res.Configs, func(a, b detect.Config) int { return strings.Compare(a.Path, b.Path) })
	// A DeepSpeed, accelerate or FSDP file is never a config of its own: it
	// is listed under the configs that reference it (SPEC §2).
	res.Configs = slices.DeleteFunc(res.Configs, func(c detect.Config) bool { return c.Framework == detect.BackendFramework })
	if f.format == "json" {
		return writeDetectJSON(e.stdout, res)
	}
	return writeDetectText(e.stdout, res)
}

// listConfigs runs the detectors over paths with the policy's detect
// settings: the listing detect prints and baseline records, never a verdict.
func listConfigs(fsys fs.FS, paths []string, pol *evaluate.Policy, recordsFlag string) (detect.Result, error) {
	records := pol.RecordsDir
	if recordsFlag != "" {
		records = path.Clean(filepath.ToSlash(recordsFlag))
	}
	return detect.Detect(fsys, paths, detect.Options{
		Include: pol.Include, Exclude: pol.Exclude, RecordsDir: records, Pretrain: pol.Pretrain,
	})
}

// fromRoot is name as the file system finds it: relative names are under
// the -C root.
func fromRoot(dir, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

// pathExists reports whether name exists.
func pathExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// detectPaths expands the PATH arguments, relative to the -C root, into
// the files under them; no argument means the whole tree.
func detectPaths(fsys fs.FS, dir string, args []string) ([]string, error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	var out []string
	for _, a := range args {
		p, err := repoPath(dir, a)
		if err != nil {
			return nil, err
		}
		st, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, failf("%s: no such file or directory under %s", a, dir)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		sub := fsys
		if p != "." {
			if sub, err = fs.Sub(fsys, p); err != nil {
				return nil, err
			}
		}
		files, err := changes.ListFiles(sub)
		if err != nil {
			return nil, fmt.Errorf("list files under %s: %w", a, err)
		}
		for _, name := range files {
			if p != "." {
				name = path.Join(p, name)
			}
			out = append(out, name)
		}
	}
	return out, nil
}

// detectedJSON is one config of `ftgate detect --format json` (SPEC §7).
type detectedJSON struct {
	Path      string   `json:"path"`
	Kind      string   `json:"kind"`
	Framework string   `json:"framework"`
	Signature string   `json:"signature"`
	BaseModel *string  `json:"base_model"`
	Datasets  []string `json:"datasets"`
	// Line is only for matches in code.
	Line int `json:"line,omitempty"`
	// Backends are the DeepSpeed, accelerate and FSDP files the config
	// references.
	Backends []string `json:"backends,omitempty"`
}

func writeDetectJSON(w io.Writer, res detect.Result) error {
	out := struct {
		Version int            `json:"version"`
		Configs []detectedJSON `json:"configs"`
	}{Version: 1, Configs: []detectedJSON{}}
	for _, c := range res.Configs {
		d := detectedJSON{
			Path: c.Path, Kind: c.Kind, Framework: c.Framework, Signature: c.Signature,
			Datasets: append([]string{}, c.Datasets...), Line: c.Line, Backends: c.Refs,
		}
		if c.BaseModel != "" {
			d.BaseModel = &c.BaseModel
		}
		out.Configs = append(out.Configs, d)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeDetectText prints a config a line, compiler-style (path, and the
// line for code), then what it names, then a summary that counts the
// configs an exclude glob removed.
func writeDetectText(w io.Writer, res detect.Result) error {
	var b strings.Builder
	pretrain := 0
	for _, c := range res.Configs {
		loc := c.Path
		if c.Line > 0 {
			loc = fmt.Sprintf("%s:%d", c.Path, c.Line)
		}
		fmt.Fprintf(&b, "%s: %s %s [%s]\n", loc, c.Kind, c.Framework, c.Signature)
		if c.BaseModel != "" {
			fmt.Fprintf(&b, "    base model: %s\n", c.BaseModel)
		}
		if len(c.Datasets) > 0 {
			fmt.Fprintf(&b, "    datasets: %s\n", strings.Join(c.Datasets, ", "))
		}
		if len(c.Refs) > 0 {
			fmt.Fprintf(&b, "    backend files: %s\n", strings.Join(c.Refs, ", "))
		}
		if c.Kind == detect.Pretrain {
			pretrain++
		}
	}
	for _, x := range res.Excluded {
		fmt.Fprintf(&b, "excluded %s (%s) by detect.exclude %q\n", x.Config.Path, x.Config.Framework, x.Glob)
	}
	// What cannot be read is said, not dropped: check fails it (FT004).
	for _, u := range res.Unjudged {
		fmt.Fprintf(&b, "%s: %s\n", u.Path, u.Reason)
	}
	fmt.Fprintf(&b, "%s (%d pretrain)", configCount(len(res.Configs)), pretrain)
	if n := len(res.Excluded); n > 0 {
		fmt.Fprintf(&b, ", %d excluded", n)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func configCount(n int) string {
	if n == 1 {
		return "1 training config"
	}
	return fmt.Sprintf("%d training configs", n)
}

// detectError prints why detect could not run, as every command does (text
// on stderr, or the SPEC §7 error object with --format json), and exits 2.
func detectError(e *env, format string, err error) error {
	var ue *usageError
	if errors.As(err, &ue) {
		return err
	}
	return printError(e, format, err)
}
