package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/baseline"
	"github.com/ftgate/ftgate/internal/changes"
)

type baselineFlags struct {
	policyFlags
	records string
}

func newBaseline(e *env) *cobra.Command {
	var f baselineFlags
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Record the training configs present today, to adopt ftgate in a repository that has many",
		Long: `baseline writes ` + baseline.Path + `: every training config detected in the tree
(the policy's detect settings apply, as for ftgate detect) with the SHA-256 of its
content, one config a line: the record of what a repository held when it adopted
ftgate. Commit it with the policy, and review a re-baseline's diff like any other
change to the policy. Exit 2 when the tree or the policy cannot be read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := runBaseline(e, f)
			if err == nil {
				return nil
			}
			var ee *exitError
			if errors.As(err, &ee) {
				return err
			}
			return detectError(e, "text", err)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.records, "records", "", "decision records `DIR`, whose files are never configs (default: the policy's records.dir)")
	return cmd
}

func runBaseline(e *env, f baselineFlags) error {
	_, pol, err := f.load()
	if err != nil {
		return policyFailed(e, err)
	}
	fsys := changes.WorktreeFS(f.dir)
	files, err := detectPaths(fsys, f.dir, nil)
	if err != nil {
		return err
	}
	res, err := listConfigs(fsys, files, pol, f.records)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(res.Configs))
	for _, c := range res.Configs {
		paths = append(paths, c.Path)
	}
	b, err := baseline.Build(fsys, paths)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := b.Encode(&buf); err != nil {
		return err
	}
	out := filepath.Join(f.dir, filepath.FromSlash(baseline.Path))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d %s\n", baseline.Path, len(b.Configs), plural(len(b.Configs), "config", "configs"))
	return nil
}
