package record

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/pathglob"
	"github.com/ftgate/ftgate/internal/rules"
)

// ChatFramework is the detector whose matches may also be a record's
// evidence (scenario or annotation files in chat form).
const ChatFramework = "chat-jsonl"

// Scope says which configs and records a check looks at.
type Scope struct {
	// All judges every config in the tree and checks every record.
	All bool
	// Changed lists the files the change touches (PR, staged, or the
	// explicit FILE arguments as modifications).
	Changed []changes.ChangedFile
}

// Triggered returns the records a change puts on trial by itself: records it
// adds or modifies, and records whose named files it adds, modifies or
// deletes. Under All every record is triggered.
func Triggered(recs []*Record, s Scope) []*Record {
	if s.All {
		return recs
	}
	touched := map[string]bool{}
	for _, c := range s.Changed {
		touched[c.Path] = true
		if c.OldPath != "" {
			touched[c.OldPath] = true
		}
	}
	var out []*Record
	for _, r := range recs {
		hit := touched[r.Path]
		for _, p := range r.NamedFiles() {
			hit = hit || touched[p] || namesTouched(p, touched)
		}
		if hit {
			out = append(out, r)
		}
	}
	return out
}

// namesTouched reports whether p, when it is a glob (a history may name
// promptfoo result files so), matches a touched file: a new run's results
// put the record on trial as an edited history would.
func namesTouched(p string, touched map[string]bool) bool {
	if !strings.ContainsAny(p, "*?") {
		return false
	}
	g, err := pathglob.Compile(p)
	if err != nil {
		return false
	}
	for t := range touched {
		if g.Match(t) {
			return true
		}
	}
	return false
}

// Candidates lists the files detection must look at: the changed files that
// still exist, and every file in the tree a triggered record covers or names
// as its training set. Files under the records directory are records.
func Candidates(tree []string, triggered []*Record, s Scope, recordsDir string) []string {
	set := map[string]bool{}
	if s.All {
		for _, p := range tree {
			set[p] = true
		}
	}
	for _, c := range s.Changed {
		if c.Status != changes.Deleted {
			set[c.Path] = true
		}
	}
	for _, r := range triggered {
		if ts := r.TrainingSet(); ts != "" {
			set[ts] = true
		}
		if len(r.covers) == 0 {
			continue
		}
		for _, p := range tree {
			if r.Matches(p) {
				set[p] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		if !InDir(p, recordsDir) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// InDir reports whether p lies under dir.
func InDir(p, dir string) bool {
	dir = strings.TrimSuffix(dir, "/")
	return dir == "." || dir == "" || strings.HasPrefix(p, dir+"/")
}

// Case is one config on trial with the records that cover it and the one
// accepted record that judges it (nil when none can).
type Case struct {
	Config  detect.Config
	Records []*Record
	Judge   *Record
}

// Trial decides the configs on trial among the detected ones, drops the
// files that are an accepted record's evidence, matches each config to its
// records, and reports FT001, FT002 and FT003. Pretraining configs are
// returned separately: no record judges them.
func Trial(configs []detect.Config, recs []*Record, s Scope) (cases []Case, pretrain []detect.Config, findings []finding.Finding) {
	configs = dropEvidence(configs, recs)
	triggered := Triggered(recs, s)
	onTrial := map[string]bool{}
	for _, c := range s.Changed {
		if c.Status != changes.Deleted {
			onTrial[c.Path] = true
		}
	}
	for _, c := range configs {
		if s.All {
			onTrial[c.Path] = true
			continue
		}
		for _, r := range triggered {
			if covers(r, c) {
				onTrial[c.Path] = true
			}
		}
	}

	// FT002 for records the change brings and, below, for records that
	// cover a config on trial.
	reported := map[*Record]bool{}
	reportRecord := func(r *Record) {
		if !reported[r] {
			reported[r] = true
			findings = append(findings, r.Problems...)
		}
	}
	changed := map[string]bool{}
	for _, c := range s.Changed {
		changed[c.Path] = true
	}
	for _, r := range recs {
		if s.All || changed[r.Path] {
			reportRecord(r)
		}
	}
	ids := map[string]*Record{}
	for _, r := range recs {
		if r.ID == "" {
			continue
		}
		if first, ok := ids[r.ID]; ok {
			findings = append(findings, finding.Finding{
				Rule: rules.FT002.RuleID(), Severity: finding.Error, Record: r.Path, Pos: r.Pos("id"),
				Message: fmt.Sprintf("id %s is already used by %s", r.ID, first.Path),
				Hint:    "give every decision record its own FTD- number",
			})
			continue
		}
		ids[r.ID] = r
	}

	for _, c := range configs {
		if !onTrial[c.Path] {
			continue
		}
		if c.Kind == detect.Pretrain {
			pretrain = append(pretrain, c)
			continue
		}
		cs := Case{Config: c}
		var accepted []*Record
		for _, r := range recs {
			if covers(r, c) {
				cs.Records = append(cs.Records, r)
				reportRecord(r)
				if r.Status == "accepted" {
					accepted = append(accepted, r)
				}
			}
		}
		where := configPos(c)
		switch {
		case len(cs.Records) == 0:
			findings = append(findings, finding.Finding{
				Rule: rules.FT001.RuleID(), Severity: finding.Error, Config: c.Path, Pos: where,
				Message: fmt.Sprintf("%s config %s is covered by no decision record", c.Framework, c.Path),
				Hint:    noRecordHint(c),
			})
		case len(accepted) > 1:
			var names []string
			for _, r := range accepted {
				names = append(names, r.Path)
			}
			findings = append(findings, finding.Finding{
				Rule: rules.FT001.RuleID(), Severity: finding.Error, Config: c.Path, Pos: where,
				Message: fmt.Sprintf("%s is covered by %d accepted records: %s; supersede one", c.Path, len(accepted), strings.Join(names, ", ")),
				Hint:    "set status: superseded on the older record or narrow its covers",
			})
		case len(accepted) == 0:
			// The record to act on: the newest, and a superseded one only
			// when nothing else covers the config.
			latest := cs.Records[0]
			for _, r := range cs.Records[1:] {
				if newer := r.Decided > latest.Decided; (latest.Status == "superseded") != (r.Status == "superseded") {
					if latest.Status == "superseded" {
						latest = r
					}
				} else if newer {
					latest = r
				}
			}
			status := latest.Status
			if status == "" {
				status = "without a status"
			}
			findings = append(findings, finding.Finding{
				Rule: rules.FT003.RuleID(), Severity: finding.Error, Config: c.Path, Record: latest.Path, Pos: latest.Pos("status"),
				Message: fmt.Sprintf("the record covering %s is %s, not accepted", c.Path, status),
				Hint:    "a fine-tuning run needs an accepted decision: get the record reviewed and set status: accepted",
			})
		default:
			if accepted[0].Valid {
				cs.Judge = accepted[0]
			}
		}
		cases = append(cases, cs)
	}
	return cases, pretrain, findings
}

// covers reports whether a record covers a config: its globs match the path,
// it names the file as its training set, or it covers the config that names
// the file (a backend file or a dataset).
func covers(r *Record, c detect.Config) bool {
	return r.Matches(c.Path) || r.TrainingSet() == c.Path || slices.ContainsFunc(c.Via, r.Matches)
}

// dropEvidence removes the files an accepted record names as parsed
// evidence, when that record covers some other detected fine-tuning config;
// a file that a signature other than chat JSONL matches stays a config. A
// record covering only pretraining configs exempts nothing: it judges no
// config, so it could otherwise wave chat data through (SPEC §2).
func dropEvidence(configs []detect.Config, recs []*Record) []detect.Config {
	evidence := map[string]bool{}
	for _, r := range recs {
		if r.Status != "accepted" {
			continue
		}
		named := r.EvidencePaths()
		coversOne := slices.ContainsFunc(configs, func(c detect.Config) bool {
			return c.Kind == detect.Finetune && r.Matches(c.Path) && !slices.Contains(named, c.Path)
		})
		if !coversOne {
			continue
		}
		for _, p := range named {
			evidence[p] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(configs), func(c detect.Config) bool {
		return evidence[c.Path] && c.Framework == ChatFramework
	})
}

func configPos(c detect.Config) finding.Position {
	line := max(c.Line, 1)
	return finding.Position{File: c.Path, Line: line, Col: 1}
}

// noRecordHint says how to resolve FT001 for a config no record covers:
// library and test code is excluded from detection, a run gets a record.
func noRecordHint(c detect.Config) string {
	if c.Library {
		return "this reads as library or test code: list it under the policy's detect.exclude; if it is a training run, add a decision record (ftgate init " + c.Path + ")"
	}
	return "add a decision record whose covers matches this path (ftgate init " + c.Path + ")"
}
