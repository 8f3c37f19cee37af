// Package githubapi holds every call ftgate makes to the GitHub REST API
// (through go-github): the files of a pull request, the base commit's
// policy and CODEOWNERS read through the contents API as an fs.FS, and the
// one sticky pull-request comment.
//
// Rate limits and transient failures are handled below go-github, in an
// http.RoundTripper, so that every call shares one rule: at most four
// attempts, waiting for Retry-After or the rate-limit reset only when it is
// at most a minute away. A longer wait is not worth a CI job's time; the
// error then names the reset time so that the user knows when to re-run.
package githubapi
