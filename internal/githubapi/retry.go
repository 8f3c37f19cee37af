package githubapi

import (
	"io"
	"net/http"
	"strconv"
	"time"
)

const (
	// maxAttempts bounds the requests made for one call.
	maxAttempts = 4
	// maxWait is the longest ftgate waits for a rate limit to reset.
	maxWait = 60 * time.Second
)

// retryTransport retries rate-limited and failed requests below go-github.
// Retrying here, rather than on go-github's errors, matters: go-github
// remembers a rate limit against the wall clock and refuses later requests
// itself, so a retry above it would never reach the network.
type retryTransport struct {
	base  http.RoundTripper
	sleep func(time.Duration)
	now   func() time.Time
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := t.base.RoundTrip(req)
		wait, retry := t.backoff(resp, err, attempt)
		if !retry || attempt == maxAttempts || (req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		if resp != nil {
			// Drain so that the connection can be reused.
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
		t.sleep(wait)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

// backoff says whether a response is worth another attempt and how long to
// wait first. Rate limits wait for Retry-After or the reset when either is
// at most maxWait away; a later reset is returned to the caller at once,
// whose error names it. Server errors and network failures back off 1 s,
// 2 s, 4 s.
func (t *retryTransport) backoff(resp *http.Response, err error, attempt int) (time.Duration, bool) {
	transient := time.Duration(1<<(attempt-1)) * time.Second
	if err != nil {
		return transient, true
	}
	switch {
	case resp.StatusCode >= 500:
		return transient, true
	case resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests:
		return 0, false
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		secs, err := strconv.Atoi(s)
		if err != nil || secs < 0 {
			return 0, false
		}
		d := time.Duration(secs) * time.Second
		return d, d <= maxWait
	}
	if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
		reset, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64)
		if err != nil {
			return 0, false
		}
		// A second more than the reset: the server's clock and ours differ.
		d := time.Unix(reset, 0).Sub(t.now()) + time.Second
		if d < time.Second {
			d = time.Second
		}
		return d, d <= maxWait
	}
	// A 403 that is no rate limit (a read-only token) will not change.
	return 0, false
}
