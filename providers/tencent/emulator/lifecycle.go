package emulator

import (
	"strconv"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// The two AddressStatus words of an EIP's own life, which the core's state
// machine does not drive (tencentcloud-sdk-go vpc models.go, Address:
// 'CREATING'(创建中), 'OFFLINING'(释放中)). eipctl never allocates or
// releases, but another client may, and a run must meet these as it would
// on the cloud: such an EIP can be neither bound nor unbound.
const (
	// phaseCreating: AllocateAddresses took the address back; it reads
	// CREATING for creatingFor, then UNBIND.
	phaseCreating sim.Phase = "creating"
	// phaseOffline: ReleaseAddresses was sent for the EIP. The cloud then
	// drops it; the emulator keeps it OFFLINING, so that a client sees it.
	phaseOffline sim.Phase = "offlining"
)

// creatingFor is how long an allocated address reads CREATING: our choice
// (the record gives no figure; the core's bind delay is not the front's to read).
const creatingFor = 3 * time.Second

// inLifecycle refuses a change to an EIP being created or released, in the
// words AssociateAddress and DisassociateAddress use for a status that does
// not permit the call: the core's checks know neither phase.
func inLifecycle(e *sim.EIP) *apiError {
	if e.Phase == phaseCreating || e.Phase == phaseOffline {
		return errorf(codeStatusNotPermit, "The status of address %s (%s) does not permit this operation.", e.ID, status(e))
	}
	return nil
}

// settleCreating ends the CREATING of every address whose creatingFor has
// passed (the core zeroes Until of a phase it does not know once it is due).
// It writes only when one is due, so reads stay reads.
func (f *front) settleCreating(region string) {
	due := func(cl *sim.Cloud) []string {
		var ids []string
		if r, ok := cl.Region(region); ok {
			for _, e := range r.EIPs {
				if e.Phase == phaseCreating && !cl.Now().Before(e.Until) {
					ids = append(ids, e.ID)
				}
			}
		}
		return ids
	}
	var ids []string
	_ = f.s.View(provider, func(cl *sim.Cloud) { ids = due(cl) })
	if len(ids) == 0 {
		return
	}
	_ = f.s.Update(provider, func(cl *sim.Cloud) error {
		for _, id := range due(cl) {
			_ = cl.Hold(region, id, sim.Available)
		}
		return nil
	})
}

// releaseAddresses serves ReleaseAddresses: only UNBIND EIPs can be released
// (its page), and each then reads OFFLINING.
func (f *front) releaseAddresses(c *call) (map[string]any, *apiError) {
	ids, aerr := c.params.strs("AddressIds")
	if aerr != nil {
		return nil, aerr
	}
	if len(ids) == 0 {
		return nil, missing("AddressIds")
	}
	t := &task{}
	aerr = f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		for _, id := range ids {
			e, ok := r.EIP(id)
			switch {
			case !wellFormed(id, "eip-"):
				return malformedAddress(id)
			case !ok:
				return errorf(codeAddressNotFound, "The specified AddressId %s is not found.", id)
			case e.Phase != sim.Available:
				return errorf(codeStatusNotPermit, "The status of address %s (%s) does not permit this operation: only UNBIND addresses can be released.", id, status(e))
			}
		}
		for _, id := range ids {
			_ = cl.Hold(c.region, id, phaseOffline)
			t.eips = append(t.eips, id)
		}
		t.until = cl.Now()
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	return map[string]any{"TaskId": strconv.FormatUint(f.addTask(t), 10)}, nil
}

// allocateAddresses serves AddressCount of AllocateAddresses. Our invention:
// the account's addresses are the seeded ones, so an allocation takes back
// released (OFFLINING) EIPs in seeding order; none left is the documented
// quota refusal AddressQuotaLimitExceeded.
func (f *front) allocateAddresses(c *call) (map[string]any, *apiError) {
	n, aerr := c.params.int("AddressCount", 1)
	if aerr != nil {
		return nil, aerr
	}
	if n < 1 || n > 100 {
		return nil, errorf(codeInvalidValue, "The parameter AddressCount=%d is out of range.", n)
	}
	t := &task{}
	aerr = f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		var free []*sim.EIP
		for _, e := range r.EIPs {
			if e.Phase == phaseOffline && len(free) < int(n) {
				free = append(free, e)
			}
		}
		if len(free) < int(n) {
			return errorf("AddressQuotaLimitExceeded", "The account can allocate %d more addresses in %s, not %d (the emulator allocates only released ones).", len(free), c.region, n)
		}
		for _, e := range free {
			_ = cl.Hold(c.region, e.ID, phaseCreating)
			e.Until = cl.Now().Add(creatingFor)
			t.track(e, cl.Now())
		}
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	return map[string]any{"AddressSet": t.eips, "TaskId": strconv.FormatUint(f.addTask(t), 10)}, nil
}
