package fourth

import (
	"context"

	"github.com/eipctl/eipctl/pkg/eip"
)

// pageSize is how many addresses one DescribeAddresses page holds.
const pageSize = 50

// states maps the cloud's status words to unified states.
var states = map[string]eip.State{
	"FREE":      eip.StateAvailable,
	"BINDING":   eip.StateAssociating,
	"BOUND":     eip.StateAssociated,
	"UNBINDING": eip.StateDisassociating,
}

type wireAddress struct {
	ID         string `json:"id"`
	IP         string `json:"ip"`
	Status     string `json:"status"`
	Target     string `json:"target"`
	TargetType string `json:"targetType"`
}

type describeRequest struct {
	Region   string   `json:"region"`
	IDs      []string `json:"ids,omitempty"`
	Page     int      `json:"page"`
	PageSize int      `json:"pageSize"`
}

// describe is the Provider's eip.ReadFunc (its Describe and List): the given
// EIPs (absent IDs are simply missing), or with nil IDs every EIP of the
// region, all pages.
func (p *Provider) describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	var out []eip.Address
	for page := 1; ; page++ {
		var resp struct {
			Addresses []wireAddress `json:"addresses"`
			Total     int           `json:"total"`
		}
		if err := p.call(ctx, "DescribeAddresses", describeRequest{Region: region, IDs: ids, Page: page, PageSize: pageSize}, &resp); err != nil {
			return nil, err
		}
		for _, a := range resp.Addresses {
			state, ok := states[a.Status]
			if !ok {
				state = eip.StateOther
			}
			out = append(out, eip.Address{ID: a.ID, IP: a.IP, Region: region, State: state, NativeStatus: a.Status,
				TargetID: a.Target, TargetType: eip.TargetType(a.TargetType)})
		}
		if len(resp.Addresses) < pageSize || len(out) >= resp.Total {
			return out, nil
		}
	}
}

type bindRequest struct {
	Region string   `json:"region"`
	IDs    []string `json:"ids"`
	Target string   `json:"target,omitempty"`
}

// PrepareAssociate binds one chunk in one BindAddresses call.
func (p *Provider) PrepareAssociate(req eip.AssociateRequest) (eip.Call, error) {
	return p.prepare("BindAddresses", bindRequest{Region: req.Region, IDs: eip.IDs(req.EIPs), Target: req.Target}), nil
}

// PrepareDisassociate unbinds one chunk in one UnbindAddresses call.
func (p *Provider) PrepareDisassociate(req eip.DisassociateRequest) (eip.Call, error) {
	return p.prepare("UnbindAddresses", bindRequest{Region: req.Region, IDs: eip.IDs(req.EIPs)}), nil
}

func (p *Provider) prepare(action string, in bindRequest) eip.Call {
	return eip.Call{Action: action, Params: in, Run: func(ctx context.Context) (eip.CallResult, error) {
		return eip.CallResult{}, p.call(ctx, action, in, nil)
	}}
}
