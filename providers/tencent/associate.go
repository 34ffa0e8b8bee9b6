package tencent

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Task handles returned in CallResult.Tasks say which read tells the outcome:
// "task:<TaskId>" -> DescribeTaskResult (AssociateAddress, DisassociateAddress),
// "vpctask:<RequestId>" -> DescribeVpcTaskResult (NAT and HAVIP calls, which
// return only a RequestId).
const (
	taskPrefix    = "task:"
	vpcTaskPrefix = "vpctask:"
)

// PrepareAssociate translates one chunk: AssociateAddress for an instance,
// CLB or ENI private IP; AssociateNatGatewayAddress (public IPs, up to 10)
// for a NAT gateway; HaVipAssociateAddressIp for a HAVIP.
func (p *Provider) PrepareAssociate(r eip.AssociateRequest) (eip.Call, error) {
	if len(r.EIPs) == 0 {
		return eip.Call{}, eip.Errorf(eip.ClassInvalid, "NoEIP", "nothing to associate")
	}
	if r.TargetType != eip.NAT && len(r.EIPs) > 1 {
		return eip.Call{}, eip.Errorf(eip.ClassInvalid, "BatchTooLarge", "a Tencent %s takes one EIP per call, got %d", r.TargetType, len(r.EIPs))
	}
	a := r.EIPs[0]
	switch r.TargetType {
	case eip.NAT:
		req := vpc.NewAssociateNatGatewayAddressRequest()
		req.NatGatewayId = common.StringPtr(r.Target)
		ips, err := addressIPs(r.EIPs)
		if err != nil {
			return eip.Call{}, err
		}
		req.PublicIpAddresses = common.StringPtrs(ips)
		return p.call(r.Region, "AssociateNatGatewayAddress", req, func(ctx context.Context, c *vpc.Client) (eip.CallResult, error) {
			resp, err := c.AssociateNatGatewayAddressWithContext(ctx, req)
			return tasked(resp, err, vpcTaskPrefix, r.EIPs)
		})
	case eip.HaVip:
		ips, err := addressIPs(r.EIPs)
		if err != nil {
			return eip.Call{}, err
		}
		req := vpc.NewHaVipAssociateAddressIpRequest()
		req.HaVipId = common.StringPtr(r.Target)
		req.AddressIp = common.StringPtr(ips[0])
		return p.call(r.Region, "HaVipAssociateAddressIp", req, func(ctx context.Context, c *vpc.Client) (eip.CallResult, error) {
			resp, err := c.HaVipAssociateAddressIpWithContext(ctx, req)
			return tasked(resp, err, vpcTaskPrefix, r.EIPs)
		})
	}

	req := vpc.NewAssociateAddressRequest()
	req.AddressId = common.StringPtr(a.ID)
	if r.TargetType == eip.ENI {
		req.NetworkInterfaceId = common.StringPtr(r.Target)
		req.PrivateIpAddress = common.StringPtr(r.PrivateIP)
	} else {
		req.InstanceId = common.StringPtr(r.Target)
	}
	if r.Mode == eip.ModePassthrough {
		req.EipDirectConnection = common.BoolPtr(true)
	}
	if r.InstanceRegion != "" {
		req.InstanceRegion = common.StringPtr(r.InstanceRegion)
	}
	return p.call(r.Region, "AssociateAddress", req, func(ctx context.Context, c *vpc.Client) (eip.CallResult, error) {
		resp, err := c.AssociateAddressWithContext(ctx, req)
		return tasked(resp, err, taskPrefix, r.EIPs)
	})
}

// PrepareDisassociate unbinds one chunk, chosen by what holds the EIPs:
// DisassociateNatGatewayAddress (several addresses of one NAT gateway),
// HaVipDisassociateAddressIp, or DisassociateAddress for the rest.
func (p *Provider) PrepareDisassociate(r eip.DisassociateRequest) (eip.Call, error) {
	if len(r.EIPs) == 0 {
		return eip.Call{}, eip.Errorf(eip.ClassInvalid, "NoEIP", "nothing to disassociate")
	}
	a := r.EIPs[0]
	for _, b := range r.EIPs[1:] {
		if a.TargetType != eip.NAT || b.TargetID != a.TargetID {
			return eip.Call{}, eip.Errorf(eip.ClassInvalid, "BatchTooLarge", "only EIPs of one NAT gateway can be unbound in one Tencent call; %s and %s differ", a.ID, b.ID)
		}
	}
	switch a.TargetType {
	case eip.NAT:
		ips, err := addressIPs(r.EIPs)
		if err != nil {
			return eip.Call{}, err
		}
		req := vpc.NewDisassociateNatGatewayAddressRequest()
		req.NatGatewayId = common.StringPtr(a.TargetID)
		req.PublicIpAddresses = common.StringPtrs(ips)
		// No task: DescribeVpcTaskResult is documented for the HAVIP calls and
		// used by Terraform for the NAT bind only; the status read decides.
		return p.call(r.Region, "DisassociateNatGatewayAddress", req, func(ctx context.Context, c *vpc.Client) (eip.CallResult, error) {
			_, err := c.DisassociateNatGatewayAddressWithContext(ctx, req)
			return eip.CallResult{}, err
		})
	case eip.HaVip:
		req := vpc.NewHaVipDisassociateAddressIpRequest()
		req.HaVipId = common.StringPtr(a.TargetID)
		return p.call(r.Region, "HaVipDisassociateAddressIp", req, func(ctx context.Context, c *vpc.Client) (eip.CallResult, error) {
			resp, err := c.HaVipDisassociateAddressIpWithContext(ctx, req)
			return tasked(resp, err, vpcTaskPrefix, r.EIPs)
		})
	}
	req := vpc.NewDisassociateAddressRequest()
	req.AddressId = common.StringPtr(a.ID)
	return p.call(r.Region, "DisassociateAddress", req, func(ctx context.Context, c *vpc.Client) (eip.CallResult, error) {
		resp, err := c.DisassociateAddressWithContext(ctx, req)
		return tasked(resp, err, taskPrefix, r.EIPs)
	})
}

// sdkRequest is any SDK request or answer: a request's JSON is exactly
// the body sent.
type sdkRequest interface{ ToJsonString() string }

// call wraps an SDK request as an eip.Call. Params is the request's own JSON
// body, so --dry-run shows exactly what a real run sends (the region travels
// in the X-TC-Region header and is shown beside it).
func (p *Provider) call(region, action string, req sdkRequest, send func(ctx context.Context, c *vpc.Client) (eip.CallResult, error)) (eip.Call, error) {
	var params map[string]any
	if err := json.Unmarshal([]byte(req.ToJsonString()), &params); err != nil {
		return eip.Call{}, err
	}
	return eip.Call{
		Action: action,
		Params: params,
		Run: func(ctx context.Context) (res eip.CallResult, err error) {
			err = p.do(ctx, region, func(ctx context.Context, c *vpc.Client) error {
				res, err = send(ctx, c)
				return err
			})
			return res, err
		},
	}, nil
}

// addressIPs lists the chunk's public IPs: the NAT and HAVIP calls take
// addresses, not EIP IDs. The engine has read every EIP before preparing.
func addressIPs(as []eip.Address) ([]string, error) {
	ips := make([]string, len(as))
	for i, a := range as {
		if a.IP == "" {
			return nil, eip.Errorf(eip.ClassInvalid, "MissingAddressIp", "the public IP of %s is unknown, and this Tencent call takes IP addresses: check it with `eipctl eip list`", a.ID)
		}
		ips[i] = a.IP
	}
	return ips, nil
}

// tasked is a bind or unbind call's result from the SDK's answer: the
// handle of the task that reports its outcome, TaskId for DescribeTaskResult
// (taskPrefix) or the RequestId for DescribeVpcTaskResult (vpcTaskPrefix),
// and no task when the answer names none (the status read decides).
func tasked(resp sdkRequest, err error, prefix string, as []eip.Address) (eip.CallResult, error) {
	if err != nil {
		return eip.CallResult{}, err
	}
	var answer struct {
		Response *struct{ RequestId, TaskId *string }
	}
	if json.Unmarshal([]byte(resp.ToJsonString()), &answer) != nil || answer.Response == nil {
		return eip.CallResult{}, nil
	}
	id := answer.Response.RequestId
	if prefix == taskPrefix {
		id = answer.Response.TaskId
	}
	if id == nil || *id == "" {
		return eip.CallResult{}, nil
	}
	return eip.CallResult{Tasks: map[string][]string{prefix + *id: eip.IDs(as)}}, nil
}

// CheckTasks reads DescribeTaskResult or DescribeVpcTaskResult for each
// handle: SUCCESS and FAILED are done, RUNNING is not. A task the cloud does
// not know (or a handle from elsewhere) is left out: the status read decides.
func (p *Provider) CheckTasks(ctx context.Context, region string, tasks []string) (map[string]eip.TaskState, error) {
	out := map[string]eip.TaskState{}
	for _, h := range tasks {
		result, detail, err := p.taskResult(ctx, region, h)
		if err != nil {
			if c := p.Classify(err).Class; c == eip.ClassNotFound || c == eip.ClassInvalid {
				continue
			}
			return out, err
		}
		switch result {
		case "SUCCESS":
			out[h] = eip.TaskState{Done: true}
		case "FAILED":
			msg := "the cloud accepted the request but its task ended FAILED (" + detail + "): run the command again, or check the EIP with `eipctl eip list`"
			out[h] = eip.TaskState{Done: true, Err: &eip.Error{Code: "FailedOperation.TaskFailed", Message: msg, Class: eip.ClassTransient}}
		}
	}
	return out, nil
}

// taskResult reads one task handle; detail names the read for messages.
func (p *Provider) taskResult(ctx context.Context, region, handle string) (result, detail string, err error) {
	switch {
	case strings.HasPrefix(handle, taskPrefix):
		id, perr := strconv.ParseUint(strings.TrimPrefix(handle, taskPrefix), 10, 64)
		if perr != nil {
			return "", "", nil
		}
		req := vpc.NewDescribeTaskResultRequest()
		req.TaskId = common.Uint64Ptr(id)
		err = p.do(ctx, region, func(ctx context.Context, c *vpc.Client) error {
			resp, err := c.DescribeTaskResultWithContext(ctx, req)
			if err == nil && resp.Response != nil {
				result = deref(resp.Response.Result)
			}
			return err
		})
		return result, "DescribeTaskResult TaskId " + strconv.FormatUint(id, 10), err
	case strings.HasPrefix(handle, vpcTaskPrefix):
		id := strings.TrimPrefix(handle, vpcTaskPrefix)
		req := vpc.NewDescribeVpcTaskResultRequest()
		req.TaskId = common.StringPtr(id)
		detail = "DescribeVpcTaskResult TaskId " + id
		err = p.do(ctx, region, func(ctx context.Context, c *vpc.Client) error {
			resp, err := c.DescribeVpcTaskResultWithContext(ctx, req)
			if err == nil && resp.Response != nil {
				result = deref(resp.Response.Status)
				if out := deref(resp.Response.Output); out != "" {
					detail += ": " + out
				}
			}
			return err
		})
		return result, detail, err
	}
	return "", "", nil
}
