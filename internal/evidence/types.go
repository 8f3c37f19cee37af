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
	DateCol   int     // 1-based column of the date (code points); 0 when unknown
}

// History is a parsed eval history, rows sorted by Iteration.
type History struct {
	Path string
	Rows []EvalRow
}

// Annotations holds raw labels interned for the agreement statistics: unit,
// annotator and label strings are each numbered in order of first appearance
// in the file. Every rating sits in one flat list grouped by unit, so a
// million units cost a handful of allocations and nothing the collector has
// to scan: unit u's ratings are UnitRatings(u), in file order.
type Annotations struct {
	Path       string
	Annotators []string // annotator IDs, in order of first appearance
	Labels     []string // distinct label values, in order of first appearance
	// Ratings holds the ratings of unit 0, then unit 1, and so on.
	Ratings []Rating
	// bounds[u] is where unit u's ratings start in Ratings; bounds has one
	// more entry than there are units, the last being len(Ratings).
	bounds []uint32
	ids    unitIDs
}

// NumUnits returns the number of units.
func (a *Annotations) NumUnits() int { return a.ids.len() }

// UnitID returns unit u's ID as the file spells it (trimmed).
func (a *Annotations) UnitID(u int) string { return string(a.ids.id(u)) }

// UnitRatings returns unit u's ratings, in file order. The slice aliases
// Ratings.
func (a *Annotations) UnitRatings(u int) []Rating {
	return a.Ratings[a.bounds[u]:a.bounds[u+1]:a.bounds[u+1]]
}

// AddUnit appends a unit with its ratings, for producers other than the
// parser (a unit's ID is not checked against earlier ones). The ratings'
// indexes must be valid in Annotators and Labels.
func (a *Annotations) AddUnit(id string, rs ...Rating) {
	if len(a.bounds) == 0 {
		a.bounds = append(a.bounds, 0)
	}
	a.ids.add([]byte(id))
	a.Ratings = append(a.Ratings, rs...)
	a.bounds = append(a.bounds, uint32(len(a.Ratings)))
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
