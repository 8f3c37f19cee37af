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
