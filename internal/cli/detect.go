package cli

import "github.com/spf13/cobra"

func newDetect(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "detect [PATH...]",
		Short:  "List the training configs in files or directories",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return notYet("detect")
		},
	}
}
