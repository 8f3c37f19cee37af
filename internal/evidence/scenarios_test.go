package evidence

import (
	"reflect"
	"testing"
)

func TestParseScenarios(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		field string
		data  string
		want  []ScenarioCount
	}{
		{"csv", "p.csv", "", "\ufeffscenario,count,note\r\nrefund,10,\"a,\nb\"\r\nbilling,2.5,\r\n refund ,5,\r\n",
			[]ScenarioCount{{"refund", 15}, {"billing", 2.5}}},
		{"jsonl default field", "p.jsonl", "", "{\"scenario\":\"refund\"}\n\n{\"scenario\":\"billing\",\"x\":1}\r\n{\"scenario\":\"refund\"}",
			[]ScenarioCount{{"refund", 2}, {"billing", 1}}},
		{"jsonl dotted field", "p.ndjson", "meta.scenario", `{"meta":{"scenario":"é-refund"}}` + "\n" + `{"meta":{"scenario":"é-refund","other":[1]}}`,
			[]ScenarioCount{{"é-refund", 2}}},
		{"jsonl by content", "p.log", "", "\ufeff  {\"scenario\":\"a\"}\n",
			[]ScenarioCount{{"a", 1}}},
		{"csv by content", "p.txt", "", "scenario,count\na,1\n",
			[]ScenarioCount{{"a", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScenarios(memFS(map[string]string{tt.file: tt.data}), tt.file, tt.field, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != tt.file || !reflect.DeepEqual(got.Counts, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseScenariosErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		field string
		data  string
		kind  Kind
		want  string
	}{
		{"csv missing count column", "p.csv", "", "scenario\na\n", Malformed,
			`p.csv:1:1: missing column "count" (header: "scenario")`},
		{"csv header only", "p.csv", "", "scenario,count\n", Malformed, "p.csv: no rows after the header"},
		{"csv negative count", "p.csv", "", "scenario,count\nä,-1\n", Malformed,
			`p.csv:2:3: count "-1" is not a non-negative number`},
		{"csv infinite count", "p.csv", "", "scenario,count\na,Inf\n", Malformed,
			`p.csv:2:3: count "Inf" is not a non-negative number`},
		{"csv count past float range", "p.csv", "", "scenario,count\na,1\nb,1e400\n", Malformed,
			`p.csv:3:3: count "1e400" is beyond the largest number ftgate computes with (1.8e+308)`},
		{"csv total past float range", "p.csv", "", "scenario,count\na,1e308\nb,1\na,1e308\n", Malformed,
			`p.csv:4:3: count "1e308" takes the total past the largest number ftgate computes with (1.8e+308)`},
		{"csv empty count", "p.csv", "", "scenario,count\na,\n", Malformed, `p.csv:2:3: count is empty`},
		{"csv empty scenario", "p.csv", "", "scenario,count\n\"\",1\n", Malformed, `p.csv:2:1: scenario is empty`},
		{"jsonl empty", "p.jsonl", "", "\n \n", Malformed, "p.jsonl: no lines (want one JSON object a line)"},
		{"jsonl missing field", "p.jsonl", "meta.scenario", `{"meta":{"scenario":"a"}}` + "\n" + `{"meta":{}}` + "\n", Malformed,
			`p.jsonl:2:1: field "meta.scenario" is missing`},
		{"jsonl parent not object", "p.jsonl", "meta.scenario", `{"meta":"a"}`, Malformed,
			`p.jsonl:1:1: field "meta" is a string, want an object`},
		{"jsonl not object", "p.jsonl", "", `["a"]`, Malformed,
			`p.jsonl:1:1: line is a JSON array, want an object with field "scenario"`},
		{"jsonl number scenario", "p.jsonl", "", `{"scenario":3}`, Malformed,
			`p.jsonl:1:1: field "scenario" is a number, want a string`},
		{"jsonl blank scenario", "p.jsonl", "", `{"scenario":" "}`, Malformed,
			`p.jsonl:1:1: field "scenario" is empty`},
		{"jsonl syntax", "p.jsonl", "", "{\"scenario\":\"a\"}\n{\"scenario\":\"é\" x}\n", Malformed,
			`p.jsonl:2:17: invalid JSON: invalid character 'x' after object key:value pair`},
		{"jsonl truncated", "p.jsonl", "", `{"scenario":"é"`, Malformed,
			`p.jsonl:1:16: invalid JSON: unexpected end of JSON input`},
		{"jsonl invalid UTF-8", "p.jsonl", "", "{\"scenario\":\"\xff\"}", Malformed,
			`p.jsonl:1:14: invalid UTF-8 (byte 0xff)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScenarios(memFS(map[string]string{tt.file: tt.data}), tt.file, tt.field, 0)
			e := wantError(t, err, tt.kind, tt.want)
			checkPosition(t, []byte(tt.data), e)
		})
	}
}
