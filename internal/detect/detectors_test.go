package detect

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var detectorName = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestDetectorsDocumented rejects a detector that could not be explained:
// each needs a kebab-case name, a Doc, a format and a signature, and its
// signatures need names that say what matched.
func TestDetectorsDocumented(t *testing.T) {
	names := map[string]bool{Custom: true}
	for _, d := range Detectors {
		if !detectorName.MatchString(d.Name) {
			t.Errorf("detector name %q is not kebab-case", d.Name)
		}
		if names[d.Name] {
			t.Errorf("detector name %q is used twice (or is reserved)", d.Name)
		}
		names[d.Name] = true
		sigs := map[string]bool{"text": true, "launcher": true}
		if len(strings.Fields(d.Doc)) < 20 {
			t.Errorf("%s: Doc is missing or too short to explain what is matched", d.Name)
		}
		if len(d.Formats) == 0 {
			t.Errorf("%s: no formats", d.Name)
		}
		if len(d.Signatures) == 0 && d.Text == nil && d.Shell == nil && len(d.Code) == 0 {
			t.Errorf("%s: no signatures", d.Name)
		}
		// A format is listed exactly when a signature reads it, so Candidate
		// opens no file in vain and misses none.
		reads := map[Format]bool{
			YAML: len(d.Signatures) > 0 || d.Text != nil, JSON: len(d.Signatures) > 0 || d.Text != nil,
			JSONL: len(d.Signatures) > 0, TOML: d.Text != nil, Shell: d.Shell != nil,
			Python: len(d.Code) > 0, Notebook: len(d.Code) > 0,
		}
		for _, f := range d.Formats {
			if !reads[f] {
				t.Errorf("%s: lists format %s but has no signature for it", d.Name, f)
			}
		}
		for f, ok := range map[Format]bool{Shell: d.Shell != nil, Python: len(d.Code) > 0, Notebook: len(d.Code) > 0} {
			if ok && !slices.Contains(d.Formats, f) {
				t.Errorf("%s: has a %s signature but does not list the format", d.Name, f)
			}
		}
		for _, c := range d.Code {
			if c.Name == "" || sigs[c.Name] || c.Call == nil {
				t.Errorf("%s: code signature %q has no name, a duplicate name or no call", d.Name, c.Name)
			}
			sigs[c.Name] = true
		}
		for _, s := range d.Signatures {
			if s.Name == "" || sigs[s.Name] {
				t.Errorf("%s: signature name %q is empty or used twice", d.Name, s.Name)
			}
			sigs[s.Name] = true
			if s.Root != "" && s.Root != "*" {
				t.Errorf("%s:%s: root %q is neither \"\" nor \"*\"", d.Name, s.Name, s.Root)
			}
		}
		if d.Text != nil {
			if len(d.Text.All) == 0 {
				t.Errorf("%s: a text signature needs at least one expression in All", d.Name)
			}
			if d.Text.BaseModel != nil && d.Text.BaseModel.NumSubexp() < 1 {
				t.Errorf("%s: the text base-model expression has no group", d.Name)
			}
		}
	}
}
