package cli

import "github.com/spf13/cobra"

func newPolicy(e *env) *cobra.Command {
	return &cobra.Command{
		Use:    "policy vet|show|schema|test",
		Short:  "Validate, show, export and test the policy",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return notYet("policy")
		},
	}
}
