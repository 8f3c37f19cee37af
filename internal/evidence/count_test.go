package evidence

import "testing"

func TestCountExamples(t *testing.T) {
	tests := []struct {
		file string
		data string
		want int
	}{
		{"t.jsonl", "{\"a\":1}\n\n  \n[1,2]\r\n\"s\"", 3},
		{"t.JSONL", "\ufeff{}\n", 1},
		{"t.json", "{}\n{}\n", 2},
		{"t.ndjson", "", 0},
		{"t.csv", "text,label\n\"a, b\",x\n\"multi\r\nline \"\"q\"\"\",y\n\nc,z", 3},
		{"t.csv", "text,label\n", 0},
		{"t.csv", "", 0},
		{"t.tsv", "text\tlabel\na,b\tx\n", 1},
		{"t.txt", "one\n\n two\n\t\nthree", 3},
	}
	for _, tt := range tests {
		got, err := CountExamples(memFS(map[string]string{tt.file: tt.data}), tt.file, 0)
		if err != nil || got != tt.want {
			t.Errorf("CountExamples(%q, %q) = %d, %v; want %d", tt.file, tt.data, got, err, tt.want)
		}
	}
}

func TestCountExamplesErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		data string
		kind Kind
		want string
	}{
		{"invalid JSON line", "t.jsonl", "{}\n{\"é\": }\n", Malformed,
			`t.jsonl:2:7: invalid JSON: invalid character '}' looking for beginning of value`},
		{"JSON array", "t.json", "[\n{}\n]\n", Malformed,
			`t.json:1:2: invalid JSON: unexpected end of JSON input (want one JSON value a line, not a JSON array)`},
		{"unclosed quote", "t.csv", "text\n\"abc\n", Malformed, `t.csv:2:1: quoted field is not closed`},
		{"binary", "t.txt", "ok\n\x00\x80\n", Malformed, `t.txt:2:2: invalid UTF-8 (byte 0x80)`},
		{"LFS pointer", "t.jsonl", "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n", LFSPointer,
			"t.jsonl: is a Git LFS pointer, not the data (fetch LFS objects before ftgate runs, e.g. actions/checkout with lfs: true)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CountExamples(memFS(map[string]string{tt.file: tt.data}), tt.file, 0)
			e := wantError(t, err, tt.kind, tt.want)
			checkPosition(t, []byte(tt.data), e)
		})
	}
}
