// Package report renders a [result.Result] for people and for machines.
//
// Each output format lives in its own file and is one entry of the list in
// report.go. That list is the only place a format is named: [New] looks
// formats up in it, [Formats] drives the --format help, and an unknown name
// is an error that lists the known ones, never a silent fallback to text (the
// conftest behaviour that hides a typo in a CI config).
//
// Reporters only render. They neither sort nor filter the findings: the
// pipeline stamps, sorts and de-duplicates them and sets Result.Result, so
// every format shows the same run in the same order. (The text summary falls
// back to deriving the verdict from FailOn only when Result.Result is empty.)
//
// Everything in a result that came from the change under review (file names,
// messages, scenario names) is untrusted. The text format escapes control
// characters so that a file named with a newline or an ANSI escape cannot
// forge an extra finding line or repaint the terminal; the JSON format leaves
// escaping to encoding/json.
package report
