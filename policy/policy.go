// Package policy embeds ftgate's baseline policy: the decision-record schema,
// the thresholds with their defaults and floors, and the built-in rules, all
// CUE `package ftgate`. A repository's `.ftgate/*.cue` files are unified with
// these; unification only narrows, so a repository can tighten, never loosen.
package policy

import "embed"

// FS holds the baseline CUE files.
//
//go:embed *.cue
var FS embed.FS
