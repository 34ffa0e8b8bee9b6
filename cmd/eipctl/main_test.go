package main

import (
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// The ldflags .goreleaser.yaml passes stamp the binary, and `eipctl version`
// prints every one of them.
func TestReleaseLdflagsReachVersion(t *testing.T) {
	bin := eiptest.Eipctl(t, "-ldflags", "-X main.version=v9.8.7 -X main.commit=0123abcd -X main.date=2026-12-01T20:00:00Z")
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"eipctl v9.8.7\n", "commit:      0123abcd\n", "commit date: 2026-12-01T20:00:00Z\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	if out, _ := exec.Command(bin, "--version").Output(); !strings.Contains(string(out), "v9.8.7") {
		t.Errorf("--version: %s", out)
	}
}

// A `go install module@version` build has no ldflags: the toolchain's
// record fills the version, commit and time; ldflags, when set, win.
func TestBuildInfoFallback(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "feedface"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}}}
	if got, want := fill(cli.BuildInfo{}, bi), (cli.BuildInfo{Version: "v1.2.3", Commit: "feedface", Date: "2026-11-30T10:00:00Z"}); got != want {
		t.Errorf("from build info: %+v, want %+v", got, want)
	}
	if got := fill(cli.BuildInfo{Version: "v2.0.0", Commit: "c", Date: "d"}, bi); got.Version != "v2.0.0" || got.Commit != "c" || got.Date != "d" {
		t.Errorf("ldflags lost to build info: %+v", got)
	}
	if got := fill(cli.BuildInfo{}, &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}); got.Version != "dev" {
		t.Errorf("a checkout build: version %q, want dev", got.Version)
	}
	if got := fill(cli.BuildInfo{}, nil); got.Version != "dev" {
		t.Errorf("no build info: version %q, want dev", got.Version)
	}
}
