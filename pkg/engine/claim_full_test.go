package engine_test

import (
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// A refusal another candidate would meet too stops the claim at once, and
// its row keeps the cloud's code: a permission refused, or a target full (a
// load balancer that already holds all it may) — not PoolExhausted.
func TestPoolHardFailureStops(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(*fixture)
		class eip.Class
		code  string
	}{
		{"permission", func(f *fixture) {
			f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
				return eip.CallResult{}, eip.Errorf(eip.ClassAuth, "Forbidden.RAM", "not allowed")
			}
		}, eip.ClassAuth, "Forbidden.RAM"},
		{"full target", func(f *fixture) {
			f.cloud.Set("eip-0020", eip.StateAssociated, "lb-1", eip.LB)
			full(f, "lb-1", 1, eipIDs(1, 20))
		}, eip.ClassConflict, "QuotaExceeded.Eip"},
	} {
		f := newFixture(t, time.Second)
		c.setup(f)
		rep := f.associate(claimFor(pool(t, eipIDs(1, 15)...), "lb-1", 1))
		if len(rep.Results) != 1 {
			t.Fatalf("%s: rows %+v, want one", c.name, rep.Results)
		}
		wantFailed(t, rep.Results[0], c.class, c.code)
		if n, _ := sentAssociates(f.cloud); n != 1 {
			t.Fatalf("%s: %d binds sent, want 1: other candidates would meet the same refusal", c.name, n)
		}
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
