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
	region, eipID := q.get("RegionId"), q.get("AllocationId")
	switch {
	case region == "":
		return nil, errMissing("RegionId")
	case eipID == "":
		return nil, errMissing("AllocationId")
	}
	var out *apiError
	err := f.s.Update(provider, func(c *sim.Cloud) error {
		fp := fingerprint("ReleaseEipAddress", q.params)
		if done, e := replay(c, q.get("ClientToken"), fp); done {
			out = e
			return nil
		}
		if e := releasing(c, region, eipID); e != nil {
			out = e
			return nil
		}
		if err := c.Hold(region, eipID, phaseReleasing); err != nil {
			out = coreError(err)
			return nil
		}
		c.UseToken(q.get("ClientToken"), fp)
		return nil
	})
	if err != nil {
		return nil, coreError(err)
	}
	return map[string]any{}, out
}
