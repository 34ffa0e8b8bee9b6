package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// full makes target refuse, as a whole, a bind that would take it past
// capacity EIPs: a quota code marked as capacity, classed conflict (so a
// retry would be tried if the engine did not know better).
func full(f *fixture, target string, capacity int, ids []string) {
	f.cloud.OnRun = func(_ int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Action != "Associate" || s.Target != target {
			return eip.CallResult{}, nil
		}
		held := 0
		for _, id := range ids {
			if f.cloud.Addr(id).HeldBy(target) {
				held++
			}
		}
		if held+len(s.EIPs) > capacity {
			return eip.CallResult{}, &eip.Error{Code: "QuotaExceeded.Eip", Message: "the target holds as many EIPs as it may",
				Class: eip.ClassConflict, Capacity: true}
		}
		return eip.CallResult{}, nil
	}
}

// One EIP over a NAT gateway's capacity does not fail the whole call: 21
// EIPs to a gateway that holds 20 bind 20, and the 21st fails with the
// cloud's own code.
func TestCapacityIsPerEIP(t *testing.T) {
	f := newFixture(t, time.Second)
	ids := eipIDs(1, 21)
	full(f, "ngw-1", 20, ids)
	rep := f.associate(binds("ngw-1", ids...)...)
	bound, refused := 0, 0
	for _, r := range rep.Results {
		switch {
		case r.Status == eip.StatusAssociated:
			bound++
		case r.Status == eip.StatusFailed && r.Error.Code == "QuotaExceeded.Eip" && r.Error.Class == eip.ClassConflict:
			refused++
			if r.CurrentTargetID != nil {
				t.Errorf("%s: refused, yet currentTargetId %s", r.EIPID, *r.CurrentTargetID)
			}
		default:
			t.Errorf("%s: %s %+v", r.EIPID, r.Status, r.Error)
		}
	}
	if bound != 20 || refused != 1 {
		t.Fatalf("bound %d, refused %d; want 20 and 1", bound, refused)
	}
	if n := len(f.cloud.Sent()); n > 12 {
		t.Fatalf("%d binds sent for 21 EIPs, want a split, not a retry loop", n)
	}
}

// A target that is full already: every EIP fails with the cloud's code,
// and once one EIP alone is refused the rest of the request is not sent.
func TestCapacityFullTargetStopsSplitting(t *testing.T) {
	f := newFixture(t, time.Second)
	ids := eipIDs(1, 8)
	full(f, "ngw-1", 0, ids)
	rep := f.associate(binds("ngw-1", ids...)...)
	for _, r := range rep.Results {
		wantFailed(t, r, eip.ClassConflict, "QuotaExceeded.Eip")
	}
	// 8, 4, 2, 1: then the other halves are refused without a call.
	if n := len(f.cloud.Sent()); n != 4 {
		t.Fatalf("%d binds sent to a full target, want 4 (%s)", n, actions(f.cloud.Sent()))
	}
	if m := rep.Results[7].Error.Message; !strings.Contains(m, "not sent for EIP eip-0008") {
		t.Fatalf("a row never sent says %q", m)
	}
}

// In a --force plan only the EIPs the target refused are put back on their
// old holders; the rest are moved, not rolled back with them.
func TestCapacityMovePutsBackOnlyTheRefused(t *testing.T) {
	f := newFixture(t, time.Second)
	ids := eipIDs(1, 5)
	var plan []eip.Binding
	for i, id := range ids {
		f.cloud.Set(id, eip.StateAssociated, "i-"+string(rune('a'+i)), eip.Instance)
		plan = append(plan, force(id, "ngw-1"))
	}
	full(f, "ngw-1", 3, ids)
	rep := f.associate(plan...)
	moved, back := 0, 0
	for i, r := range rep.Results {
		a := f.cloud.Addr(r.EIPID)
		switch {
		case r.Status == eip.StatusMoved && a.BoundTo("ngw-1"):
			moved++
		case r.Status == eip.StatusFailed && r.Error.Code == "QuotaExceeded.Eip" && a.BoundTo("i-"+string(rune('a'+i))):
			back++
			if str(r.CurrentTargetID) != a.TargetID {
				t.Errorf("%s: currentTargetId %s, the cloud shows %s", r.EIPID, str(r.CurrentTargetID), a.TargetID)
			}
		default:
			t.Errorf("%s: %s %+v, EIP on %q", r.EIPID, r.Status, r.Error, a.TargetID)
		}
	}
	if moved != 3 || back != 2 {
		t.Fatalf("moved %d, put back %d; want 3 and 2", moved, back)
	}
}
