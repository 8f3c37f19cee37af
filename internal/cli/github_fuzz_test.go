package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseEvent: no payload makes the parser panic, and one it accepts
// carries commit ids that git can never read as options.
func FuzzParseEvent(f *testing.F) {
	for _, name := range []string{"pull_request.opened.payload.json", "pull_request.closed.payload.json"} {
		data, err := os.ReadFile(filepath.Join(ghFixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"action":"opened","number":1,"pull_request":{"base":{"sha":"-x"}}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := parseEvent(data)
		if err != nil {
			return
		}
		pr := ev.PullRequest
		if !isObjectName(pr.Base.SHA) || !isObjectName(pr.Head.SHA) || ev.Number <= 0 {
			t.Errorf("accepted %+v", ev)
		}
	})
}

// FuzzParsePushAndMergeGroup: no payload makes either parser panic, and one
// they accept carries commit ids and branch names that git can never read
// as options or revision expressions.
func FuzzParsePushAndMergeGroup(f *testing.F) {
	for _, name := range []string{"merge_group.checks_requested.payload.json", "push.payload.json", "push.with-new-branch.payload.json"} {
		data, err := os.ReadFile(filepath.Join(ghFixtures, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"ref":"refs/heads/-x","before":"0","after":"1"}`))
	f.Add([]byte(`{"action":"checks_requested","merge_group":{"head_ref":"refs/heads/a..b"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if mg, err := parseMergeGroup(data); err == nil {
			g := mg.MergeGroup
			if !isObjectName(g.BaseSHA) || !isObjectName(g.HeadSHA) || !isBranchName(g.BaseRef[len("refs/heads/"):]) {
				t.Errorf("accepted merge group %+v", g)
			}
			mergeGroupHeader(mg)
		}
		if p, err := parsePush(data); err == nil {
			if !isObjectName(p.Before) || !isObjectName(p.After) || !isBranchName(p.Repository.DefaultBranch) ||
				p.branch() != "" && !isBranchName(p.branch()) {
				t.Errorf("accepted push %+v", p)
			}
		}
	})
}

func TestIsBranchName(t *testing.T) {
	for s, want := range map[string]bool{
		"main": true, "feature/x-1": true, "gh-readonly-queue/main/pr-104-929f": true, "a`b": true,
		"": false, "-x": false, "a..b": false, "a@{1}": false, "a b": false, "a:b": false, "a~1": false, "a^": false,
		"/a": false, "a/": false, "a//b": false, ".a": false, "a/.b": false, "a.lock": false, "a.": false, "@": false, "a\nb": false,
	} {
		if got := isBranchName(s); got != want {
			t.Errorf("isBranchName(%q) = %v, want %v", s, got, want)
		}
	}
}
