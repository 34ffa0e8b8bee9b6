package tencent

import "github.com/eipctl/eipctl/pkg/eip"

// states maps every AddressStatus the SDK documents (models.go, Address) to
// the unified state. BIND_ENI is an EIP on an ENI that no instance holds; it
// is as bound as BIND. CREATING (being allocated) and OFFLINING (being
// released) are neither free nor bound: "other", so the engine neither binds
// nor unbinds such an EIP and names the status that stopped it.
var states = map[string]eip.State{
	"CREATING":  eip.StateOther,
	"UNBIND":    eip.StateAvailable,
	"BINDING":   eip.StateAssociating,
	"BIND":      eip.StateAssociated,
	"BIND_ENI":  eip.StateAssociated,
	"UNBINDING": eip.StateDisassociating,
	"OFFLINING": eip.StateOther,
}

// Validate checks the rules Tencent's association calls impose beyond the
// capabilities: an ENI binding names one of its private IPs, and only
// AssociateAddress (instance, ENI, CLB) knows PrivateIpAddress and
// InstanceRegion.
func (p *Provider) Validate(b eip.Binding) error {
	t := b.TargetType
	if inferred, ok := capabilities.Infer(b.Target); ok {
		if t == "" {
			t = inferred
		} else if t != inferred {
			return eip.Usagef("--target %s is a Tencent %s ID but --target-type is %s: drop --target-type or pass a %s ID", b.Target, inferred, t, t)
		}
	}
	switch {
	case t == eip.ENI && b.PrivateIP == "":
		return eip.Usagef("--private-ip is required for a Tencent ENI target: AssociateAddress binds the EIP to one private IP of %s, so add --private-ip <one of its private IPs>", b.Target)
	case t != eip.ENI && b.PrivateIP != "":
		return eip.Usagef("--private-ip applies only to ENI targets on Tencent: drop --private-ip, or pass the ENI (eni-...) as --target")
	case b.InstanceRegion != "" && t != eip.Instance && t != eip.LB && t != eip.ENI:
		return eip.Usagef("--instance-region is not accepted for a Tencent %s target: drop --instance-region", t)
	}
	return nil
}

// targetOf reads the unified target of a DescribeAddresses entry. The cloud
// names the instance an ENI is attached to in InstanceId, and the ENI in
// NetworkInterfaceId: the instance is the target shown, and the ENI is kept in
// Address.ENI so an EIP sent to the ENI still reads as bound to it.
func targetOf(instanceID, eniID string) (string, eip.TargetType) {
	if instanceID == "" {
		if eniID == "" {
			return "", ""
		}
		return eniID, eip.ENI
	}
	t, _ := capabilities.Infer(instanceID)
	return instanceID, t
}
