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
var targetTypes = func() map[string]eip.TargetType {
	m := map[string]eip.TargetType{}
	for t, w := range instanceTypes {
		m[w] = t
	}
	return m
}()

// modes maps unified modes to Alibaba's Mode words.
var modes = map[eip.Mode]string{
	eip.ModeNAT:         "NAT",
	eip.ModeMultiBinded: "MULTI_BINDED",
	eip.ModePassthrough: "BINDED",
}

// modeOf is modes the other way round, for reading status.
var modeOf = func() map[string]eip.Mode {
	m := map[string]eip.Mode{}
	for u, w := range modes {
		m[w] = u
	}
	return m
}()

// Validate has nothing to add for Alibaba: every rule it has is in capabilities.
func (p *Provider) Validate(b eip.Binding) error { return nil }
