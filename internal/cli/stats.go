package cli

import "github.com/spf13/cobra"

func newStats(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "stats agreement|convergence|coverage FILE...",
		Short:  "Compute agreement, convergence and coverage figures on their own",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return notYet("stats")
		},
	}
}
