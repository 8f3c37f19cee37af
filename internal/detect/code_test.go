package detect

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
	"text/tabwriter"
)

// codeDir holds labelled Python files and notebooks (see its README.md).
const codeDir = "testdata/code"

// TestCode measures code detection on the labelled set: precision and
// recall of "is a training config" over fine-tuning and pretraining files
// against the look-alikes, every detected file's kind, and that the
// reported line holds the call. It fails below precision 0.95 or recall
// 0.90, or on a wrong kind.
func TestCode(t *testing.T) {
	f, err := os.Open(path.Join(codeDir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	var tp, fp, fn, tn int
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tlabel\tgot\tsignature\tline\tbase model")
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 {
			t.Fatalf("labels.tsv: bad row %q", sc.Text())
		}
		name, label := cols[0], cols[1]
		data, err := os.ReadFile(path.Join(codeDir, name))
		if err != nil {
			t.Fatal(err)
		}
		c, found := File(name, data)
		got := "-"
		if found {
			got = c.Kind
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", name, label, got, c.Signature, c.Line, c.BaseModel)
		switch {
		case label == "negative" && found:
			fp++
			t.Errorf("%s: look-alike detected as %s by %s at line %d", name, c.Kind, c.Signature, c.Line)
		case label == "negative":
			tn++
		case !found:
			fn++
			t.Logf("%s: %s file missed", name, label)
		default:
			tp++
			if c.Kind != label {
				t.Errorf("%s: kind %s, want %s", name, c.Kind, label)
			}
			lines := strings.Split(string(data), "\n")
			if c.Line < 1 || c.Line > len(lines) || !strings.Contains(lines[c.Line-1], "(") && !strings.Contains(lines[c.Line-1], "=") {
				t.Errorf("%s: line %d does not hold a call", name, c.Line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("code detection over %d files:\n%s\nprecision %.2f (%d/%d), recall %.2f (%d/%d), look-alikes passed %d",
		tp+fp+fn+tn, b.String(), precision, tp, tp+fp, recall, tp, tp+fn, tn)
	if tp+fp+fn+tn < 40 {
		t.Errorf("the labelled set has %d files, want at least 40", tp+fp+fn+tn)
	}
	if precision < 0.95 || recall < 0.90 {
		t.Errorf("precision %.2f, recall %.2f: want at least 0.95 and 0.90", precision, recall)
	}
}
