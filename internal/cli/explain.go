package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/rules"
)

func newExplain(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain what a rule checks, why, and how to satisfy it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := strings.ToUpper(args[0])
			r, ok := rules.Lookup(id)
			if !ok {
				return &usageError{msg: fmt.Sprintf("unknown rule %q (rules: FT001-FT011, FT101-FT105, FT201-FT203)", args[0])}
			}
			fmt.Fprintf(e.stdout, "%s %s (default severity: %s)\n\n%s\n\nChecks:\n  %s\n\nWhy:\n  %s\n\nHow to satisfy it:\n  %s\n",
				r.ID, r.Name, r.Severity, r.Summary, r.Checks, r.Why, r.Satisfy)
			return nil
		},
	}
}

func newVersion(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print ftgate's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			version, commit := "(devel)", ""
			if info, ok := debug.ReadBuildInfo(); ok {
				if info.Main.Version != "" {
					version = info.Main.Version
				}
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" {
						commit = s.Value
					}
				}
			}
			if commit != "" {
				fmt.Fprintf(e.stdout, "ftgate %s (%s)\n", version, commit)
			} else {
				fmt.Fprintf(e.stdout, "ftgate %s\n", version)
			}
			return nil
		},
	}
}
