package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEvidenceDocExamples runs every `ftgate` example of docs/evidence.md
// on the tool exports in internal/evidence/testdata, laid out as the page
// names them, and requires the output the page shows.
func TestEvidenceDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "evidence.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tickets := filepath.Join(dir, "evidence", "tickets")
	fixtures := filepath.Join("..", "evidence", "testdata")
	for src, dst := range map[string]string{
		"k2011c/labelstudio.json":     "labelstudio.json",
		"k2011c/labelstudio-min.json": "labelstudio-min.json",
		"k2011c/labelstudio.csv":      "labelstudio.csv",
		"k2011c/db-out.jsonl":         "db-out.jsonl",
		"k2011c/argilla.json":         "argilla.json",
		"promptfoo/results-1.json":    "promptfoo/results-1.json",
		"promptfoo/results-2.json":    "promptfoo/results-2.json",
		"promptfoo/results-3.json":    "promptfoo/results-3.json",
	} {
		data, err := os.ReadFile(filepath.Join(fixtures, src))
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(tickets, dst)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)

	example := regexp.MustCompile("(?s)```sh\n(ftgate [^\n]*)\n```\n\n```text\n(.*?)```\n")
	found := example.FindAllSubmatch(doc, -1)
	if len(found) < 5 {
		t.Fatalf("docs/evidence.md has %d runnable examples, want one per tool (5)", len(found))
	}
	for _, m := range found {
		line, want := string(m[1]), string(m[2])
		args := shellWords(t, strings.TrimPrefix(line, "ftgate "))
		var stdout, stderr bytes.Buffer
		code := Main(args, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
		if code != 0 {
			t.Errorf("%s: exit %d: %s", line, code, stderr.String())
			continue
		}
		if got := stdout.String(); got != want {
			t.Errorf("%s: output differs from docs/evidence.md:\n got:\n%s\nwant:\n%s", line, got, want)
		}
	}
}

// shellWords splits an example's arguments as a shell would for the
// quoting the page uses: spaces between words, single quotes around one.
func shellWords(t *testing.T, s string) []string {
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '\'' {
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				t.Fatalf("unclosed quote in %q", s)
			}
			words = append(words, s[1:end+1])
			s = s[end+2:]
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		words = append(words, word)
		s = rest
	}
	return words
}
