package gate

import (
	"bytes"
	"context"
	"os"
	"testing"
	"testing/fstest"

	"github.com/ftgate/ftgate/internal/baseline"
	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/finding"
)

// TestBaselineFromPolicyTree: the baseline is read from the judging tree,
// never from the head, and only a config whose content matches its digest
// there is FT012 instead of being judged.
func TestBaselineFromPolicyTree(t *testing.T) {
	const cfg = "training/ranker/axolotl.yaml"
	content, err := os.ReadFile("../../testdata/example/training/contract-risk/axolotl.yaml")
	if err != nil {
		t.Fatal(err)
	}
	listing := func(data []byte) []byte {
		b, err := baseline.Build(fstest.MapFS{cfg: {Data: data}}, []string{cfg})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := b.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	same, edited := listing(content), listing(append([]byte("# before\n"), content...))
	for _, c := range []struct {
		name         string
		head, policy []byte // baseline.json in each tree; nil for none
		want         string // the one rule reported for cfg
	}{
		{"no baseline", nil, nil, "FT001"},
		{"listed in the judging tree", nil, same, "FT012"},
		{"listed in the head only", same, nil, "FT001"},
		{"listed with another digest", nil, edited, "FT001"},
	} {
		t.Run(c.name, func(t *testing.T) {
			head := fstest.MapFS{cfg: {Data: content}}
			policy := fstest.MapFS{}
			if c.head != nil {
				head[baseline.Path] = &fstest.MapFile{Data: c.head}
			}
			if c.policy != nil {
				policy[baseline.Path] = &fstest.MapFile{Data: c.policy}
			}
			tr := &Trees{Head: head, Policy: policy, Changed: []changes.ChangedFile{{Path: cfg, Status: changes.Added}}}
			res, err := Run(context.Background(), Options{Mode: Given, Trees: tr, Today: judgeDay})
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range res.Findings {
				if f.Config == cfg {
					rules = append(rules, f.Rule)
				}
			}
			if len(rules) != 1 || rules[0] != c.want {
				t.Fatalf("findings for %s: %v, want [%s]", cfg, res.Findings, c.want)
			}
			if judged := len(res.Configs) == 1; judged != (c.want != "FT012") {
				t.Errorf("configs judged %v; a baselined config is not judged, others are", res.Configs)
			}
		})
	}

	// A baseline that does not parse is ftgate's own input: exit 2 with its
	// position.
	tr := &Trees{Head: fstest.MapFS{cfg: {Data: content}}, Policy: fstest.MapFS{baseline.Path: {Data: []byte("{\"version\": 1, \"configs\": [{\"path\": \"a\", \"digest\": \"md5:x\"}]}")}},
		Changed: []changes.ChangedFile{{Path: cfg, Status: changes.Added}}}
	_, err = Run(context.Background(), Options{Mode: Given, Trees: tr, Today: judgeDay})
	ge, ok := err.(*Error)
	if !ok || ge.Pos != (finding.Position{File: baseline.Path, Line: 1, Col: 37}) {
		t.Errorf("broken baseline: %v (%#v), want a gate.Error at %s:1:37 (the entry)", err, err, baseline.Path)
	}
}
