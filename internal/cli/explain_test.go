package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/rules"
)

// explainGolden holds one expected `ftgate explain` output per rule.
const explainGolden = "testdata/explain"

// TestExplainEveryRule runs `ftgate explain RULE` on the example repository
// (whose policy raises one task's agreement bar) for every rule the rules
// package lists, and compares the whole output with
// testdata/explain/<RULE>.txt; a rule without one fails, and so does a file
// for a rule that no longer exists. UPDATE_GOLDEN=1 rewrites them.
func TestExplainEveryRule(t *testing.T) {
	example := filepath.Join("..", "..", "testdata", "example")
	want := map[string]bool{}
	run := func(name string, args ...string) {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(append([]string{"explain"}, args...), strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
			if code != ExitPass || stderr.Len() > 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			p := filepath.Join(explainGolden, name+".txt")
			want[filepath.Base(p)] = true
			if os.Getenv("UPDATE_GOLDEN") == "1" {
				if err := writeFile(p, stdout.Bytes()); err != nil {
					t.Fatal(err)
				}
				return
			}
			golden, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v (UPDATE_GOLDEN=1 go test ./internal/cli -run TestExplainEveryRule writes it; review it)", err)
			}
			if !bytes.Equal(stdout.Bytes(), golden) {
				t.Errorf("explain %s differs from %s\n--- got\n%s\n--- want\n%s", strings.Join(args, " "), p, stdout.Bytes(), golden)
			}
		})
	}
	for _, r := range rules.All {
		id := fmt.Sprint(r.ID)
		run(id, id, "-C", example)
	}
	run("list", "-C", example)
	entries, err := os.ReadDir(explainGolden)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("%s: no rule has this explain output; remove it", filepath.Join(explainGolden, e.Name()))
		}
	}
}
