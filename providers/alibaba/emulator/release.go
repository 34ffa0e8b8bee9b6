package emulator

import "github.com/eipctl/eipctl/pkg/sim"

// releasing refuses any change to an EIP being released: the core's checks
// know no Releasing phase.
func releasing(c *sim.Cloud, region, eipID string) *apiError {
	if r, ok := c.Region(region); ok {
		if e, ok := r.EIP(eipID); ok && e.Phase == phaseReleasing {
			return coreError(&sim.Error{Kind: sim.ErrEIPInUse, ID: eipID})
		}
	}
	return nil
}

// release serves ReleaseEipAddress far enough to show Releasing: only an
// Available EIP can be released (the action's page), and in the emulator it
// stays Releasing rather than disappearing, so that a client can see it.
func (f *Front) release(q request) (map[string]any, *apiError) {
	if e := required(q, "RegionId", "AllocationId"); e != nil {
		return nil, e
	}
	region, eipID := q.get("RegionId"), q.get("AllocationId")
	return f.mutate("ReleaseEipAddress", q, func(c *sim.Cloud) (*apiError, error) {
		if e := releasing(c, region, eipID); e != nil {
			return e, nil
		}
		if err := c.Hold(region, eipID, phaseReleasing); err != nil {
			return coreError(err), nil
		}
		return nil, nil
	})
}
