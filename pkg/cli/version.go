package cli

import (
	"cmp"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// BuildInfo is what a release build is stamped with (goreleaser's ldflags
// set them in cmd/eipctl); a `go install` build fills them from the Go
// toolchain's build information instead.
type BuildInfo struct {
	Version string // v1.2.3, or the module version, or "dev"
	Commit  string // the git commit, or ""
	Date    string // the commit's date (RFC 3339), or ""
}

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print eipctl's version, commit and commit date",
		Long:  "Print eipctl's version, the commit it was built from and that commit's date, and the Go toolchain and platform.",
		Example: `  eipctl version
  eipctl --version   # the version alone`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			b := f.Build
			fmt.Fprintf(f.Streams.Out, "eipctl %s\ncommit:      %s\ncommit date: %s\ngo:          %s %s/%s\n",
				f.Version, cmp.Or(b.Commit, "unknown"), cmp.Or(b.Date, "unknown"), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		},
	}
}
