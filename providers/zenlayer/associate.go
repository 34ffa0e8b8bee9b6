package zenlayer

import (
	"context"
	"fmt"
	"strings"

	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/eip"
)

// associateParams is the AssociateEipAddress body exactly as the SDK sends it
// (same keys, same order), kept as plain data for --dry-run. Unused target
// fields are left out rather than sent as "".
type associateParams struct {
	LoadBalancerID string   `json:"loadBalancerId,omitempty" yaml:"loadBalancerId,omitempty"`
	NicID          string   `json:"nicId,omitempty" yaml:"nicId,omitempty"`
	LanIP          string   `json:"lanIp,omitempty" yaml:"lanIp,omitempty"`
	NatID          string   `json:"natId,omitempty" yaml:"natId,omitempty"`
	EipIDs         []string `json:"eipIds" yaml:"eipIds"`
	HaVipID        string   `json:"haVipId,omitempty" yaml:"haVipId,omitempty"`
	BindType       string   `json:"bindType,omitempty" yaml:"bindType,omitempty"`
}

// unassociateParams is the UnassociateEipAddress body.
type unassociateParams struct {
	EipIDs []string `json:"eipIds" yaml:"eipIds"`
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// associateParamsFor fills exactly one target field. bindType is sent for a
// vNIC, where it chooses the mode, and for a HaVip, which takes FullNat only;
// ZEC documents it as having no effect on load balancers and NAT gateways.
func associateParamsFor(req eip.AssociateRequest) (associateParams, error) {
	b := eip.Binding{Target: req.Target, TargetType: req.TargetType, PrivateIP: req.PrivateIP, Mode: req.Mode, InstanceRegion: req.InstanceRegion}
	if err := validate(b); err != nil {
		return associateParams{}, err
	}
	t, _ := targetType(b)
	mode := req.Mode
	if mode == "" {
		mode = eip.ModeNAT
	}
	p := associateParams{EipIDs: eip.IDs(req.EIPs)}
	switch t {
	case eip.ENI:
		p.NicID, p.LanIP, p.BindType = req.Target, req.PrivateIP, bindTypes[mode]
	case eip.NAT:
		p.NatID = req.Target
	case eip.LB:
		p.LoadBalancerID = req.Target
	case eip.HaVip:
		p.HaVipID, p.BindType = req.Target, bindFullNat
	}
	return p, nil
}

// PrepareAssociate translates one chunk into AssociateEipAddress.
func (p *Provider) PrepareAssociate(req eip.AssociateRequest) (eip.Call, error) {
	params, err := associateParamsFor(req)
	if err != nil {
		return eip.Call{}, err
	}
	return p.mutation("AssociateEipAddress", params, codeAssociateFailed,
		"zenlayer refused to bind EIP %s (listed in failedEipIds%s): ZEC binds only UNBIND EIPs; eipctl read it again and retried; check it with `eipctl eip list` and run again",
		func(ctx context.Context) ([]string, *string, error) {
			r := zec.NewAssociateEipAddressRequest()
			r.LoadBalancerId, r.NicId, r.LanIp, r.NatId = opt(params.LoadBalancerID), opt(params.NicID), opt(params.LanIP), opt(params.NatID)
			r.EipIds, r.HaVipId, r.BindType = params.EipIDs, opt(params.HaVipID), opt(params.BindType)
			resp, err := send(ctx, p, r, p.client.AssociateEipAddress)
			if err != nil || resp.Response == nil {
				return nil, nil, err
			}
			return resp.Response.FailedEipIds, resp.Response.RequestId, nil
		}), nil
}

// PrepareDisassociate translates one chunk into UnassociateEipAddress.
func (p *Provider) PrepareDisassociate(req eip.DisassociateRequest) (eip.Call, error) {
	params := unassociateParams{EipIDs: eip.IDs(req.EIPs)}
	return p.mutation("UnassociateEipAddress", params, codeUnassociateFailed,
		"zenlayer refused to unbind EIP %s (listed in failedEipIds%s): it may be changing state or be the instance's default IP; eipctl read it again and retried; check it with `eipctl eip list` and run again",
		func(ctx context.Context) ([]string, *string, error) {
			r := zec.NewUnassociateEipAddressRequest()
			r.EipIds = params.EipIDs
			resp, err := send(ctx, p, r, p.client.UnassociateEipAddress)
			if err != nil || resp.Response == nil {
				return nil, nil, err
			}
			return resp.Response.FailedEipIds, resp.Response.RequestId, nil
		}), nil
}

// mutation is one bind or unbind call: run sends it and says which EIPs the
// answer lists in failedEipIds; those become the call's error (refused).
func (p *Provider) mutation(action string, params any, code, format string, run func(context.Context) ([]string, *string, error)) eip.Call {
	return eip.Call{
		Action: action,
		Params: params,
		Run: func(ctx context.Context) (eip.CallResult, error) {
			failed, requestID, err := run(ctx)
			if err != nil {
				return eip.CallResult{}, err
			}
			return eip.CallResult{}, refused(failed, code, deref(requestID), format)
		},
	}
}

// refused turns a non-empty failedEipIds into the call's error. ZEC gives no
// reason per EIP, so the class is conflict (see rules): the EIP's state stood
// in the way, and a resend of a call that went through lands here too. It is
// the whole call's error, not one CallResult.Failed entry per EIP (which the
// engine settles at once, whatever the class), so the engine treats it as
// any conflict: it reads the chunk, keeps the EIPs that show the change
// happened or under way, and sends the rest again after a backoff, failing
// them only when the retries run out.
func refused(failed []string, code, requestID, format string) error {
	if len(failed) == 0 {
		return nil
	}
	which := strings.Join(failed, ", ")
	if len(failed) > 5 {
		which = fmt.Sprintf("%s and %d more", strings.Join(failed[:5], ", "), len(failed)-5)
	}
	ref := ""
	if requestID != "" {
		ref = " of request " + requestID
	}
	return &eip.Error{Code: code, Message: fmt.Sprintf(format, which, ref), Class: rules[code].Class}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
