package zenlayer

import (
	"context"

	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/eip"
)

// maxPageSize is DescribeEips' documented largest page.
const maxPageSize = 1000

// describe is the Provider's eip.ReadFunc (its Describe and List): it pages
// through DescribeEips (pageNum is 1-based) until it holds totalCount EIPs or
// a page comes back short. IDs that do not exist (or live in another region)
// are simply absent.
func (p *Provider) describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	var out []eip.Address
	seen := 0 // rows read, the nameless ones too, against TotalCount
	size := p.pageSize
	for page := 1; ; page++ {
		r := zec.NewDescribeEipsRequest()
		r.EipIds, r.RegionId = ids, &region
		r.PageSize, r.PageNum = &size, &page
		resp, err := send(ctx, p, r, p.client.DescribeEips)
		if err != nil {
			return nil, err
		}
		if resp.Response == nil {
			return out, nil
		}
		for _, e := range resp.Response.DataSet {
			// A row that names no EIP says nothing of any EIP asked for.
			if e != nil && deref(e.EipId) != "" {
				out = append(out, address(e))
			}
		}
		seen += len(resp.Response.DataSet)
		total := seen
		if resp.Response.TotalCount != nil {
			total = *resp.Response.TotalCount
		}
		if len(resp.Response.DataSet) < size || seen >= total {
			return out, nil
		}
	}
}

// address maps one EipInfo to the unified Address.
func address(e *zec.EipInfo) eip.Address {
	status := deref(e.Status)
	state, ok := states[status]
	if !ok {
		state = eip.StateOther
	}
	a := eip.Address{
		ID:           deref(e.EipId),
		Region:       deref(e.RegionId),
		State:        state,
		NativeStatus: status,
		TargetID:     deref(e.AssociatedId),
		TargetType:   associatedTypes[deref(e.AssociatedType)],
		PrivateIP:    deref(e.PrivateIpAddress),
		NativeMode:   deref(e.BindType),
	}
	// FullNat is what both nat and fullnat send; it reads back as nat, the default.
	switch a.NativeMode {
	case bindFullNat:
		a.Mode = eip.ModeNAT
	case bindPassthrough:
		a.Mode = eip.ModePassthrough
	}
	if len(e.PublicIpAddresses) > 0 {
		a.IP = e.PublicIpAddresses[0]
	}
	return a
}

// states gives every ZEC EIP status word its unified state, on purpose
// (testdata/statuses.txt lists the record's words; status_test.go holds the
// two together):
//   - UNBIND is free, ASSIGNING a bind under way, BINDED bound.
//   - ZEC documents no word for an unbind under way: the EIP reads BINDED
//     on its target until it reads UNBIND (Capabilities.UnbindShowsNoProgress).
//     UNBINDING is the word of eipctl's readable emulator account only.
//   - CREATING, CREATE_FAILED, DELETING, RECYCLING and RECYCLED are an EIP's
//     life, not its binding: "other", which eipctl neither binds nor unbinds
//     (it says the EIP cannot be bound or unbound now), as ZEC binds only
//     UNBIND EIPs. An unknown word is "other" too.
var states = map[string]eip.State{
	"UNBIND":        eip.StateAvailable,
	"ASSIGNING":     eip.StateAssociating,
	"BINDED":        eip.StateAssociated,
	"UNBINDING":     eip.StateDisassociating, // eipctl's emulator (readable account) only
	"CREATING":      eip.StateOther,
	"CREATE_FAILED": eip.StateOther,
	"DELETING":      eip.StateOther,
	"RECYCLING":     eip.StateOther,
	"RECYCLED":      eip.StateOther,
}
