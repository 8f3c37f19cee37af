package detect

import (
	"bytes"
	"strings"

	"github.com/ftgate/ftgate/internal/finding"
)

// CodeSignature is a call in Python code (a .py file or a notebook's code
// cells) that starts a fine-tuning run: constructing a trainer, creating a
// tuning job. Expressions run over the code with comments and docstrings
// blanked, so a call written only in prose or commented out is not a run.
type CodeSignature struct {
	// Name is reported after the detector's name: "trl:" + Name.
	Name string
	// Call is the call; the line of its first match is reported.
	Call *Pattern
	// Also must all match somewhere in the code (a pretrained model, a
	// .train() call); None must all fail.
	Also []*Pattern
	None []*Pattern
	// BaseModel and Datasets are tried in order; a first group gives the
	// name. Only string literals are taken: a variable names nothing ftgate
	// can check.
	BaseModel []*Pattern
	Datasets  []*Pattern
	// Pretrain makes the run a pretraining run when any matches (a model
	// built from a config rather than loaded, raw text grouped into
	// blocks).
	Pretrain []*Pattern
}

// source is code ready for matching: comments and docstrings blanked, and
// for every line of text the line of the file it came from.
type source struct {
	text  []byte
	lines []int
}

// fileLine returns the file line of the byte offset off of s.text.
func (s source) fileLine(off int) int {
	i := bytes.Count(s.text[:off], []byte("\n"))
	if i < len(s.lines) {
		return s.lines[i]
	}
	return 0
}

// col returns the 1-based column of off within its line of s.text,
// counted in code points.
func (s source) col(off int) int {
	start := bytes.LastIndexByte(s.text[:off], '\n') + 1
	return len([]rune(string(s.text[start:off]))) + 1
}

// matchCode finds the earliest call any detector's code signature matches;
// a tie goes to the detector listed first.
func matchCode(name string, src source) (Config, bool) {
	if len(src.text) == 0 {
		return Config{}, false
	}
	var (
		best    Config
		bestOff = -1
	)
	for i := range Detectors {
		d := &Detectors[i]
		for _, sig := range d.Code {
			off := src.firstCall(sig.Call)
			if off < 0 || (bestOff >= 0 && off >= bestOff) {
				continue
			}
			if !allMatch(sig.Also, src.text) || anyMatch(sig.None, src.text) {
				continue
			}
			bestOff = off
			best = codeConfig(d, sig, name, src, off)
		}
	}
	return best, bestOff >= 0
}

// firstCall returns the offset of re's first match that is not on a class
// or def line: `class WeightedTrainer(Trainer):` declares a trainer, it
// does not run one. -1 when there is none.
func (s source) firstCall(re *Pattern) int {
	// The line start moves forward with the matches, so a file of many
	// class lines costs one pass, not one per match.
	start, prev := 0, 0
	for _, loc := range re.FindAllIndex(s.text, -1) {
		if i := bytes.LastIndexByte(s.text[prev:loc[0]], '\n'); i >= 0 {
			start = prev + i + 1
		}
		prev = loc[0]
		line := bytes.TrimLeft(s.text[start:loc[0]], " \t")
		if !bytes.HasPrefix(line, []byte("class ")) && !bytes.HasPrefix(line, []byte("def ")) {
			return loc[0]
		}
	}
	return -1
}

func allMatch(res []*Pattern, text []byte) bool {
	for _, re := range res {
		if !re.Match(text) {
			return false
		}
	}
	return true
}

func codeConfig(d *Detector, sig CodeSignature, name string, src source, off int) Config {
	cfg := Config{
		Path:      name,
		Kind:      Finetune,
		Framework: d.Name,
		Signature: d.Name + ":" + sig.Name,
		Line:      src.fileLine(off),
	}
	for _, re := range sig.BaseModel {
		if m := re.FindSubmatchIndex(src.text); len(m) >= 4 && m[2] >= 0 && m[3] > m[2] {
			cfg.BaseModel = string(src.text[m[2]:m[3]])
			cfg.BaseModelPos = finding.Position{File: name, Line: src.fileLine(m[2]), Col: src.col(m[2])}
			break
		}
	}
	cfg.Datasets = groups(sig.Datasets, src.text, "")
	if anyMatch(sig.Pretrain, src.text) {
		cfg.Kind = Pretrain
	}
	return cfg
}

// pythonSource blanks the comments and triple-quoted strings of Python
// code, keeping every line where it was. Ordinary string literals stay:
// they hold the model and dataset names.
func pythonSource(text []byte) source {
	out := bytes.Clone(text)
	blank := func(i int) {
		if out[i] != '\n' {
			out[i] = ' '
		}
	}
	for i := 0; i < len(out); i++ {
		switch c := out[i]; c {
		case '#':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case '"', '\'':
			if i+2 < len(out) && out[i+1] == c && out[i+2] == c {
				// A docstring or other triple-quoted text: prose, not code.
				end := bytes.Index(out[i+3:], []byte{c, c, c})
				stop := len(out)
				if end >= 0 {
					stop = i + 3 + end + 3
				}
				for j := i; j < stop; j++ {
					blank(j)
				}
				i = stop - 1
				continue
			}
			for i++; i < len(out) && out[i] != c && out[i] != '\n'; i++ {
				if out[i] == '\\' {
					i++
				}
			}
		}
	}
	n := bytes.Count(out, []byte("\n")) + 1
	lines := make([]int, n)
	for i := range lines {
		lines[i] = i + 1
	}
	return source{text: out, lines: lines}
}

// notebookSource returns the code cells of a Jupyter notebook, each source
// line mapped to the line of the file that holds it. A notebook cut by the
// 64 KiB window, or one that does not parse, is read line by line as
// text, its JSON string escapes undone, so a call in its first 64 KiB still
// counts.
func notebookSource(whole, text []byte) source {
	docs, err := parse(JSON, whole)
	if err != nil || len(docs) != 1 {
		return rawNotebook(text)
	}
	e := &eval{}
	var (
		code  strings.Builder
		lines []int
	)
	for _, cell := range e.elems(e.resolve(docs[0], "cells")) {
		if !e.holds(Eq("cell_type", "code"), cell) {
			continue
		}
		// A source list holds a line an element, each on its own file line;
		// a single string holds them all on its one line.
		for _, s := range e.scalars(e.resolve(cell, "source")) {
			for l := range strings.SplitSeq(strings.TrimSuffix(s.Value, "\n"), "\n") {
				// IPython magics and shell escapes are not Python.
				if t := strings.TrimSpace(l); strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!") {
					l = ""
				}
				code.WriteString(l)
				code.WriteByte('\n')
				lines = append(lines, s.Line)
			}
		}
		// Cells are separate blocks: an unterminated string or docstring
		// does not run into the next one.
		code.WriteByte('\n')
		lines = append(lines, 0)
	}
	src := pythonSource([]byte(code.String()))
	src.lines = lines
	return src
}

// jsonEscapes undoes the escapes a notebook's JSON strings hold.
var jsonEscapes = strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, "", `\t`, " ")

func rawNotebook(text []byte) source {
	var b strings.Builder
	for l := range strings.SplitSeq(string(text), "\n") {
		b.WriteString(jsonEscapes.Replace(l))
		b.WriteByte('\n')
	}
	return pythonSource([]byte(strings.TrimSuffix(b.String(), "\n")))
}
