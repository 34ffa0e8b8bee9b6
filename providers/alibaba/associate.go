package alibaba

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/eip"
)

// PrepareAssociate sends one EIP with AssociateEipAddress, and several (to a
// NAT gateway or secondary ENI, at most 50) with AssociateEipAddressBatch.
func (p *Provider) PrepareAssociate(r eip.AssociateRequest) (eip.Call, error) {
	if err := checkToken(r.ClientToken); err != nil {
		return eip.Call{}, err
	}
	if len(r.EIPs) == 1 {
		req := vpc.CreateAssociateEipAddressRequest()
		req.RegionId = r.Region
		req.AllocationId = r.EIPs[0].ID
		req.InstanceId = r.Target
		req.InstanceType = instanceTypes[r.TargetType]
		req.PrivateIpAddress = r.PrivateIP
		req.InstanceRegionId = r.InstanceRegion
		req.ClientToken = r.ClientToken
		if r.Mode != eip.ModeNAT {
			req.Mode = modes[r.Mode]
		}
		return p.call(r.Region, req, func(c *vpc.Client) error {
			_, err := c.AssociateEipAddress(req)
			return err
		})
	}
	// The batch call knows one mode, multi-EIP, and no private IP: refuse
	// what it cannot carry rather than drop it silently.
	if r.PrivateIP != "" || (r.Mode != eip.ModeNAT && r.Mode != eip.ModeMultiBinded) {
		return eip.Call{}, eip.Usagef("alibaba binds several EIPs to one %s only with AssociateEipAddressBatch, which takes no --private-ip and no --mode %s: bind them one run per EIP, or drop those flags", r.TargetType, r.Mode)
	}
	// An ENI holds several EIPs only in multi-EIP mode; in NAT mode (the
	// default, what saying nothing asks for) one per private IP, and the
	// batch call names none. Send the mode asked for or nothing.
	if r.TargetType == eip.ENI && r.Mode != eip.ModeMultiBinded {
		return eip.Call{}, eip.Usagef("alibaba binds several EIPs to one ENI (%s) only in multi-EIP mode, and --mode is %s: pass --mode multi-binded, or give each EIP its own --private-ip (one run or plan item per EIP)", r.Target, r.Mode)
	}
	req := vpc.CreateAssociateEipAddressBatchRequest()
	req.RegionId = r.Region
	ids := eip.IDs(r.EIPs)
	req.InstanceIds = &ids
	req.BindedInstanceId = r.Target
	req.BindedInstanceType = instanceTypes[r.TargetType]
	req.ClientToken = r.ClientToken
	if r.TargetType == eip.ENI {
		req.Mode = modes[r.Mode] // MULTI_BINDED: the only mode allowed here
	}
	return p.call(r.Region, req, func(c *vpc.Client) error {
		_, err := c.AssociateEipAddressBatch(req)
		return err
	})
}

// PrepareDisassociate unbinds one EIP with UnassociateEipAddress; Alibaba has
// no batch form, so the engine sends one call per EIP.
//
// Force is never sent. With Force=true Alibaba unbinds an EIP from a NAT
// gateway whose SNAT or DNAT entries use it by deleting those entries
// (UnassociateEipAddress's Force parameter; the older API page: "the system
// deletes the SNAT and DNAT entries of the EIP"), which would cut the
// gateway's other traffic off the internet, and which a move's put-back
// could not undo. Terraform sends it only on its own force argument, an
// opt-in to deleting entries; eipctl's --force means "take the EIP from its
// holder", not that. A move that meets those entries is refused with
// InvalidIpStatus.HasBeenUsedBy*, retried in case an entry is being
// deleted, and then tells the user which entries to remove.
func (p *Provider) PrepareDisassociate(r eip.DisassociateRequest) (eip.Call, error) {
	if err := checkToken(r.ClientToken); err != nil {
		return eip.Call{}, err
	}
	a := r.EIPs[0]
	req := vpc.CreateUnassociateEipAddressRequest()
	req.RegionId = r.Region
	req.AllocationId = a.ID
	req.InstanceId = a.TargetID
	req.InstanceType = instanceTypes[a.TargetType]
	req.ClientToken = r.ClientToken
	return p.call(r.Region, req, func(c *vpc.Client) error {
		_, err := c.UnassociateEipAddress(req)
		return err
	})
}

// checkToken refuses a client token Alibaba would not take: up to 64 ASCII
// characters (syntax.go's ClientTokenMax and ClientTokenASCII, from the VPC
// idempotence page), so that none is sent to be refused.
func checkToken(token string) error {
	return syntax.CheckClientToken("--client-token", token)
}

// call builds the Call for an SDK request: its parameters come from the SDK's
// own flattening, so --dry-run shows exactly what a real run sends.
func (p *Provider) call(region string, req requests.AcsRequest, send func(c *vpc.Client) error) (eip.Call, error) {
	if err := requests.InitParams(req); err != nil {
		return eip.Call{}, err
	}
	// The SDK adds RegionId when it signs; show it as it will be sent.
	params := map[string]string{"Action": req.GetActionName(), "RegionId": region}
	for k, v := range req.GetQueryParams() {
		params[k] = v
	}
	return eip.Call{
		Action: req.GetActionName(),
		Params: params,
		Run: func(ctx context.Context) (eip.CallResult, error) {
			// The SDK takes no context; at least never start a call after the
			// signal.
			return eip.CallResult{}, p.do(ctx, region, func(c *vpc.Client) error {
				if err := eip.SendAllowed(ctx); err != nil {
					return err
				}
				return send(c)
			})
		},
	}, nil
}
