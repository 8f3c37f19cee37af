package cli

import (
	"encoding/json"
	"fmt"
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
