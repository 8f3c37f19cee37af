package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// stampedVersion is the release tag, set at link time by scripts/release.sh
// (-X github.com/ftgate/ftgate/internal/cli.stampedVersion=v0.1.0). A
// release archive is built with -trimpath and no VCS stamp, so without it the
// binary could not name its version.
var stampedVersion string

func newVersion(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print ftgate's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			info, ok := debug.ReadBuildInfo()
			fmt.Fprintf(e.stdout, "ftgate %s\n", versionString(stampedVersion, info, ok))
			return nil
		},
	}
}

// versionString is the stamped release tag when there is one; otherwise the
// module version (set by `go install ...@v0.1.0`) and, when the binary was
// built from a checkout, the commit (marked when the tree had uncommitted
// changes).
func versionString(stamped string, info *debug.BuildInfo, ok bool) string {
	if stamped != "" {
		return stamped
	}
	version, commit, dirty := "(devel)", "", false
	if ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if commit == "" {
		return version
	}
	if dirty {
		commit += ", modified"
	}
	return version + " (" + commit + ")"
}
