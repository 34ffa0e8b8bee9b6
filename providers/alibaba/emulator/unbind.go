package emulator

import (
	"strings"

	"github.com/eipctl/eipctl/pkg/sim"
)

// forced reads UnassociateEipAddress's Force: false unless the request says
// true (the SDK's requests.Boolean sends "true" or "false"). With Force=true
// the cloud unbinds an EIP from a NAT gateway whose SNAT or DNAT entries use
// it by deleting those entries; the emulator's snat fault stands for such
// entries, so a forced unbind is served through it (Refuse).
func forced(q request) (bool, *apiError) {
	switch v := q.get("Force"); strings.ToLower(v) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, &apiError{400, "InvalidParameter", "The specified Force " + v + " is not valid: use true or false."}
	}
}

func (f *Front) unassociate(q request) (map[string]any, *apiError) {
	if e := required(q, "RegionId", "AllocationId"); e != nil {
		return nil, e
	}
	if _, e := forced(q); e != nil {
		return nil, e
	}
	region, eipID := q.get("RegionId"), q.get("AllocationId")
	return f.mutate("UnassociateEipAddress", q, func(c *sim.Cloud) (*apiError, error) {
		if e := releasing(c, region, eipID); e != nil {
			return e, nil
		}
		e, err := c.CheckUnbind(region, eipID)
		if err != nil {
			return coreError(err), nil
		}
		if inst := q.get("InstanceId"); inst != "" && inst != e.TargetID {
			return &apiError{400, "InvalidInstanceId.MisMatch", "The EIP " + eipID + " is not associated with instance " + inst + "."}, nil
		}
		return nil, c.Unbind(region, eipID)
	})
}
