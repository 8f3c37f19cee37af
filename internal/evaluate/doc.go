// Package evaluate unifies the policy (the embedded baseline and a
// repository's .ftgate/*.cue) with each config on trial, its record and the
// recomputed figures, and turns the verdict and every CUE error into findings.
//
// # One verdict per figure
//
// stats computes numbers only. Decide holds each thresholded figure to its
// bar once, in Go, and records the result as a result.Verdict (rule, figure,
// value, comparison, bar, holds): FT101's iterations, gain and techniques
// (and so converged), FT102's agreement and units, FT006's declared figure,
// FT103's examples, FT104's coverage and each uncovered scenario's share,
// FT201's quality gap and FT202's volume, saving and latency (and so the
// latency/cost case). The policy's built-in rules read those verdicts from
// input.metrics.verdicts and never compare a figure with a bar themselves;
// the figures table, the Markdown summary and the JSON output render the same
// verdicts. No output can therefore judge a figure differently from another.
//
// Go decides rather than CUE because the figures are float64 and CUE compares
// decimals exactly: 0.81 − 0.80 reaches CUE as 0.010000000000000009, above an
// epsilon of 0.01. Every comparison at a bar allows one documented Tolerance
// (1e-9, relative to the larger of 1 and the two numbers), so a figure equal
// to its bar as the user writes both is at the bar. Integer day counts
// (review window, evidence age, waivers) are exact and compared by the
// policy's rules directly.
//
// Thresholds are read from the policy (the baseline, the repository's
// values, the task's), so a repository still tightens every bar in CUE. A
// config is held to ThresholdsFor its path: threshold by threshold, the
// tightest value among its record's task and every task whose covers match
// the config, in the direction #floors gives.
//
// # Repository rules
//
// A rule written `deny: ID: {if c {…}}` is compiled as `deny: {if c {ID:
// {…}}}` (liftConditionalRules), so that both forms SPEC §4 allows
// contribute nothing when c does not hold. A rule that cannot be evaluated
// on an input is one problem at its place in the repository's file; VetRules
// tries every rule on the tree's records and on an empty input before a
// check meets it.
package evaluate
