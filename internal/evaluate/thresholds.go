package evaluate

import (
	"encoding/json"
	"fmt"
	"slices"

	"cuelang.org/go/cue"

	"github.com/ftgate/ftgate/internal/pathglob"
)

// Thresholds are the effective thresholds for one task (SPEC §4).
type Thresholds struct {
	PromptCeiling struct {
		MinIterations      int      `json:"min_iterations"`
		Window             int      `json:"window"`
		Epsilon            float64  `json:"epsilon"`
		RequiredTechniques []string `json:"required_techniques"`
	} `json:"prompt_ceiling"`
	Agreement struct {
		Min      float64 `json:"min"`
		MinUnits int     `json:"min_units"`
	} `json:"agreement"`
	Data struct {
		MinExamples int `json:"min_examples"`
	} `json:"data"`
	Coverage struct {
		Min                    float64 `json:"min"`
		MaxUncoveredShare      float64 `json:"max_uncovered_share"`
		MinExamplesPerScenario int     `json:"min_examples_per_scenario"`
	} `json:"coverage"`
	Maintenance struct {
		MaxReviewDays int `json:"max_review_days"`
	} `json:"maintenance"`
	Evidence struct {
		MaxEvidenceAgeDays int `json:"max_evidence_age_days"`
	} `json:"evidence"`
	Waivers struct {
		MaxDays int `json:"max_days"`
	} `json:"waivers"`
	QualityGap struct {
		MinGap float64 `json:"min_gap"`
	} `json:"quality_gap"`
	LatencyCost struct {
		MinCallsPerDay float64 `json:"min_calls_per_day"`
	} `json:"latency_cost"`
}

// thresholdsValue is the thresholds value in force for a task: the task's
// own when the policy defines it, else the repository-wide one.
func (p *Policy) thresholdsValue(task string) cue.Value {
	v := p.root.LookupPath(cue.MakePath(cue.Str("tasks"), cue.Str(task), cue.Str("thresholds")))
	if v.Exists() {
		return v
	}
	return p.root.LookupPath(cue.MakePath(cue.Str("thresholds")))
}

// Thresholds decodes the thresholds in force for a task.
func (p *Policy) Thresholds(task string) (Thresholds, error) {
	var th Thresholds
	if err := p.thresholdsValue(task).Decode(&th); err != nil {
		return th, fmt.Errorf("thresholds for task %s: %w", task, err)
	}
	return th, nil
}

// taskBinding is a task bound to paths by `tasks: <t>: covers: [globs]`.
type taskBinding struct {
	task   string
	covers []pathglob.Glob
}

// bindTasks compiles every task's covers, reporting a glob that does not
// compile at its place in the repository's files.
func (p *Policy) bindTasks(perr *PolicyError) {
	tasks, err := p.root.LookupPath(cue.MakePath(cue.Str("tasks"))).Fields()
	if err != nil {
		return // Load has validated tasks already
	}
	for tasks.Next() {
		b := taskBinding{task: tasks.Selector().Unquoted()}
		list, err := tasks.Value().LookupPath(cue.MakePath(cue.Str("covers"))).List()
		if err != nil {
			continue
		}
		for i := 0; list.Next(); i++ {
			s, err := list.Value().String()
			if err != nil {
				continue // the schema makes covers a list of strings
			}
			g, err := pathglob.Compile(s)
			if err != nil {
				perr.add(cuePos(list.Value().Pos()), fmt.Sprintf("tasks.%s.covers[%d]: %v", b.task, i, err))
				continue
			}
			b.covers = append(b.covers, g)
		}
		if len(b.covers) > 0 {
			p.bound = append(p.bound, b)
		}
	}
}

// ThresholdsFor returns the thresholds that judge the config at path for a
// record of task: for each threshold, the tightest value among the record's
// task (the repository-wide thresholds when the policy does not define it)
// and every task whose covers match path (SPEC §4), so that renaming a
// record's task never loosens what judges a config. Applied lists the tasks
// bound to path, in policy order, besides the record's own.
func (p *Policy) ThresholdsFor(task, path string) (th Thresholds, applied []string, err error) {
	candidates := []cue.Value{p.thresholdsValue(task)}
	for _, b := range p.bound {
		if b.task == task || !slices.ContainsFunc(b.covers, func(g pathglob.Glob) bool { return g.Match(path) }) {
			continue
		}
		applied = append(applied, b.task)
		candidates = append(candidates, p.taskThresholds(b.task))
	}
	if len(candidates) == 1 {
		th, err = p.Thresholds(task)
		return th, nil, err
	}
	merged, err := p.tightest(candidates)
	if err != nil {
		return th, applied, err
	}
	if err := json.Unmarshal(merged, &th); err != nil {
		return th, applied, fmt.Errorf("thresholds for %s: %w", path, err)
	}
	return th, applied, nil
}

func (p *Policy) taskThresholds(task string) cue.Value {
	return p.root.LookupPath(cue.MakePath(cue.Str("tasks"), cue.Str(task), cue.Str("thresholds")))
}

// tightest merges thresholds values leaf by leaf, keeping the tightest value
// in the direction #floors gives for it: the larger, the smaller, or the
// union of lists. The result is JSON in the shape of #Thresholds, with each
// number as CUE writes it (an int stays an int).
func (p *Policy) tightest(candidates []cue.Value) ([]byte, error) {
	floors := p.root.LookupPath(cue.MakePath(cue.Def("#floors")))
	out := map[string]map[string]json.RawMessage{}
	groups, err := floors.Fields()
	if err != nil {
		return nil, err
	}
	for groups.Next() {
		group := groups.Selector().Unquoted()
		out[group] = map[string]json.RawMessage{}
		leaves, err := groups.Value().Fields()
		if err != nil {
			return nil, err
		}
		for leaves.Next() {
			name := leaves.Selector().Unquoted()
			tighter, _ := leaves.Value().LookupPath(cue.MakePath(cue.Str("tighter"))).String()
			rel := cue.MakePath(cue.Str(group), cue.Str(name))
			var best cue.Value
			var union []string
			for i, c := range candidates {
				v := c.LookupPath(rel)
				switch tighter {
				case "superset":
					var list []string
					if err := v.Decode(&list); err != nil {
						return nil, fmt.Errorf("thresholds.%s.%s: %w", group, name, err)
					}
					for _, s := range list {
						if !slices.Contains(union, s) {
							union = append(union, s)
						}
					}
					continue
				case "larger", "smaller":
				default:
					return nil, fmt.Errorf("#floors.%s.%s: unknown direction %q", group, name, tighter)
				}
				if i == 0 {
					best = v
					continue
				}
				a, err1 := v.Float64()
				b, err2 := best.Float64()
				if err1 != nil || err2 != nil {
					return nil, fmt.Errorf("thresholds.%s.%s: not a number", group, name)
				}
				if (tighter == "larger" && a > b) || (tighter == "smaller" && a < b) {
					best = v
				}
			}
			var raw []byte
			if tighter == "superset" {
				raw, err = json.Marshal(union)
			} else {
				raw, err = best.MarshalJSON()
			}
			if err != nil {
				return nil, err
			}
			out[group][name] = raw
		}
	}
	return json.Marshal(out)
}
