package evaluate

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ftgate/ftgate/internal/codeowners"
	"github.com/ftgate/ftgate/internal/evidence"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/result"
	"github.com/ftgate/ftgate/internal/rules"
	"github.com/ftgate/ftgate/internal/stats"
)

// Bootstrap settings of SPEC §1.1.
const (
	bootstrapResamples = 1000
	bootstrapSeed      = 1
)

// Judge evaluates configs on trial against one policy. It computes each
// record's evidence once, however many configs the record judges.
type Judge struct {
	Policy *Policy
	// FS is the head's content: records, configs and evidence.
	FS fs.FS
	// Today is the date records and waivers are judged on (UTC).
	Today time.Time
	// CodeOwners is the judging CODEOWNERS (from the base in PR mode); nil
	// when there is none. CodeOwnersName is its path.
	CodeOwners     *codeowners.File
	CodeOwnersName string
	// CodeOwnersWhere says where CODEOWNERS was looked for ("at the base
	// commit 1a2b3c4"); "" reads as "in the repository".
	CodeOwnersWhere string

	cache map[figuresKey]*recordFigures
}

// figuresKey is a record and the thresholds its figures were computed with:
// the window, epsilon, required techniques and examples per scenario shape
// the figures, and configs of one record may be held to different ones
// (tasks bound to paths).
type figuresKey struct {
	record     *record.Record
	thresholds string
}

// recordFigures are what one record's evidence gives, independent of the
// config it judges.
type recordFigures struct {
	metrics  result.Metrics
	sections Sections
	findings []finding.Finding // FT004, FT005 and computation errors
}

// Outcome is the judgement of one config.
type Outcome struct {
	Findings []finding.Finding
	Metrics  *result.Metrics
}

// Case judges one config on trial by its accepted record. An error means the
// policy could not be evaluated (exit 2); everything wrong with the record or
// its evidence is a finding.
func (j *Judge) Case(cs record.Case) (Outcome, error) {
	r := cs.Judge
	th, _, err := j.Policy.ThresholdsFor(r.Task, cs.Config.Path)
	if err != nil {
		return Outcome{}, err
	}
	fig := j.figures(r, th)
	m := fig.metrics // a copy: Decide copies what it changes
	Decide(&m, th, r)
	in := Input{
		Today: j.Today.Format(time.DateOnly),
		Config: ConfigInput{Path: cs.Config.Path, Kind: cs.Config.Kind, Framework: cs.Config.Framework,
			TrainingData: cs.Config.Framework == record.ChatFramework},
		Metrics:  m.Doc(),
		Sections: fig.sections,
		Facts:    j.facts(cs, &m),
		// The thresholds that judge this config, bound tasks included.
		Thresholds: &th,
	}
	if cs.Config.BaseModel != "" {
		in.Config.BaseModel = &cs.Config.BaseModel
	}
	v, err := j.Policy.Verdict(r.Value, r.Task, in)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Metrics: &m}
	for _, f := range fig.findings {
		f.Config = cs.Config.Path
		out.Findings = append(out.Findings, f)
	}
	for _, rf := range v.Findings {
		sev, err := finding.ParseSeverity(rf.Severity)
		if err != nil {
			return Outcome{}, fmt.Errorf("policy rule %s: %w", rf.Rule, err)
		}
		pos := r.Pos(rf.Field)
		if rf.Field == "" {
			pos = r.Pos("id")
		}
		out.Findings = append(out.Findings, finding.Finding{
			Rule: rf.Rule, Severity: sev, Message: rf.Message, Hint: rf.Hint,
			Pos: pos, Config: cs.Config.Path, Record: r.Path,
			Related: []finding.Position{{File: cs.Config.Path}},
		})
	}
	// A valid waiver turns its rule's errors for this record into notices.
	for i, f := range out.Findings {
		if f.Severity == finding.Error && slices.Contains(v.Waived, f.Rule) {
			out.Findings[i].Severity = finding.Notice
			out.Findings[i].Message = "waived: " + f.Message
		}
	}
	return out, nil
}

func (j *Judge) figures(r *record.Record, th Thresholds) *recordFigures {
	key := figuresKey{record: r, thresholds: fmt.Sprint(th)}
	if fig, ok := j.cache[key]; ok {
		return fig
	}
	if j.cache == nil {
		j.cache = map[figuresKey]*recordFigures{}
	}
	fig := &recordFigures{sections: Sections{PromptCeiling: "absent", Agreement: "absent", Coverage: "absent", Data: "absent"}}
	j.cache[key] = fig
	max := j.Policy.EvidenceMaxBytes
	n := r.Necessary

	fail := func(field string, err error) {
		fig.findings = append(fig.findings, evidenceFinding(r, field, err))
	}
	if pc := n.PromptCeiling; pc != nil {
		fig.sections.PromptCeiling = "error"
		h, err := evidence.ReadHistory(j.FS, pc.History, max)
		if err == nil {
			err = h.CheckDates(r.Decided, j.Today)
		}
		if err != nil {
			fail("necessary.prompt_ceiling.history", err)
		} else {
			conv := stats.ComputeConvergence(h, stats.ConvergenceOptions{
				Window:  th.PromptCeiling.Window,
				Epsilon: th.PromptCeiling.Epsilon, RequiredTechniques: th.PromptCeiling.RequiredTechniques,
				Metric: cmpOr(pc.Metric, "score"),
			})
			fig.metrics.PromptCeiling = &conv
			fig.sections.PromptCeiling = "ok"
		}
	}
	if d := n.Data; d != nil && d.Annotations != "" {
		fig.sections.Agreement = "error"
		if a, err := evidence.ReadAnnotations(j.FS, d.Annotations, max, evidence.AnnotationOptions{Question: d.Question}); err != nil {
			fail("necessary.data.annotations", err)
		} else {
			opt := stats.AgreementOptions{Metric: stats.KrippendorffAlpha, Level: d.Level}
			var declared *float64
			if ag := d.Agreement; ag != nil {
				opt.Metric, declared = ag.Metric, ag.Declared
				if ag.Weights != "" {
					opt.Weights = ag.Weights
				}
			}
			if opt.Metric != stats.KrippendorffAlpha {
				opt.Level = ""
			}
			agr, err := stats.ComputeAgreement(a, opt)
			var labelErr *stats.LabelError
			if errors.As(err, &labelErr) {
				// A label no float arithmetic can hold is bad evidence
				// (FT004) on the row that holds it.
				e := &evidence.Error{Path: a.Path, Kind: evidence.Malformed, Msg: err.Error()}
				if pos, ok := evidence.LabelPosition(j.FS, d.Annotations, max, labelErr.Label); ok {
					e.Path, e.Line, e.Col = pos.File, pos.Line, pos.Col
				}
				fail("necessary.data.annotations", e)
			} else if err != nil {
				fig.findings = append(fig.findings, finding.Finding{
					Rule: rules.FT102.RuleID(), Severity: finding.Error, Record: r.Path,
					Pos:     r.Pos("necessary.data.agreement"),
					Message: err.Error(),
					Hint:    "choose an agreement metric that fits the annotations (krippendorff_alpha works for any number of annotators and missing labels)",
				})
			} else {
				if agr.Value != nil {
					agr.CILow, agr.CIHigh, _ = stats.Bootstrap(a, opt, bootstrapResamples, bootstrapSeed)
					// Who disagrees and on what, for FT102's message.
					agr.Pairs, agr.Categories, _ = stats.Breakdown(a, opt)
					agr.PairsAmong = stats.PairsAmong(a)
				}
				agr.Declared = declared
				fig.metrics.Agreement = &agr
				fig.sections.Agreement = "ok"
			}
		}
	}
	if d := n.Data; d != nil && d.TrainingSet != "" {
		fig.sections.Data = "error"
		if count, err := evidence.CountExamples(j.FS, d.TrainingSet, max); err != nil {
			fail("necessary.data.training_set", err)
		} else {
			fig.metrics.Data = &result.Data{TrainingSet: d.TrainingSet, Examples: count}
			fig.sections.Data = "ok"
		}
	}
	if c := n.Coverage; c != nil {
		fig.sections.Coverage = "error"
		prod, err1 := evidence.ParseScenarios(j.FS, c.Production, c.ProductionField, max)
		if err1 != nil {
			fail("necessary.coverage.production", err1)
		}
		train, err2 := evidence.ParseScenarios(j.FS, c.Training, c.TrainingField, max)
		if err2 != nil {
			fail("necessary.coverage.training", err2)
		}
		if err1 == nil && err2 == nil {
			cov := stats.ComputeCoverage(prod, train, stats.CoverageOptions{
				MinExamplesPerScenario: float64(th.Coverage.MinExamplesPerScenario),
			})
			fig.metrics.Coverage = &cov
			fig.sections.Coverage = "ok"
		}
	}
	if lc := r.Sufficient.LatencyCost; lc != nil {
		in := stats.CostInput{
			CallsPerDay: lc.CallsPerDay, PromptTokens: lc.PromptTokens, TunedPromptTokens: lc.TunedPromptTokens,
			USDPerMTok: lc.USDPerMTok, TunedUSDPerMTok: lc.TunedUSDPerMTok,
			DataUSD: r.Costs.DataUSD, TrainingUSD: r.Costs.TrainingUSD,
		}
		if r.Costs.MaintenanceUSDPerMonth != nil {
			in.MaintenanceUSDPerMonth = *r.Costs.MaintenanceUSDPerMonth
		}
		cost := stats.ComputeCost(in)
		fig.metrics.Cost = &cost
	}
	fig.findings = append(fig.findings, j.digests(r, max)...)
	return fig
}

// digests checks every pinned sha256 (FT005).
func (j *Judge) digests(r *record.Record, max int64) []finding.Finding {
	var out []finding.Finding
	names := make([]string, 0, len(r.Digests))
	for p := range r.Digests {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		at := r.PosPath("digests", p)
		got, err := evidence.Digest(j.FS, p, max)
		if err != nil {
			out = append(out, evidenceFindingAt(r, at, err))
			continue
		}
		if want := r.Digests[p]; got != want {
			out = append(out, finding.Finding{
				Rule: rules.FT005.RuleID(), Severity: finding.Error, Record: r.Path, Pos: at,
				Message: fmt.Sprintf("%s changed since the decision: sha256 is %s, the record pins %s", p, short(got), short(want)),
				Hint:    "if the new file is the evidence you decided on, update the digest to " + got + "; otherwise restore the file",
			})
		}
	}
	return out
}

func short(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12] + "…"
	}
	return d
}

// evidenceFinding is FT004 for an evidence file that cannot be used, at the
// place in the evidence file when the problem has one, else at the record
// field naming the file.
func evidenceFinding(r *record.Record, field string, err error) finding.Finding {
	return evidenceFindingAt(r, r.Pos(field), err)
}

func evidenceFindingAt(r *record.Record, field finding.Position, err error) finding.Finding {
	f := finding.Finding{Rule: rules.FT004.RuleID(), Severity: finding.Error, Record: r.Path, Message: err.Error(), Pos: field,
		Hint: "commit the evidence file the record names"}
	var ee *evidence.Error
	if !errors.As(err, &ee) {
		return f
	}
	f.Hint = evidenceHint(ee.Kind)
	f.Related = append(f.Related, ee.Related...)
	if ee.Line > 0 {
		f.Pos, f.Message = ee.Pos(), ee.Msg
		f.Related = append(f.Related, field)
		return f
	}
	// A whole-file problem (missing, outside, too large, an LFS pointer):
	// the record's line names the file.
	f.Message = ee.Path + ": " + ee.Msg
	if strings.ContainsAny(ee.Path, "\r\n") {
		f.Message = strconv.Quote(ee.Path) + ": " + ee.Msg
	}
	return f
}

func evidenceHint(k evidence.Kind) string {
	switch k {
	case evidence.Missing:
		return "commit the file, or correct the path in the record"
	case evidence.Outside:
		return "evidence must live inside the repository: use a repository-relative path without .. and no symlink out of it"
	case evidence.LFSPointer:
		return "ftgate reads evidence as committed: commit the data itself, not a Git LFS pointer"
	case evidence.TooLarge:
		return "sample the evidence down, or raise evidence.max_bytes in the policy"
	case evidence.Duplicate:
		return "each key may appear once: remove or merge the repeated row"
	}
	return "fix the file so it follows the evidence format (see `ftgate explain FT004`)"
}

func (j *Judge) facts(cs record.Case, m *result.Metrics) Facts {
	r := cs.Judge
	f := Facts{EvalPipeline: "absent", RegressionSuite: "absent"}
	if cs.Config.BaseModel != "" {
		match := SameModel(cs.Config.BaseModel, r.BaseModel)
		f.BaseModelMatch = &match
	}
	decided, _ := time.Parse(time.DateOnly, r.Decided)
	review, _ := time.Parse(time.DateOnly, r.ReviewBy)
	f.DaysPastReview = days(review, j.Today)
	f.ReviewDays = days(decided, review)
	if m.PromptCeiling != nil && m.PromptCeiling.NewestDate != "" {
		if newest, err := time.Parse(time.DateOnly, m.PromptCeiling.NewestDate); err == nil {
			age := days(newest, decided)
			f.EvidenceAgeDays = &age
		}
	}
	if mt := r.Necessary.Maintenance; mt != nil {
		f.EvalPipeline = j.exists(mt.EvalPipeline)
		f.RegressionSuite = j.exists(mt.RegressionSuite)
	}
	f.CodeOwners.Owners = []string{}
	f.CodeOwners.Where = j.CodeOwnersWhere
	if j.CodeOwners != nil {
		name := j.CodeOwnersName
		f.CodeOwners.File = &name
		if owners, line, ok := j.CodeOwners.Owners(cs.Config.Path); ok {
			f.CodeOwners.Line = &line
			f.CodeOwners.Owners = owners
			if mt := r.Necessary.Maintenance; mt != nil {
				f.CodeOwners.HasOwner = codeowners.HasOwner(owners, mt.Owner)
			}
		}
	}
	f.Waivers = []WaiverFact{}
	for _, w := range r.Waivers {
		exp, _ := time.Parse(time.DateOnly, w.Expires)
		f.Waivers = append(f.Waivers, WaiverFact{DaysToExpiry: days(j.Today, exp)})
	}
	return f
}

func (j *Judge) exists(name string) string {
	if name == "" {
		return "absent"
	}
	if _, err := evidence.Resolve(j.FS, name); err != nil {
		return "missing"
	}
	return "ok"
}

// days is the whole days from a to b.
func days(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

// SameModel compares base-model names as FT007 does: trimmed, without an
// hf:// or https://huggingface.co/ prefix or an @revision suffix,
// case-insensitively; a local path never equals a hub id.
func SameModel(a, b string) bool {
	na, la := normaliseModel(a)
	nb, lb := normaliseModel(b)
	return la == lb && strings.EqualFold(na, nb)
}

func normaliseModel(s string) (name string, local bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"hf://", "https://huggingface.co/", "http://huggingface.co/"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			s = s[len(p):]
			break
		}
	}
	if i := strings.LastIndex(s, "@"); i > 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, "/")
	local = strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasPrefix(s, "~") || strings.Count(s, "/") != 1
	return s, local
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
