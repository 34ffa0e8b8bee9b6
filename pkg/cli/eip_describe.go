package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/output"
)

// describedEIP is one EIP's full state in `eip describe`: the row of
// `eip list` and what the binding is. Its JSON names are a public contract.
type describedEIP struct {
	listedEIP `yaml:",inline"`
	// ENI is the network interface holding the EIP when the cloud names it
	// beside an instance (Tencent), else "".
	ENI        string `json:"eni" yaml:"eni"`
	PrivateIP  string `json:"privateIp" yaml:"privateIp"`
	Mode       string `json:"mode" yaml:"mode"`
	NativeMode string `json:"nativeMode" yaml:"nativeMode"`
}

func described(l located) describedEIP {
	a := l.addr
	d := describedEIP{listedEIP: listed(l.scope, a), ENI: a.ENI, PrivateIP: a.PrivateIP}
	// A cloud may keep a mode word on a free EIP; it says nothing then.
	if a.TargetID != "" {
		d.Mode, d.NativeMode = string(a.Mode), a.NativeMode
	}
	return d
}

func newEIPDescribeCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "describe ID|IP... [--provider P] [--region R] [flags]",
		Short: "Show EIPs' full state: status, target, private IP, mode, region",
		Long: `Show the full state of one or more EIPs, each named by its ID or its public IP
address: unified and native status, what holds it (and, on Tencent, the ENI), the
private IP it maps to, and the binding mode (unified word and the cloud's own).

Without --provider or --region, each EIP is looked for in every configured provider and
region, as "eip list" does. A name that matches EIPs in more than one place is refused
(exit 2): pass --provider and --region to choose. A name that matches none is reported
on stderr; the others are still shown (exit 3, or 1 when none was found).

` + exitCodesHelp,
		Example: `  # By ID, on the embedded emulator
  eipctl eip describe --sim --provider alibaba --region cn-hangzhou eip-hz0024

  # By public IP, looked for in every configured provider and region
  eipctl eip describe 47.96.0.25 -o yaml

  # Several at once, for a script
  eipctl eip describe --provider tencent --region ap-guangzhou eip-gz000001 eip-gz000002 -o json`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: f.completeEIPs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, scopes, err := f.readSetup(cmd)
			if err != nil {
				return err
			}
			hits, missing, errs, err := resolveEIPs(cmd.Context(), scopes, args)
			if err != nil {
				return err
			}
			if len(hits) == 0 && len(errs) == len(scopes) {
				return readFailure("describe", errs)
			}
			rows := []describedEIP{}
			for _, h := range hits {
				rows = append(rows, described(h))
			}
			if len(hits) > 0 {
				err = f.print(map[string]any{"eips": rows}, func() output.Rows {
					t := output.Rows{Header: []string{"PROVIDER", "REGION", "EIP", "IP", "STATUS", "NATIVE", "TARGET", "TYPE", "PRIVATE IP", "MODE"}}
					for _, r := range rows {
						t.Rows = append(t.Rows, []string{r.Provider, r.Region, r.EIPID, r.IP, r.Status, r.NativeStatus,
							r.TargetID, r.TargetType, r.PrivateIP, r.Mode})
					}
					return t
				})
				if err != nil {
					return err
				}
			}
			return lookupOutcome("describe", f, scopes, hits, missing, errs)
		},
	}
}

// lookupOutcome reports what could not be found or read, and gives the exit
// status: 0 when every name was found, 3 when some were, 1 when none was.
func lookupOutcome(verb string, f *Factory, scopes []scope, hits []located, missing []string, errs []scopeError) error {
	if len(missing) == 0 {
		// Every name was found; a region that could not be read changes nothing.
		for _, e := range errs {
			f.logger().Warn("could not read a region", "verb", verb, "provider", e.provider, "region", e.region, "error", e.err.Error())
		}
		return nil
	}
	for _, line := range failureLines(verb, errs) {
		f.complain(line)
	}
	for _, m := range missing {
		f.complain(fmt.Sprintf("%s: %s", verb, notFound(m, scopes)))
	}
	if len(hits) > 0 {
		return &exitError{code: ExitPartial}
	}
	return &exitError{code: ExitFailure}
}
