package report

import (
	"encoding/json"
	"errors"
	"io"
	"math"

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
	Version  int                    `json:"version"`
	Result   string                 `json:"result"`
	Configs  []jsonConfig           `json:"configs"`
	Excluded []jsonExcluded         `json:"excluded"`
	Findings []jsonFinding          `json:"findings"`
	Metrics  map[string]jsonMetrics `json:"metrics"`
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

// jsonMetrics holds one record's figures; a section that was not computed
// is omitted.
type jsonMetrics struct {
	PromptCeiling *jsonPromptCeiling `json:"prompt_ceiling,omitempty"`
	Agreement     *jsonAgreement     `json:"agreement,omitempty"`
	Coverage      *jsonCoverage      `json:"coverage,omitempty"`
	Data          *jsonData          `json:"data,omitempty"`
	Cost          *jsonCost          `json:"cost,omitempty"`
}

// In the sections below every float is a pointer: a figure that does not
// exist, or is NaN or infinite (which JSON cannot carry), is null.

type jsonPromptCeiling struct {
	Metric            string   `json:"metric,omitempty"`
	Iterations        int      `json:"iterations"`
	BestScore         *float64 `json:"best_score"`
	BestIteration     *int     `json:"best_iteration"`
	N                 *int     `json:"n"`
	Noise             *float64 `json:"noise"`
	Window            int      `json:"window"`
	Gain              *float64 `json:"gain"`
	Epsilon           *float64 `json:"epsilon"`
	Converged         bool     `json:"converged"`
	Techniques        []string `json:"techniques"`
	MissingTechniques []string `json:"missing_techniques"`
	NewestDate        string   `json:"newest_date,omitempty"`
}

type jsonAgreement struct {
	Metric string `json:"metric,omitempty"`
	Level  string `json:"level,omitempty"`
	// Weights applies to Cohen's kappa only.
	Weights string   `json:"weights,omitempty"`
	Value   *float64 `json:"value"`
	// Undefined is null when Value is a number, else the reason it is not.
	Undefined  *string  `json:"undefined"`
	Units      int      `json:"units"`
	Annotators int      `json:"annotators"`
	Pairable   int      `json:"pairable"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	Declared   *float64 `json:"declared"`
}

type jsonCoverage struct {
	Coverage  *float64        `json:"coverage"`
	TVD       *float64        `json:"tvd"`
	Scenarios int             `json:"scenarios"`
	Covered   int             `json:"covered"`
	Uncovered []jsonUncovered `json:"uncovered"`
}

type jsonUncovered struct {
	Scenario string   `json:"scenario"`
	Share    *float64 `json:"share"`
	Examples *float64 `json:"examples"`
}

type jsonData struct {
	TrainingSet string `json:"training_set,omitempty"`
	Examples    int    `json:"examples"`
}

type jsonCost struct {
	MonthlySavingUSD *float64 `json:"monthly_saving_usd"`
	PaybackMonths    *float64 `json:"payback_months"`
	Holds            bool     `json:"holds"`
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
		Metrics:  make(map[string]jsonMetrics, len(r.Metrics)),
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
			doc.Metrics[path] = metricsJSON(m)
		}
	}
	return writeJSON(w, doc)
}

func metricsJSON(m *result.Metrics) jsonMetrics {
	var out jsonMetrics
	if pc := m.PromptCeiling; pc != nil {
		out.PromptCeiling = &jsonPromptCeiling{
			Metric:            pc.Metric,
			Iterations:        pc.Iterations,
			BestScore:         numPtr(pc.BestScore),
			BestIteration:     pc.BestIteration,
			N:                 pc.N,
			Noise:             num(pc.Noise),
			Window:            pc.Window,
			Gain:              numPtr(pc.Gain),
			Epsilon:           num(pc.Epsilon),
			Converged:         pc.Converged,
			Techniques:        list(pc.Techniques),
			MissingTechniques: list(pc.MissingTechniques),
			NewestDate:        pc.NewestDate,
		}
	}
	if a := m.Agreement; a != nil {
		var undefined *string
		if a.Undefined != "" {
			undefined = &a.Undefined
		}
		out.Agreement = &jsonAgreement{
			Metric:     a.Metric,
			Level:      a.Level,
			Weights:    a.Weights,
			Value:      numPtr(a.Value),
			Undefined:  undefined,
			Units:      a.Units,
			Annotators: a.Annotators,
			Pairable:   a.Pairable,
			CILow:      numPtr(a.CILow),
			CIHigh:     numPtr(a.CIHigh),
			Declared:   numPtr(a.Declared),
		}
	}
	if c := m.Coverage; c != nil {
		unc := make([]jsonUncovered, 0, len(c.Uncovered))
		for _, u := range c.Uncovered {
			unc = append(unc, jsonUncovered{Scenario: u.Scenario, Share: num(u.Share), Examples: num(u.Examples)})
		}
		out.Coverage = &jsonCoverage{
			Coverage:  numPtr(c.Coverage),
			TVD:       numPtr(c.TVD),
			Scenarios: c.Scenarios,
			Covered:   c.Covered,
			Uncovered: unc,
		}
	}
	if d := m.Data; d != nil {
		out.Data = &jsonData{TrainingSet: d.TrainingSet, Examples: d.Examples}
	}
	if c := m.Cost; c != nil {
		out.Cost = &jsonCost{
			MonthlySavingUSD: numPtr(c.MonthlySavingUSD),
			PaybackMonths:    numPtr(c.PaybackMonths),
			Holds:            c.Holds,
		}
	}
	return out
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

// num returns a pointer to v, or nil when v is NaN or infinite.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// numPtr is num for a figure that may be absent.
func numPtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	return num(*p)
}

// list returns ss, or an empty list when ss is nil, so that JSON shows []
// rather than null for a list with nothing in it.
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
