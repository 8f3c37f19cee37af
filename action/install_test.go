// Package action tests scripts/install.sh and the composite action.yml
// against release archives built by scripts/release.sh and served on
// 127.0.0.1, the way a runner would download them from a GitHub release.
//
// scripts/ci.d/35-release.sh builds the six archives and runs these tests
// with FTGATE_RELEASE_DIR (the release directory) and FTGATE_RELEASE_VERSION
// set; without them there are no archives to serve and the tests skip.
package action

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// release is a directory of archives and checksums.txt for one version.
type release struct {
	dir, version string
}

func needRelease(t testing.TB) release {
	t.Helper()
	dir, version := os.Getenv("FTGATE_RELEASE_DIR"), os.Getenv("FTGATE_RELEASE_VERSION")
	if dir == "" || version == "" {
		t.Skip("FTGATE_RELEASE_DIR and FTGATE_RELEASE_VERSION unset: scripts/ci.d/35-release.sh builds the archives and runs this test")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the scripts run under bash; this test drives them on Linux and macOS")
	}
	return release{dir: dir, version: version}
}

// server serves releases as GitHub does, at /VERSION/ASSET, with variants
// under a first path element: /ok/ the release as built, /corrupt/ one
// archive with a byte changed (checksums.txt unchanged), /nolist/
// checksums.txt without the host's archive, /noasset/ checksums.txt only.
type server struct {
	*httptest.Server
	requests atomic.Int64
}

func serve(t testing.TB, rel release) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		parts := strings.Split(strings.TrimPrefix(path.Clean(r.URL.Path), "/"), "/")
		if len(parts) != 3 || parts[1] != rel.version {
			http.NotFound(w, r)
			return
		}
		variant, asset := parts[0], parts[2]
		if strings.Contains(asset, "..") {
			http.NotFound(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(rel.dir, asset))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch variant {
		case "ok":
		case "corrupt":
			if asset != "checksums.txt" {
				data = append([]byte(nil), data...)
				data[len(data)/2] ^= 0xff
			}
		case "nolist":
			if asset == "checksums.txt" {
				data = dropLines(data, hostArchive(rel))
			}
		case "noasset":
			if asset != "checksums.txt" {
				http.NotFound(w, r)
				return
			}
		default:
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

func dropLines(data []byte, containing string) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if !bytes.Contains(line, []byte(containing)) {
			out = append(out, line...)
		}
	}
	return out
}

func hostArchive(rel release) string {
	return fmt.Sprintf("ftgate_%s_%s_%s.tar.gz", strings.TrimPrefix(rel.version, "v"), runtime.GOOS, runtime.GOARCH)
}

func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// install runs scripts/install.sh with args and returns its exit code and
// output.
func install(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot(t), "scripts", "install.sh")}, args...)...)
	cmd.Env = append(os.Environ(), "FTGATE_BASE_URL=", "FTGATE_VERSION=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestInstall(t *testing.T) {
	rel := needRelease(t)
	srv := serve(t, rel)
	dir := filepath.Join(t.TempDir(), "bin")

	code, stdout, stderr := install(t, "--version", rel.version, "--dir", dir, "--base-url", srv.URL+"/ok")
	if code != 0 {
		t.Fatalf("install: exit %d\n%s", code, stderr)
	}
	bin := filepath.Join(dir, "ftgate")
	if got := strings.TrimSpace(stdout); got != bin {
		t.Errorf("install printed %q, want the binary's path %q", got, bin)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || string(out) != "ftgate "+rel.version+"\n" {
		t.Errorf("installed ftgate version: %q, %v; want %q", out, err, "ftgate "+rel.version)
	}

	// A second install into the same directory is served from it.
	before := srv.requests.Load()
	code, stdout, stderr = install(t, "--version", rel.version, "--dir", dir, "--base-url", srv.URL+"/ok")
	if code != 0 || strings.TrimSpace(stdout) != bin || !strings.Contains(stderr, "already in") {
		t.Errorf("second install: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if n := srv.requests.Load() - before; n != 0 {
		t.Errorf("second install made %d requests, want none", n)
	}

	// The runner's names for the platform, and the zip of a Windows release.
	win := filepath.Join(t.TempDir(), "win")
	code, stdout, stderr = install(t, "--version", rel.version, "--dir", win, "--os", "Windows", "--arch", "ARM64", "--base-url", srv.URL+"/ok")
	if code != 0 || strings.TrimSpace(stdout) != filepath.Join(win, "ftgate.exe") {
		t.Fatalf("windows install: exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	exe, err := os.ReadFile(filepath.Join(win, "ftgate.exe"))
	if err != nil || !bytes.HasPrefix(exe, []byte("MZ")) {
		t.Errorf("ftgate.exe is not a Windows executable (err %v)", err)
	}
}

func TestInstallFailures(t *testing.T) {
	rel := needRelease(t)
	srv := serve(t, rel)
	host := hostArchive(rel)
	for _, tc := range []struct {
		name string
		args []string
		want string // the whole stderr
	}{{
		name: "wrong checksum",
		args: []string{"--version", rel.version, "--base-url", srv.URL + "/corrupt"},
		want: "ftgate install: checksum mismatch for " + host + ": checksums.txt says ",
	}, {
		name: "archive not in checksums.txt",
		args: []string{"--version", rel.version, "--base-url", srv.URL + "/nolist"},
		want: "ftgate install: checksums.txt of " + rel.version + " has no entry for " + host + "\n",
	}, {
		name: "missing asset",
		args: []string{"--version", rel.version, "--base-url", srv.URL + "/noasset"},
		want: fmt.Sprintf("ftgate install: download %s/noasset/%s/%s: HTTP 404: is %s released, with an archive for %s/%s?\n",
			srv.URL, rel.version, host, rel.version, runtime.GOOS, runtime.GOARCH),
	}, {
		name: "unreleased version",
		args: []string{"--version", "v9.9.9", "--base-url", srv.URL + "/ok"},
		want: fmt.Sprintf("ftgate install: download %s/ok/v9.9.9/checksums.txt: HTTP 404: is v9.9.9 released, with an archive for %s/%s?\n",
			srv.URL, runtime.GOOS, runtime.GOARCH),
	}, {
		name: "unsupported architecture",
		args: []string{"--version", rel.version, "--os", "Linux", "--arch", "X86", "--base-url", srv.URL + "/ok"},
		want: "ftgate install: no ftgate release for linux/X86: releases cover linux, darwin and windows on amd64 and arm64 (build from source: go install github.com/ftgate/ftgate/cmd/ftgate@" + rel.version + ")\n",
	}, {
		name: "unsupported OS",
		args: []string{"--version", rel.version, "--os", "FreeBSD", "--arch", "amd64", "--base-url", srv.URL + "/ok"},
		want: "ftgate install: no ftgate release for FreeBSD/amd64: releases cover linux, darwin and windows on amd64 and arm64 (build from source: go install github.com/ftgate/ftgate/cmd/ftgate@" + rel.version + ")\n",
	}, {
		name: "not a version",
		args: []string{"--version", "main", "--base-url", srv.URL + "/ok"},
		want: "ftgate install: version \"main\" is not a release tag like v0.1.0\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "bin")
			code, stdout, stderr := install(t, append(tc.args, "--dir", dir)...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing (no path for a caller to run)", stdout)
			}
			ok := stderr == tc.want
			if strings.HasSuffix(tc.want, ": checksums.txt says ") {
				ok = strings.HasPrefix(stderr, tc.want) && strings.HasSuffix(stderr, "; not installed\n") && strings.Count(stderr, "\n") == 1
			}
			if !ok {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tc.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a failed install left %s behind (%v)", dir, err)
			}
		})
	}
}
