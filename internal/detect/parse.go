package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// MaxHead is how much of a JSON or JSONL file the detectors look at (its
// data sample), and how much of any file is checked for a NUL byte or
// invalid UTF-8.
const MaxHead = 64 << 10

// MaxFile is how much of a YAML, TOML, Python, shell or notebook-source
// candidate is read: the whole file, up to this size. A larger one cannot
// be judged (FT004), so padding cannot push a signature out of sight.
const MaxFile = 1 << 20

// maxNotebook bounds a whole notebook, outputs included, that is parsed to
// find its cells' source.
const maxNotebook = 64 << 20

// Limits on what a file may make the parser and evaluator do.
const (
	// maxDocs bounds the documents of a YAML stream that are tried.
	maxDocs = 64
	// maxExpanded bounds a YAML document's size with every alias expanded.
	// Real configs stay in the low thousands; "billion laughs" documents
	// pass it after a few lines and are treated as unparsable.
	maxExpanded = 100_000
)

// head is the part of a file the detectors see.
type head struct {
	// text is the window: the whole file, or for sampled formats at most
	// MaxHead bytes, a rune cut by the window dropped.
	text []byte
	// parse is what the parsers read: text, without the line the window cut
	// when the file may go on past it.
	parse []byte
}

// window returns the part of data the detectors read, at most limit bytes,
// or false when data is not text: a NUL byte or invalid UTF-8 in the first
// MaxHead bytes means a binary file, never a config.
func window(data []byte, limit int) (head, bool) {
	cut := len(data) > limit || (limit == MaxHead && len(data) == MaxHead)
	if len(data) > limit {
		data = data[:limit]
	}
	if cut {
		// The window may split a multi-byte rune; that is not invalid UTF-8
		// in the file.
		for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
			if utf8.RuneStart(data[i]) {
				if !utf8.FullRune(data[i:]) {
					data = data[:i]
				}
				break
			}
		}
	}
	sample := data[:min(len(data), MaxHead)]
	if len(data) > MaxHead {
		// Do not call a rune cut at the sample's end invalid.
		for i := len(sample) - 1; i >= 0 && i >= len(sample)-utf8.UTFMax; i-- {
			if utf8.RuneStart(sample[i]) {
				if !utf8.FullRune(sample[i:]) {
					sample = sample[:i]
				}
				break
			}
		}
	}
	if bytes.IndexByte(sample, 0) >= 0 || !utf8.Valid(sample) {
		return head{}, false
	}
	h := head{text: data, parse: data}
	if cut {
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
			h.parse = data[:i+1]
		}
	}
	return h, true
}

// errUnparsable marks content that parses but must be read as text: custom
// tags, templates, alias bombs.
var errUnparsable = errors.New("unparsable")

// parse returns the documents of data in the given format, or an error when
// the content does not parse for the frameworks' own loaders.
func parse(f Format, data []byte) (docs []*yaml.Node, err error) {
	// The parsers are third-party or hand-written over untrusted input; a
	// panic in them must make the file unparsable, not crash the gate.
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("%w: parser panic: %v", errUnparsable, r)
		}
	}()
	switch f {
	case YAML:
		return parseYAML(data)
	case JSON:
		pt := &posTracker{data: data}
		n, err := parseJSON(data, 0, len(data), pt)
		if err != nil {
			return nil, err
		}
		return []*yaml.Node{n}, nil
	case JSONL:
		return parseJSONL(data)
	}
	return nil, fmt.Errorf("%w: unknown format", errUnparsable)
}

func parseYAML(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for len(docs) < maxDocs {
		doc := new(yaml.Node)
		err := dec.Decode(doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := checkYAML(doc); err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// checkYAML refuses documents that parse here but not for the frameworks'
// loaders, or that would cost too much to walk:
//   - custom tags (!include, !Ref, !!python/object): PyYAML's safe loader
//     rejects them and a custom loader may mean anything;
//   - a mapping or list as a mapping key, which is how `{{ .Values.x }}`
//     parses and which Python cannot load (unhashable key);
//   - alias bombs: more than maxExpanded nodes once aliases are expanded,
//     or an alias inside its own anchor.
func checkYAML(doc *yaml.Node) error {
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if customTag(n.Tag) {
			return fmt.Errorf("%w: custom tag %s at line %d", errUnparsable, n.Tag, n.Line)
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Kind == yaml.MappingNode || k.Kind == yaml.SequenceNode {
					return fmt.Errorf("%w: template or complex key at line %d", errUnparsable, k.Line)
				}
			}
		}
		stack = append(stack, n.Content...)
	}
	if expandedSize(doc, map[*yaml.Node]int{}) > maxExpanded {
		return fmt.Errorf("%w: aliases expand past %d nodes", errUnparsable, maxExpanded)
	}
	return nil
}

// customTag reports a tag outside YAML's core schema. The parser writes
// core tags in the short form "!!str"; "!" alone is the non-specific tag.
func customTag(tag string) bool {
	if tag == "" || tag == "!" {
		return false
	}
	if !strings.HasPrefix(tag, "!!") {
		return true
	}
	switch tag {
	case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq",
		"!!binary", "!!timestamp", "!!merge", "!!omap", "!!set", "!!pairs":
		return false
	}
	return true
}

// expandedSize counts n's nodes with aliases expanded, stopping past
// maxExpanded. memo holds finished nodes; -1 marks a node being counted, so
// an alias to its own ancestor counts as infinitely large.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		if v < 0 {
			return maxExpanded + 1
		}
		return v
	}
	memo[n] = -1
	size := 1
	if n.Kind == yaml.AliasNode {
		size = expandedSize(n.Alias, memo)
	}
	for _, c := range n.Content {
		if size > maxExpanded {
			break
		}
		size += expandedSize(c, memo)
	}
	size = min(size, maxExpanded+1)
	memo[n] = size
	return size
}

// parseJSONL parses every complete, non-blank line as one JSON document.
// One bad line makes the whole file unparsable.
func parseJSONL(data []byte) ([]*yaml.Node, error) {
	pt := &posTracker{data: data}
	var docs []*yaml.Node
	for start, line := 0, 1; start < len(data) && len(docs) < jsonlSample; line++ {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		if len(bytes.TrimSpace(data[start:end])) > 0 {
			n, err := parseJSON(data, start, end, pt)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			docs = append(docs, n)
		}
		start = end + 1
	}
	return docs, nil
}

// jsonlSample is how many lines of a JSONL file the detectors judge it by.
// Training data runs to thousands of lines of one shape; decoding every line
// of the first 64 KiB into positioned nodes was a tenth of a whole check.
const jsonlSample = 64

var bom = []byte("\uFEFF")

// parseJSON decodes the single JSON value in data[start:end] into the node
// shape the YAML parser produces, with 1-based lines and columns counted in
// code points from the start of data. encoding/json is used rather than the
// YAML parser because JSON is not quite YAML: `\/` escapes and tab
// indentation are valid JSON that YAML rejects.
func parseJSON(data []byte, start, end int, pt *posTracker) (*yaml.Node, error) {
	if bytes.HasPrefix(data[start:end], bom) {
		start += len(bom)
	}
	dec := json.NewDecoder(bytes.NewReader(data[start:end]))
	dec.UseNumber()
	var (
		root  *yaml.Node
		stack []*yaml.Node
	)
	for {
		off := start + int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			if len(stack) == 0 {
				return nil, errors.New("unbalanced JSON")
			}
			stack = stack[:len(stack)-1]
			continue
		}
		line, col := pt.at(skipSeparators(data, off, end))
		n := &yaml.Node{Line: line, Column: col}
		switch t := tok.(type) {
		case json.Delim:
			n.Style = yaml.FlowStyle
			if t == '{' {
				n.Kind, n.Tag = yaml.MappingNode, "!!map"
			} else {
				n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			}
		case string:
			n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", t, yaml.DoubleQuotedStyle
		case json.Number:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", t.String()
			if strings.ContainsAny(n.Value, ".eE") {
				n.Tag = "!!float"
			}
		case bool:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(t)
		case nil:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
		}
		switch {
		case len(stack) > 0:
			top := stack[len(stack)-1]
			top.Content = append(top.Content, n)
		case root == nil:
			root = n
		default:
			return nil, errors.New("more than one JSON value")
		}
		if n.Kind != yaml.ScalarNode {
			stack = append(stack, n)
		}
	}
	if root == nil || len(stack) > 0 {
		return nil, errors.New("no complete JSON value")
	}
	return root, nil
}

// skipSeparators moves off past the whitespace, commas and colons the JSON
// decoder skips before a token.
func skipSeparators(data []byte, off, end int) int {
	for off < end {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// posTracker turns byte offsets into 1-based lines and code-point columns.
// Offsets mostly grow, so it walks forward from the last one instead of
// rescanning from the start.
type posTracker struct {
	data      []byte
	off       int
	line, col int
}

func (p *posTracker) at(off int) (line, col int) {
	if p.line == 0 || off < p.off {
		p.off, p.line, p.col = 0, 1, 1
	}
	off = min(off, len(p.data))
	for p.off < off {
		r, size := utf8.DecodeRune(p.data[p.off:])
		if r == '\n' {
			p.line++
			p.col = 1
		} else {
			p.col++
		}
		p.off += size
	}
	return p.line, p.col
}
