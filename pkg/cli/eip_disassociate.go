package cli

import (
	"fmt"
	"strings"

	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/plan"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
)

func newEIPDisassociateCmd(f *Factory) *cobra.Command {
	r := &runFlags{}
	cmd := &cobra.Command{
		Use:   "disassociate (--eip ID... | -f PLAN) [flags]",
		Short: "Unbind EIPs from whatever holds them and wait until they are available",
		Long: `Unbind one or more EIPs from whatever holds them, and wait until the cloud reports each
one available. An EIP that is already available is reported "unchanged" and nothing is sent.

` + exitCodesHelp,
		Example: `  eipctl eip disassociate --sim --provider alibaba --region cn-hangzhou --eip eip-hz0001`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			items, err := unbindings(f, cmd, r)
			if err != nil {
				return err
			}
			return f.execute(cmd, r, runSpec{verb: "disassociate", total: len(items), unbind: true,
				check: func(eng *engine.Engine) error { return eng.CheckDisassociate(items) },
				do:    func(eng *engine.Engine) (*eip.Report, error) { return eng.Disassociate(cmd.Context(), items) },
				summarize: func(rep *eip.Report) (any, string) {
					s := rep.DisassociateSummary()
					return s, fmt.Sprintf("%s: %d disassociated, %d unchanged, %d planned, %d pending, %d failed, %d timed out",
						countEIPs(s.Total), s.Disassociated, s.Unchanged, s.Planned, s.Pending, s.Failed, s.TimedOut)
				}})
		},
	}
	r.add(cmd)
	return cmd
}

// unbindings reads --eip or a plan file (whose target columns are ignored:
// an EIP is released from whatever holds it).
func unbindings(f *Factory, cmd *cobra.Command, r *runFlags) ([]eip.Unbinding, error) {
	cfg, err := f.Config(cmd)
	if err != nil {
		return nil, err
	}
	provider, region := cfg.String("provider"), cfg.String("region")
	var out []eip.Unbinding
	switch {
	case r.file != "" && len(r.eips) > 0:
		return nil, eip.Usagef("--eip and -f both given: list the EIPs in the plan file, or drop -f")
	case r.file != "":
		if r.clientToken != "" {
			return nil, eip.Usagef("--client-token cannot apply to a whole plan: set clientToken per binding in %s", r.file)
		}
		bs, err := readPlan(f, r.file, plan.PlanItem{Provider: provider, Region: region})
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			out = append(out, eip.Unbinding{Provider: b.Provider, Region: b.Region, EIP: b.EIP, ClientToken: b.ClientToken, Line: b.Line})
		}
	case len(r.eips) == 0:
		return nil, eip.Usagef("--eip is required: pass an EIP ID or address (repeatable), or -f plan.yaml")
	default:
		for _, id := range eipValues(r.eips) {
			out = append(out, eip.Unbinding{Provider: strings.TrimSpace(provider), Region: strings.TrimSpace(region), EIP: id, ClientToken: strings.TrimSpace(r.clientToken)})
		}
	}
	return out, nil
}
