package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"

	"github.com/ftgate/ftgate/internal/finding"
	"github.com/ftgate/ftgate/internal/result"
	"github.com/ftgate/ftgate/internal/rules"
)

// sarifReporter prints one SARIF 2.1.0 log with one run. It lists every
// built-in rule, so that ruleIndex is stable between runs and code scanning
// can show a rule's help on any alert. Columns count Unicode code points, as
// ftgate's positions do.
type sarifReporter struct{ prefix string }

func newSARIF(opt Options) Reporter { return sarifReporter{prefix: opt.PathPrefix} }

// SARIFSchemaURI is the schema the log names; the log validates against the
// OASIS errata01 schema it points at.
const SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name,omitempty"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

func (s sarifReporter) Report(w io.Writer, r *result.Result) error {
	if r == nil {
		return errors.New("report: nil result")
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "ftgate",
			InformationURI: "https://github.com/ftgate/ftgate",
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	index := map[string]int{}
	addRule := func(id string) int {
		if i, ok := index[id]; ok {
			return i
		}
		index[id] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(id))
		return index[id]
	}
	for _, rule := range rules.All {
		addRule(rule.ID)
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           addRule(f.Rule),
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: sarifMessage(f)},
			PartialFingerprints: map[string]string{"ftgate/v1": fingerprint(f)},
		}
		if file := f.File(); file != "" {
			res.Locations = []sarifLocation{sarifLoc(finding.Position{File: s.prefix + file, Line: f.Pos.Line, Col: f.Pos.Col}, nil)}
		}
		for i, p := range f.Related {
			if p.File != "" {
				id := i + 1
				p.File = s.prefix + p.File
				res.RelatedLocations = append(res.RelatedLocations, sarifLoc(p, &id))
			}
		}
		run.Results = append(run.Results, res)
	}
	return writeJSON(w, sarifLog{Schema: SARIFSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifRuleFor(id string) sarifRule {
	doc, ok := rules.Lookup(id)
	if !ok {
		return sarifRule{ID: id, ShortDescription: sarifText{Text: id}, FullDescription: sarifText{Text: id},
			Help: sarifText{Text: id}, DefaultConfiguration: sarifRuleConfig{Level: "error"}}
	}
	sev, err := finding.ParseSeverity(doc.Severity)
	if err != nil {
		sev = finding.Error
	}
	help := "Checks: " + doc.Checks + "\n\nWhy: " + doc.Why + "\n\nHow to satisfy it: " + doc.Satisfy
	md := "**Checks.** " + doc.Checks + "\n\n**Why.** " + doc.Why + "\n\n**How to satisfy it.** " + doc.Satisfy +
		"\n\n`ftgate explain " + doc.ID + "` prints this text."
	return sarifRule{
		ID:                   doc.ID,
		Name:                 doc.Name,
		ShortDescription:     sarifText{Text: doc.Summary},
		FullDescription:      sarifText{Text: doc.Summary + " " + doc.Checks},
		Help:                 sarifText{Text: help, Markdown: md},
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(sev)},
	}
}

func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "note"
}

// sarifMessage is the message and its hint. SARIF is JSON, so the text is
// kept exact rather than cleaned.
func sarifMessage(f finding.Finding) string {
	if f.Hint == "" {
		return f.Message
	}
	return f.Message + "\n" + f.Hint
}

func sarifLoc(p finding.Position, id *int) sarifLocation {
	loc := sarifLocation{ID: id, PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: sarifURI(p.File)}}}
	// Code scanning wants a start line; a finding about a whole file sits
	// on its first line.
	reg := &sarifRegion{StartLine: max(p.Line, 1)}
	if p.Line > 0 && p.Col > 0 {
		reg.StartColumn = p.Col
	}
	loc.PhysicalLocation.Region = reg
	return loc
}

// sarifURI percent-encodes a repository-relative path as a relative URI
// reference: every byte but unreserved characters and "/" is escaped, so a
// ":" in the first segment cannot read as a scheme and "%" or a newline
// stays data.
func sarifURI(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '/' || c == '-' || c == '.' || c == '_' || c == '~' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
			continue
		}
		const hexDigits = "0123456789ABCDEF"
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// fingerprint identifies a finding across runs, so that code scanning keeps
// one alert open while it persists and closes it when fixed. Line and column
// are left out (an edit above the finding moves it), and so are the digits
// of the message: "alpha 0.712 < 0.800" stays the same alert when new labels
// change the figure.
func fingerprint(f finding.Finding) string {
	msg := strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return '#'
		}
		return r
	}, f.Message)
	h := sha256.New()
	for _, s := range []string{f.Rule, f.Pos.File, f.Config, f.Record, msg} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
