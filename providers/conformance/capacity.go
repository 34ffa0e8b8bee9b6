package conformance

import (
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// capacityPerEIP: one EIP more than a target holds fails alone. The EIPs
// that fit are bound, and the one over fails with the cloud's own capacity
// code, marked as such (Error.Capacity), whether the cloud refuses a whole
// batch call for it (Alibaba, Zenlayer) or binds what fits (Tencent).
func capacityPerEIP(t *testing.T, h Harness) {
	e := newEnvNAT(t, h, bindDelay, 0) // the profile's own, documented NAT capacity
	kind, _ := batchKind(t, e.prov)
	tgt := e.target(kind)
	if tgt.Capacity < 2 {
		t.Fatalf("the emulator's %s %s holds %d EIPs; the case needs a target that holds several", kind, tgt.ID, tgt.Capacity)
	}
	var items []eip.Binding
	for _, id := range e.pick(tgt.Capacity + 1) {
		items = append(items, e.binding(id, tgt))
	}
	rep := e.run(e.engine(e.prov), items...)
	bound, over := 0, 0
	for _, r := range rep.Results {
		switch {
		case r.Status == eip.StatusAssociated:
			bound++
		case r.Status == eip.StatusFailed && r.Error != nil && r.Error.Capacity && r.Error.Code != "":
			over++
		default:
			t.Errorf("%s: status %s error %+v, want associated or failed with the cloud's capacity code", r.EIPID, r.Status, r.Error)
		}
	}
	if bound != tgt.Capacity || over != 1 {
		t.Fatalf("%d EIPs to a %s that holds %d: %d bound, %d refused as full; want %d and 1",
			len(items), kind, tgt.Capacity, bound, over, tgt.Capacity)
	}
	var holding int
	e.view(func(r *sim.Region) { holding = r.Holding(tgt.ID) })
	if holding != tgt.Capacity {
		t.Fatalf("the emulator shows %s holding %d EIPs, want %d", tgt.ID, holding, tgt.Capacity)
	}
}
