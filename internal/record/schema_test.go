package record

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestJSONSchema(t *testing.T) {
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema     string                     `json:"$schema"`
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
		Additional bool                       `json:"additionalProperties"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "https://json-schema.org/draft/2020-12/schema" || doc.Additional {
		t.Errorf("$schema %q, additionalProperties %v", doc.Schema, doc.Additional)
	}
	for _, f := range []string{"apiVersion", "kind", "id", "title", "status", "decided", "review_by", "covers", "base_model"} {
		if !slices.Contains(doc.Required, f) {
			t.Errorf("%s is not required", f)
		}
	}
	for _, f := range []string{"necessary", "sufficient", "costs", "waivers", "digests", "alternatives"} {
		if _, ok := doc.Properties[f]; !ok {
			t.Errorf("property %s missing", f)
		}
	}
}
