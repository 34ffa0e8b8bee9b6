package alibaba

import "github.com/eipctl/eipctl/pkg/eip"

// syntax is what Alibaba IDs look like: a kind prefix and lower-case letters
// and digits (eip-2zeerraiwb7ujsxdc, i-2zebb08phyczzawe, ngw-bp1uewa15k4iy5770
// in the API reference and the protocol notes). Only an ENI takes
// PrivateIpAddress (an address of the ENI's vSwitch); an ECS instance binds
// its primary private IP and says nothing else.
var syntax = eip.Syntax{
	Regions: regions,
	EIP:     eip.IDRule{Prefix: "eip-", Lower: true},
	Targets: map[eip.TargetType]eip.IDRule{
		eip.Instance: {Prefix: "i-", Lower: true},
		eip.ENI:      {Prefix: "eni-", Lower: true},
		eip.NAT:      {Prefix: "ngw-", Lower: true},
		eip.LB:       {Prefix: "lb-", Lower: true},
		eip.HaVip:    {Prefix: "havip-", Lower: true},
	},
	PrivateIP: []eip.TargetType{eip.ENI},
	// A VPC may use a custom block besides RFC 1918's, but not 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8, 169.254.0.0/16 (https://help.aliyun.com/en/vpc/vpc-and-vswitch).
	PublicRangeVPC: true,
	// "A ClientToken is a unique, case-sensitive string of up to 64 ASCII
	// characters" (the VPC idempotence page,
	// https://www.alibabacloud.com/help/doc-detail/36569.htm); each action's
	// page: "The token can contain only ASCII characters."
	ClientTokenMax:   64,
	ClientTokenASCII: true,
}
