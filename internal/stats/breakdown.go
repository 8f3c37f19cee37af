package stats

import (
	"cmp"
	"slices"

	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/result"
)

// Breakdown explains an agreement figure: who disagrees and on what.
//
// Pairs holds, for each two annotators who labelled a unit in common (of
// the MaxPairAnnotators with most labels, when there are more), the metric
// opt chooses computed on those two alone over the units both labelled,
// weakest first (undefined values last). The work is the sum over units of
// the squared number of their labels from those annotators, and the memory
// one pair of ratings per pair and shared unit: at most 32 per label.
//
// Categories holds, for each label, its share of the pairable values and
// the share of disagreeing pairs it takes part in: a unit whose m labels
// count n_c of label c holds n_c·(m−n_c) disagreeing pairs with c in them,
// out of Σ_c n_c·(m−n_c)/2 disagreeing pairs in all, so the shares add up
// to 2 (each disagreeing pair has two labels). Most disputed first.
func Breakdown(a *evidence.Annotations, opt AgreementOptions) ([]result.PairAgreement, []result.LabelDisagreement, error) {
	if a == nil {
		return nil, nil, nil
	}
	pairs, err := pairBreakdown(a, opt)
	if err != nil {
		return nil, nil, err
	}
	return pairs, labelBreakdown(a), nil
}

type pairKey struct{ a, b int32 }

// MaxPairAnnotators bounds the annotators whose pairs the breakdown lists:
// with more, it lists the pairs among the MaxPairAnnotators who gave the
// most labels. Pairs grow with the square of the annotators, and a unit
// every one of thousands labelled would hold millions of them; the bound
// keeps a unit's pairs at about two thousand.
const MaxPairAnnotators = 64

// PairsAmong returns how many annotators Breakdown's pairs are among when
// that is fewer than all of a's (MaxPairAnnotators), else 0.
func PairsAmong(a *evidence.Annotations) int {
	if a == nil || len(a.Annotators) <= MaxPairAnnotators {
		return 0
	}
	return MaxPairAnnotators
}

// pairAnnotators marks the annotators whose pairs are broken down: all of
// them, or the MaxPairAnnotators with the most labels (by name on a tie).
func pairAnnotators(a *evidence.Annotations) []bool {
	keep := make([]bool, len(a.Annotators))
	if len(a.Annotators) <= MaxPairAnnotators {
		for i := range keep {
			keep[i] = true
		}
		return keep
	}
	labels := make([]int, len(a.Annotators))
	for _, r := range a.Ratings {
		labels[r.Annotator]++
	}
	order := make([]int, len(a.Annotators))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(labels[y], labels[x]), cmp.Compare(a.Annotators[x], a.Annotators[y]))
	})
	for _, i := range order[:MaxPairAnnotators] {
		keep[i] = true
	}
	return keep
}

func pairBreakdown(a *evidence.Annotations, opt AgreementOptions) ([]result.PairAgreement, error) {
	subs := make(map[pairKey]*evidence.Annotations)
	var order []pairKey
	keep := pairAnnotators(a)
	var kept []evidence.Rating
	for u := range a.NumUnits() {
		kept = kept[:0]
		for _, r := range a.UnitRatings(u) {
			if keep[r.Annotator] {
				kept = append(kept, r)
			}
		}
		rs := kept
		if len(rs) < 2 {
			continue
		}
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				// A pair is named in the order of its names, whatever
				// order the file met them in.
				x, y := rs[i], rs[j]
				if a.Annotators[x.Annotator] > a.Annotators[y.Annotator] {
					x, y = y, x
				}
				k := pairKey{x.Annotator, y.Annotator}
				sub := subs[k]
				if sub == nil {
					// Two annotators, 0 and 1; the labels are the whole
					// file's, so categories and scores are the same as in
					// the overall figure.
					sub = &evidence.Annotations{Path: a.Path, Annotators: []string{a.Annotators[k.a], a.Annotators[k.b]}, Labels: a.Labels}
					subs[k] = sub
					order = append(order, k)
				}
				sub.AddUnit(a.UnitID(u), evidence.Rating{Annotator: 0, Label: x.Label}, evidence.Rating{Annotator: 1, Label: y.Label})
			}
		}
	}
	out := make([]result.PairAgreement, 0, len(order))
	for _, k := range order {
		res, err := ComputeAgreement(subs[k], opt)
		if err != nil {
			return nil, err
		}
		out = append(out, result.PairAgreement{A: a.Annotators[k.a], B: a.Annotators[k.b], Value: res.Value, Undefined: res.Undefined, Units: res.Units})
		delete(subs, k) // done with it: free as we go
	}
	slices.SortStableFunc(out, func(x, y result.PairAgreement) int {
		switch {
		case x.Value == nil && y.Value == nil:
		case x.Value == nil:
			return 1
		case y.Value == nil:
			return -1
		default:
			if c := cmp.Compare(*x.Value, *y.Value); c != 0 {
				return c
			}
		}
		return cmp.Compare(y.Units, x.Units) // more units: the firmer figure first
	})
	return out, nil
}

func labelBreakdown(a *evidence.Annotations) []result.LabelDisagreement {
	values := make([]int, len(a.Labels))     // pairable values per label
	disputes := make([]int64, len(a.Labels)) // disagreeing pairs per label
	var total, pairs int64
	count := make([]int, len(a.Labels))
	var touched []int32
	for u := range a.NumUnits() {
		rs := a.UnitRatings(u)
		m := len(rs)
		if m < 2 {
			continue
		}
		touched = touched[:0]
		for _, r := range rs {
			if count[r.Label] == 0 {
				touched = append(touched, r.Label)
			}
			count[r.Label]++
		}
		for _, l := range touched {
			n := count[l]
			values[l] += n
			total += int64(n)
			d := int64(n) * int64(m-n)
			disputes[l] += d
			pairs += d
			count[l] = 0
		}
	}
	pairs /= 2
	var out []result.LabelDisagreement
	for l, n := range values {
		if n == 0 {
			continue
		}
		ld := result.LabelDisagreement{Label: a.Labels[l], Share: float64(n) / float64(total)}
		if pairs > 0 {
			d := float64(disputes[l]) / float64(pairs)
			ld.Disagreement = &d
		}
		out = append(out, ld)
	}
	slices.SortStableFunc(out, func(x, y result.LabelDisagreement) int {
		if x.Disagreement != nil && y.Disagreement != nil {
			if c := cmp.Compare(*y.Disagreement, *x.Disagreement); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(y.Share, x.Share); c != 0 {
			return c
		}
		return cmp.Compare(x.Label, y.Label)
	})
	return out
}
