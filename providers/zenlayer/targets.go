package zenlayer

import "github.com/eipctl/eipctl/pkg/eip"

// associatedTypes maps DescribeEips associatedType to the unified type.
var associatedTypes = map[string]eip.TargetType{
	"NIC":   eip.ENI,
	"NAT":   eip.NAT,
	"LB":    eip.LB,
	"HAVIP": eip.HaVip,
}

// ZEC bindType words. FullNat is ZEC's NAT mode (its default); Passthrough
// hands the public IP to the vNIC itself.
const (
	bindFullNat     = "FullNat"
	bindPassthrough = "Passthrough"
)

// bindTypes maps unified modes to ZEC bindType.
var bindTypes = map[eip.Mode]string{
	eip.ModeNAT:         bindFullNat,
	eip.ModeFullNAT:     bindFullNat,
	eip.ModePassthrough: bindPassthrough,
}

// targetType returns the binding's target type, inferring it from the ID.
func targetType(b eip.Binding) (eip.TargetType, error) {
	if b.TargetType != "" {
		return b.TargetType, nil
	}
	if t, ok := capabilities.Infer(b.Target); ok {
		return t, nil
	}
	return "", eip.Usagef("--target-type is required for zenlayer target %q: ZEC IDs do not tell a vNIC from a NAT gateway, load balancer or HaVip; add --target-type eni, nat, lb or havip", b.Target)
}

// Validate checks the rules ZEC adds to the capabilities, before anything is
// sent. --client-token is accepted and ignored: ZEC has no idempotency
// token, and a rerun is safe because bound EIPs are left unchanged.
func (p *Provider) Validate(b eip.Binding) error { return validate(b) }

func validate(b eip.Binding) error {
	t, err := targetType(b)
	if err != nil {
		return err
	}
	mode := b.Mode
	if mode == "" {
		mode = eip.ModeNAT
	}
	switch {
	case t == eip.Instance:
		return eip.Usagef("zenlayer binds EIPs to a vNIC, not to an instance: pass the instance's vNIC ID with --target-type eni and its private IPv4 with --private-ip")
	case !capabilities.Supports(t):
		return eip.Usagef("--target-type %s is not supported by zenlayer: use eni, nat, lb or havip", t)
	case b.InstanceRegion != "":
		return eip.Usagef("--instance-region is an Alibaba option: zenlayer binds within the EIP's own region, so remove it")
	case t == eip.ENI && b.PrivateIP == "":
		return eip.Usagef("--private-ip is required for a zenlayer vNIC target (it is sent as lanIp): add --private-ip with one of the vNIC's private IPv4 addresses")
	case t != eip.ENI && b.PrivateIP != "":
		return eip.Usagef("--private-ip applies only to vNIC (eni) targets on zenlayer: remove it for a %s target", t)
	case t == eip.HaVip && mode == eip.ModePassthrough:
		return eip.Usagef("--mode passthrough cannot be used with a HaVip on zenlayer (a HaVip takes FullNat only): remove --mode or use --mode nat")
	case mode == eip.ModePassthrough && t != eip.ENI:
		return eip.Usagef("--mode passthrough applies only to vNIC (eni) targets on zenlayer: remove --mode or use --mode nat")
	case bindTypes[mode] == "":
		return eip.Usagef("--mode %s is not a zenlayer mode: use nat (FullNat) or, for a vNIC, passthrough", mode)
	}
	return nil
}
