package record

import (
	"fmt"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"
)

// maxEntries bounds the entries of one list or mapping in a record. CUE
// places each entry by a scan of those before it, so a list of n entries
// costs n² (a 1 MiB record of 30,000 globs took over a second); with the
// bound, a record costs at most maxEntries times its size, and a decision
// record that lists more than a few hundred of anything is not a page a
// reviewer reads.
const maxEntries = 256

// maxValues bounds the values of a whole record, every list entry and
// field counted. Each one the schema refuses is an error CUE adds to its
// list after looking for it there: a record of 65,536 refused numbers
// took 5 s. A decision record holds a few hundred values.
const maxValues = 4096

// entriesBounded reports each list or mapping of f holding more than
// maxEntries entries, naming its field, and returns false if there was one:
// the record is then not evaluated.
func (r *Record) entriesBounded(f *ast.File) bool {
	ok := true
	values := 0
	check := func(n int, at token.Pos, what string, segs []string) {
		values += n
		if values > maxValues && ok {
			ok = false
			r.problem(r.position(at), fmt.Sprintf("%s: the record holds more than %d values; a decision record is a page, with its evidence in files it names",
				pathName(segs), maxValues))
			return
		}
		if n > maxEntries {
			ok = false
			r.problem(r.position(at), fmt.Sprintf("%s: a %s of %d entries; a record holds at most %d in one list or mapping",
				pathName(segs), what, n, maxEntries))
		}
	}
	var walk func(n ast.Node, segs []string)
	walk = func(n ast.Node, segs []string) {
		if !ok {
			return // one problem says why the record is not read
		}
		switch x := n.(type) {
		case *ast.Field:
			name, _, err := ast.LabelName(x.Label)
			if err != nil {
				name = "?"
			}
			walk(x.Value, append(segs, name))
		case *ast.EmbedDecl:
			walk(x.Expr, segs)
		case *ast.StructLit:
			check(len(x.Elts), x.Pos(), "mapping", segs)
			for _, e := range x.Elts {
				walk(e, segs)
			}
		case *ast.ListLit:
			check(len(x.Elts), x.Pos(), "list", segs)
			for i, e := range x.Elts {
				walk(e, append(segs, strconv.Itoa(i)))
			}
		}
	}
	check(len(f.Decls), f.Pos(), "mapping", nil)
	for _, d := range f.Decls {
		walk(d, nil)
	}
	return ok
}

// pathName names a field by its path, or the record itself at the top.
func pathName(segs []string) string {
	if len(segs) == 0 {
		return "the record"
	}
	return strings.Join(segs, ".")
}
