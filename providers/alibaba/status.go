package alibaba

import (
	"context"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/eip"
)

const pageSize = 100 // DescribeEipAddresses allows at most 100 per page

// states maps every Status DescribeEipAddresses documents (its Status
// parameter's values in aliyun-openapi-meta en-US/vpc/DescribeEipAddresses.json:
// Associating, Unassociating, InUse, Available, Releasing) to the unified
// state. Releasing is an EIP being deleted (ReleaseEipAddress): neither free
// nor bound, it never becomes Available again, so it is "other" on purpose,
// and the engine refuses to bind or unbind it without sending anything.
var states = map[string]eip.State{
	"Available":     eip.StateAvailable,
	"Associating":   eip.StateAssociating,
	"InUse":         eip.StateAssociated,
	"Unassociating": eip.StateDisassociating,
	"Releasing":     eip.StateOther,
}

// Describe reads up to 50 EIPs in one DescribeEipAddresses call.
func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	return p.describe(ctx, region, strings.Join(ids, ","))
}

// List reads every EIP of a region, page by page.
func (p *Provider) List(ctx context.Context, region string) ([]eip.Address, error) {
	return p.describe(ctx, region, "")
}

func (p *Provider) describe(ctx context.Context, region, ids string) ([]eip.Address, error) {
	var out []eip.Address
	seen := 0 // rows read, the nameless ones too, against TotalCount
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		req := vpc.CreateDescribeEipAddressesRequest()
		req.RegionId = region
		req.AllocationId = ids
		req.PageNumber = requests.NewInteger(page)
		req.PageSize = requests.NewInteger(pageSize)
		var resp *vpc.DescribeEipAddressesResponse
		err := p.do(ctx, region, func(c *vpc.Client) (err error) {
			resp, err = c.DescribeEipAddresses(req)
			return err
		})
		if err != nil {
			return nil, err
		}
		rows := resp.EipAddresses.EipAddress
		for _, e := range rows {
			// A row that names no EIP says nothing of any EIP asked for.
			if e.AllocationId != "" {
				out = append(out, address(region, e))
			}
		}
		if seen += len(rows); len(rows) < pageSize || seen >= resp.TotalCount {
			return out, nil
		}
	}
}

func address(region string, e vpc.EipAddress) eip.Address {
	st, ok := states[e.Status]
	if !ok {
		st = eip.StateOther
	}
	return eip.Address{
		ID: e.AllocationId, IP: e.IpAddress, Region: region,
		State: st, NativeStatus: e.Status,
		TargetID: e.InstanceId, TargetType: targetTypes[e.InstanceType], PrivateIP: e.PrivateIpAddress,
		Mode: modeOf[e.Mode], NativeMode: e.Mode,
	}
}
