package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
)

func newConfigUnsetCmd(f *Factory) *cobra.Command {
	return f.keyCmd(&cobra.Command{
		Use:   "unset KEY",
		Short: "Remove a key from a profile in the config file",
		Long: `Remove one key from a profile (--profile, else the file's default-profile, else
"default") in eipctl's config file; mappings the removal leaves empty go too, the profile
itself stays. Comments, order and other keys are kept. A key that is not set is no error
(it is said so on stderr), so the command is safe to run again; a profile the file does
not define is (exit 2).`,
		Example: `  eipctl config unset region --profile prod
  eipctl config unset credentials.alibaba.secret
  eipctl config unset limits.tencent.AssociateAddress`,
	}, func(k profileKey, file *config.File, profile string) error {
		if !file.Unset(profile, k.name) {
			fmt.Fprintf(f.Streams.Err, "%s was not set in profile %s of %s\n", k.name, profile, file.Path())
			return nil
		}
		if err := file.Save(); err != nil {
			return err
		}
		fmt.Fprintf(f.Streams.Err, "unset %s in profile %s of %s\n", k.name, profile, file.Path())
		return nil
	})
}
