package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// DefaultAPIURL is the REST API of github.com; GitHub Enterprise Server sets
// GITHUB_API_URL to its own.
const DefaultAPIURL = "https://api.github.com"

// Options configure a Client.
type Options struct {
	// APIURL is the REST API root (GITHUB_API_URL); "" means github.com.
	APIURL string
	// Token authenticates every request. It is sent only as a header and
	// never appears in an error.
	Token string
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// HTTPClient sends the requests; nil means a client with a timeout.
	HTTPClient *http.Client
	// Sleep waits between attempts; nil means time.Sleep. Tests pass one
	// that records the wait instead.
	Sleep func(time.Duration)
	// Now is the clock that rate-limit resets are compared with.
	Now func() time.Time
}

// Client calls the REST API for one repository.
type Client struct {
	gh          *github.Client
	owner, repo string
}

// New returns a client for opt.Repository.
func New(opt Options) (*Client, error) {
	owner, repo, ok := strings.Cut(opt.Repository, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, fmt.Errorf("repository %q: want owner/name", opt.Repository)
	}
	hc := opt.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	rt := &retryTransport{base: hc.Transport, sleep: opt.Sleep, now: opt.Now}
	if rt.base == nil {
		rt.base = http.DefaultTransport
	}
	if rt.sleep == nil {
		rt.sleep = time.Sleep
	}
	if rt.now == nil {
		rt.now = time.Now
	}
	wrapped := *hc
	wrapped.Transport = rt
	gh := github.NewClient(&wrapped)
	if opt.Token != "" {
		gh = gh.WithAuthToken(opt.Token)
	}
	if u := strings.TrimSuffix(opt.APIURL, "/"); u != "" && u != DefaultAPIURL {
		// GITHUB_API_URL already ends in /api/v3 on Enterprise Server;
		// WithEnterpriseURLs keeps such a path as it is.
		var err error
		if gh, err = gh.WithEnterpriseURLs(u+"/", u+"/"); err != nil {
			return nil, fmt.Errorf("GITHUB_API_URL %q: %w", opt.APIURL, err)
		}
	}
	return &Client{gh: gh, owner: owner, repo: repo}, nil
}

// ErrForbidden is wrapped by the error of a call the token may not make: a
// read-only token, as a pull request from a fork gets, cannot comment.
var ErrForbidden = errors.New("forbidden")

// RateLimitError is a rate limit that did not reset soon enough to wait for.
type RateLimitError struct {
	Reset time.Time // when requests are allowed again; zero if unknown
	Msg   string
}

func (e *RateLimitError) Error() string {
	if e.Reset.IsZero() {
		return "GitHub API rate limit exceeded: " + e.Msg
	}
	return fmt.Sprintf("GitHub API rate limit exceeded until %s: %s (re-run the job after that time)",
		e.Reset.UTC().Format(time.RFC3339), e.Msg)
}

// apiError turns go-github's errors into ftgate's: rate limits name their
// reset, a 403 wraps ErrForbidden, and the rest keep GitHub's message
// without the request URL (which may carry query parameters).
func apiError(what string, err error) error {
	if err == nil {
		return nil
	}
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &rl):
		return fmt.Errorf("%s: %w", what, &RateLimitError{Reset: rl.Rate.Reset.Time, Msg: rl.Message})
	case errors.As(err, &ab):
		var reset time.Time
		if ab.RetryAfter != nil {
			reset = time.Now().Add(*ab.RetryAfter)
		}
		return fmt.Errorf("%s: %w", what, &RateLimitError{Reset: reset, Msg: ab.Message})
	case errors.As(err, &er) && er.Response != nil:
		code := er.Response.StatusCode
		if code == http.StatusForbidden {
			return fmt.Errorf("%s: %w: %s (HTTP 403)", what, ErrForbidden, er.Message)
		}
		return fmt.Errorf("%s: %s (HTTP %d)", what, er.Message, code)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// ctxOr returns ctx, or Background for a nil one.
func ctxOr(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}
