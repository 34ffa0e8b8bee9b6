package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
)

func newConfigUseCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "use PROFILE",
		Short:   "Make a profile the default (default-profile in the config file)",
		Example: `  eipctl config use prod`,
		Args:    cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return f.completeProfiles(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			file, err := f.configFile()
			if err != nil {
				return err
			}
			if !file.HasProfile(args[0]) {
				return noProfileToUse(file, args[0])
			}
			file.SetDefaultProfile(args[0])
			if err := file.Save(); err != nil {
				return err
			}
			fmt.Fprintf(f.Streams.Err, "default profile is now %s (%s)\n", args[0], file.Path())
			return nil
		},
	}
}

// noProfileToUse names what the file holds: nothing when it does not exist,
// else its profiles, nearest first when one is close.
func noProfileToUse(file *config.File, name string) error {
	fix := fmt.Sprintf("create it with `eipctl config set region REGION --profile %s`", name)
	if _, err := os.Stat(file.Path()); err != nil {
		return eip.Usagef("profile %q: %s does not exist: %s", name, file.Path(), fix)
	}
	profiles := file.Profiles()
	if len(profiles) == 0 {
		return eip.Usagef("profile %q: %s defines no profile: %s", name, file.Path(), fix)
	}
	return eip.Usagef("profile %q is not in %s: %s, or use one of %s", name, file.Path(), fix, oneOf(profiles, "or"))
}
