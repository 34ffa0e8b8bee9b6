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

// settleCreating ends the CREATING of every address of the region whose
// creatingFor has passed (the core zeroes Until of a phase it does not know
// once it is due, hence IsZero). It runs inside the writes that could meet
// such an address, so reads take no extra lock; a read shows a due one as
// UNBIND meanwhile (statusAt).
func settleCreating(cl *sim.Cloud, region string) {
	r, ok := cl.Region(region)
	if !ok {
		return
	}
	for _, e := range r.EIPs {
		if e.Phase == phaseCreating && (e.Until.IsZero() || !cl.Now().Before(e.Until)) {
			_ = cl.Hold(region, e.ID, sim.Available)
		}
	}
}

// statusAt is status as a read at now sees it.
func statusAt(e *sim.EIP, now time.Time) string {
	if e.Phase == phaseCreating && (e.Until.IsZero() || !now.Before(e.Until)) {
		return "UNBIND"
	}
	return status(e)
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
		settleCreating(cl, c.region)
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
		settleCreating(cl, c.region)
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
