package cli

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/sim"
)

func newSimInventoryCmd(f *Factory) *cobra.Command {
	var seed int
	var reset bool
	var only inventoryFilter
	cmd := &cobra.Command{
		Use:   "inventory [flags]",
		Short: "Print what the emulator holds: regions, EIPs and targets of every cloud",
		Long: `Print the emulator's regions, EIPs (with each cloud's own status word) and targets.
With -o json the document is, exactly:
  {"providers":[{"provider","region","eips":[{"id","ip","status","targetId"}],"targets":[{"id","type","privateIps","capacity"}]}]}
"capacity" is how many EIPs the target holds at once.

--provider and --region keep one cloud or region. --status keeps the EIPs whose
status word reads as that unified status (the words eip list --status takes) and
leaves the targets out.`,
		Example: "  eipctl sim inventory\n  eipctl sim inventory --provider tencent --region ap-guangzhou --status available\n  eipctl sim inventory --reset --seed-eips 2000 -o json   # a large account for benchmarks",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := f.Format(cmd)
			if err != nil {
				return err
			}
			if err := f.simState(cmd, reset); err != nil {
				return err
			}
			cfg, _ := f.Config(cmd)
			s, err := f.openSim(cfg, sim.Options{SeedEIPs: seed})
			if err != nil {
				return err
			}
			inv, err := s.Inventory()
			if err != nil {
				return err
			}
			if err := only.check(f, inv); err != nil {
				return err
			}
			inv = only.apply(f, inv)
			return f.print(map[string]any{"providers": inv}, func() output.Rows {
				t := output.Rows{Header: []string{"PROVIDER", "REGION", "KIND", "ID", "IP / TYPE", "STATUS / PRIVATE IPS", "TARGET / CAPACITY"}}
				for _, r := range inv {
					for _, e := range r.EIPs {
						t.Rows = append(t.Rows, []string{r.Provider, r.Region, "eip", e.ID, e.IP, e.Status, e.TargetID})
					}
					for _, tg := range r.Targets {
						t.Rows = append(t.Rows, []string{r.Provider, r.Region, "target", tg.ID, tg.Type, strings.Join(tg.PrivateIPs, " "), strconv.Itoa(tg.Capacity)})
					}
				}
				return t
			})
		},
	}
	cmd.Flags().IntVar(&seed, "seed-eips", 0, "EIPs per region when the state is first created, with enough targets of every type to hold them (default 24; use with --reset)")
	cmd.Flags().BoolVar(&reset, "reset", false, "discard the emulator's saved state and seed afresh")
	cmd.Flags().StringVar(&only.provider, "provider", "", f.providerFlagHelp("only this cloud: "))
	cmd.Flags().StringVar(&only.region, "region", "", "only this region of the emulator")
	cmd.Flags().StringVar(&only.status, "status", "", "only EIPs in this status: "+joinStates(listStates))
	return cmd
}
