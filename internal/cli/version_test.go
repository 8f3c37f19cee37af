package cli

import (
	"runtime/debug"
	"testing"
)

func TestVersionString(t *testing.T) {
	checkout := &debug.BuildInfo{
		Main: debug.Module{Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	for _, tc := range []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"release archive", "v0.1.0", &debug.BuildInfo{}, true, "v0.1.0"},
		{"stamp wins over the checkout", "v0.1.0", checkout, true, "v0.1.0"},
		{"go install at a tag", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.0"}}, true, "v0.1.0"},
		{"checkout", "", checkout, true, "(devel) (0123456789abcdef, modified)"},
		{"no build info", "", nil, false, "(devel)"},
	} {
		if got := versionString(tc.stamped, tc.info, tc.ok); got != tc.want {
			t.Errorf("%s: versionString = %q, want %q", tc.name, got, tc.want)
		}
	}
}
