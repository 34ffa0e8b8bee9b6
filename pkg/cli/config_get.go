package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
)

func newConfigGetCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "get KEY",
		Short: "Print a key of a profile in the config file",
		Long: `Print one key of a profile (--profile, else the file's default-profile, else "default")
as the config file holds it (a list comma-separated). A key that is not set exits 1; a
profile the file does not define exits 2. Secrets are never printed (only whether they are set),
and access key IDs only as a short prefix.`,
		Example: `  eipctl config get region --profile prod
  eipctl config get credentials.alibaba.id`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: f.completeKeys,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := f.parseProfileKey(args[0])
			if err != nil {
				return err
			}
			file, err := config.OpenFile(config.Path(f.global.configFile))
			if err != nil {
				return &usageError{err}
			}
			profile, err := f.existingProfile(file)
			if err != nil {
				return err
			}
			v, ok := file.Get(profile, k.name)
			if !ok {
				return &exitError{code: ExitFailure, msg: fmt.Sprintf("%s is not set in profile %s of %s", k.name, profile, file.Path())}
			}
			fmt.Fprintln(f.Streams.Out, k.shown(v))
			return nil
		},
	}
}
