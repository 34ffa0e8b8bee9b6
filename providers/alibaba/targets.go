package alibaba

import "github.com/eipctl/eipctl/pkg/eip"

// instanceTypes maps unified target types to AssociateEipAddress InstanceType.
var instanceTypes = map[eip.TargetType]string{
	eip.Instance: "EcsInstance",
	eip.ENI:      "NetworkInterface",
	eip.NAT:      "Nat",
	eip.LB:       "SlbInstance",
	eip.HaVip:    "HaVip",
}

// targetTypes is instanceTypes the other way round, for reading status.
var targetTypes = inverse(instanceTypes)

// modes maps unified modes to Alibaba's Mode words.
var modes = map[eip.Mode]string{
	eip.ModeNAT:         "NAT",
	eip.ModeMultiBinded: "MULTI_BINDED",
	eip.ModePassthrough: "BINDED",
}

// modeOf is modes the other way round, for reading status.
var modeOf = inverse(modes)

// inverse maps each value of a one-to-one table back to its key.
func inverse[K, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

// Validate has nothing to add for Alibaba: every rule it has is in capabilities.
func (p *Provider) Validate(b eip.Binding) error { return nil }
