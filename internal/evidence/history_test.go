package evidence

import (
	"testing"
	"time"
)

const histHeader = "iteration,score,n,technique,date,model\n"

func TestParseHistory(t *testing.T) {
	data := "\ufeffiteration,score,n,technique,date,model,notes\r\n" +
		"3,0.71,200,rag,2026-03-01,gpt-4o,\"later, better\"\r\n" +
		"\r\n" +
		"1,0.5,,zero_shot,2026-01-01,,\"two\r\nlines\"\r\n" +
		"2,0.6,200,few_shot,2026-02-01,\"gpt, \"\"4\"\"\",x\r\n"
	h, err := ParseHistory(memFS(map[string]string{"h.csv": data}), "h.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []EvalRow{
		{Iteration: 1, Score: 0.5, N: 0, Technique: "zero_shot", Date: "2026-01-01", Line: 4, DateCol: 18},
		{Iteration: 2, Score: 0.6, N: 200, Technique: "few_shot", Date: "2026-02-01", Model: `gpt, "4"`, Line: 6, DateCol: 20},
		{Iteration: 3, Score: 0.71, N: 200, Technique: "rag", Date: "2026-03-01", Model: "gpt-4o", Line: 2, DateCol: 16},
	}
	if h.Path != "h.csv" || len(h.Rows) != len(want) {
		t.Fatalf("got %+v", h)
	}
	for i := range want {
		if h.Rows[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, h.Rows[i], want[i])
		}
	}
}

func TestParseHistoryErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		kind Kind
		want string
	}{
		{"empty file", "", Malformed, "h.csv: empty file; want a header row"},
		{"header only", histHeader, Malformed, "h.csv: no rows after the header"},
		{"missing column", "iteration,score,technique\n1,0.5,rag\n", Malformed,
			`h.csv:1:1: missing column "date" (header: "iteration,score,technique")`},
		{"repeated column", "iteration,score,score,technique,date\n", Malformed,
			`h.csv:1:17: column "score" appears twice (columns 2 and 3)`},
		{"iteration not integer", histHeader + "x,0.5,,rag,2026-01-01,\n", Malformed,
			`h.csv:2:1: iteration "x" is not an integer`},
		{"iteration empty", histHeader + " ,0.5,,rag,2026-01-01,\n", Malformed,
			`h.csv:2:1: iteration is empty`},
		{"score above one", histHeader + "1,1.2,,rag,2026-01-01,\n", Malformed,
			`h.csv:2:3: score "1.2" is outside [0, 1]`},
		{"score NaN", histHeader + "1,NaN,,rag,2026-01-01,\n", Malformed,
			`h.csv:2:3: score "NaN" is outside [0, 1]`},
		{"score not number", histHeader + "1,high,,rag,2026-01-01,\n", Malformed,
			`h.csv:2:3: score "high" is not a number`},
		{"n negative", histHeader + "1,0.5,-3,rag,2026-01-01,\n", Malformed,
			`h.csv:2:7: n "-3" is not a non-negative integer`},
		{"technique unknown", histHeader + "1,0.5,10,CoT,2026-01-01,\n", Malformed,
			`h.csv:2:10: technique "CoT" is not one of zero_shot, few_shot, rag, cot, self_consistency, other`},
		{"date impossible", histHeader + "1,0.5,10,cot,2026-02-30,\n", Malformed,
			`h.csv:2:14: date "2026-02-30" is not a valid YYYY-MM-DD date`},
		{"date empty", histHeader + "1,0.5,10,cot,,\n", Malformed,
			`h.csv:2:14: date is empty (want YYYY-MM-DD)`},
		{"duplicate iteration", histHeader + "1,0.5,,rag,2026-01-01,\n2,0.6,,rag,2026-01-02,\n1,0.7,,rag,2026-01-03,\n",
			Duplicate, `h.csv:4:1: duplicate iteration 1 (first at line 2)`},
		{"too few fields", histHeader + "1,0.5,10\n", Malformed,
			`h.csv:2:9: row has 3 fields, header has 6`},
		{"too many fields", histHeader + "1,0.5,10,rag,2026-01-01,m,extra\n", Malformed,
			`h.csv:2:27: row has 7 fields, header has 6`},
		// Columns count code points: "модель-é" is 8 of them but 15 bytes.
		{"column after multibyte cell", "model,iteration,score,technique,date\nмодель-é,1,2.0,rag,2026-01-01\n", Malformed,
			`h.csv:2:12: score "2.0" is outside [0, 1]`},
		{"invalid UTF-8", histHeader + "1,0.5,,rag,2026-01-01,mo\xffdel\n", Malformed,
			`h.csv:2:25: invalid UTF-8 (byte 0xff)`},
		{"invalid UTF-8 after multibyte", histHeader + "1,0.5,,rag,2026-01-01,é€\xc3(\n", Malformed,
			`h.csv:2:25: invalid UTF-8 (byte 0xc3)`},
		{"unclosed quote", histHeader + "1,0.5,10,rag,2026-01-01,\"open\nmore\n", Malformed,
			`h.csv:2:25: quoted field is not closed`},
		{"bare quote", histHeader + "1,0.5,10,rag,2026-01-01,a\"b\n", Malformed,
			`h.csv:2:26: bare " in unquoted field (quote the field and double the ")`},
		{"text after quote", histHeader + "1,0.5,10,rag,2026-01-01,\"a\"b\n", Malformed,
			`h.csv:2:28: unexpected text after closing quote`},
		// The quoted newline makes the bad row start on line 4.
		{"line after multi-line field", histHeader + "1,0.5,10,rag,2026-01-01,\"a\nb\"\n2,0.5,10,bad,2026-01-01,\n", Malformed,
			`h.csv:4:10: technique "bad" is not one of zero_shot, few_shot, rag, cot, self_consistency, other`},
		{"BOM and CRLF", "\ufeff" + "iteration,score,technique,date\r\n1,0.5,rag,2026-1-1\r\n", Malformed,
			`h.csv:2:11: date "2026-1-1" is not a valid YYYY-MM-DD date`},
		{"long value cut", histHeader + "1,0.5,10,rag_rag_rag_rag_rag_rag_rag_rag_rag_rag_rag,2026-01-01,\n", Malformed,
			`h.csv:2:10: technique "rag_rag_rag_rag_rag_rag_rag_rag_rag_rag_"… is not one of zero_shot, few_shot, rag, cot, self_consistency, other`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHistory(memFS(map[string]string{"h.csv": tt.data}), "h.csv", 0)
			e := wantError(t, err, tt.kind, tt.want)
			checkPosition(t, []byte(tt.data), e)
		})
	}
}

func TestParseHistoryDuplicateRelated(t *testing.T) {
	data := histHeader + "7,0.5,,rag,2026-01-01,\n7,0.6,,rag,2026-01-02,\n"
	_, err := ParseHistory(memFS(map[string]string{"h.csv": data}), "h.csv", 0)
	e := wantError(t, err, Duplicate, "h.csv:3:1: duplicate iteration 7 (first at line 2)")
	if len(e.Related) != 1 || e.Related[0].String() != "h.csv:2:1" {
		t.Errorf("related = %v, want [h.csv:2:1]", e.Related)
	}
}

// TestHistoryDates: an eval after today or after the decision is FT004 at
// the first such row in the file, its date cell.
func TestHistoryDates(t *testing.T) {
	data := histHeader +
		"1,0.5,100,zero_shot,2026-01-01,m\n" +
		"3,0.7,100,rag,2026-03-05,m\n" +
		"2,0.6,100,few_shot,2026-03-02,m\n"
	h, err := ParseHistory(memFS(map[string]string{"h.csv": data}), "h.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		decided, today, want string
	}{
		{"2026-03-10", "2026-03-20", ""},
		{"2026-03-05", "2026-03-05", ""},
		{"2026-03-01", "2026-03-20", "h.csv:3:15: date 2026-03-05 is after the decision (2026-03-01): an eval cannot postdate the decision it supports"},
		{"2026-03-10", "2026-03-03", "h.csv:3:15: date 2026-03-05 is after today (2026-03-03): an eval cannot postdate the decision it supports"},
		{"2026-12-01", "2026-03-01", "h.csv:3:15: date 2026-03-05 is after today (2026-03-01): an eval cannot postdate the decision it supports"},
		{"not a date", "2026-03-04", "h.csv:3:15: date 2026-03-05 is after today (2026-03-04): an eval cannot postdate the decision it supports"},
	}
	for _, c := range cases {
		err := h.CheckDates(c.decided, day(c.today))
		got := ""
		if err != nil {
			got = err.Error()
			if e, ok := err.(*Error); !ok || e.Kind != Malformed {
				t.Errorf("%v: not a Malformed *Error", err)
			}
		}
		if got != c.want {
			t.Errorf("decided %s, today %s: got %q, want %q", c.decided, c.today, got, c.want)
		}
	}
}
