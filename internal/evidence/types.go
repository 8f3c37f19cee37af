package evidence

// EvalRow is one row of a prompt-evaluation history
// (`iteration,score,n,technique,date[,model]`).
type EvalRow struct {
	Iteration int
	Score     float64 // in [0, 1]
	N         int     // eval-set size; 0 when the cell is empty or the column absent
	Technique string  // zero_shot, few_shot, rag, cot, self_consistency, other
	Date      string  // YYYY-MM-DD
	Model     string  // optional; reported only
	Line      int     // 1-based line in the file
}

// History is a parsed eval history, rows sorted by Iteration.
type History struct {
	Path string
	Rows []EvalRow
}

// Annotations holds raw labels interned for the agreement statistics: unit,
// annotator and label strings are each numbered in order of first appearance
// in the file, and each unit lists the labels it received.
type Annotations struct {
	Path       string
	Units      []string // unit IDs, in order of first appearance
	Annotators []string // annotator IDs, in order of first appearance
	Labels     []string // distinct label values, in order of first appearance
	// Ratings[u] lists the labels unit u received, in file order.
	Ratings [][]Rating
}

// Rating is one annotator's label for one unit, as indexes into Annotators
// and Labels.
type Rating struct {
	Annotator int32
	Label     int32
}

// ScenarioCount is one scenario's traffic (production) or example count
// (training).
type ScenarioCount struct {
	Scenario string
	Count    float64
}

// Scenarios lists scenario counts in order of first appearance; repeated
// scenarios are summed.
type Scenarios struct {
	Path   string
	Counts []ScenarioCount
}
