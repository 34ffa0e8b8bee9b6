package emulator

import (
	"fmt"
	"strconv"

	"github.com/eipctl/eipctl/pkg/sim"
)

// errNATFull is the documented refusal of a NAT gateway at its EIP quota
// (AssociateEipAddress and AssociateEipAddressBatch pages: the code is
// QuotaExceeded.NumberOfEip, its message "Binded eip Quota exceed on this
// NatGw.").
func errNATFull(id string, capacity int) *apiError {
	return &apiError{400, "QuotaExceeded.NumberOfEip", fmt.Sprintf("Binded eip Quota exceed on this NatGw: %s holds at most %d EIPs.", id, capacity)}
}

// full is the core's refusal of a full target in Alibaba's words: a NAT
// gateway's quota code, InvalidAssociation.Duplicated for anything else.
func full(err error, t *sim.Target) *apiError {
	if se, ok := err.(*sim.Error); ok && se.Kind == sim.ErrTargetFull && t != nil && t.Type == "nat" {
		return errNATFull(t.ID, t.Capacity)
	}
	return coreError(err)
}

// bindMode checks AssociateEipAddress's Mode for a target kind.
func bindMode(mode, kind string) *apiError {
	switch mode {
	case "", "NAT":
	case "MULTI_BINDED", "BINDED":
		if kind != "eni" {
			return &apiError{400, "InvalidParameter", "Mode " + mode + " is only supported for NetworkInterface."}
		}
	default:
		return &apiError{400, "InvalidParameter", "The specified Mode is not valid: use NAT, MULTI_BINDED or BINDED."}
	}
	return nil
}

func (f *Front) associate(q request) (map[string]any, *apiError) {
	if e := required(q, "RegionId", "AllocationId", "InstanceId"); e != nil {
		return nil, e
	}
	region, eipID, target := q.get("RegionId"), q.get("AllocationId"), q.get("InstanceId")
	typeWord := q.get("InstanceType")
	if typeWord == "" {
		typeWord = "EcsInstance"
	}
	kind, ok := instanceTypes[typeWord]
	if !ok {
		return nil, &apiError{400, "InvalidInstanceType.ValueNotSupported", "The specified value of InstanceType is not supported."}
	}
	if ir := q.get("InstanceRegionId"); ir != "" && ir != region {
		return nil, &apiError{400, "InvalidParameter.Mismatch", "Specified elastic IP address and ECS instance are not in the same region."}
	}
	mode := q.get("Mode")
	if e := bindMode(mode, kind); e != nil {
		return nil, e
	}
	o := sim.BindOptions{PrivateIP: q.get("PrivateIpAddress"), Mode: mode}
	return f.mutate("AssociateEipAddress", q, func(c *sim.Cloud) (*apiError, error) {
		if e := bindable(c, region, target, kind, eipID); e != nil {
			return e, nil
		}
		if _, t, err := c.CheckBind(region, eipID, target, o); err != nil {
			return full(err, t), nil
		}
		if err := c.Bind(region, eipID, target, o); err != nil {
			return nil, err
		}
		f.markFailure(c, region, q.failBinding, eipID)
		return nil, nil
	})
}

// bindable refuses a bind to a target that is not of kind, or of an EIP
// being released.
func bindable(c *sim.Cloud, region, target, kind, eipID string) *apiError {
	if e := checkKind(c, region, target, kind); e != nil {
		return e
	}
	return releasing(c, region, eipID)
}

// batchIDs reads InstanceIds.N, 1 to 50 of them.
func batchIDs(q request) ([]string, *apiError) {
	var ids []string
	for n := 1; ; n++ {
		id := q.get("InstanceIds." + strconv.Itoa(n))
		if id == "" {
			break
		}
		ids = append(ids, id)
	}
	switch {
	case len(ids) == 0:
		return nil, errMissing("InstanceIds.1")
	case len(ids) > 50:
		return nil, &apiError{400, "InvalidParameter", fmt.Sprintf("InstanceIds accepts 1 to 50 EIPs; %d were given.", len(ids))}
	}
	return ids, nil
}

// batchMode checks AssociateEipAddressBatch's Mode: its one value,
// MULTI_BINDED, "required only when BindedInstanceType is NetworkInterface"
// (aliyun-openapi-meta en-US/vpc/AssociateEipAddressBatch.json); a NAT
// gateway takes none.
func batchMode(mode, typeWord string) *apiError {
	switch {
	case typeWord != "NetworkInterface" || mode == "MULTI_BINDED":
		return nil
	case mode == "":
		return errMissing("Mode")
	}
	return &apiError{400, "InvalidParameter", "The specified Mode " + mode + " is not valid: a batch to a NetworkInterface takes MULTI_BINDED."}
}

// associateBatch is all or nothing, as the page documents one answer per
// call and none per EIP: a batch that would put more EIPs on the target
// than it holds is refused whole (QuotaExceeded.NumberOfEip on a NAT
// gateway), and so is one with any EIP that cannot be bound.
func (f *Front) associateBatch(q request) (map[string]any, *apiError) {
	if e := required(q, "RegionId", "BindedInstanceId", "BindedInstanceType"); e != nil {
		return nil, e
	}
	region, target, typeWord := q.get("RegionId"), q.get("BindedInstanceId"), q.get("BindedInstanceType")
	if typeWord != "Nat" && typeWord != "NetworkInterface" {
		return nil, &apiError{400, "InvalidInstanceType.ValueNotSupported", "BindedInstanceType must be Nat or NetworkInterface."}
	}
	ids, e := batchIDs(q)
	if e != nil {
		return nil, e
	}
	if e := batchMode(q.get("Mode"), typeWord); e != nil {
		return nil, e
	}
	o := sim.BindOptions{Mode: q.get("Mode")}
	return f.mutate("AssociateEipAddressBatch", q, func(c *sim.Cloud) (*apiError, error) {
		if e := checkKind(c, region, target, instanceTypes[typeWord]); e != nil {
			return e, nil
		}
		r, _ := c.Region(region)
		t, _ := r.Target(target)
		if r.Holding(target)+len(ids) > t.Capacity {
			return full(&sim.Error{Kind: sim.ErrTargetFull, ID: target}, t), nil
		}
		for _, id := range ids {
			if e := releasing(c, region, id); e != nil {
				return e, nil
			}
			if _, _, err := c.CheckBind(region, id, target, o); err != nil {
				return coreError(err), nil
			}
		}
		for _, id := range ids {
			if err := c.Bind(region, id, target, o); err != nil {
				return nil, err
			}
		}
		f.markFailure(c, region, q.failBinding, ids...)
		return nil, nil
	})
}
