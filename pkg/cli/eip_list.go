package cli

import (
	"cmp"
	"fmt"
	"slices"
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

// listRow is one row of `eip list`: the fields every row has, and the
// binding's private IP and mode where the cloud shows them and a plan takes
// them, so a snapshot (eip list -o yaml) restores those too.
type listRow struct {
	listedEIP `yaml:",inline"`
	PrivateIP string `json:"privateIp,omitempty" yaml:"privateIp,omitempty"`
	Mode      string `json:"mode,omitempty" yaml:"mode,omitempty"`
}

func listedRow(s scope, a eip.Address) listRow {
	r := listRow{listedEIP: listed(s, a)}
	if a.TargetID == "" {
		return r
	}
	// Each only when the cloud would take it back in a plan (a Tencent
	// instance shows its private IP, but a bind names it only on an ENI).
	b := eip.Binding{Provider: s.provider, Region: s.region, EIP: a.ID, Target: a.TargetID, TargetType: a.TargetType}
	takes := func(set func(*eip.Binding)) bool {
		c := b
		set(&c)
		if syn := s.p.Capabilities().Syntax; syn != nil && syn.CheckBinding(c, true) != nil {
			return false
		}
		return s.p.Validate(c) == nil
	}
	if a.PrivateIP != "" && takes(func(c *eip.Binding) { c.PrivateIP = a.PrivateIP }) {
		r.PrivateIP = a.PrivateIP
	}
	if a.Mode != "" && slices.Contains(s.p.Capabilities().ModesFor(a.TargetType), a.Mode) &&
		takes(func(c *eip.Binding) { c.Mode = a.Mode }) {
		r.Mode = string(a.Mode)
	}
	return r
}

// regionError is a region `eip list` could not read, in the document's
// "errors" list; its JSON names are a public contract.
type regionError struct {
	Provider string     `json:"provider" yaml:"provider"`
	Region   string     `json:"region" yaml:"region"`
	Error    *eip.Error `json:"error" yaml:"error"`
}

func regionErrors(errs []scopeError) []regionError {
	out := []regionError{}
	for _, e := range errs {
		out = append(out, regionError{e.provider, e.region, e.err})
	}
	return out
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

// check refuses a --status that is no status, naming the nearest one.
func (o *listOptions) check() error {
	if o.status == "" {
		return nil
	}
	return notOneOf("--status", o.status, stringsOf(listStates))
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

When some regions cannot be read, the others are still printed, the failures are
listed under "errors" in the JSON document and summed up on stderr (a line per
provider and error code), and the exit status is 3.

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
			found := make([][]listRow, len(scopes))
			errs := eachScope(scopes, func(i int, s scope) error {
				as, err := s.p.List(cmd.Context(), s.region)
				for _, a := range as {
					if o.keep(a) {
						found[i] = append(found[i], listedRow(s, a))
					}
				}
				return err
			})
			if len(errs) == len(scopes) {
				return readFailure("list", errs)
			}
			rows := []listRow{}
			for _, r := range found {
				rows = append(rows, r...)
			}
			err = f.print(map[string]any{"eips": rows, "errors": regionErrors(errs)}, func() output.Rows {
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
// were printed, summed up on stderr, and exit 3.
func partialReads(verb string, errs []scopeError, f *Factory) error {
	if len(errs) == 0 {
		return nil
	}
	for _, line := range failureLines(verb, errs) {
		f.complain(line)
	}
	return &exitError{code: ExitPartial}
}

// failureLines sums up failed reads: one line per provider and error code,
// so reading every documented region of an endpoint that knows only a few
// (`sim serve`) says so in one line per cloud, not one per region.
func failureLines(verb string, errs []scopeError) []string {
	type group struct {
		first   scopeError
		regions []string
	}
	var order []string
	groups := map[string]*group{}
	for _, e := range errs {
		k := e.provider + "\x00" + e.err.Code
		if groups[k] == nil {
			groups[k] = &group{first: e}
			order = append(order, k)
		}
		groups[k].regions = append(groups[k].regions, e.region)
	}
	lines := make([]string, 0, len(order))
	for _, k := range order {
		g := groups[k]
		if len(g.regions) == 1 {
			lines = append(lines, fmt.Sprintf("%s: %v", verb, g.first))
			continue
		}
		line := fmt.Sprintf("%s: %s: %d regions failed with %s: %s (%s: %s)", verb, g.first.provider, len(g.regions),
			cmp.Or(g.first.err.Code, string(g.first.err.Class)), strings.Join(g.regions, ", "), g.first.region, g.first.err.Message)
		if g.first.err.Class == eip.ClassNotFound {
			line += fmt.Sprintf("; pass --region, or list the regions to read as regions.%s in the profile", g.first.provider)
		}
		lines = append(lines, line)
	}
	return lines
}
