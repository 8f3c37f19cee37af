package rules

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// builtin is every rule ID section 1 of the specification defines, and
// FT012 for the baseline of section 5. It is
// spelled out here, not derived from All, so that dropping a rule from All
// fails the test instead of silently shrinking it.
var builtin = []string{
	"FT001", "FT002", "FT003", "FT004", "FT005", "FT006", "FT007", "FT008", "FT009", "FT010", "FT011", "FT012",
	"FT101", "FT102", "FT103", "FT104", "FT105",
	"FT201", "FT202", "FT203",
}

var (
	idRE   = regexp.MustCompile(`^FT[0-2][0-9]{2}$`)
	nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

func TestAllMatchesSpec(t *testing.T) {
	var ids []string
	for _, r := range All {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, builtin) {
		t.Errorf("rule IDs in All:\n got %v\nwant %v", ids, builtin)
	}
}

func TestAllSortedAndUnique(t *testing.T) {
	seenID := map[string]bool{}
	seenName := map[string]string{}
	for i, r := range All {
		if seenID[r.ID] {
			t.Errorf("%s declared twice", r.ID)
		}
		seenID[r.ID] = true
		if other, ok := seenName[r.Name]; ok {
			t.Errorf("%s and %s share the name %q", other, r.ID, r.Name)
		}
		seenName[r.Name] = r.ID
		if i > 0 && All[i-1].ID >= r.ID {
			t.Errorf("%s follows %s: All must be in ID order", r.ID, All[i-1].ID)
		}
	}
}

func TestAllDocumented(t *testing.T) {
	for _, r := range All {
		if !idRE.MatchString(r.ID) {
			t.Errorf("%q does not match %s", r.ID, idRE)
		}
		if !nameRE.MatchString(r.Name) {
			t.Errorf("%s: name %q is not kebab-case", r.ID, r.Name)
		}
		switch r.Severity {
		case "error", "warning", "notice":
		default:
			t.Errorf("%s: severity %q is not error, warning or notice", r.ID, r.Severity)
		}
		fields := []struct{ name, text string }{
			{"Summary", r.Summary},
			{"Checks", r.Checks},
			{"Why", r.Why},
			{"Satisfy", r.Satisfy},
		}
		for _, f := range fields {
			switch {
			case strings.TrimSpace(f.text) == "":
				t.Errorf("%s: %s is empty", r.ID, f.name)
			case f.text != strings.TrimSpace(f.text):
				t.Errorf("%s: %s has leading or trailing space", r.ID, f.name)
			case strings.Contains(f.text, "\n"):
				// Renderers (terminal, Markdown, SARIF) wrap the text
				// themselves; a hard break would show up mid-sentence.
				t.Errorf("%s: %s contains a line break", r.ID, f.name)
			case strings.Contains(f.text, "  "):
				t.Errorf("%s: %s contains a double space (a missing word?)", r.ID, f.name)
			}
		}
	}
}

// TestDefaultSeverities pins the defaults that are not "error", as section 1
// of the specification lists them.
func TestDefaultSeverities(t *testing.T) {
	want := map[string]string{"FT010": "notice", "FT011": "warning", "FT012": "notice", "FT203": "warning"}
	for _, r := range All {
		w, ok := want[r.ID]
		if !ok {
			w = "error"
		}
		if r.Severity != w {
			t.Errorf("%s: severity %q, want %q", r.ID, r.Severity, w)
		}
	}
}

func TestLookup(t *testing.T) {
	r, ok := Lookup("FT102")
	if !ok || r.Name != "annotator-agreement" {
		t.Errorf("Lookup(FT102) = %q, %v", r.Name, ok)
	}
	if _, ok := Lookup("FT999"); ok {
		t.Error("Lookup(FT999) found a rule")
	}
}
