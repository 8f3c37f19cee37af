package detect

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// detectorsDoc is the generated list of detectors, committed so it can be
// read without running anything.
const detectorsDoc = "../../docs/detectors.md"

// TestDetectorsDoc fails when docs/detectors.md is not what Markdown
// renders from Detectors; UPDATE_GOLDEN=1 rewrites it.
func TestDetectorsDoc(t *testing.T) {
	got := Markdown()
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(detectorsDoc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(detectorsDoc)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 go test ./internal/detect creates it)", err)
	}
	if string(want) != got {
		t.Errorf("%s is stale: UPDATE_GOLDEN=1 go test ./internal/detect rewrites it from Detectors", detectorsDoc)
	}
}

// TestSchemaSources: the frameworks whose configs ftgate reads by their
// own schema cite where it comes from, at a commit.
func TestSchemaSources(t *testing.T) {
	want := []string{"axolotl", "llama-factory", "trl", "torchtune", "nemo", "levanter", "mistral-finetune",
		"openrlhf", "verl", "ms-swift", "oumi", "mlx-lm", "litgpt"}
	for _, name := range want {
		i := slices.IndexFunc(Detectors, func(d Detector) bool { return d.Name == name })
		if i < 0 {
			t.Errorf("no detector %s", name)
			continue
		}
		d := Detectors[i]
		if len(d.Sources) == 0 {
			t.Errorf("%s cites no schema source", name)
		}
		for _, s := range d.Sources {
			if len(s.Commit) != 40 || strings.Trim(s.Commit, "0123456789abcdef") != "" || !strings.Contains(s.Repo, "/") || s.Path == "" {
				t.Errorf("%s: source %+v is not repo, 40-hex commit and path", name, s)
			}
		}
	}
}
