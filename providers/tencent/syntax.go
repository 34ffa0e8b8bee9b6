package tencent

import "github.com/eipctl/eipctl/pkg/eip"

// syntax is what Tencent IDs look like: a kind prefix and eight lower-case
// letters and digits (eip-m44ku5d6, ins-2zebb08p, lb-0vbm5oa2 in the API
// reference); the rule accepts longer ones up to the common bound, since the
// length is not documented as fixed. --private-ip and --instance-region are
// checked by Validate, which knows the call each target type goes through.
var syntax = eip.Syntax{
	Regions: regions,
	EIP:     eip.IDRule{Prefix: "eip-", Lower: true},
	Targets: map[eip.TargetType]eip.IDRule{
		eip.Instance: {Prefix: "ins-", Lower: true},
		eip.ENI:      {Prefix: "eni-", Lower: true},
		eip.NAT:      {Prefix: "nat-", Lower: true},
		eip.LB:       {Prefix: "lb-", Lower: true},
		eip.HaVip:    {Prefix: "havip-", Lower: true},
	},
}
