package cli

import "github.com/spf13/cobra"

func newInit(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "init CONFIG",
		Short:  "Write a decision record for a training config, pre-filled from it",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return notYet("init")
		},
	}
}
