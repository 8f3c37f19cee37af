package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftgate/ftgate/internal/baseline"
	"github.com/ftgate/ftgate/internal/gate"
	"github.com/ftgate/ftgate/internal/result"
)

// engineBound is how long one mode of one input may take before the run is
// taken for a hang. It is far above what a few small files need, so that
// only a run that does not end trips it.
const engineBound = 30 * time.Second

// fuzzPaths are the files a generated step writes, deletes or appends to:
// configs of several frameworks, records, evidence and data the example's
// records name, and a DeepSpeed file two configs reference.
var fuzzPaths = []string{
	"training/contract-risk/axolotl.yaml",
	"training/support-bot/sft.yaml",
	"training/ranker/axolotl.yaml",
	"training/ranker/config.json",
	"configs/train.toml",
	"deepspeed/zero2.json",
	"decisions/ftd-0007-contract-risk.yaml",
	"decisions/ftd-0008-support-bot.yaml",
	"decisions/ftd-0100-ranker.yaml",
	"evidence/contract-risk/prompt-evals.csv",
	"evidence/contract-risk/labels.csv",
	"evidence/contract-risk/prod-scenarios.csv",
	"data/contract-risk/train.jsonl",
	"data/support-bot/train.jsonl",
}

// applySteps applies a recipe to the tree in dir: each byte is one step,
// its low three bits the action and the rest the path; chunks, split at
// NUL, are the contents written in turn.
func applySteps(t *testing.T, dir string, recipe []byte, chunks []string) {
	t.Helper()
	next := 0
	chunk := func() string {
		if len(chunks) == 0 {
			return ""
		}
		c := chunks[next%len(chunks)]
		next++
		return c
	}
	for _, b := range recipe {
		rel := fuzzPaths[int(b>>3)%len(fuzzPaths)]
		p := filepath.Join(dir, filepath.FromSlash(rel))
		switch b & 7 {
		case 0, 1: // replace the file
			writeText(t, p, chunk())
		case 2, 3: // append to it, keeping what a parser accepted so far
			old, _ := os.ReadFile(p)
			writeText(t, p, string(old)+chunk())
		case 4: // delete it
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
		case 5: // copy a config of the example over it
			src := fuzzPaths[int(b>>3)%2]
			if data, err := os.ReadFile(filepath.Join(dir, src)); err == nil {
				writeText(t, p, string(data))
			}
		case 6: // baseline what is there
			writeBaseline(t, dir)
		case 7: // a line edit in the middle of the file
			old, _ := os.ReadFile(p)
			lines := strings.Split(string(old), "\n")
			lines[len(lines)/2] = chunk()
			writeText(t, p, strings.Join(lines, "\n"))
		}
	}
}

// writeBaseline lists the fuzzed paths that exist in the baseline with
// their digests.
func writeBaseline(t *testing.T, dir string) {
	t.Helper()
	fsys := os.DirFS(dir)
	var present []string
	for _, p := range fuzzPaths {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			present = append(present, p)
		}
	}
	b, err := baseline.Build(fsys, present)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := b.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	writeText(t, filepath.Join(dir, filepath.FromSlash(baseline.Path)), buf.String())
}

// FuzzEngine judges a generated tree and a generated change to it through
// every mode of the engine in a real git repository: the recipe up to its
// first 0xFF byte builds the base commit from the example, the rest the
// change. No mode may panic or outlast engineBound; an error must be one
// line; every finding's position must lie within its file; and the modes
// must agree on what they both judge unless the change edits .ftgate/.
func FuzzEngine(f *testing.F) {
	if _, err := exec.LookPath("git"); err != nil {
		f.Skip("git not on PATH")
	}
	f.Add([]byte{0xff, 0<<3 | 2}, "# one more run\n")
	f.Add([]byte{6, 0xff, 2<<3 | 5}, "")
	f.Add([]byte{0xff, 8<<3 | 0, 2<<3 | 5}, "apiVersion: ftgate/v1\nkind: FineTuneDecision\nid: FTD-0100\ncovers: [\"training/ranker/**\"]\n")
	f.Add([]byte{0xff, 9<<3 | 2, 1<<3 | 7}, "10,not-a-score\n\x00num_train_epochs: [")
	f.Add([]byte{0xff, 11<<3 | 4, 5<<3 | 3}, "\n}")
	f.Add([]byte{3<<3 | 0, 0xff, 3<<3 | 2, 6}, "{\"model_name_or_path\": \"meta-llama/Llama-3.1-8B\", \"lora_r\": 8, \"dataset\": \"x\"\x00, \xff\"}")
	f.Fuzz(func(t *testing.T, recipe []byte, text string) {
		if len(recipe) > 16 || len(text) > 4096 {
			return // small trees: the cost is git and the modes, not size
		}
		chunks := strings.Split(text, "\x00")
		baseSteps, changeSteps, _ := bytes.Cut(recipe, []byte{0xff})
		dir := modesRepo(t)
		gitIn(t, dir, "checkout", "-q", "main")
		applySteps(t, dir, baseSteps, chunks)
		gitIn(t, dir, "add", "-A")
		gitIn(t, dir, "commit", "-q", "--allow-empty", "-m", "generated base")
		gitIn(t, dir, "checkout", "-q", "-B", "pr")
		applySteps(t, dir, changeSteps, chunks)

		today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		got, files := judgeModes(t, dir, func(mode string, opts gate.Options) *result.Result {
			t.Helper()
			opts.Dir, opts.Today = dir, today
			ctx, cancel := context.WithTimeout(context.Background(), engineBound)
			defer cancel()
			type answer struct {
				res *result.Result
				err error
			}
			done := make(chan answer, 1)
			go func() {
				res, err := gate.Run(ctx, opts)
				done <- answer{res, err}
			}()
			var a answer
			select {
			case a = <-done:
			case <-ctx.Done():
				t.Fatalf("%s: no answer within %s: the engine hangs", mode, engineBound)
			}
			if errors.Is(a.err, context.DeadlineExceeded) {
				t.Fatalf("%s: no answer within %s: the engine hangs", mode, engineBound)
			}
			if a.err != nil {
				if msg := a.err.Error(); msg == "" || strings.ContainsAny(msg, "\n\r") {
					t.Errorf("%s: error is not one line: %q", mode, msg)
				}
				return nil
			}
			findingsWithin(t, dir, mode, a.res)
			return a.res
		})
		// A change to the baseline applies after merge: the change modes
		// judge by the base's, --all and FILE by the work tree's, so they
		// need not agree.
		if gitIn(t, dir, "diff", "--name-only", "main", "HEAD", "--", gate.PolicyDir) == "" {
			modesAgree(t, dir, got, files)
		}
	})
}

// findingsWithin fails on a finding whose position is past the end of its
// file: its line beyond the last, or its column beyond the line's end. The
// file is read as the run saw it: the work tree (which holds the committed
// change by the time every mode but --staged runs, and the staged one
// before), else the base commit for files the change deleted.
func findingsWithin(t *testing.T, dir, mode string, res *result.Result) {
	t.Helper()
	for _, f := range res.Findings {
		if f.Pos.File == "" {
			continue
		}
		if f.Pos.Line < 0 || f.Pos.Col < 0 || (f.Pos.Line == 0 && f.Pos.Col > 0) {
			t.Errorf("%s: %s: position %d:%d", mode, f.Pos.File, f.Pos.Line, f.Pos.Col)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Pos.File)))
		if err != nil {
			out, gerr := exec.Command("git", "-C", dir, "show", "main:"+f.Pos.File).Output()
			if gerr != nil {
				t.Errorf("%s: finding at %s, which is in neither the work tree nor the base: %s", mode, f.Pos.File, f.Message)
				continue
			}
			data = out
		}
		if f.Pos.Line == 0 {
			continue // the file as a whole
		}
		lines := bytes.Split(data, []byte("\n"))
		if f.Pos.Line > len(lines) {
			t.Errorf("%s: %s:%d:%d: line past the end of the file (%d lines): %s", mode, f.Pos.File, f.Pos.Line, f.Pos.Col, len(lines), f.Message)
			continue
		}
		line := lines[f.Pos.Line-1]
		// Columns count code points or bytes depending on the parser; the
		// byte length bounds both.
		if f.Pos.Col > len(line)+1 {
			t.Errorf("%s: %s:%d:%d: column past the end of the line (%d bytes): %s", mode, f.Pos.File, f.Pos.Line, f.Pos.Col, len(line), f.Message)
		}
	}
}
