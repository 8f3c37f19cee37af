// Package rules documents every built-in rule: its ID, default severity and
// the text that feeds `ftgate explain`, SARIF rule help and docs/rules.md.
//
// The rules are declared values in one list, [All], rather than registered
// from init functions, so that a reader sees every rule in one file and a
// test can reject a rule that is missing or undocumented. The package holds
// documentation only: the checks themselves live in the policy and in the
// pipeline stages, and this package imports nothing from them, so every stage
// (and every reporter) may use it.
//
// The prose fields are plain text without hard line breaks; each renderer
// wraps them as its medium needs. Code-like names (policy paths, record
// fields, file columns) are set in backquotes, which read well both in a
// terminal and in Markdown.
package rules
