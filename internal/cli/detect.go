package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
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
	fsys := changes.WorktreeFS(f.dir)
	paths, err := detectPaths(fsys, f.dir, args)
	if err != nil {
		return err
	}
	res, err := listConfigs(fsys, paths, pol, f.records)
	if err != nil {
		return err
	}
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
}

func writeDetectJSON(w io.Writer, res detect.Result) error {
	out := struct {
		Version int            `json:"version"`
		Configs []detectedJSON `json:"configs"`
	}{Version: 1, Configs: []detectedJSON{}}
	for _, c := range res.Configs {
		d := detectedJSON{
			Path: c.Path, Kind: c.Kind, Framework: c.Framework, Signature: c.Signature,
			Datasets: append([]string{}, c.Datasets...), Line: c.Line,
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
