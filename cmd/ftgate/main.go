// Command ftgate fails a change that adds or edits a fine-tuning config
// unless a committed decision record proves, with evidence ftgate recomputes,
// that prompting has hit its ceiling and fine-tuning is justified.
package main

import (
	"os"

	"github.com/ftgate/ftgate/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
