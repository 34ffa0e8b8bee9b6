package cli

import (
	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
)

func newConfigCmd(f *Factory) *cobra.Command {
	return group("config", "Check credentials and manage profiles in the config file",
		`Check which credentials each cloud would use (config doctor), and read or change
profiles in eipctl's config file (config get, set, unset, list, use). The file is written
with mode 0600 and its comments are kept.`,
		`  eipctl config doctor
  eipctl config set region cn-hangzhou --profile prod
  eipctl config unset region --profile prod
  eipctl config use prod
  eipctl config list`,
		newConfigDoctorCmd(f), newConfigSetCmd(f), newConfigGetCmd(f), newConfigListCmd(f), newConfigUseCmd(f), newConfigUnsetCmd(f))
}

// configFile opens eipctl's config file (--config, else the default path);
// a file that cannot be read or parsed is a usage error (exit 2).
func (f *Factory) configFile() (*config.File, error) {
	file, err := config.OpenFile(config.Path(f.global.configFile))
	if err != nil {
		return nil, &usageError{err}
	}
	return file, nil
}

// keyCmd completes cmd as a verb on one KEY of a profile that exists (get,
// unset): the key is checked before the file is read, and a profile the file
// does not define is refused (exit 2) before run sees it.
func (f *Factory) keyCmd(cmd *cobra.Command, run func(k profileKey, file *config.File, profile string) error) *cobra.Command {
	cmd.Args = cobra.ExactArgs(1)
	cmd.ValidArgsFunction = f.completeKeys
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		k, err := f.parseProfileKey(args[0])
		if err != nil {
			return err
		}
		file, err := f.configFile()
		if err != nil {
			return err
		}
		profile, err := f.existingProfile(file)
		if err != nil {
			return err
		}
		return run(k, file, profile)
	}
	return cmd
}
