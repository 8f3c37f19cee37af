package record

import (
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/token"
)

// dataOnly refuses a CUE record that is anything but plain data: fields with
// literal names whose values are structs, lists, strings, numbers, booleans
// and null. CUE evaluates comprehensions, references, interpolations and
// operators, and a few lines of them can take unbounded time or memory
// (nested comprehensions, a string doubled 26 times); deciding from the
// syntax tree means such a record is never evaluated. It returns the first
// construct that is not data, at its position.
func dataOnly(f *ast.File) error {
	for _, d := range f.Decls {
		switch x := d.(type) {
		case *ast.Package, *ast.CommentGroup:
		case *ast.EmbedDecl:
			// A file written as one `{...}` struct is data too.
			lit, ok := x.Expr.(*ast.StructLit)
			if !ok {
				return notData(x.Expr)
			}
			if err := dataStruct(lit); err != nil {
				return err
			}
		default:
			if err := dataDecl(d); err != nil {
				return err
			}
		}
	}
	return nil
}

func dataStruct(s *ast.StructLit) error {
	for _, d := range s.Elts {
		if err := dataDecl(d); err != nil {
			return err
		}
	}
	return nil
}

func dataDecl(d ast.Decl) error {
	field, ok := d.(*ast.Field)
	if !ok {
		if _, ok := d.(*ast.CommentGroup); ok {
			return nil
		}
		return notData(d)
	}
	switch {
	case field.Constraint != token.ILLEGAL:
		return refuse(field.Pos(), "an optional or required field marker (%s)", field.Constraint)
	case field.Alias != nil:
		return refuse(field.Alias.Tilde, "a field alias")
	case len(field.Attrs) > 0:
		return refuse(field.Attrs[0].Pos(), "an attribute")
	}
	switch l := field.Label.(type) {
	case *ast.Ident:
		if name := l.Name; len(name) > 0 && (name[0] == '#' || name[0] == '_') {
			return refuse(l.Pos(), "a definition or hidden field (%s)", name)
		}
	case *ast.BasicLit:
		if l.Kind != token.STRING {
			return notData(l)
		}
	default:
		return notData(field.Label)
	}
	return dataValue(field.Value)
}

func dataValue(e ast.Expr) error {
	switch x := e.(type) {
	case *ast.BasicLit:
		return nil
	case *ast.StructLit:
		return dataStruct(x)
	case *ast.ListLit:
		for _, el := range x.Elts {
			if err := dataValue(el); err != nil {
				return err
			}
		}
		return nil
	case *ast.UnaryExpr:
		// A signed number is data; any other operator is evaluation.
		if lit, ok := x.X.(*ast.BasicLit); ok && (x.Op == token.SUB || x.Op == token.ADD) &&
			(lit.Kind == token.INT || lit.Kind == token.FLOAT) {
			return nil
		}
	}
	return notData(e)
}

// notData names the construct a node is.
func notData(n ast.Node) error {
	what, pos := "an expression", n.Pos()
	switch x := n.(type) {
	case *ast.Comprehension:
		what = "a comprehension"
	case *ast.Ident:
		what = "a reference (" + x.Name + ")"
	case *ast.SelectorExpr, *ast.IndexExpr, *ast.SliceExpr:
		what = "a reference"
	case *ast.Interpolation:
		what = "string interpolation"
	case *ast.ImportDecl, *ast.ImportSpec:
		what = "an import"
	case *ast.CallExpr:
		what = "a function call"
	case *ast.BinaryExpr:
		what, pos = "an operator ("+x.Op.String()+")", x.OpPos
	case *ast.UnaryExpr:
		what = "an operator (" + x.Op.String() + ")"
	case *ast.LetClause:
		what = "a let clause"
	case *ast.Alias:
		what = "an alias"
	case *ast.Ellipsis:
		what = "an open struct or list (...)"
	case *ast.EmbedDecl:
		what = "an embedded value"
	case *ast.Attribute:
		what = "an attribute"
	case *ast.BottomLit:
		what = "bottom (_|_)"
	case *ast.ParenExpr:
		what = "a parenthesised expression"
	case *ast.BasicLit:
		what = "a " + x.Kind.String() + " label"
	}
	return refuse(pos, "%s", what)
}

func refuse(pos token.Pos, format string, args ...any) error {
	return errors.Newf(pos, "a record in CUE is data only: "+format+" is not allowed", args...)
}
