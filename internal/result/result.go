// Package result is the plain data every reporter renders: the configs judged,
// the findings and the figures behind them. It is filled by the pipeline and
// read by internal/report; it holds no logic beyond its shape.
package result

import "github.com/ftgate/ftgate/internal/finding"

// Verdicts of a whole run.
const (
	Pass  = "pass"
	Fail  = "fail"
	Error = "error"
)

// Result is the outcome of one `ftgate check`.
type Result struct {
	Result   string // Pass or Fail
	FailOn   finding.Severity
	Configs  []Config
	Excluded []Excluded
	Findings []finding.Finding
	// Metrics maps a config path to the figures of the record that judged it.
	Metrics map[string]*Metrics
}

// Config is a training config on trial.
type Config struct {
	Path      string
	Kind      string // finetune or pretrain
	Framework string
	Signature string
	BaseModel string
	Datasets  []string
	Line      int      // for matches in code; 0 otherwise
	Records   []string // every covering record
	Record    string   // the record that judged it; "" when none
}

// Excluded is a file a built-in signature matched that detect.exclude removed.
type Excluded struct {
	Path      string
	Framework string
	Glob      string
}

// Metrics are the figures recomputed from one record's evidence. A nil
// section was not computed (the record does not name its evidence, or the
// evidence could not be read).
type Metrics struct {
	PromptCeiling *PromptCeiling
	Agreement     *Agreement
	Coverage      *Coverage
	Data          *Data
	Cost          *Cost
	// Verdicts are the thresholded figures held to their bars, decided
	// once (by evaluate); every output renders them as they are.
	Verdicts []Verdict
}

// Verdict is one figure held to its bar.
type Verdict struct {
	Rule    string   // the rule the figure belongs to, e.g. FT101
	Figure  string   // its name, e.g. gain
	Subject string   // what the figure is about when a rule has several (a scenario)
	Value   *float64 // nil when the figure does not exist
	Op      string   // ">=", "<=" or "" for a verdict over other verdicts
	Bar     *float64 // nil when Op is ""
	Holds   bool
}

// PromptCeiling is FT101's figures. Pointers are null in JSON when absent.
type PromptCeiling struct {
	Metric            string
	Iterations        int
	BestScore         *float64
	BestIteration     *int
	N                 *int
	Noise             float64
	Window            int
	Gain              *float64
	Epsilon           float64
	Converged         bool
	Techniques        []string
	MissingTechniques []string
	NewestDate        string
	Scores            []Point // the history, for charts
}

// Point is one iteration's score.
type Point struct {
	Iteration int
	Score     float64
}

// Agreement is FT102's figures.
type Agreement struct {
	Metric     string
	Level      string
	Weights    string
	Value      *float64
	Undefined  string // "", no_variation, chance_agreement_one, no_pairable_units
	Units      int
	Annotators int
	Pairable   int
	CILow      *float64
	CIHigh     *float64
	Declared   *float64
	// Pairs and Categories break the figure down when it is asked for:
	// the same metric on each pair of annotators, weakest first, and the
	// labels most often in a disagreeing pair, most disputed first.
	Pairs      []PairAgreement
	Categories []LabelDisagreement
	// PairsAmong is how many annotators the pairs are among when that is
	// fewer than Annotators (those with the most labels); 0 when all.
	PairsAmong int
}

// PairAgreement is the agreement of two annotators over the units both
// labelled.
type PairAgreement struct {
	A, B      string
	Value     *float64
	Undefined string
	Units     int
}

// LabelDisagreement says how disputed a label is: Share is its share of
// the pairable values; Disagreement the share of disagreeing pairs of
// labels (two annotators, one unit) it takes part in, nil when no pair
// disagrees.
type LabelDisagreement struct {
	Label        string
	Share        float64
	Disagreement *float64
}

// Coverage is FT104's figures.
type Coverage struct {
	Coverage  *float64
	TVD       *float64
	Scenarios int
	Covered   int
	Uncovered []Uncovered
}

// Uncovered is a production scenario without enough training examples.
type Uncovered struct {
	Scenario string
	Share    float64
	Examples float64
}

// Data is FT103's figures.
type Data struct {
	TrainingSet string
	Examples    int
}

// Cost is FT202's figures.
type Cost struct {
	MonthlySavingUSD *float64
	PaybackMonths    *float64
	Holds            bool
}
