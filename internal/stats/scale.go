package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/internal/evidence"
)

// scale maps labels to ordered categories (SPEC 7.1, "Categories").
type scale struct {
	names []string // category names, in order
	cat   []int    // label index → category index; -1 for a label no rating uses
	// num holds each category's numeric value when the categories are the
	// observed labels and all of them are numbers; nil otherwise.
	num      []float64
	codebook bool // the categories came from AgreementOptions.Categories
}

// parseNumber reads a label as a finite number. "NaN" and "Inf" parse in
// strconv but are no position on a scale, so they stay labels.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// newScale orders the categories: the codebook when one is given, else the
// labels some rating uses, sorted numerically (equal values merged) when all
// are numbers, else as strings.
func newScale(a *evidence.Annotations, codebook []string) (*scale, error) {
	used := make([]bool, len(a.Labels))
	for _, r := range a.Ratings {
		used[r.Label] = true
	}
	s := &scale{cat: make([]int, len(a.Labels))}
	for i := range s.cat {
		s.cat[i] = -1
	}
	if len(codebook) > 0 {
		return s.fromCodebook(a, used, codebook)
	}

	// Observed labels, first appearance first, so that an error names the
	// first offending label of the file.
	var labels []int
	for i, u := range used {
		if u {
			labels = append(labels, i)
		}
	}
	nums := make([]float64, len(a.Labels))
	numeric := true
	for _, i := range labels {
		f, ok := parseNumber(a.Labels[i])
		if !ok {
			numeric = false
			break
		}
		nums[i] = f
	}
	if numeric {
		// One category per distinct value: "1" and "1.0" are the same
		// point of a numeric scale. Its name is the first spelling seen:
		// labels are numbered in order of first appearance, which breaks
		// ties. Sorting, not a map, keeps many distinct values cheap.
		order := make([]valueAt, len(labels))
		for j, i := range labels {
			order[j] = valueAt{nums[i], i}
		}
		sortValues(order)
		values := make([]float64, 0, len(order))
		s.names = make([]string, 0, len(order))
		for j, o := range order {
			if j == 0 || o.v != order[j-1].v {
				values = append(values, o.v)
				s.names = append(s.names, a.Labels[o.i])
			}
			s.cat[o.i] = len(values) - 1
		}
		s.num = values
		return s, nil
	}
	slices.SortFunc(labels, func(x, y int) int { return cmp.Compare(a.Labels[x], a.Labels[y]) })
	for c, i := range labels {
		s.names = append(s.names, a.Labels[i])
		s.cat[i] = c
	}
	return s, nil
}

// valueAt is a label's numeric value and its index.
type valueAt struct {
	v float64
	i int
}

// radixMin is the number of labels from which sortValues sorts by radix.
const radixMin = 1 << 12

// sortValues sorts order, which lists labels by index, by value and then
// index. Many labels take a radix sort of the values' bits, whose passes
// cost the same per label however many there are (a comparison sort's cost
// per label grows with their logarithm, and its random accesses with the
// cache misses of a large array): the cost of ordinal alpha over a file of
// distinct values then grows with the file.
func sortValues(order []valueAt) {
	n := len(order)
	if n < radixMin {
		slices.SortFunc(order, func(x, y valueAt) int { return cmp.Or(cmp.Compare(x.v, y.v), cmp.Compare(x.i, y.i)) })
		return
	}
	// A float's bits, sign bit flipped for positives and every bit for
	// negatives, order as unsigned integers as the floats do; −0 is made
	// +0 first, as the two compare equal. The passes are stable and order
	// starts in index order, so equal values stay in index order.
	keys := make([]uint64, n)
	for j, o := range order {
		v := o.v
		if v == 0 {
			v = 0
		}
		b := math.Float64bits(v)
		if b>>63 == 1 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		keys[j] = b
	}
	const bits = 16
	tmpKeys, tmpOrder := make([]uint64, n), make([]valueAt, n)
	src, dst := order, tmpOrder
	count := make([]int, 1<<bits)
	for shift := 0; shift < 64; shift += bits {
		clear(count)
		for _, k := range keys {
			count[k>>shift&(1<<bits-1)]++
		}
		if count[keys[0]>>shift&(1<<bits-1)] == n {
			continue // every key has this digit
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for j, k := range keys {
			d := k >> shift & (1<<bits - 1)
			tmpKeys[count[d]] = k
			dst[count[d]] = src[j]
			count[d]++
		}
		keys, tmpKeys = tmpKeys, keys
		src, dst = dst, src
	}
	if &src[0] != &order[0] {
		copy(order, src)
	}
}

// fromCodebook matches every used label to the codebook: exactly after
// trimming spaces, else by numeric value, so "1.0" in a file is category 1.
func (s *scale) fromCodebook(a *evidence.Annotations, used []bool, codebook []string) (*scale, error) {
	s.codebook = true
	byName := make(map[string]int, len(codebook))
	byValue := map[float64]int{}
	for c, name := range codebook {
		name = strings.TrimSpace(name)
		if _, dup := byName[name]; dup {
			return s, fmt.Errorf("category %q is listed twice", name)
		}
		byName[name] = c
		if f, ok := parseNumber(name); ok {
			if prev, dup := byValue[f]; dup {
				return s, fmt.Errorf("categories %q and %q are the same number", codebook[prev], name)
			}
			byValue[f] = c
		}
		s.names = append(s.names, name)
	}
	for i, label := range a.Labels {
		if !used[i] {
			continue
		}
		c, ok := byName[strings.TrimSpace(label)]
		if !ok {
			if f, isNum := parseNumber(label); isNum {
				c, ok = byValue[f]
			}
		}
		if !ok {
			return s, fmt.Errorf("label %q is not one of the %d categories", label, len(codebook))
		}
		s.cat[i] = c
	}
	return s, nil
}

// values returns the score of each category for interval or ratio alpha: its
// rank 1..k when a codebook orders the categories (SPEC 7.1: "scored 1..k in
// that order"), else the number the label spells. A label that is not a
// number, or a negative one at ratio level, is an error naming it.
func (s *scale) values(a *evidence.Annotations, level string) ([]float64, error) {
	if s.codebook {
		v := make([]float64, len(s.names))
		for c := range v {
			v[c] = float64(c + 1)
		}
		return v, nil
	}
	if s.num == nil {
		for i, label := range a.Labels {
			if s.cat[i] < 0 {
				continue
			}
			if _, ok := parseNumber(label); !ok {
				return nil, fmt.Errorf("krippendorff_alpha at %s level needs numeric labels, found %q (give the categories to score labels 1..k)", level, label)
			}
		}
	}
	if level == Ratio {
		for c, v := range s.num {
			if v < 0 {
				return nil, fmt.Errorf("krippendorff_alpha at ratio level needs non-negative values, found %q", s.names[c])
			}
		}
	}
	return s.num, nil
}
