package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
)

// DefaultScenarioField is the JSONL field that names a line's scenario
// when the record sets no production_field or training_field.
const DefaultScenarioField = "scenario"

// ParseScenarios reads scenario counts: CSV with the columns scenario and
// count (a non-negative number; other columns ignored), or JSONL, one
// object a line, each counting 1 for the string at the dotted path field
// ("" means DefaultScenarioField). JSONL is chosen by a .jsonl or .ndjson
// extension, CSV by .csv or .tsv, and otherwise by content: a first
// character "{" means JSONL. Repeated scenarios are summed, in order of
// first appearance. Every error is an *Error.
func ParseScenarios(fsys fs.FS, name, field string, maxBytes int64) (*Scenarios, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if field == "" {
		field = DefaultScenarioField
	}
	if isJSONL(f) {
		return parseScenariosJSONL(f, field)
	}
	return parseScenariosCSV(f)
}

// isJSONL decides between JSONL and CSV for a scenario file.
func isJSONL(f *File) bool {
	switch strings.ToLower(path.Ext(f.Path)) {
	case ".jsonl", ".ndjson":
		return true
	case ".csv", ".tsv":
		return false
	}
	head, _ := f.br.Peek(4096) // a short file or read error shows up later
	head = bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	return len(head) > 0 && head[0] == '{'
}

// scenarioSum accumulates counts in order of first appearance.
type scenarioSum struct {
	sc    *Scenarios
	index map[string]int
}

func (t *scenarioSum) add(name []byte, n float64) {
	if i, ok := t.index[string(name)]; ok {
		t.sc.Counts[i].Count += n
		return
	}
	s := string(name)
	t.index[s] = len(t.sc.Counts)
	t.sc.Counts = append(t.sc.Counts, ScenarioCount{Scenario: s, Count: n})
}

func parseScenariosCSV(f *File) (*Scenarios, error) {
	s := newCSV(f)
	if err := s.readHeader(); err != nil {
		return nil, err
	}
	idx, err := s.columns([]string{"scenario", "count"}, nil)
	if err != nil {
		return nil, err
	}
	cScen, cCount := idx[0], idx[1]
	sum := scenarioSum{sc: &Scenarios{Path: f.Path}, index: make(map[string]int)}
	rows, total := 0, 0.0
	for {
		ok, err := s.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		rows++
		if err := s.checkWidth(); err != nil {
			return nil, err
		}
		name := s.value(cScen)
		if len(name) == 0 {
			return nil, s.cellErr(cScen, Malformed, "scenario is empty")
		}
		v := s.value(cCount)
		if len(v) == 0 {
			return nil, s.cellErr(cCount, Malformed, "count is empty")
		}
		n, err := strconv.ParseFloat(string(v), 64)
		if errors.Is(err, strconv.ErrRange) && math.IsInf(n, 1) {
			return nil, s.cellErr(cCount, Malformed, "count %s is beyond the largest number ftgate computes with (%.3g)", quote(v), math.MaxFloat64)
		}
		if err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) {
			return nil, s.cellErr(cCount, Malformed, "count %s is not a non-negative number", quote(v))
		}
		// Coverage divides by the total: it must stay a number, and so
		// must each scenario's sum, which is at most the total.
		if total += n; math.IsInf(total, 0) {
			return nil, s.cellErr(cCount, Malformed, "count %s takes the total past the largest number ftgate computes with (%.3g)", quote(v), math.MaxFloat64)
		}
		sum.add(name, n)
	}
	if rows == 0 {
		return nil, errorf(f.Path, Malformed, "no rows after the header")
	}
	return sum.sc, nil
}

func parseScenariosJSONL(f *File, field string) (*Scenarios, error) {
	keys := strings.Split(field, ".")
	lr := newLineReader(f)
	sum := scenarioSum{sc: &Scenarios{Path: f.Path}, index: make(map[string]int)}
	for {
		line, ok, err := lr.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if blank(line) {
			continue
		}
		if e := checkJSON(f.Path, lr.line, line); e != nil {
			return nil, e
		}
		name, msg := lookupString(line, keys, field)
		if msg != "" {
			return nil, &Error{Path: f.Path, Line: lr.line, Col: 1, Kind: Malformed, Msg: msg}
		}
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, &Error{Path: f.Path, Line: lr.line, Col: 1, Kind: Malformed,
				Msg: fmt.Sprintf("field %q is empty", field)}
		}
		sum.add([]byte(name), 1)
	}
	if len(sum.sc.Counts) == 0 {
		return nil, errorf(f.Path, Malformed, "no lines (want one JSON object a line)")
	}
	return sum.sc, nil
}

// lookupString returns the string at the dotted path keys in the JSON
// object line, or a message saying why there is none.
func lookupString(line []byte, keys []string, field string) (string, string) {
	cur := json.RawMessage(line)
	for i, k := range keys {
		if kind := jsonKind(cur); kind != "object" {
			if i == 0 {
				return "", fmt.Sprintf("line is a JSON %s, want an object with field %q", kind, field)
			}
			return "", fmt.Sprintf("field %q is a %s, want an object", strings.Join(keys[:i], "."), kind)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(cur, &m); err != nil {
			return "", "invalid JSON: " + oneLine(err.Error())
		}
		v, ok := m[k]
		if !ok {
			return "", fmt.Sprintf("field %q is missing", field)
		}
		cur = v
	}
	var s string
	if kind := jsonKind(cur); kind != "string" {
		return "", fmt.Sprintf("field %q is a %s, want a string", field, kind)
	}
	if err := json.Unmarshal(cur, &s); err != nil {
		return "", "invalid JSON: " + oneLine(err.Error())
	}
	return s, ""
}

// jsonKind names the type of a valid JSON value from its first byte.
func jsonKind(v []byte) string {
	v = bytes.TrimLeft(v, " \t\r\n")
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// checkJSON reports a line that is not one valid JSON value, at the column
// where the decoder gave up.
func checkJSON(path string, lineNo int, line []byte) *Error {
	if json.Valid(line) {
		return nil
	}
	var v json.RawMessage
	err := json.Unmarshal(line, &v)
	col, msg := 1, "invalid JSON"
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read when the error was found, the
		// offending byte included; input that ends too soon is reported
		// just past its end.
		off := int(se.Offset) - 1
		if strings.HasPrefix(se.Error(), "unexpected end") {
			off = len(line)
		}
		col = column(line, off)
		msg = "invalid JSON: " + oneLine(se.Error())
	}
	return &Error{Path: path, Line: lineNo, Col: col, Kind: Malformed, Msg: msg}
}
