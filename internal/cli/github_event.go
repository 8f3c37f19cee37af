package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// prEvent is the part of a pull_request webhook payload GitHub mode reads.
type prEvent struct {
	Action      string `json:"action"`
	Number      int    `json:"number"`
	PullRequest *struct {
		Number       int `json:"number"`
		ChangedFiles int `json:"changed_files"`
		Base         struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
		} `json:"head"`
	} `json:"pull_request"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

// maxEventBytes bounds the payload read; real ones are tens of kilobytes.
const maxEventBytes = 25 << 20

// parseEvent reads a pull_request event payload and checks every field a
// check relies on, so that a malformed payload is one clear error (exit 2)
// rather than a check of the wrong commits.
func parseEvent(data []byte) (*prEvent, error) {
	if len(data) > maxEventBytes {
		return nil, fmt.Errorf("event payload is %d bytes, more than %d", len(data), maxEventBytes)
	}
	var ev prEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("event payload: %v", err)
	}
	if ev.Action == "" {
		return nil, fmt.Errorf("event payload has no action")
	}
	pr := ev.PullRequest
	if pr == nil {
		return nil, fmt.Errorf("event payload has no pull_request")
	}
	if ev.Number == 0 {
		ev.Number = pr.Number
	}
	if ev.Number <= 0 || (pr.Number != 0 && pr.Number != ev.Number) {
		return nil, fmt.Errorf("event payload: pull request number %d is not valid", ev.Number)
	}
	if pr.ChangedFiles < 0 {
		return nil, fmt.Errorf("event payload: changed_files %d is negative", pr.ChangedFiles)
	}
	for _, s := range []struct{ name, sha string }{{"pull_request.base.sha", pr.Base.SHA}, {"pull_request.head.sha", pr.Head.SHA}} {
		if !isObjectName(s.sha) {
			return nil, fmt.Errorf("event payload: %s %q is not a commit id", s.name, s.sha)
		}
	}
	owner, name, ok := strings.Cut(ev.Repository.FullName, "/")
	if !ok || owner == "" || name == "" || strings.ContainsAny(name, "/ \n") {
		return nil, fmt.Errorf("event payload: repository.full_name %q is not owner/name", ev.Repository.FullName)
	}
	return &ev, nil
}

// isObjectName reports whether s is a full SHA-1 or SHA-256 object name,
// so that it can never be read as a git option or revision expression.
func isObjectName(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// mergeGroupEvent is the part of a merge_group payload GitHub mode reads.
type mergeGroupEvent struct {
	Action     string `json:"action"`
	MergeGroup *struct {
		HeadSHA string `json:"head_sha"`
		HeadRef string `json:"head_ref"`
		BaseSHA string `json:"base_sha"`
		BaseRef string `json:"base_ref"`
	} `json:"merge_group"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
}

// parseMergeGroup reads a merge_group payload and checks every field a
// check relies on.
func parseMergeGroup(data []byte) (*mergeGroupEvent, error) {
	var ev mergeGroupEvent
	if err := unmarshalEvent(data, &ev); err != nil {
		return nil, err
	}
	if ev.Action == "" {
		return nil, fmt.Errorf("event payload has no action")
	}
	mg := ev.MergeGroup
	if mg == nil {
		return nil, fmt.Errorf("event payload has no merge_group")
	}
	for _, s := range []struct{ name, sha string }{{"merge_group.base_sha", mg.BaseSHA}, {"merge_group.head_sha", mg.HeadSHA}} {
		if !isObjectName(s.sha) || isZeroObject(s.sha) {
			return nil, fmt.Errorf("event payload: %s %q is not a commit id", s.name, s.sha)
		}
	}
	for _, s := range []struct{ name, ref string }{{"merge_group.head_ref", mg.HeadRef}, {"merge_group.base_ref", mg.BaseRef}} {
		if b, ok := strings.CutPrefix(s.ref, "refs/heads/"); !ok || !isBranchName(b) {
			return nil, fmt.Errorf("event payload: %s %q is not a branch", s.name, s.ref)
		}
	}
	if err := checkFullName(ev.Repository.FullName); err != nil {
		return nil, err
	}
	return &ev, nil
}

// queuePR matches the branch GitHub names a merge group after: the queue's
// base branch, then pr-N- and the head commit of the group's last pull
// request.
var queuePR = regexp.MustCompile(`^refs/heads/gh-readonly-queue/.+/pr-([0-9]+)-[0-9a-f]{40,64}$`)

// pullRequest is the number of the pull request a merge group tests, from
// its head_ref, or 0 when the name does not say.
func (ev *mergeGroupEvent) pullRequest() int {
	m := queuePR.FindStringSubmatch(ev.MergeGroup.HeadRef)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0
	}
	return n
}

// pushEvent is the part of a push payload GitHub mode reads.
type pushEvent struct {
	Ref        string `json:"ref"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Deleted    bool   `json:"deleted"`
	Repository struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
}

// parsePush reads a push payload and checks every field a check relies on.
func parsePush(data []byte) (*pushEvent, error) {
	var ev pushEvent
	if err := unmarshalEvent(data, &ev); err != nil {
		return nil, err
	}
	if ev.Ref == "" {
		return nil, fmt.Errorf("event payload has no ref")
	}
	if b, ok := strings.CutPrefix(ev.Ref, "refs/heads/"); ok && !isBranchName(b) {
		return nil, fmt.Errorf("event payload: ref %q is not a branch name", ev.Ref)
	} else if !ok && !strings.HasPrefix(ev.Ref, "refs/tags/") {
		return nil, fmt.Errorf("event payload: ref %q is neither a branch nor a tag", ev.Ref)
	}
	for _, s := range []struct{ name, sha string }{{"before", ev.Before}, {"after", ev.After}} {
		if !isObjectName(s.sha) {
			return nil, fmt.Errorf("event payload: %s %q is not a commit id", s.name, s.sha)
		}
	}
	if ev.Deleted != isZeroObject(ev.After) {
		return nil, fmt.Errorf("event payload: deleted is %v but after is %s", ev.Deleted, ev.After)
	}
	if err := checkFullName(ev.Repository.FullName); err != nil {
		return nil, err
	}
	if !isBranchName(ev.Repository.DefaultBranch) {
		return nil, fmt.Errorf("event payload: repository.default_branch %q is not a branch name", ev.Repository.DefaultBranch)
	}
	return &ev, nil
}

// branch is the pushed branch, or "" for a tag.
func (ev *pushEvent) branch() string {
	b, _ := strings.CutPrefix(ev.Ref, "refs/heads/")
	if b == ev.Ref {
		return ""
	}
	return b
}

// unmarshalEvent decodes a payload within maxEventBytes.
func unmarshalEvent(data []byte, v any) error {
	if len(data) > maxEventBytes {
		return fmt.Errorf("event payload is %d bytes, more than %d", len(data), maxEventBytes)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("event payload: %v", err)
	}
	return nil
}

func checkFullName(full string) error {
	owner, name, ok := strings.Cut(full, "/")
	if !ok || owner == "" || name == "" || strings.ContainsAny(name, "/ \n") {
		return fmt.Errorf("event payload: repository.full_name %q is not owner/name", full)
	}
	return nil
}

// isZeroObject reports whether s is the all-zeros object name a push uses
// for "no commit" (a branch created or deleted).
func isZeroObject(s string) bool {
	return strings.Trim(s, "0") == ""
}

// isBranchName reports whether s is a branch name git accepts and that
// cannot be read as an option or a revision expression once prefixed with
// refs/heads/ or refs/remotes/origin/ (git check-ref-format's rules).
func isBranchName(s string) bool {
	if s == "" || len(s) > 255 || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") ||
		strings.HasSuffix(s, ".") || strings.HasSuffix(s, ".lock") || s == "@" {
		return false
	}
	for _, bad := range []string{"..", "@{", "//", "/.", "\\"} {
		if strings.Contains(s, bad) {
			return false
		}
	}
	if strings.HasPrefix(s, ".") {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f || strings.ContainsRune(" ~^:?*[", c) {
			return false
		}
	}
	return true
}
