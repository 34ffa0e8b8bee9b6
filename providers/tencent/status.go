package tencent

import (
	"context"
	"net"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
)

// pageSize is DescribeAddresses' largest Limit.
const pageSize = 100

// eipKinds are the address-type values of every kind of EIP: a listing
// without this filter shows plain EIPs only under the address-type default
// the SDK documents ("默认值是'EIP'", vpc v1.0.1100 models.go), so Anycast,
// high-quality and Anti-DDoS EIPs would never be listed or found by IP.
// WanIP, an instance's ordinary public IP, is not an EIP and stays out
// (the default the newest API page documents). A read by AddressIds is not
// filtered: Terraform reads every kind of EIP that way.
var eipKinds = []string{"EIP", "AnycastEIP", "HighQualityEIP", "AntiDDoSEIP", "ResidentialEIP"}

func kindFilter() *vpc.Filter {
	return &vpc.Filter{Name: common.StringPtr("address-type"), Values: common.StringPtrs(eipKinds)}
}

// Describe reads up to 100 EIPs with one DescribeAddresses call. IDs that
// cannot be EIP IDs are left out (they do not exist) instead of failing the
// whole call; addresses given as IPs are read with the address-ip filter,
// since AddressIds and filters cannot share a call.
func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	var byID, byIP []string
	for _, id := range ids {
		switch {
		case net.ParseIP(id) != nil:
			byIP = append(byIP, id)
		case syntax.CheckEIP("--eip", id) == nil:
			byID = append(byID, id)
		}
	}
	var out []eip.Address
	if len(byID) > 0 {
		req := vpc.NewDescribeAddressesRequest()
		req.AddressIds = common.StringPtrs(byID)
		as, _, err := p.describe(ctx, region, req)
		if err != nil {
			return nil, err
		}
		out = append(out, as...)
	}
	if len(byIP) > 0 {
		req := vpc.NewDescribeAddressesRequest()
		req.Filters = []*vpc.Filter{{Name: common.StringPtr("address-ip"), Values: common.StringPtrs(byIP)}, kindFilter()}
		as, _, err := p.describe(ctx, region, req)
		if err != nil {
			return nil, err
		}
		out = append(out, as...)
	}
	return out, nil
}

// List reads every EIP in the region, of every kind, 100 per page.
func (p *Provider) List(ctx context.Context, region string) ([]eip.Address, error) {
	var out []eip.Address
	for offset := int64(0); ; offset += pageSize {
		req := vpc.NewDescribeAddressesRequest()
		req.Offset = common.Int64Ptr(offset)
		req.Filters = []*vpc.Filter{kindFilter()}
		as, total, err := p.describe(ctx, region, req)
		if err != nil {
			return nil, err
		}
		out = append(out, as...)
		if len(as) < pageSize || offset+pageSize >= total {
			return out, nil
		}
	}
}

func (p *Provider) describe(ctx context.Context, region string, req *vpc.DescribeAddressesRequest) ([]eip.Address, int64, error) {
	req.Limit = common.Int64Ptr(pageSize)
	var resp *vpc.DescribeAddressesResponse
	err := p.do(ctx, region, func(ctx context.Context, c *vpc.Client) (err error) {
		resp, err = c.DescribeAddressesWithContext(ctx, req)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if resp.Response == nil {
		return nil, 0, errNoResponse("DescribeAddresses")
	}
	out := make([]eip.Address, 0, len(resp.Response.AddressSet))
	for _, a := range resp.Response.AddressSet {
		if a != nil && a.AddressId != nil {
			out = append(out, p.toAddress(region, a))
		}
	}
	return out, deref(resp.Response.TotalCount), nil
}

func (p *Provider) toAddress(region string, a *vpc.Address) eip.Address {
	status := deref(a.AddressStatus)
	out := eip.Address{
		ID:           *a.AddressId,
		IP:           deref(a.AddressIp),
		Region:       region,
		NativeStatus: status,
		State:        eip.StateOther,
	}
	if s, ok := states[status]; ok {
		out.State = s
	}
	if out.State != eip.StateAvailable {
		out.TargetID, out.TargetType = targetOf(deref(a.InstanceId), deref(a.NetworkInterfaceId))
		out.ENI = deref(a.NetworkInterfaceId)
		out.PrivateIP = deref(a.PrivateAddressIp)
		// Tencent has no mode word; a direct-connection EIP is passthrough.
		out.Mode, out.NativeMode = eip.ModeNAT, ""
		if deref(a.IsEipDirectConnection) {
			out.Mode, out.NativeMode = eip.ModePassthrough, "EipDirectConnection"
		}
	}
	return out
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}
