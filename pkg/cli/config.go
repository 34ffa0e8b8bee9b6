package cli

import "github.com/spf13/cobra"

func newConfigCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check credentials and manage profiles in the config file",
		Long: `Check which credentials each cloud would use (config doctor), and read or change
profiles in eipctl's config file (config get, set, unset, list, use). The file is written
with mode 0600 and its comments are kept.`,
		Example: `  eipctl config doctor
  eipctl config set region cn-hangzhou --profile prod
  eipctl config unset region --profile prod
  eipctl config use prod
  eipctl config list`,
	}
	cmd.AddCommand(newConfigDoctorCmd(f), newConfigSetCmd(f), newConfigGetCmd(f), newConfigListCmd(f), newConfigUseCmd(f), newConfigUnsetCmd(f))
	return cmd
}
