package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ftgate/ftgate/internal/pathglob"
)

// parseTechnique checks a history's technique cell: one technique, or
// several joined by "+" (rag+cot), each one of the known ones. It returns
// the techniques joined by "+", or the first part that is not known.
func parseTechnique(v string) (tech, bad string) {
	parts := strings.Split(v, "+")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if !slices.Contains(techniques, p) {
			return "", cmpOr(p, v)
		}
		parts[i] = p
	}
	if len(parts) == 1 {
		i := slices.Index(techniques, parts[0])
		return techniques[i], "" // shared string: no per-row copy
	}
	return strings.Join(parts, "+"), ""
}

// cmpOr is p, or whole when p is empty (a stray "+"), or a quoted empty
// string when both are.
func cmpOr(p, whole string) string {
	switch {
	case p != "":
		return p
	case whole != "":
		return whole
	}
	return `""`
}

// techniqueError says which part of a technique cell is unknown.
func techniqueError(v, bad string) string {
	if bad == v {
		return fmt.Sprintf("technique %s is not one of %s", quote([]byte(v)), techniqueList)
	}
	return fmt.Sprintf("technique %s: %s is not one of %s (several are joined by +, as in rag+cot)", quote([]byte(v)), quote([]byte(bad)), techniqueList)
}

// Techniques returns the techniques of a row: one, or several when the
// row combined them (rag+cot).
func (r EvalRow) Techniques() []string {
	if r.Technique == "" {
		return nil
	}
	return strings.Split(r.Technique, "+")
}

// ReadHistory reads an eval history named by a record or on the command
// line: one CSV file (ParseHistory), or one or more promptfoo result files
// given as names or glob patterns (section 7.2). A CSV file cannot be
// combined with others: its iterations are numbered by hand, promptfoo's
// by time. Every error is an *Error.
func ReadHistory(fsys fs.FS, names []string, maxBytes int64) (*History, error) {
	var files []string
	for _, n := range names {
		if !strings.ContainsAny(n, "*?") {
			files = append(files, n)
			continue
		}
		matched, err := globFiles(fsys, n)
		if err != nil {
			return nil, err
		}
		files = append(files, matched...)
	}
	if len(files) == 0 {
		return nil, errorf(strings.Join(names, ", "), Missing, "no file matches")
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) == 1 {
		format, err := sniffHistory(fsys, files[0], maxBytes)
		if err != nil {
			return nil, err
		}
		if format == historyCSV {
			return ParseHistory(fsys, files[0], maxBytes)
		}
	}
	var runs []promptfooRun
	for _, name := range files {
		f, err := openSource(fsys, name, maxBytes)
		if err != nil {
			return nil, err
		}
		run, err := readPromptfoo(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		runs = append(runs, run)
	}
	// Rows by (timestamp, prompt index); equal timestamps keep the order
	// of the file names.
	slices.SortStableFunc(runs, func(a, b promptfooRun) int { return a.at.Compare(b.at) })
	h := &History{Path: strings.Join(files, ", ")}
	for _, run := range runs {
		for _, row := range run.rows {
			row.Iteration = len(h.Rows) + 1
			h.Rows = append(h.Rows, row)
		}
	}
	if len(h.Rows) == 0 {
		return nil, errorf(h.Path, Malformed, "no prompts in the promptfoo results")
	}
	return h, nil
}

// globFiles lists the regular files under fsys that pattern matches, by
// the repository's glob rules (pathglob). The walk starts at the longest
// directory prefix without a wildcard.
func globFiles(fsys fs.FS, pattern string) ([]string, error) {
	g, err := pathglob.Compile(pattern)
	if err != nil {
		return nil, errorf(pattern, Malformed, "bad glob: %v", err)
	}
	root := "."
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if strings.ContainsAny(s, "*?") {
			if i > 0 {
				root = path.Join(segs[:i]...)
			}
			break
		}
	}
	if _, err := Resolve(fsys, root); err != nil && root != "." {
		return nil, err
	}
	var out []string
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil
		}
		if d.Type().IsRegular() && g.Match(p) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, errorf(pattern, Unreadable, "cannot list files: %s", oneLine(err.Error()))
	}
	return out, nil
}

// sniffHistory tells a promptfoo result file (a JSON object) from a CSV
// history.
func sniffHistory(fsys fs.FS, name string, maxBytes int64) (string, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head, _ := f.br.Peek(4 << 10)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return historyPromptfoo, nil
	}
	return historyCSV, nil
}

// History formats, told apart by sniffHistory.
const (
	historyCSV       = "csv"
	historyPromptfoo = "promptfoo"
)

// promptfooRun is one result file's rows, before numbering.
type promptfooRun struct {
	at   time.Time
	rows []EvalRow
}

type promptfooPrompt struct {
	Label   string `json:"label"`
	Raw     string `json:"raw"`
	Metrics *struct {
		Score          *float64 `json:"score"`
		TestPassCount  *int     `json:"testPassCount"`
		TestFailCount  *int     `json:"testFailCount"`
		TestErrorCount *int     `json:"testErrorCount"`
	} `json:"metrics"`
}

// readPromptfoo streams a result file: it walks the top-level object to
// results.version, results.timestamp and results.prompts, decoding one
// prompt at a time and skipping the per-test outputs token by token, so
// memory stays at one prompt whatever the number of tests.
func readPromptfoo(f *source) (promptfooRun, error) {
	var run promptfooRun
	if head, _ := f.br.Peek(len(bom)); bytes.Equal(head, bom) {
		f.br.Discard(len(bom))
	}
	s := &jsonArray{f: f, dec: json.NewDecoder(f), index: -1}
	fail := func(jsonPath, format string, args ...any) error {
		return s.errOffset(s.dec.InputOffset(), Malformed, jsonPath, format, args...)
	}
	if err := expectDelim(s, '{'); err != nil {
		return run, fail("", "want a promptfoo result file (a JSON object with results)")
	}
	var version json.Number
	var stamp string
	var prompts []promptfooPrompt
	seenResults := false
	for s.dec.More() {
		key, err := s.key()
		if err != nil {
			return run, err
		}
		if key != "results" {
			if err := skipValue(s); err != nil {
				return run, err
			}
			continue
		}
		seenResults = true
		if err := expectDelim(s, '{'); err != nil {
			return run, fail("results", "want an object")
		}
		for s.dec.More() {
			k, err := s.key()
			if err != nil {
				return run, err
			}
			switch k {
			case "version":
				s.start = s.dec.InputOffset()
				var v any
				if err := s.dec.Decode(&v); err != nil {
					return run, s.syntax(err)
				}
				n, ok := v.(float64)
				if !ok {
					return run, s.errHere(Malformed, "results.version", "want a number")
				}
				version = json.Number(fmt.Sprint(n))
			case "timestamp":
				s.start = s.dec.InputOffset()
				var v any
				if err := s.dec.Decode(&v); err != nil {
					return run, s.syntax(err)
				}
				switch t := v.(type) {
				case string:
					stamp = t
				case float64: // milliseconds since the epoch
					stamp = time.UnixMilli(int64(t)).UTC().Format(time.RFC3339Nano)
				default:
					return run, s.errHere(Malformed, "results.timestamp", "want a date and time")
				}
			case "prompts":
				if err := expectDelim(s, '['); err != nil {
					return run, fail("results.prompts", "want an array")
				}
				for s.dec.More() {
					s.start = s.dec.InputOffset()
					var p promptfooPrompt
					if err := s.dec.Decode(&p); err != nil {
						var te *json.UnmarshalTypeError
						if errors.As(err, &te) {
							return run, s.errHere(Malformed, fmt.Sprintf("results.prompts[%d].%s", len(prompts), te.Field), "want %s, found a JSON %s", goKindText(te.Type.Kind().String()), te.Value)
						}
						return run, s.syntax(err)
					}
					prompts = append(prompts, p)
				}
				if _, err := s.dec.Token(); err != nil {
					return run, s.syntax(err)
				}
			default:
				if err := skipValue(s); err != nil {
					return run, err
				}
			}
		}
		if _, err := s.dec.Token(); err != nil {
			return run, s.syntax(err)
		}
	}
	if _, err := s.dec.Token(); err != nil {
		return run, s.syntax(err)
	}
	whole := func(format string, args ...any) error { return errorf(f.Path, Malformed, format, args...) }
	switch {
	case !seenResults:
		return run, whole("no results object: not a promptfoo result file (promptfoo eval -o results.json)")
	case version == "":
		return run, whole("results.version is missing (want promptfoo results version 3)")
	case version != "3":
		return run, whole("results.version %s: ftgate reads promptfoo results version 3 (promptfoo 0.60 or later)", version)
	case stamp == "":
		return run, whole("results.timestamp is missing")
	}
	at, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return run, whole("results.timestamp %s is not an ISO 8601 date and time", quote([]byte(stamp)))
	}
	run.at = at
	date := at.UTC().Format(time.DateOnly)
	for i, p := range prompts {
		at := fmt.Sprintf("results.prompts[%d]", i)
		m := p.Metrics
		if m == nil || m.Score == nil || m.TestPassCount == nil || m.TestFailCount == nil {
			return run, whole("%s.metrics: score, testPassCount and testFailCount are required", at)
		}
		n := *m.TestPassCount + *m.TestFailCount
		if m.TestErrorCount != nil {
			n += *m.TestErrorCount
		}
		if n <= 0 {
			return run, whole("%s.metrics: no tests were run", at)
		}
		score := *m.Score / float64(n)
		if math.IsNaN(score) || score < 0 || score > 1 {
			return run, whole("%s.metrics.score %v over %d tests is outside [0, 1]", at, *m.Score, n)
		}
		tech := "other"
		if t, bad := parseTechnique(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(p.Label)), "-", "_")); bad == "" {
			tech = t
		}
		run.rows = append(run.rows, EvalRow{Score: score, N: n, Technique: tech, Date: date, Model: ""})
	}
	return run, nil
}

// key reads an object key.
func (s *jsonArray) key() (string, error) {
	t, err := s.dec.Token()
	if err != nil {
		return "", s.syntax(err)
	}
	k, ok := t.(string)
	if !ok {
		return "", s.errOffset(s.dec.InputOffset(), Malformed, "", "want an object key")
	}
	return k, nil
}

func expectDelim(s *jsonArray, want json.Delim) error {
	t, err := s.dec.Token()
	if err != nil {
		return s.syntax(err)
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return errors.New("unexpected token")
	}
	return nil
}

// skipValue reads past one value, token by token, holding none of it.
func skipValue(s *jsonArray) error {
	depth := 0
	for {
		t, err := s.dec.Token()
		if err != nil {
			if err == io.EOF {
				return s.syntax(io.ErrUnexpectedEOF)
			}
			return s.syntax(err)
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}
