package zenlayer

import "github.com/eipctl/eipctl/pkg/eip"

// syntax: real ZEC IDs are 17-19 digit numbers (the Terraform provider's
// examples: vNIC 1680855999352675875, instance 1660545330971680835, a ZVM
// instance 62343412426423623), and nothing in their shape tells a vNIC from
// a NAT gateway, a load balancer or a HaVip, or an EIP from either. So IDs
// are checked only for characters no ID holds and for length (eipctl's
// readable emulator IDs, eip-ae0001, must pass too), and a real target
// needs --target-type. --private-ip (lanIp) is checked by Validate.
var syntax = eip.Syntax{Regions: regions, PrivateIP: []eip.TargetType{eip.ENI}}

// targetPrefixes infer --target-type from the readable IDs of eipctl's
// emulator account (EIPCTL_SIM_READABLE=1): nic-, nat-, lb-, havip-. They
// never occur on the real cloud, whose numeric IDs match none of them, so
// there the engine asks for --target-type (one line, exit 2, nothing sent).
var targetPrefixes = map[string]eip.TargetType{
	"nic-":   eip.ENI,
	"nat-":   eip.NAT,
	"lb-":    eip.LB,
	"havip-": eip.HaVip,
}
