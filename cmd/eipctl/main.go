// Command eipctl binds elastic public IPs on Alibaba Cloud, Tencent Cloud and
// Zenlayer through one verb, and waits until each cloud confirms.
package main

import (
	"os"
	"runtime/debug"

	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/output"
)

// Set at release time by goreleaser (.goreleaser.yaml):
//
//	-ldflags "-X main.version=v1.2.3 -X main.commit=abc1234 -X main.date=2026-12-01T20:00:00Z"
var version, commit, date string

func main() {
	if os.Getenv("GOGC") == "" {
		// Much of a big run's heap is short-lived (a YAML plan's node tree,
		// 24 MB for 10,000 items; the first reads' answers), and the default
		// GC lets the heap double over it. Collecting at half the growth
		// keeps a 10,000-EIP run's peak RSS near 48 MB instead of 54-58; the
		// cost is GC time a run that waits on the network does not see.
		// GOGC still rules.
		debug.SetGCPercent(50)
	}
	os.Exit(cli.Main(os.Args[1:], output.System(), buildInfo()))
}

// buildInfo is what the release stamped, with what the Go toolchain recorded
// filling the gaps: `go install ...@v1.2.3` knows its module version, and a
// build from a git checkout knows its commit and commit time.
func buildInfo() cli.BuildInfo {
	bi, _ := debug.ReadBuildInfo()
	return fill(cli.BuildInfo{Version: version, Commit: commit, Date: date}, bi)
}

func fill(b cli.BuildInfo, bi *debug.BuildInfo) cli.BuildInfo {
	if bi == nil {
		return withDefault(b)
	}
	if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && b.Commit == "":
			b.Commit = s.Value
		case s.Key == "vcs.time" && b.Date == "":
			b.Date = s.Value
		}
	}
	return withDefault(b)
}

func withDefault(b cli.BuildInfo) cli.BuildInfo {
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}
