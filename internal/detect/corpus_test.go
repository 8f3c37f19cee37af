package detect

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
)

// corpusDir holds real public configs and look-alikes, byte for byte, with
// their provenance in manifest.tsv (see its README.md).
const corpusDir = "testdata/corpus"

// inScope maps the manifest's framework column to the detector that must
// report its positive and pretrain files.
var inScope = map[string]string{
	"axolotl":                  "axolotl",
	"llama-factory":            "llama-factory",
	"torchtune":                "torchtune",
	"trl":                      "trl",
	"trl-alignment-handbook":   "trl",
	"openai-finetune-job":      "openai-finetune",
	"openai-chat-jsonl":        "chat-jsonl",
	"peft-adapter-config":      "peft",
	"autotrain":                "autotrain",
	"azureml-finetuning-job":   "azureml-finetune",
	"gpt-neox":                 "gpt-neox",
	"h2o-llmstudio":            "h2o-llmstudio",
	"kubeflow-trainer-runtime": "kubeflow-trainer",
	"levanter":                 "levanter",
	"litgpt":                   "litgpt",
	"ludwig":                   "ludwig",
	"mlx-lm":                   "mlx-lm",
	"ms-swift":                 "ms-swift",
	"nemo":                     "nemo",
	"openrlhf":                 "openrlhf",
	"oumi":                     "oumi",
	"torchtitan":               "torchtitan",
	"verl":                     "verl",
}

type corpusRow struct {
	file, label, framework string
	flags                  []string
}

func (r corpusRow) strict() bool {
	return !slices.Contains(r.flags, "weak-positive") && !slices.Contains(r.flags, "shell-launcher")
}

func readManifest(t *testing.T) []corpusRow {
	t.Helper()
	f, err := os.Open(corpusDir + "/manifest.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var (
		rows []corpusRow
		col  map[string]int
	)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if col == nil {
			col = map[string]int{}
			for i, name := range fields {
				col[name] = i
			}
			for _, want := range []string{"file", "label", "framework", "flag"} {
				if _, ok := col[want]; !ok {
					t.Fatalf("manifest.tsv has no %q column", want)
				}
			}
			continue
		}
		r := corpusRow{file: fields[col["file"]], label: fields[col["label"]], framework: fields[col["framework"]]}
		for fl := range strings.SplitSeq(fields[col["flag"]], ",") {
			if fl = strings.TrimSpace(fl); fl != "" {
				r.flags = append(r.flags, fl)
			}
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("manifest.tsv lists no files")
	}
	return rows
}

// TestCorpus runs Detect over the whole corpus: every strict positive of a
// framework in scope must come out as finetune of that framework, every
// pretrain file in scope as pretrain, and no negative at all.
func TestCorpus(t *testing.T) {
	rows := readManifest(t)
	paths := make([]string, len(rows))
	for i, r := range rows {
		paths[i] = r.file
	}
	res, err := Detect(os.DirFS(corpusDir), paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Config{}
	for _, c := range res.Configs {
		got[c.Path] = c
	}

	// score is one manifest framework's figures; byDetector counts what
	// each detector reported and how much of it was a negative.
	type score struct{ pos, found, neg, flagged, pre, preOK, weak, weakFound int }
	scores := map[string]*score{}
	byDetector := map[string]*[2]int{}
	for _, r := range rows {
		s := scores[r.framework]
		if s == nil {
			s = &score{}
			scores[r.framework] = s
		}
		c, found := got[r.file]
		if found {
			if byDetector[c.Framework] == nil {
				byDetector[c.Framework] = &[2]int{}
			}
			byDetector[c.Framework][0]++
			if r.label == "negative" {
				byDetector[c.Framework][1]++
			}
		}
		want, scoped := inScope[r.framework]
		switch {
		case r.label == "negative":
			s.neg++
			if found {
				s.flagged++
				t.Errorf("%s: negative (%s) detected as %s %s by %s", r.file, r.framework, c.Kind, c.Framework, c.Signature)
			}
		case r.label == "pretrain":
			s.pre++
			if found && c.Kind == Pretrain {
				s.preOK++
			} else if scoped || found {
				t.Errorf("%s: pretrain (%s) detected=%v kind=%q by %s", r.file, r.framework, found, c.Kind, c.Signature)
			}
		case r.label == "positive" && !r.strict():
			s.weak++
			if found {
				s.weakFound++
			}
		case r.label == "positive":
			s.pos++
			switch {
			case found && c.Kind == Finetune:
				s.found++
				if scoped && c.Framework != want {
					t.Errorf("%s: framework %q, want %q", r.file, c.Framework, want)
				}
			case scoped:
				t.Errorf("%s: positive (%s) detected=%v kind=%q", r.file, r.framework, found, c.Kind)
			}
		}
	}

	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "framework\tin scope\tpositives\tfound\trecall\tpretrain\tas pretrain\tweak found\tnegatives\tflagged")
	var total, scoped score
	for _, n := range slices.Sorted(maps.Keys(scores)) {
		s := scores[n]
		scope := ""
		if _, ok := inScope[n]; ok {
			scope = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%d\t%d/%d\t%d\t%d\n", n, scope,
			s.pos, s.found, ratio(s.found, s.pos), s.pre, s.preOK, s.weakFound, s.weak, s.neg, s.flagged)
		if scope != "" {
			scoped.pos += s.pos
			scoped.found += s.found
			scoped.pre += s.pre
			scoped.preOK += s.preOK
		}
		total.pos += s.pos
		total.found += s.found
		total.pre += s.pre
		total.preOK += s.preOK
		total.neg += s.neg
		total.flagged += s.flagged
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nin scope: recall %s (%d/%d); pretrain as pretrain %d/%d\n",
		ratio(scoped.found, scoped.pos), scoped.found, scoped.pos, scoped.preOK, scoped.pre)
	fmt.Fprintf(&b, "all strict positives: recall %s (%d/%d); pretrain as pretrain %d/%d; negatives flagged %d/%d\n",
		ratio(total.found, total.pos), total.found, total.pos, total.preOK, total.pre, total.flagged, total.neg)
	fmt.Fprintf(&b, "precision of kind finetune: %s\n\n", ratio(total.found, total.found+total.flagged))
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "detector\treported\tnegatives\tprecision")
	for _, d := range Detectors {
		n := byDetector[d.Name]
		if n == nil {
			n = &[2]int{}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", d.Name, n[0], n[1], ratio(n[0]-n[1], n[0]))
	}
	tw.Flush()
	t.Log("corpus detection, by the manifest's framework column (README.md scoring):\n" + b.String())
	// Every in-scope miss and false alarm is an error above; the bars are
	// the issue's, over every strict positive and negative of the corpus.
	precision := float64(total.found) / float64(max(total.found+total.flagged, 1))
	recall := float64(total.found) / float64(max(total.pos, 1))
	if precision < 0.98 || recall < 0.95 {
		t.Errorf("precision %.3f, recall %.3f over strict positives and negatives: want at least 0.98 and 0.95", precision, recall)
	}
	if total.preOK != total.pre {
		t.Errorf("%d of %d pretrain files reported as pretrain", total.preOK, total.pre)
	}
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

// TestCorpusManifestComplete keeps the copy honest: every file under the
// corpus has a manifest row, so provenance is never lost.
func TestCorpusManifestComplete(t *testing.T) {
	listed := map[string]bool{}
	for _, r := range readManifest(t) {
		listed[r.file] = true
		if _, err := os.Stat(corpusDir + "/" + r.file); err != nil {
			t.Errorf("manifest row without file: %v", err)
		}
	}
	for _, top := range []string{"positive", "negative", "pretrain"} {
		err := walkFiles(corpusDir+"/"+top, func(p string) {
			rel := strings.TrimPrefix(p, corpusDir+"/")
			if !listed[rel] {
				t.Errorf("%s has no manifest row", rel)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func walkFiles(dir string, fn func(string)) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			if err := walkFiles(p, fn); err != nil {
				return err
			}
			continue
		}
		fn(p)
	}
	return nil
}
