// Package cli is eipctl's command tree: one file per verb, and the one place
// where an error becomes an exit code.
package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/output"
)

// Main runs eipctl with args and returns the process exit code.
func Main(args []string, streams *output.Streams, build BuildInfo) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := NewFactory(streams, build.Version)
	f.Build = build
	defer f.Close()
	f.interrupt = newInterrupts(cancel)
	defer f.interrupt.notify()()
	return Run(ctx, f, args)
}

// Run executes one command line with f and returns the exit code.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewRoot(f)
	f.argv = args
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	code := exitCode(err, f.ran)
	if err != nil && err.Error() != "" {
		// Several bad plan items make several lines, each one whole.
		for _, line := range strings.Split(err.Error(), "\n") {
			f.reportError(line, code)
		}
	}
	return code
}

// NewRoot builds the command tree.
func NewRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "eipctl",
		Short: "Bind elastic public IPs on " + oneOf(f.cloudTitles(), "and") + ", and wait until they are bound",
		Long: `eipctl binds elastic public IPs (EIPs) to instances, ENIs, NAT gateways, load balancers
and HaVips through one verb on every cloud, and waits until the cloud confirms each binding.

Try it offline against the built-in emulator:
  eipctl eip associate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001 --target i-hz0001

` + exitCodesHelp,
		Example: `  # Bind, then check, on the embedded emulator
  eipctl eip associate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001 --target i-hz0001
  eipctl eip describe --sim eip-hz0001

  # A real cloud: credentials from the cloud's usual environment variables
  eipctl eip list --provider tencent --region ap-guangzhou -o json

  # Shell completion, man pages: see "eipctl completion --help" and docs/install.md`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       f.Version,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFlagText(cmd); err != nil {
				return err
			}
			if err := checkGlobalFlags(cmd); err != nil {
				return err
			}
			if err := f.setupLog(); err != nil {
				return err
			}
			f.ran = true
			return nil
		},
	}
	root.SetOut(f.Streams.Out)
	root.SetErr(f.Streams.Err)
	root.SetIn(f.Streams.In)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return flagError(c, f.argv, err) })
	root.SetHelpCommand(newHelpCmd())
	pf := root.PersistentFlags()
	pf.StringVar(&f.global.profile, "profile", "", "profile in the config file (env EIPCTL_PROFILE; default \"default\")")
	pf.StringVar(&f.global.configFile, "config", "", "config file (env EIPCTL_CONFIG; default $XDG_CONFIG_HOME/eipctl/config.yaml)")
	pf.StringP("output", "o", "", "output format: table, json, jsonl (associate/disassociate: a line per EIP as it settles) or yaml (default table on a terminal, json otherwise)")
	pf.String("endpoint", "", "API endpoint URL for the provider, e.g. the emulator's http://127.0.0.1:8780 (plain http only for loopback)")
	pf.String("ca-file", "", "PEM `file` of a CA to trust for https endpoints besides the system's, e.g. the one sim serve --tls prints")
	pf.String("state-dir", "", "where eipctl keeps its lock and the emulator's state (default $XDG_STATE_HOME/eipctl)")
	pf.BoolVar(&f.global.sim, "sim", false, "run against the embedded emulator (no credentials needed)")
	pf.BoolVar(&f.global.debug, "debug", false, "log each API request (URL with signatures redacted, status, time) on stderr")
	pf.BoolVarP(&f.global.quiet, "quiet", "q", false, "print no progress on stderr")
	addLogFlags(pf, f)
	root.AddCommand(newEIPCmd(f), newSimCmd(f), newVersionCmd(f), newConfigCmd(f))
	addCompletion(root, f)
	addViewFlags(root)
	strictGroups(root)
	return root
}
