package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ftgate/ftgate/internal/changes"
	"github.com/ftgate/ftgate/internal/detect"
	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/record"
)

// maxNamed is how many files a note names before it counts the rest.
const maxNamed = 5

// uncommittedNote is the one notice a Base run gives when the work tree holds
// uncommitted changes to what it judges — records, the files records name
// (evidence, training sets), training configs — since it reads the committed
// HEAD and would otherwise judge without them in silence. "" when there are
// none.
func uncommittedNote(opts Options, files []string, recs []*record.Record, recordsDir string, pol *evaluate.Policy) (string, error) {
	named := map[string]bool{}
	for _, r := range recs {
		for _, p := range r.NamedFiles() {
			named[p] = true
		}
	}
	var hit, maybeConfigs []string
	for _, p := range files {
		switch {
		case Own(p):
		case record.InDir(p, recordsDir) || named[p]:
			hit = append(hit, p)
		case detect.Candidate(p):
			maybeConfigs = append(maybeConfigs, p)
		}
	}
	if len(maybeConfigs) > 0 {
		det, err := detect.Detect(changes.WorktreeFS(opts.Dir), maybeConfigs, detect.Options{
			Include: pol.Include, Exclude: pol.Exclude, RecordsDir: recordsDir, Pretrain: pol.Pretrain,
		})
		if err != nil {
			return "", err
		}
		for _, c := range det.Configs {
			if slices.Contains(maybeConfigs, c.Path) {
				hit = append(hit, c.Path)
			}
		}
	}
	if len(hit) == 0 {
		return "", nil
	}
	slices.Sort(hit)
	list := strings.Join(hit[:min(len(hit), maxNamed)], ", ")
	if n := len(hit) - maxNamed; n > 0 {
		list += fmt.Sprintf(" and %d more", n)
	}
	return fmt.Sprintf("--base judges the committed HEAD; these uncommitted changes are not part of it: %s (commit them to have them judged)", list), nil
}
