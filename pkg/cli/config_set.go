package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
)

func newConfigSetCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY [VALUE|-]",
		Short: "Set a key of a profile in the config file",
		Long: `Set one key of a profile (--profile, else the file's default-profile, else "default")
in eipctl's config file, creating the file, the profile and the key as needed. The file
is written with mode 0600; its comments, order and other keys are kept.

KEY is provider, region, endpoint, timeout, output, state-dir, allow-unknown-region or
ca-file; regions.PROVIDER (a comma-separated list); limits.PROVIDER.ACTION (COUNT/DURATION,
e.g. 60/60s); or credentials.PROVIDER.KEY (id, secret, token, profile, instance-role).
Values are written typed: allow-unknown-region as a boolean, regions as a list. A secret
or token is read from standard input, never from the command line, where ps and shell
history would keep it. "eipctl config unset KEY" removes a key.`,
		Example: `  eipctl config set region cn-hangzhou --profile prod
  eipctl config set credentials.alibaba.id LTAI5tExample --profile prod
  printf %s "$SECRET" | eipctl config set credentials.alibaba.secret - --profile prod
  eipctl config set credentials.alibaba.profile work     # the aliyun CLI's profile
  eipctl config set credentials.tencent.instance-role auto
  eipctl config set regions.alibaba cn-hangzhou,cn-shanghai
  eipctl config set limits.tencent.AssociateAddress 10/1s
  eipctl config set allow-unknown-region true`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: f.completeKeys,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := f.parseProfileKey(args[0])
			if err != nil {
				return err
			}
			var value string
			switch {
			case k.secret && len(args) == 2 && args[1] != "-":
				return eip.Usagef("%s is a secret: give it on standard input, not the command line (`... | eipctl config set %s -`)", k.name, k.name)
			case k.secret:
				if value, err = f.readSecret(); err != nil {
					return err
				}
			case len(args) < 2:
				return eip.Usagef("config set %s needs a VALUE", k.name)
			default:
				if value, err = f.checkValue(k, args[1]); err != nil {
					return err
				}
			}
			file, err := f.configFile()
			if err != nil {
				return err
			}
			profile := f.editProfile(file)
			if err := file.Set(profile, k.name, value, k.kind); err != nil {
				return &usageError{err}
			}
			if err := file.Save(); err != nil {
				return err
			}
			fmt.Fprintf(f.Streams.Err, "set %s = %s in profile %s of %s\n", k.name, k.shown(value), profile, file.Path())
			return nil
		},
	}
}
