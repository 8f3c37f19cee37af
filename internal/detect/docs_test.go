package detect

import (
	"os"
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
