package sim

import "time"

// Hold puts an Available EIP in a phase of the front's own that the core's
// state machine does not drive (Alibaba's Releasing, say), and journals it
// like any other change. The EIP stays there: the front decides what its
// cloud allows in that phase, since CheckBind and CheckUnbind know only the
// core's phases.
func (c *Cloud) Hold(region, eipID string, p Phase) error {
	r, ok := c.Region(region)
	if !ok {
		return &Error{ErrRegionNotFound, region}
	}
	e, ok := r.EIP(eipID)
	if !ok {
		return &Error{ErrEIPNotFound, eipID}
	}
	switch e.Phase {
	case Associating, Unassociating:
		return &Error{ErrEIPBusy, eipID}
	case Bound:
		return &Error{ErrEIPInUse, eipID}
	}
	e.Phase, e.Until = p, time.Time{}
	c.touch(region, e)
	return nil
}
