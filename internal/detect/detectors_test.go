package detect

import (
	"regexp"
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
		if len(strings.Fields(d.Doc)) < 20 {
			t.Errorf("%s: Doc is missing or too short to explain what is matched", d.Name)
		}
		if len(d.Formats) == 0 {
			t.Errorf("%s: no formats", d.Name)
		}
		if len(d.Signatures) == 0 {
			t.Errorf("%s: no signatures", d.Name)
		}
		sigs := map[string]bool{"text": true}
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
