package report

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/ftgate/ftgate/internal/result"
)

// jsonVersion is the version every JSON document starts with. Fields may be
// added under it, never renamed (SPEC section 7).
const jsonVersion = 1

// jsonReporter prints the document of SPEC section 7. The document is built
// from the ordered structs below, not from maps, so the field order is the
// order a reader of the specification expects and never changes between
// runs. The one map, metrics, is keyed by config path, and encoding/json
// writes map keys sorted.
type jsonReporter struct{}

func newJSON(Options) Reporter { return jsonReporter{} }

type jsonResult struct {
	Version  int                          `json:"version"`
	Result   string                       `json:"result"`
	Configs  []jsonConfig                 `json:"configs"`
	Excluded []jsonExcluded               `json:"excluded"`
	Findings []jsonFinding                `json:"findings"`
	Metrics  map[string]result.MetricsDoc `json:"metrics"`
}

type jsonConfig struct {
	Path      string   `json:"path"`
	Kind      string   `json:"kind"`
	Framework string   `json:"framework"`
	Signature string   `json:"signature"`
	BaseModel string   `json:"base_model,omitempty"`
	Datasets  []string `json:"datasets"`
	Line      int      `json:"line,omitempty"`
	Records   []string `json:"records"`
	Record    string   `json:"record,omitempty"`
}

type jsonExcluded struct {
	Path      string `json:"path"`
	Framework string `json:"framework"`
	Glob      string `json:"glob"`
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Config   string `json:"config,omitempty"`
	Record   string `json:"record,omitempty"`
}

func (jsonReporter) Report(w io.Writer, r *result.Result) error {
	if r == nil {
		return errors.New("report: nil result")
	}
	doc := jsonResult{
		Version:  jsonVersion,
		Result:   r.Result,
		Configs:  make([]jsonConfig, 0, len(r.Configs)),
		Excluded: make([]jsonExcluded, 0, len(r.Excluded)),
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Metrics:  make(map[string]result.MetricsDoc, len(r.Metrics)),
	}
	for _, c := range r.Configs {
		doc.Configs = append(doc.Configs, jsonConfig{
			Path:      c.Path,
			Kind:      c.Kind,
			Framework: c.Framework,
			Signature: c.Signature,
			BaseModel: c.BaseModel,
			Datasets:  list(c.Datasets),
			Line:      c.Line,
			Records:   list(c.Records),
			Record:    c.Record,
		})
	}
	for _, e := range r.Excluded {
		doc.Excluded = append(doc.Excluded, jsonExcluded{Path: e.Path, Framework: e.Framework, Glob: e.Glob})
	}
	for _, f := range r.Findings {
		doc.Findings = append(doc.Findings, jsonFinding{
			Rule:     f.Rule,
			Severity: f.Severity.String(),
			Message:  f.Message,
			Hint:     f.Hint,
			File:     f.Pos.File,
			Line:     f.Pos.Line,
			Col:      f.Pos.Col,
			Config:   f.Config,
			Record:   f.Record,
		})
	}
	for path, m := range r.Metrics {
		if m != nil {
			doc.Metrics[path] = m.Doc()
		}
	}
	return writeJSON(w, doc)
}

type jsonErrorDoc struct {
	Version int           `json:"version"`
	Result  string        `json:"result"`
	Error   jsonErrorBody `json:"error"`
}

type jsonErrorBody struct {
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
}

func (jsonReporter) writeError(w io.Writer, e ErrorInfo) error {
	return writeJSON(w, jsonErrorDoc{
		Version: jsonVersion,
		Result:  result.Error,
		Error:   jsonErrorBody{Message: e.Message, File: e.File, Line: e.Line, Col: e.Col},
	})
}

// writeJSON writes v indented by two spaces, with a final newline. HTML
// escaping is off: messages compare numbers ("alpha 0.71 < 0.80"), and
// \u003c would only make them harder to read.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// list returns ss, or an empty list when ss is nil, so that JSON shows []
// rather than null for a list with nothing in it.
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
