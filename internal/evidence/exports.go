package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/finding"
)

// Annotation formats: the long or wide CSV of section 3 and the exports of
// the annotation tools of section 7.2. FormatAuto detects one from the
// content.
const (
	FormatAuto           = ""
	FormatCSV            = "csv"
	FormatLabelStudio    = "labelstudio"
	FormatLabelStudioMin = "labelstudio-min"
	FormatLabelStudioCSV = "labelstudio-csv"
	FormatProdigy        = "prodigy"
	FormatArgilla        = "argilla"
)

// multiLabelUnsupported ends the message refusing a unit labelled several
// times by one annotator in one answer.
const multiLabelUnsupported = "multi-label agreement is not supported: give each unit one label per annotator"

// AnnotationFormats lists the names --input-format accepts for annotations.
func AnnotationFormats() []string {
	return []string{FormatCSV, FormatLabelStudio, FormatLabelStudioMin, FormatLabelStudioCSV, FormatProdigy, FormatArgilla}
}

// AnnotationOptions say how to read an annotation file.
type AnnotationOptions struct {
	// Format forces a format (one of AnnotationFormats); empty detects it
	// from the content.
	Format string
	// Question names the question whose answers are the labels, for
	// exports that hold several.
	Question string
}

// ReadAnnotations reads raw labels in any format ftgate knows: the long or
// wide CSV of ParseAnnotations, or a Label Studio (JSON, JSON-MIN, CSV),
// Prodigy db-out or Argilla v2 export, detected from the content unless
// opt.Format names one. Every export gives the same structure the long CSV
// gives for the same (unit, annotator, label) triples: units, annotators
// and labels numbered in order of first appearance, each unit's ratings in
// file order. Every error is an *Error; one that needs a question named is
// a Malformed error listing the questions.
func ReadAnnotations(fsys fs.FS, name string, maxBytes int64, opt AnnotationOptions) (*Annotations, error) {
	format := opt.Format
	if format == FormatAuto {
		var err error
		if format, err = sniffAnnotations(fsys, name, maxBytes); err != nil {
			return nil, err
		}
	}
	var r exportReader
	switch format {
	case FormatCSV:
		if opt.Question != "" {
			return nil, errorf(cleanName(name), Malformed, "a question (%s) names a column of an export; this CSV holds unit, annotator and label columns", quote([]byte(opt.Question)))
		}
		return ParseAnnotations(fsys, name, maxBytes)
	case FormatLabelStudio:
		r = labelStudioJSON{}
	case FormatLabelStudioMin:
		r = labelStudioMin{}
	case FormatLabelStudioCSV:
		r = labelStudioCSV{}
	case FormatProdigy:
		r = prodigyJSONL{}
	case FormatArgilla:
		r = argillaJSON{}
	default:
		return nil, errorf(cleanName(name), Malformed, "unknown annotation format %q (known: %s)", format, strings.Join(AnnotationFormats(), ", "))
	}
	return readExport(fsys, name, maxBytes, r, opt.Question)
}

// cleanName is the name errors carry before the file is opened.
func cleanName(name string) string {
	if c, err := checkName(name); err == nil {
		return c
	}
	return name
}

// exportReader reads one tool's export into a builder: it reports every
// question it meets to b.question, and adds the answers to the question
// the builder wants (none when it wants none).
type exportReader interface {
	read(f *source, b *builder) error
}

// source is an open export with the means to read it again from the
// start, which only an error's position needs.
type source struct {
	*File
	fsys     fs.FS
	name     string
	maxBytes int64
}

func openSource(fsys fs.FS, name string, maxBytes int64) (*source, error) {
	f, err := Open(fsys, name, maxBytes)
	if err != nil {
		return nil, err
	}
	return &source{File: f, fsys: fsys, name: name, maxBytes: maxBytes}, nil
}

func (s *source) reopen() (*File, error) { return Open(s.fsys, s.name, s.maxBytes) }

// readExport makes up to three passes: one listing the questions when
// none is named (an export of several is refused, listing them), one
// collecting the ratings of the question, and, only when an annotator
// rated a unit twice, one finding where, so that no position is kept per
// rating.
func readExport(fsys fs.FS, name string, maxBytes int64, r exportReader, question string) (*Annotations, error) {
	pass := func(b *builder) error {
		f, err := openSource(fsys, name, maxBytes)
		if err != nil {
			return err
		}
		defer f.Close()
		b.path = f.Path
		b.a.Path = f.Path
		return r.read(f, b)
	}
	if question == "" {
		b := newBuilder("", "")
		if err := pass(b); err != nil {
			return nil, err
		}
		switch {
		case len(b.questions) == 0 && len(b.candidates) > 0 && b.candidatesAreData:
			return nil, errorf(b.path, Malformed, "cannot tell which column is the question: %s each hold one value per task, as task data does; name the question (--question, or necessary.data.question in the record)",
				quoteList(b.candidates))
		case len(b.questions) == 0 && len(b.candidates) > 0:
			return nil, errorf(b.path, Malformed, "%d columns could be the question (%s); name one (--question, or necessary.data.question in the record)",
				len(b.candidates), quoteList(b.candidates))
		}
		switch len(b.questions) {
		case 0:
			return nil, errorf(b.path, Malformed, "no single-choice question found: nothing to compute agreement on")
		case 1:
			question = b.questions[0]
		default:
			return nil, errorf(b.path, Malformed, "the export holds %d questions (%s); name one (--question, or necessary.data.question in the record)",
				len(b.questions), quoteList(b.questions))
		}
	}
	b := newBuilder("", question)
	if err := pass(b); err != nil {
		return nil, err
	}
	if !slices.Contains(b.questions, question) {
		if len(b.questions) == 0 {
			return nil, errorf(b.path, Malformed, "question %s not found: the export holds no single-choice question", quote([]byte(question)))
		}
		return nil, errorf(b.path, Malformed, "question %s not found (the export holds %s)", quote([]byte(question)), quoteList(b.questions))
	}
	a := b.build()
	if u, ann, ok := a.repeatedRating(); ok {
		find := newBuilder("", question)
		find.find = &repeat{unit: a.UnitID(u), annotator: a.Annotators[ann]}
		if err := pass(find); err != nil {
			return nil, err
		}
		// The finding pass meets the same ratings in the same order, so
		// it returns the Duplicate error; this is a safeguard.
		return nil, errorf(b.path, Duplicate, "duplicate label for unit %s by annotator %s", quote([]byte(find.find.unit)), quote([]byte(find.find.annotator)))
	}
	return a, nil
}

// repeatedRating returns the first unit, in unit order, that an annotator
// rated twice, and that annotator.
func (a *Annotations) repeatedRating() (unit int, annotator int32, ok bool) {
	seen := make(map[int32]struct{})
	for u := range a.NumUnits() {
		rs := a.UnitRatings(u)
		if len(rs) < 2 {
			continue
		}
		clear(seen)
		for _, r := range rs {
			if _, dup := seen[r.Annotator]; dup {
				return u, r.Annotator, true
			}
			seen[r.Annotator] = struct{}{}
		}
	}
	return 0, 0, false
}

// repeat is the (unit, annotator) a finding pass looks for.
type repeat struct {
	unit, annotator string
	first           *finding.Position
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote([]byte(n))
	}
	return strings.Join(q, ", ")
}

// builder collects (unit, annotator, label) triples from an export, in the
// order the export gives them, and groups them by unit as the CSV reader
// does. Memory: the interned values, one Rating and unit index per rating,
// and one map entry per (unit, annotator) for the duplicate check.
type builder struct {
	path      string
	want      string   // the question whose answers are rated
	questions []string // questions met, in order of first appearance
	// candidates, when no question could be told from the content (the
	// columns of a JSON-MIN or CSV export), are the columns that might be
	// it; candidatesAreData says each reads as task data.
	candidates        []string
	candidatesAreData bool

	units      map[string]int32
	unitIDs    []string
	annotators map[string]int32
	labels     map[string]int32
	a          *Annotations
	unitOf     []int32 // unit of each rating in a.Ratings, before grouping
	// find, in a finding pass, is the repeated rating to locate; such a
	// pass keeps no rating.
	find *repeat
}

func newBuilder(path, want string) *builder {
	return &builder{
		path: path, want: want,
		units: make(map[string]int32), annotators: make(map[string]int32), labels: make(map[string]int32),
		a: &Annotations{Path: path},
	}
}

// question notes that the export asks q and reports whether its answers
// are wanted.
func (b *builder) question(q string) bool {
	if !slices.Contains(b.questions, q) {
		b.questions = append(b.questions, q)
	}
	return b.want != "" && q == b.want
}

// add records annotator's label for unit, read at the place at gives.
// Positions cost a second read of the file up to the place in the JSON
// exports, so at is called only for an error, or by a finding pass for
// the two ratings it looks for.
func (b *builder) add(unit, annotator, label string, at func() finding.Position) *Error {
	switch {
	case unit == "":
		return b.errAt(at(), Malformed, "unit ID is empty")
	case annotator == "":
		return b.errAt(at(), Malformed, "annotator is empty")
	case label == "":
		return b.errAt(at(), Malformed, "label is empty")
	}
	if f := b.find; f != nil {
		if unit != f.unit || annotator != f.annotator {
			return nil
		}
		if f.first == nil {
			first := at()
			f.first = &first
			return nil
		}
		e := b.errAt(at(), Duplicate, "duplicate label for unit %s by annotator %s (first at %s)",
			quote([]byte(unit)), quote([]byte(annotator)), placeText(*f.first))
		e.Related = []finding.Position{*f.first}
		return e
	}
	u, ok := b.units[unit]
	if !ok {
		if len(b.unitIDs) >= maxUnits {
			return b.errAt(at(), Malformed, "more units than this format holds (%d)", maxUnits)
		}
		u = int32(len(b.unitIDs))
		b.units[unit] = u
		b.unitIDs = append(b.unitIDs, unit)
	}
	if len(b.a.Ratings) >= maxRatings {
		return b.errAt(at(), Malformed, "more ratings than this format holds (%d)", uint32(maxRatings))
	}
	an := internString(b.annotators, &b.a.Annotators, annotator)
	l := internString(b.labels, &b.a.Labels, label)
	b.a.Ratings = append(b.a.Ratings, Rating{Annotator: an, Label: l})
	b.unitOf = append(b.unitOf, u)
	return nil
}

func placeText(p finding.Position) string {
	if p.Col > 0 {
		return fmt.Sprintf("line %d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("line %d", p.Line)
}

func internString(m map[string]int32, list *[]string, v string) int32 {
	if i, ok := m[v]; ok {
		return i
	}
	i := int32(len(*list))
	m[v] = i
	*list = append(*list, v)
	return i
}

func (b *builder) errAt(pos finding.Position, kind Kind, format string, args ...any) *Error {
	return &Error{Path: b.path, Line: pos.Line, Col: pos.Col, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// build groups the ratings by unit (a counting sort, stable, so each
// unit's ratings keep their order) and returns the annotations.
func (b *builder) build() *Annotations {
	n := len(b.unitIDs)
	start := make([]int, n+1)
	for _, u := range b.unitOf {
		start[u+1]++
	}
	for u := range n {
		start[u+1] += start[u]
	}
	next := slices.Clone(start[:n])
	grouped := make([]Rating, len(b.a.Ratings))
	for i, u := range b.unitOf {
		grouped[next[u]] = b.a.Ratings[i]
		next[u]++
	}
	out := &Annotations{Path: b.path, Annotators: b.a.Annotators, Labels: b.a.Labels}
	out.Ratings = make([]Rating, 0, len(grouped))
	for u := range n {
		out.AddUnit(b.unitIDs[u], grouped[start[u]:start[u+1]]...)
	}
	if out.Ratings == nil {
		out.Ratings = []Rating{}
	}
	return out
}

// sniffAnnotations detects an annotation file's format from its first
// bytes: a JSON array is one of the JSON exports, told apart by the keys
// of its first element; JSON lines are Prodigy's; a CSV whose header has
// Label Studio's annotation_id and no unit column is Label Studio's CSV;
// anything else is the long or wide CSV.
func sniffAnnotations(fsys fs.FS, name string, maxBytes int64) (string, error) {
	f, err := openSource(fsys, name, maxBytes)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head, _ := f.br.Peek(64 << 10)
	head = bytes.TrimPrefix(head, bom)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return FormatCSV, nil
	case trimmed[0] == '[':
		return sniffArray(f)
	case trimmed[0] == '{':
		return FormatProdigy, nil
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	cols := strings.Split(strings.TrimRight(string(line), "\r"), string(delimiter(f.Path)))
	for i := range cols {
		cols[i] = strings.Trim(strings.TrimSpace(cols[i]), `"`)
	}
	if slices.Contains(cols, "annotation_id") && slices.Contains(cols, "annotator") && !slices.Contains(cols, "unit") {
		return FormatLabelStudioCSV, nil
	}
	return FormatCSV, nil
}

// sniffArray tells the JSON array exports apart by their first element.
func sniffArray(f *source) (string, error) {
	s := newJSONArray(f)
	if err := s.open(); err != nil {
		return "", err
	}
	var first map[string]json.RawMessage
	ok, err := s.next(&first)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errorf(f.Path, Malformed, "empty JSON array: no annotations")
	}
	has := func(k string) bool { _, ok := first[k]; return ok }
	switch {
	case has("annotations") || has("completions"):
		return FormatLabelStudio, nil
	case has("responses"):
		return FormatArgilla, nil
	case has("annotator"):
		return FormatLabelStudioMin, nil
	}
	return "", s.errHere(Malformed, "[0]", "a JSON array, but not an export ftgate reads (want Label Studio tasks with \"annotations\", Label Studio JSON-MIN rows with \"annotator\", or Argilla records with \"responses\")")
}

// jsonArray streams the elements of a top-level JSON array, one decoded
// at a time, so memory holds one element and never the document. Errors
// point at the element's first byte, located by a second read of the file
// up to that offset.
type jsonArray struct {
	f     *source
	dec   *json.Decoder
	index int   // index of the element last decoded
	start int64 // byte offset where it starts
	// decoding holds during Decode, whose syntax errors count from the
	// element's start rather than the file's.
	decoding bool
}

func newJSONArray(f *source) *jsonArray {
	r := io.Reader(f)
	if head, _ := f.br.Peek(len(bom)); bytes.Equal(head, bom) {
		f.br.Discard(len(bom))
	}
	d := json.NewDecoder(r)
	d.UseNumber()
	return &jsonArray{f: f, dec: d, index: -1}
}

// open reads the opening bracket.
func (s *jsonArray) open() error {
	t, err := s.dec.Token()
	if err != nil {
		return s.syntax(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return s.errOffset(0, Malformed, "", "want a JSON array of records")
	}
	return nil
}

// next decodes the next element into v; false at the closing bracket.
func (s *jsonArray) next(v any) (bool, error) {
	if !s.dec.More() {
		if _, err := s.dec.Token(); err != nil {
			return false, s.syntax(err)
		}
		if _, err := s.dec.Token(); err != io.EOF {
			return false, s.errOffset(s.dec.InputOffset(), Malformed, "", "text after the closing ] of the array")
		}
		return false, nil
	}
	s.index++
	s.start = s.dec.InputOffset()
	s.decoding = true
	defer func() { s.decoding = false }()
	if err := s.dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return false, s.errHere(Malformed, fmt.Sprintf("[%d].%s", s.index, te.Field), "want %s, found a JSON %s", goKindText(te.Type.Kind().String()), te.Value)
		}
		return false, s.syntax(err)
	}
	return true, nil
}

func goKindText(k string) string {
	switch k {
	case "string":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice":
		return "an array"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// syntax turns a decoder error into an *Error at the offset it names.
func (s *jsonArray) syntax(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e // a read error: size cap, I/O
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := se.Offset - 1
		if s.decoding {
			// A Decoder's offsets inside Decode count only the bytes of
			// values it has decoded so far: decode the element again
			// on its own, from its first byte, for an offset within it.
			off = s.syntaxOffset(se.Offset - 1)
		}
		line, col := exactPos(s.f, off)
		return &Error{Path: s.f.Path, Line: line, Col: col, Kind: Malformed, Msg: "invalid JSON: " + oneLine(se.Error())}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return s.errOffset(s.dec.InputOffset(), Malformed, "", "the JSON ends early (unclosed array or object)")
	}
	return s.errOffset(s.dec.InputOffset(), Malformed, "", "invalid JSON: %s", oneLine(err.Error()))
}

// errHere points at the element last decoded, with the JSON path of the
// value at fault.
func (s *jsonArray) errHere(kind Kind, jsonPath, format string, args ...any) *Error {
	return s.errOffset(s.start, kind, jsonPath, format, args...)
}

// pos is where the element last decoded starts.
func (s *jsonArray) pos() finding.Position {
	line, col := offsetPos(s.f, s.start)
	return finding.Position{File: s.f.Path, Line: line, Col: col}
}

func (s *jsonArray) errOffset(off int64, kind Kind, jsonPath, format string, args ...any) *Error {
	line, col := offsetPos(s.f, off)
	msg := fmt.Sprintf(format, args...)
	if jsonPath != "" {
		msg = jsonPath + ": " + msg
	}
	return &Error{Path: s.f.Path, Line: line, Col: col, Kind: kind, Msg: msg}
}

// offsetPos returns the line and code-point column of the first byte at
// or after off that is not white space or a comma (the decoder's offsets
// fall before the separators), reading the file again from its start.
// Only an error pays for it. The byte order mark is not counted.
func offsetPos(f *source, off int64) (line, col int) {
	return scanPos(f, off, true)
}

// exactPos returns the line and column of the byte at off.
func exactPos(f *source, off int64) (line, col int) {
	return scanPos(f, off, false)
}

// syntaxOffset finds the offset of a syntax error in the element that
// starts at s.start, by decoding it again alone; fallback when that fails.
func (s *jsonArray) syntaxOffset(fallback int64) int64 {
	start := valueStart(s.f, s.start)
	rf, err := reopenAt(s.f, start)
	if err != nil {
		return fallback
	}
	defer rf.Close()
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.NewDecoder(rf).Decode(&raw); errors.As(err, &se) {
		return start + se.Offset - 1
	}
	return fallback
}

// reopenAt opens the file again, positioned at offset off as the decoder
// counts it (after a byte order mark).
func reopenAt(f *source, off int64) (*File, error) {
	rf, err := f.reopen()
	if err != nil {
		return nil, err
	}
	if head, _ := rf.br.Peek(len(bom)); bytes.Equal(head, bom) {
		rf.br.Discard(len(bom))
	}
	if _, err := io.CopyN(io.Discard, rf, off); err != nil {
		rf.Close()
		return nil, err
	}
	return rf, nil
}

// valueStart returns the offset of the first byte at or after off that is
// not white space or a comma.
func valueStart(f *source, off int64) int64 {
	rf, err := reopenAt(f, off)
	if err != nil {
		return off
	}
	defer rf.Close()
	var buf [4 << 10]byte
	for {
		n, rerr := rf.Read(buf[:])
		for _, c := range buf[:n] {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' {
				return off
			}
			off++
		}
		if rerr != nil {
			return off
		}
	}
}

func scanPos(f *source, off int64, skipSeparators bool) (line, col int) {
	rf, err := f.reopen()
	if err != nil {
		return 0, 0
	}
	defer rf.Close()
	var buf [32 << 10]byte
	line, col = 1, 1
	prevCol := 0 // the column past the end of the line before
	var pos int64
	var pending []byte // an incomplete UTF-8 sequence across reads
	for {
		n, rerr := rf.Read(buf[:])
		chunk := append(pending, buf[:n]...)
		pending = nil
		for i := 0; i < len(chunk); {
			c := chunk[i]
			if pos == 0 && bytes.HasPrefix(chunk[i:], bom) {
				i += len(bom)
				pos += int64(len(bom))
				off += int64(len(bom))
				continue
			}
			if pos >= off && (!skipSeparators || c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',') {
				return line, col
			}
			if c == '\n' {
				line, col, prevCol = line+1, 1, col
				i++
				pos++
				continue
			}
			if c < utf8.RuneSelf {
				col++
				i++
				pos++
				continue
			}
			if !utf8.FullRune(chunk[i:]) && rerr == nil {
				pending = append([]byte(nil), chunk[i:]...)
				break
			}
			_, size := utf8.DecodeRune(chunk[i:])
			col++
			i += size
			pos += int64(size)
		}
		if rerr != nil {
			// The offset is the end of the file: point past the last
			// character, on the last line, or at the whole file when it
			// has none.
			switch {
			case pos == 0:
				return 0, 0
			case col == 1 && line > 1:
				return line - 1, prevCol
			}
			return line, col
		}
	}
}

// jsonString renders a JSON scalar as a label or ID: strings as they are,
// numbers as written, true and false as words. null and compound values
// give ok false.
func jsonString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	case 't', 'f':
		return string(raw), true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if _, err := strconv.ParseFloat(string(raw), 64); err != nil {
			return "", false
		}
		return string(raw), true
	}
	return "", false
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}
