// Command eipctl binds elastic public IPs on Alibaba Cloud, Tencent Cloud and
// Zenlayer through one verb, and waits until each cloud confirms.
package main

import (
	"os"
	"runtime/debug"

	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/output"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	os.Exit(cli.Main(os.Args[1:], output.System(), buildVersion()))
}

// buildVersion falls back to the module version for `go install` builds.
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}
