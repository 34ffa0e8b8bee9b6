package cli

import (
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

func newEIPListCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "list --provider P --region R [flags]",
		Short:   "List the EIPs of a region with their binding status",
		Long:    "List every EIP of a region (all pages) with its unified status (available, associating,\nassociated, disassociating, other), the cloud's own status word, and what holds it.\n\n" + exitCodesHelp,
		Example: "  eipctl eip list --sim --provider alibaba --region cn-hangzhou\n  eipctl eip list --provider tencent --region ap-guangzhou -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.Config(cmd)
			if err != nil {
				return err
			}
			provider, region := strings.TrimSpace(cfg.String("provider")), strings.TrimSpace(cfg.String("region"))
			switch {
			case provider == "":
				return eip.Usagef("--provider is required: pass alibaba, tencent or zenlayer")
			case region == "":
				return eip.Usagef("--region is required: pass the region to list")
			}
			format, err := f.Format(cmd)
			if err != nil {
				return err
			}
			p, err := f.Provider(cmd, provider)
			if err != nil {
				return err
			}
			if err := checkRegionFlag(f, cmd, p, region); err != nil {
				return err
			}
			as, err := p.List(cmd.Context(), region)
			if err != nil {
				ce := p.Classify(err)
				if ce.Class == eip.ClassAuth {
					return &authError{"list: " + ce.Error()}
				}
				return &exitError{code: ExitFailure, msg: "list: " + ce.Error()}
			}
			rows := make([]listedEIP, 0, len(as))
			for _, a := range as {
				rows = append(rows, listedEIP{provider, region, a.ID, a.IP, string(a.State), a.NativeStatus, a.TargetID, string(a.TargetType)})
			}
			return output.Print(f.Streams.Out, format, map[string]any{"eips": rows}, func() output.Rows {
				t := output.Rows{Header: []string{"EIP", "IP", "STATUS", "NATIVE", "TARGET", "TYPE"}}
				for _, r := range rows {
					t.Rows = append(t.Rows, []string{r.EIPID, r.IP, r.Status, r.NativeStatus, r.TargetID, r.TargetType})
				}
				return t
			})
		},
	}
}
