package engine_test

import (
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// A pool claim onto a full target keeps the cloud's own code, not
// PoolExhausted, and tries no more of the pool's EIPs against it: one bind
// to a load balancer that already holds all it may.
func TestPoolFullTargetKeepsTheCloudsCode(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0020", eip.StateAssociated, "lb-1", eip.LB)
	full(f, "lb-1", 1, eipIDs(1, 20))
	rep := f.associate(claimFor(pool(t, eipIDs(1, 15)...), "lb-1", 1))
	if len(rep.Results) != 1 {
		t.Fatalf("rows %+v, want one", rep.Results)
	}
	wantFailed(t, rep.Results[0], eip.ClassConflict, "QuotaExceeded.Eip")
	if n, _ := sentAssociates(f.cloud); n != 1 {
		t.Fatalf("%d binds sent to a target that said it is full after the first", n)
	}
}

// Three claimed onto a NAT gateway with room for one: one is bound, the
// other two rows fail with the gateway's own code.
func TestPoolPartlyFullTarget(t *testing.T) {
	f := newFixture(t, time.Second)
	full(f, "ngw-1", 1, eipIDs(1, 20))
	rep := f.associate(claimFor(pool(t, eipIDs(1, 15)...), "ngw-1", 3))
	s := rep.Summary()
	if len(rep.Results) != 3 || s.Associated != 1 || s.Failed != 2 {
		t.Fatalf("rows %+v, want 1 associated and 2 failed", rep.Results)
	}
	for _, r := range rep.Results {
		if r.Status == eip.StatusFailed {
			wantFailed(t, r, eip.ClassConflict, "QuotaExceeded.Eip")
		}
	}
	if n, _ := sentAssociates(f.cloud); n > 4 {
		t.Fatalf("%d binds sent for 3 slots on a gateway with room for one", n)
	}
}
