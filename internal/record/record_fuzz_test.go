package record

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzRecordNames are the names a fuzzed record is parsed under, one per
// format the loader reads.
var fuzzRecordNames = []string{"decisions/r.yaml", "decisions/r.json", "decisions/r.cue"}

// FuzzParse checks that no record makes the loader panic, and that every
// FT002 it reports names the record and lies inside it: a line of the file
// and a column at most one past that line's last code point.
func FuzzParse(f *testing.F) {
	for _, name := range []string{
		"../../testdata/example/decisions/ftd-0007-contract-risk.yaml",
		"../../testdata/example/decisions/ftd-0008-support-bot.yaml",
		"../evaluate/testdata/record.yaml",
	} {
		data, err := os.ReadFile(filepath.FromSlash(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), data)
	}
	f.Add(uint8(0), []byte(goodRecord))
	for i, s := range []string{
		"a: &a [*a, *a]\nb: *a\n",
		"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
		"id: FTD-1\ncovers: []\nstatus: maybe\n\tkind: x\n",
		"covers: [\"[\"]\nnecessary: {data: {level: 7}}\nüñî: €\n",
		"--- !!binary\n---\n- [\n",
		"\ufeffapiVersion: ftgate/v1\r\nkind: FineTuneDecision\r\n",
		`{"apiVersion": "ftgate/v1", "kind": "FineTuneDecision", "id": "FTD-1", "covers": ["é/**"], "status": 3}`,
		`{"a": [1, 2,], "b": "\u00e9"` + "\n" + `"c"`,
		`{"id": "FTD-1", "id": "FTD-2"}`,
		"package x\nimport \"strings\"\nid: strings.ToUpper(\"ftd-1\")\n",
		"apiVersion: \"ftgate/v1\"\nkind: \"FineTuneDecision\"\nid: \"FTD-1\"\ncovers: [for x in [1, 2] {\"t/\\(x)\"}]\nstatus: *\"accepted\" | \"proposed\"\n",
		"é: { a: 1 } & { a: 2 }\nx: y\n",
	} {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, pick uint8, data []byte) {
		// A fresh loader each time: a CUE context keeps every value built
		// in it, and a long run would grow without bound.
		l, err := NewLoader()
		if err != nil {
			t.Fatal(err)
		}
		name := fuzzRecordNames[int(pick)%len(fuzzRecordNames)]
		r := l.Parse(name, data)
		if r.Valid != (len(r.Problems) == 0) {
			t.Fatalf("Valid %v with %d problems", r.Valid, len(r.Problems))
		}
		lines := bytes.Split(data, []byte("\n"))
		for _, p := range r.Problems {
			pos := p.Pos
			switch {
			case p.Rule != "FT002" || p.Record != name:
				t.Errorf("%s %s: want FT002 on %s", p.Rule, p.Message, name)
			case strings.ContainsAny(p.Message, "\r\n"):
				t.Errorf("message is not one line: %q", p.Message)
			case pos.File != name:
				t.Errorf("%q at %v: wrong file", p.Message, pos)
			case pos.Line < 1 || pos.Line > len(lines):
				t.Errorf("%q at %v: line outside the file's %d lines", p.Message, pos, len(lines))
			case pos.Col < 1 || pos.Col > utf8.RuneCount(lines[pos.Line-1])+1:
				t.Errorf("%q at %v: column outside line %q", p.Message, pos, lines[pos.Line-1])
			}
		}
		if !r.Valid {
			return
		}
		// A valid record's fields all have positions in the file too.
		for _, field := range []string{"id", "covers.0", "necessary.data.annotations", "waivers.0.expires", "no.such.field"} {
			pos := r.Pos(field)
			if pos.File != name || pos.Line < 1 || pos.Line > len(lines) || pos.Col < 1 || pos.Col > utf8.RuneCount(lines[pos.Line-1])+1 {
				t.Errorf("Pos(%q) = %v, outside the file", field, pos)
			}
		}
	})
}
