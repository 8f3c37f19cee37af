package record

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// numbersInRange reports, as FT002, every number the record writes that no
// float64 can hold (`1e400`): CUE keeps such a number exactly, and decoding
// it fails with a message that names neither the field nor the cause. The
// YAML decoder turns an out-of-range plain scalar into a string, so for YAML
// an unquoted string that reads as a number counts too.
func (r *Record) numbersInRange(f *ast.File) bool {
	ok := true
	check := func(lit *ast.BasicLit, at token.Pos, sign string, segs []string) {
		if text, big := r.overflows(lit); big {
			ok = false
			r.problem(r.position(at), fmt.Sprintf("%s: %s%s is beyond the largest number ftgate computes with (%.3g)",
				strings.Join(segs, "."), sign, text, math.MaxFloat64))
		}
	}
	var walk func(n ast.Node, segs []string)
	walk = func(n ast.Node, segs []string) {
		switch x := n.(type) {
		case *ast.Field:
			name, _, err := ast.LabelName(x.Label)
			if err != nil {
				return
			}
			walk(x.Value, append(segs, name))
		case *ast.EmbedDecl:
			walk(x.Expr, segs)
		case *ast.StructLit:
			for _, e := range x.Elts {
				walk(e, segs)
			}
		case *ast.ListLit:
			for i, e := range x.Elts {
				walk(e, append(segs, strconv.Itoa(i)))
			}
		case *ast.UnaryExpr:
			if lit, isLit := x.X.(*ast.BasicLit); isLit {
				check(lit, x.OpPos, x.Op.String(), segs)
			}
		case *ast.BasicLit:
			check(x, x.ValuePos, "", segs)
		}
	}
	for _, d := range f.Decls {
		walk(d, nil)
	}
	return ok
}

// overflows reports whether a literal is a number past the float64 range,
// and returns it as written.
func (r *Record) overflows(lit *ast.BasicLit) (string, bool) {
	text := lit.Value
	switch lit.Kind {
	case token.INT, token.FLOAT:
	case token.STRING:
		if !strings.HasSuffix(r.Path, ".yaml") && !strings.HasSuffix(r.Path, ".yml") {
			return "", false
		}
		// Only a plain scalar: a quoted "1e400" is a string the author meant.
		if off := lit.ValuePos.Offset(); !lit.ValuePos.IsValid() || off < 0 || off >= len(r.src) ||
			r.src[off] == '"' || r.src[off] == '\'' {
			return "", false
		}
		s, err := literal.Unquote(text)
		if err != nil {
			return "", false
		}
		text = s
	default:
		return "", false
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	return text, errors.Is(err, strconv.ErrRange)
}

// costsInRange reports, as FT002, figures that are each a number but whose
// products or sums in FT202's formulas (SPEC §1.1) pass the largest float:
// an infinite saving would make the latency/cost case hold.
func (r *Record) costsInRange() {
	huge := func(x float64) bool { return math.IsInf(x, 0) || math.IsNaN(x) }
	if lc := r.Sufficient.LatencyCost; lc != nil {
		tuned := lc.USDPerMTok
		if lc.TunedUSDPerMTok != nil {
			tuned = *lc.TunedUSDPerMTok
		}
		prompted := lc.CallsPerDay * 30 * lc.PromptTokens * lc.USDPerMTok
		tunedCost := lc.CallsPerDay * 30 * lc.TunedPromptTokens * tuned
		if huge(prompted) || huge(tunedCost) || huge(prompted-tunedCost) {
			r.problem(r.Pos("sufficient.latency_cost"), "sufficient.latency_cost: calls_per_day × 30 × tokens × usd_per_mtok passes the largest number ftgate computes with")
		}
	}
	if huge(r.Costs.DataUSD + r.Costs.TrainingUSD) {
		r.problem(r.Pos("costs"), "costs: data_usd + training_usd passes the largest number ftgate computes with")
	}
}
