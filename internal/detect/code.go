package detect

import (
	"bytes"
	"path"
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
	// Words are literals one of which every match of Call contains, on the
	// line it is on, and which Python source holds as written (no blanks
	// or brackets): the prefilter looks for them before Call runs.
	Words []string
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

// matchCode finds the earliest call any detector's code signature matches;
// a tie goes to the detector listed first. One pass over the code finds the
// signatures' words; a call's expression runs only on the lines that hold
// one, in order, and the first line with a call whose file also satisfies
// the signature's Also and None decides.
func matchCode(name string, src source) (Config, bool) {
	if len(src.text) == 0 {
		return Config{}, false
	}
	loadCodeWords()
	var (
		best      Config
		bestOff   = -1
		lineStart = -1
		lineEnd   = -1
		tried     map[codeSigRef]bool
		holds     = map[codeSigRef]bool{} // Also and None, once a file
	)
	codeWords.each(src.text, func(end, word int) bool {
		if end > lineEnd {
			if bestOff >= 0 {
				return false // the best call of an earlier line stands
			}
			lineStart = bytes.LastIndexByte(src.text[:end], '\n') + 1
			lineEnd = len(src.text)
			if i := bytes.IndexByte(src.text[end:], '\n'); i >= 0 {
				lineEnd = end + i
			}
			clear(tried)
		}
		for _, ref := range codeWordSigs[word] {
			if tried[ref] {
				continue
			}
			if tried == nil {
				tried = map[codeSigRef]bool{}
			}
			tried[ref] = true
			d := &Detectors[ref.det]
			sig := d.Code[ref.sig]
			off := src.callIn(sig.Call, lineStart, lineEnd)
			if off < 0 || (bestOff >= 0 && off >= bestOff) {
				continue
			}
			ok, known := holds[ref]
			if !known {
				ok = allMatch(sig.Also, src.text) && !anyMatch(sig.None, src.text)
				holds[ref] = ok
			}
			if !ok {
				continue
			}
			bestOff = off
			best = codeConfig(d, sig, name, src, off)
		}
		return true
	})
	return best, bestOff >= 0
}

// callIn returns the offset of re's first match in the line
// s.text[start:end] that is a call: not in a string literal and not in the
// header of a class or def statement (`class WeightedTrainer(Trainer):`
// declares a trainer, it does not run one). -1 when there is none.
func (s source) callIn(re *Pattern, start, end int) int {
	line := s.text[start:end]
	for _, loc := range re.FindAllIndex(line, -1) {
		off := start + loc[0]
		if s.inString(off) {
			continue
		}
		if h := s.header(start); h < 0 || off > h {
			return off
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
		Library:   library(name, src, off),
	}
	for _, re := range sig.BaseModel {
		if m := re.FindSubmatchIndex(src.text); len(m) >= 4 && m[2] >= 0 && m[3] > m[2] {
			cfg.BaseModel = string(src.text[m[2]:m[3]])
			cfg.BaseModelPos = finding.Position{File: name, Line: src.fileLine(m[2]), Col: src.col(m[2])}
			break
		}
	}
	cfg.Datasets = groups(sig.Datasets, src.text, "")
	if anyMatch(sig.Pretrain, src.text) && !codeFineTuneSignal.Match(src.text) {
		cfg.Kind = Pretrain
	}
	return cfg
}

// library reports a match that reads as library or test code (see
// Config.Library). Notebooks are always runs.
func library(name string, src source, off int) bool {
	if formatOf(Ext(name)) != Python {
		return false
	}
	base := path.Base(name)
	if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" {
		return true
	}
	for dir := range strings.SplitSeq(path.Dir(name), "/") {
		if dir == "tests" || dir == "test" {
			return true
		}
	}
	start := bytes.LastIndexByte(src.text[:off], '\n') + 1
	indented := off > start && (src.text[start] == ' ' || src.text[start] == '\t')
	return indented && !bytes.Contains(src.text, []byte("__main__"))
}
