package record

import (
	"encoding/json"
	"fmt"

	"cuelang.org/go/cue"
	"cuelang.org/go/encoding/jsonschema"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of the decision record,
// generated from #Record in the embedded schema, so that an editor checks a
// record against exactly what FT002 checks.
func JSONSchema() ([]byte, error) {
	l, err := NewLoader()
	if err != nil {
		return nil, err
	}
	expr, err := jsonschema.Generate(l.schema, nil)
	if err != nil {
		return nil, fmt.Errorf("generate record schema: %w", err)
	}
	v := l.ctx.BuildExpr(expr)
	var doc map[string]any
	if err := v.Decode(&doc); err != nil {
		return nil, fmt.Errorf("generate record schema: %w", err)
	}
	doc["title"] = "ftgate decision record (kind: FineTuneDecision)"
	// The generator loses the value constraint of a pattern-keyed struct:
	// restate it so an editor flags a malformed digest too.
	if props, ok := doc["properties"].(map[string]any); ok {
		props["digests"] = map[string]any{
			"type":                 "object",
			"additionalProperties": map[string]any{"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
		}
	}
	// Fields whose value is fixed (apiVersion, kind) come out optional;
	// required is every regular field without a default.
	var required []string
	it, err := l.schema.Fields()
	if err != nil {
		return nil, fmt.Errorf("generate record schema: %w", err)
	}
	for it.Next() {
		// A default is a marked disjunction (*"normal" | ...); an open
		// list also reports a default (the empty list), which is no
		// default for a required field.
		_, hasDefault := it.Value().Default()
		if op, _ := it.Value().Expr(); !hasDefault || op != cue.OrOp {
			required = append(required, it.Selector().Unquoted())
		}
	}
	doc["required"] = required
	return json.MarshalIndent(doc, "", "  ")
}
