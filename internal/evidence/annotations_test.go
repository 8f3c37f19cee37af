package evidence

import (
	"reflect"
	"testing"
)

func TestParseAnnotations(t *testing.T) {
	tests := []struct {
		name string
		file string
		data string
		want annotView
	}{
		{
			name: "long",
			file: "l.csv",
			data: "\ufeffunit, annotator ,label,comment\r\n" +
				"u1,ann,pos,\"a, b\"\r\n" +
				"u1,bob, neg ,\r\n" +
				"\r\n" +
				"u2,bob,pos,\"multi\r\nline\"\r\n" +
				"u1,cy,pos,\r\n",
			want: annotView{
				Units:      []string{"u1", "u2"},
				Annotators: []string{"ann", "bob", "cy"},
				Labels:     []string{"pos", "neg"},
				Ratings: [][]Rating{
					{{0, 0}, {1, 1}, {2, 0}},
					{{1, 0}},
				},
			},
		},
		{
			name: "wide",
			file: "w.csv",
			data: "item,ann,bob,cy\n" +
				"u1,1,2,\n" +
				"u2,,2,3\n" +
				"\"u,3\",,,\n" +
				"u1,,,1\n", // a unit may return for annotators it lacks
			want: annotView{
				Units:      []string{"u1", "u2", "u,3"},
				Annotators: []string{"ann", "bob", "cy"},
				Labels:     []string{"1", "2", "3"},
				Ratings: [][]Rating{
					{{0, 0}, {1, 1}, {2, 0}},
					{{1, 1}, {2, 2}},
					{},
				},
			},
		},
		{
			name: "tsv multibyte",
			file: "w.tsv",
			data: "unit\tанна\t李\nü1\tja\tnein\n",
			want: annotView{
				Units:      []string{"ü1"},
				Annotators: []string{"анна", "李"},
				Labels:     []string{"ja", "nein"},
				Ratings:    [][]Rating{{{0, 0}, {1, 1}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAnnotations(memFS(map[string]string{tt.file: tt.data}), tt.file, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != tt.file {
				t.Errorf("path %q, want %q", got.Path, tt.file)
			}
			if v := viewOf(got); !reflect.DeepEqual(v, tt.want) {
				t.Errorf("got  %+v\nwant %+v", v, tt.want)
			}
		})
	}
}

// TestParseAnnotationsManyAnnotators covers the duplicate check past the
// 64-annotator bit set.
func TestParseAnnotationsManyAnnotators(t *testing.T) {
	data := "unit,annotator,label\n"
	for i := range 70 {
		data += "u1,a" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + ",x\n"
	}
	a, err := ParseAnnotations(memFS(map[string]string{"l.csv": data}), "l.csv", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Annotators) != 70 || len(a.UnitRatings(0)) != 70 {
		t.Fatalf("got %d annotators, %d ratings; want 70, 70", len(a.Annotators), len(a.UnitRatings(0)))
	}
	data += "u1,a68,y\n"
	_, err = ParseAnnotations(memFS(map[string]string{"l.csv": data}), "l.csv", 0)
	wantError(t, err, Duplicate, `l.csv:72:1: duplicate label for unit "u1" by annotator "a68" (first at line 70)`)
}

func TestParseAnnotationsErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		data string
		kind Kind
		want string
	}{
		{"empty file", "l.csv", "", Malformed, "l.csv: empty file; want a header row"},
		{"header only", "l.csv", "unit,annotator,label\n", Malformed, "l.csv: no rows after the header"},
		{"wide without annotators", "w.csv", "unit\nu1\n", Malformed,
			"w.csv:1:1: no annotator columns (want unit,<annotator>,… or unit,annotator,label)"},
		{"long without unit", "l.csv", "item,annotator,label\nu1,a,x\n", Malformed,
			`l.csv:1:1: missing column "unit" (header: "item,annotator,label")`},
		{"long without annotator", "l.csv", "unit,label\nu1,x\n", Malformed,
			`l.csv:1:1: missing column "annotator" (header: "unit,label")`},
		{"long empty label", "l.csv", "unit,annotator,label\nu1,a,x\nu1,b,  \n", Malformed,
			"l.csv:3:6: label is empty"},
		{"long empty unit", "l.csv", "unit,annotator,label\n,a,x\n", Malformed,
			"l.csv:2:1: unit is empty"},
		{"long empty annotator", "l.csv", "unit,annotator,label\nu1,,x\n", Malformed,
			"l.csv:2:4: annotator is empty"},
		{"long duplicate", "l.csv", "unit,annotator,label\nu1,a,x\nu1,b,x\nu2,a,y\nu1,a,y\n", Duplicate,
			`l.csv:5:1: duplicate label for unit "u1" by annotator "a" (first at line 2)`},
		{"long duplicate after quoted newline", "l.csv", "label,unit,annotator\n\"x\ny\",u1,a\nz,u1,a\n", Duplicate,
			`l.csv:4:3: duplicate label for unit "u1" by annotator "a" (first at line 3)`},
		{"wide duplicate", "w.csv", "unit,a,b\nu1,x,\nu2,x,y\nu1,,y\nu1,z,\n", Duplicate,
			`w.csv:5:4: duplicate label for unit "u1" by annotator "a" (first at line 2)`},
		{"long without its header, a repeat", "l.csv", "u1,ana,pos\nu1,ben,neg\nu2,ana,pos\nu2,ben,pos\n", Malformed,
			`l.csv:1:1: the first row reads as data, not a header: "u1" is also a unit in the rows below (long format needs the header unit,annotator,label; wide format unit,<annotator>,…)`},
		{"long without its header, shuffled", "l.csv", "\ufeffu1,ana,pos\nu2,ben,neg\nu1,cy,pos\n", Malformed,
			`l.csv:1:1: the first row reads as data, not a header: "u1" is also a unit in the rows below (long format needs the header unit,annotator,label; wide format unit,<annotator>,…)`},
		{"wide duplicate annotator column", "w.csv", "unit,a,b,a\nu1,x,y,z\n", Duplicate,
			`w.csv:1:10: annotator "a" heads columns 2 and 4`},
		{"wide unnamed annotator", "w.csv", "unit,a,,b\n", Malformed,
			`w.csv:1:8: annotator column 3 has no name`},
		{"wide empty unit", "w.csv", "unit,a,b\n ,x,y\n", Malformed,
			"w.csv:2:1: unit is empty"},
		{"wide short row", "w.csv", "unit,a,b\nu1,x\n", Malformed,
			"w.csv:2:5: row has 2 fields, header has 3"},
		{"multibyte before bad cell", "l.csv", "unit,annotator,label\nüñî€,😀,\n", Malformed,
			"l.csv:2:8: label is empty"},
		{"invalid UTF-8", "l.csv", "unit,annotator,label\nü1,a,b\xe2\x82\n", Malformed,
			"l.csv:2:7: invalid UTF-8 (byte 0xe2)"},
		{"CRLF and BOM position", "l.csv", "\ufeffunit,annotator,label\r\nu1,a,\r\n", Malformed,
			"l.csv:2:6: label is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAnnotations(memFS(map[string]string{tt.file: tt.data}), tt.file, 0)
			e := wantError(t, err, tt.kind, tt.want)
			checkPosition(t, []byte(tt.data), e)
		})
	}
}

func TestParseAnnotationsDuplicateRelated(t *testing.T) {
	data := "unit,annotator,label\nu1,a,x\nu1,a,y\n"
	_, err := ParseAnnotations(memFS(map[string]string{"l.csv": data}), "l.csv", 0)
	e := wantError(t, err, Duplicate, `l.csv:3:1: duplicate label for unit "u1" by annotator "a" (first at line 2)`)
	if len(e.Related) != 1 || e.Related[0].String() != "l.csv:2:1" {
		t.Errorf("related = %v, want [l.csv:2:1]", e.Related)
	}
}
