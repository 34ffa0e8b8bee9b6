package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
)

// listedEIP is one row of `eip list`; its JSON names are a public contract.
type listedEIP struct {
	Provider     string `json:"provider" yaml:"provider"`
	Region       string `json:"region" yaml:"region"`
	EIPID        string `json:"eipId" yaml:"eipId"`
	IP           string `json:"ip" yaml:"ip"`
	Status       string `json:"status" yaml:"status"`
	NativeStatus string `json:"nativeStatus" yaml:"nativeStatus"`
	TargetID     string `json:"targetId" yaml:"targetId"`
	TargetType   string `json:"targetType" yaml:"targetType"`
}

func listed(s scope, a eip.Address) listedEIP {
	return listedEIP{s.provider, s.region, a.ID, a.IP, string(a.State), a.NativeStatus, a.TargetID, string(a.TargetType)}
}

// listOptions are the flag values of `eip list`.
type listOptions struct {
	status, target string
}

// keep tells whether a listed EIP passes the --status and --target filters.
func (o *listOptions) keep(a eip.Address) bool {
	return (o.status == "" || string(a.State) == o.status) && (o.target == "" || a.HeldBy(o.target))
}

var listStates = []eip.State{eip.StateAvailable, eip.StateAssociating, eip.StateAssociated, eip.StateDisassociating, eip.StateOther}

func (o *listOptions) check() error {
	if o.status == "" {
		return nil
	}
	for _, s := range listStates {
		if string(s) == o.status {
			return nil
		}
	}
	return eip.Usagef("--status %q is not a status: use one of %s", o.status, joinStates(listStates))
}

func joinStates(ss []eip.State) string {
	w := make([]string, len(ss))
	for i, s := range ss {
		w[i] = string(s)
	}
	return strings.Join(w, ", ")
}

func newEIPListCmd(f *Factory) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{
		Use:   "list [--provider P] [--region R] [--status S] [--target T] [flags]",
		Short: "List EIPs with their binding status, in one region or in all of them",
		Long: `List EIPs (all pages) with their unified status (available, associating, associated,
disassociating, other), the cloud's own status word, and what holds them.

--provider and --region narrow where to look. Without --provider, every configured
provider is listed: each one whose credentials are found (all three with --sim).
Without --region, every region of each provider is listed: the emulator's with --sim,
otherwise the cloud's own region list. A provider, region or profile set in the
environment or the profile counts as given.

--status and --target filter the rows: --target matches what holds the EIP (on
Tencent, the ENI as well as its instance).

When some regions cannot be read, the others are still printed, each failure is
reported on stderr, and the exit status is 3.

` + exitCodesHelp,
		Example: `  # One region of the embedded emulator
  eipctl eip list --sim --provider alibaba --region cn-hangzhou

  # Every configured cloud and region, only the EIPs that are free
  eipctl eip list --status available -o json

  # What one NAT gateway holds
  eipctl eip list --provider tencent --region ap-guangzhou --target nat-0abc1234`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.check(); err != nil {
				return err
			}
			_, scopes, err := f.readSetup(cmd)
			if err != nil {
				return err
			}
			found := make([][]listedEIP, len(scopes))
			errs := eachScope(scopes, func(i int, s scope) error {
				as, err := s.p.List(cmd.Context(), s.region)
				for _, a := range as {
					if o.keep(a) {
						found[i] = append(found[i], listed(s, a))
					}
				}
				return err
			})
			if len(errs) == len(scopes) {
				return readFailure("list", errs)
			}
			rows := []listedEIP{}
			for _, r := range found {
				rows = append(rows, r...)
			}
			err = f.print(map[string]any{"eips": rows}, func() output.Rows {
				t := output.Rows{Header: []string{"PROVIDER", "REGION", "EIP", "IP", "STATUS", "NATIVE", "TARGET", "TYPE"}}
				for _, r := range rows {
					t.Rows = append(t.Rows, []string{r.Provider, r.Region, r.EIPID, r.IP, r.Status, r.NativeStatus, r.TargetID, r.TargetType})
				}
				return t
			})
			if err != nil {
				return err
			}
			return partialReads("list", errs, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.status, "status", "", "only EIPs in this status: "+joinStates(listStates))
	fl.StringVar(&o.target, "target", "", "only EIPs held by this target ID")
	return cmd
}

// partialReads reports the scopes that could not be read after the others
// were printed: each on stderr, and exit 3.
func partialReads(verb string, errs []scopeError, f *Factory) error {
	if len(errs) == 0 {
		return nil
	}
	for _, e := range errs {
		f.complain(fmt.Sprintf("%s: %v", verb, e))
	}
	return &exitError{code: ExitPartial}
}
