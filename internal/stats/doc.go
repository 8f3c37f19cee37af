// Package stats recomputes the figures a decision record claims, from the
// parsed evidence alone: inter-annotator agreement and its bootstrap interval
// (FT102), convergence of prompt optimisation (FT101), production coverage of
// the training scenarios (FT104) and the monthly token saving of a tuned
// model (FT202).
//
// The package is pure: it does no I/O, knows nothing of CUE or the policy, and
// returns the plain structs of package result. It never returns NaN or an
// infinity: a figure that does not exist is a nil pointer, and an agreement
// coefficient that is undefined says why (result.Agreement.Undefined), so a
// reporter can print "null" and a reason instead of a silent 0 or 1.
//
// # Agreement conventions
//
// Where published implementations disagree, SPEC section 7.1 decides, and the
// published cases in testdata/agreement hold the package to it:
//
//   - Categories. AgreementOptions.Categories is the codebook: it fixes the
//     order of the categories and scores them 1..k in that order, also for
//     interval and ratio alpha. Without it the categories are the labels
//     observed anywhere in the file, sorted numerically when every label is a
//     number (labels with the same numeric value, such as "1" and "1.0", are
//     one category), else as strings; interval and ratio alpha then use the
//     numeric values themselves.
//   - Weights (Cohen, Scott, Gwet AC2) are 1 − |i−j|/(k−1) (linear) and
//     1 − (i−j)²/(k−1)² (quadratic) on the ranks i, j of the categories, so a
//     level nobody used shifts the weights only when the codebook names it.
//   - Krippendorff's alpha follows Krippendorff (2011) "Computing
//     Krippendorff's Alpha-Reliability": the coincidence matrix over units
//     with at least two values, his ordinal metric built from the marginal
//     counts n_g, the interval metric (c−k)² and the ratio metric
//     ((c−k)/(c+k))².
//   - Cohen's kappa with missing ratings, Fleiss' kappa with unequal raters
//     per unit, Scott's pi and Gwet's AC1/AC2 follow Gwet (2014) as R's
//     irrCAC computes them: observed agreement over the units with at least
//     two ratings, chance agreement from every rating, including those of
//     units only one annotator rated. Scott's pi is Fleiss' generalised kappa
//     with weights (for two annotators without missing ratings it is Scott's
//     original pi).
//   - Percent agreement is the mean, over units with at least two labels, of
//     the share of agreeing pairs of labels (Fleiss' P-bar), not the share of
//     unanimous units.
//   - Undefined, checked in this order for every metric: no unit has two
//     labels (no_pairable_units); fewer than two distinct categories among
//     the pairable values (no_variation); chance agreement of 1
//     (chance_agreement_one).
package stats
