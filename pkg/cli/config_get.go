package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
)

func newConfigGetCmd(f *Factory) *cobra.Command {
	return f.keyCmd(&cobra.Command{
		Use:   "get KEY",
		Short: "Print a key of a profile in the config file",
		Long: `Print one key of a profile (--profile, else the file's default-profile, else "default")
as the config file holds it (a list comma-separated). A key that is not set exits 1; a
profile the file does not define exits 2. Secrets are never printed (only whether they are set),
and access key IDs only as a short prefix.`,
		Example: `  eipctl config get region --profile prod
  eipctl config get credentials.alibaba.id`,
	}, func(k profileKey, file *config.File, profile string) error {
		v, ok := file.Get(profile, k.name)
		if !ok {
			return &exitError{code: ExitFailure, msg: fmt.Sprintf("%s is not set in profile %s of %s", k.name, profile, file.Path())}
		}
		fmt.Fprintln(f.Streams.Out, k.shown(v))
		return nil
	})
}
