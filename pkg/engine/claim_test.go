package engine_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

func claimFor(p *eip.Pool, target string, n int) eip.Binding {
	return eip.Binding{Provider: "fake", Region: region, Target: target, Pool: p, Count: n}
}

// inOrder makes the engine try a pool's free EIPs in the order they are
// listed, so a test knows which candidate comes first.
func inOrder([]eip.Address) {}

func sentAssociates(c *eiptest.Cloud) (n int, eips []string) {
	for _, s := range c.Sent() {
		if s.Action != "Associate" {
			panic("a pool claim sent " + s.Action)
		}
		n++
		eips = append(eips, s.EIPs...)
	}
	return n, eips
}

func TestPoolClaimsOneFreeEIP(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.Set("eip-0002", eip.StateAssociated, "i-other", eip.Instance)
	f.engine().Shuffle = inOrder
	rep := f.associate(claimFor(eiptest.Pool(t, "eip-0002", "eip-0003", "eip-0004"), "i-1", 1))
	if len(rep.Results) != 1 {
		t.Fatalf("rows %+v, want one", rep.Results)
	}
	r := rep.Results[0]
	if r.Status != eip.StatusAssociated || r.EIPID != "eip-0003" || r.TargetID != "i-1" || r.TargetType != eip.Instance || r.IP == "" {
		t.Fatalf("row %+v, want eip-0003 (the first free one) associated to i-1", r)
	}
	if a := f.cloud.Addr("eip-0002"); a.TargetID != "i-other" {
		t.Fatalf("the pool's bound EIP moved: %+v", a)
	}
	if n, eips := sentAssociates(f.cloud); n != 1 || eips[0] != "eip-0003" {
		t.Fatalf("sent %d binds of %v, want one of eip-0003", n, eips)
	}
	if f.cloud.Lists() != 1 {
		t.Fatalf("%d List calls, want one for the pool", f.cloud.Lists())
	}
}

func TestPoolAlreadyHoldingIsUnchanged(t *testing.T) {
	f := newFixture(t, 0)
	f.cloud.Set("eip-0005", eip.StateAssociated, "ngw-1", eip.NAT)
	f.cloud.Set("eip-0006", eip.StateAssociated, "ngw-1", eip.NAT)
	f.cloud.Set("eip-0007", eip.StateAssociated, "ngw-1", eip.NAT) // not in the pool: does not count
	p := eiptest.Pool(t, "eip-0005", "eip-0006", "eip-0001")
	rep := f.associate(claimFor(p, "ngw-1", 2))
	if len(rep.Results) != 2 || rep.Summary().Unchanged != 2 {
		t.Fatalf("rows %+v, want eip-0005 and eip-0006 unchanged", rep.Results)
	}
	if n, _ := sentAssociates(f.cloud); n != 0 {
		t.Fatalf("%d binds sent for a target that already holds its count", n)
	}
}

// Holding fewer than asked, only the difference is claimed, in one batch.
func TestPoolClaimsOnlyTheDifference(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "ngw-1", eip.NAT)
	f.engine().Shuffle = inOrder
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 10)...), "ngw-1", 3))
	got := map[string]eip.Status{}
	for _, r := range rep.Results {
		got[r.EIPID] = r.Status
	}
	want := map[string]eip.Status{"eip-0001": eip.StatusUnchanged, "eip-0002": eip.StatusAssociated, "eip-0003": eip.StatusAssociated}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if n, eips := sentAssociates(f.cloud); n != 1 || len(eips) != 2 {
		t.Fatalf("%d bind calls for %v, want one batch of the two missing", n, eips)
	}
}

// A refused bind (the EIP was taken meanwhile) moves on to the next
// candidate and leaves the other machine's EIP alone.
func TestPoolRefusedBindMovesOn(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine().Shuffle = inOrder
	var mu sync.Mutex
	var settled []string
	f.eng.Observe = func(ev engine.Event) {
		mu.Lock()
		defer mu.Unlock()
		if ev.Status != "" {
			settled = append(settled, ev.EIPID+"="+string(ev.Status))
		}
	}
	// eip-0001 is free when the run lists the pool; another machine takes it
	// just before this run's bind arrives, and the cloud refuses the bind.
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if s.EIPs[0] == "eip-0001" {
			f.cloud.Set("eip-0001", eip.StateAssociating, "i-rival", eip.Instance)
			return eip.CallResult{}, eip.Errorf(eip.ClassConflict, "IncorrectEipStatus", "Current elastic IP status does not support this operation")
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(claimFor(eiptest.Pool(t, "eip-0001", "eip-0002", "eip-0003"), "i-1", 1))
	if len(rep.Results) != 1 || rep.Results[0].EIPID != "eip-0002" || rep.Results[0].Status != eip.StatusAssociated {
		t.Fatalf("rows %+v, want eip-0002 associated", rep.Results)
	}
	if _, eips := sentAssociates(f.cloud); fmt.Sprint(eips) != "[eip-0001 eip-0002]" {
		t.Fatalf("binds sent for %v, want eip-0001 (refused, not retried) then eip-0002", eips)
	}
	if fmt.Sprint(settled) != "[eip-0002=associated]" {
		t.Fatalf("settled events %v: the refused candidate must not show as a row", settled)
	}
	if a := f.cloud.Addr("eip-0001"); a.TargetID != "i-rival" {
		t.Fatalf("the rival's EIP was disturbed: %+v", a)
	}
}

// The bind is accepted but the confirmation shows the EIP on another target
// (the rival's bind won): the next candidate is tried.
func TestPoolConfirmationOnAnotherTargetMovesOn(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine().Shuffle = inOrder
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if n == 0 {
			f.cloud.Set(s.EIPs[0], eip.StateAssociating, "i-rival", eip.Instance)
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "i-1", 1))
	if len(rep.Results) != 1 || rep.Results[0].EIPID != "eip-0002" || rep.Results[0].Status != eip.StatusAssociated {
		t.Fatalf("rows %+v, want eip-0002 associated", rep.Results)
	}
	if a := f.cloud.Addr("eip-0001"); a.TargetID != "i-rival" {
		t.Fatalf("the rival's EIP was disturbed: %+v", a)
	}
}

// Zenlayer's way: the call succeeds but lists the EIP in failedEipIds.
func TestPoolFailedInCallResultMovesOn(t *testing.T) {
	f := newFixture(t, 0)
	f.engine().Shuffle = inOrder
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if n == 0 {
			f.cloud.Set(s.EIPs[0], eip.StateAssociated, "nic-rival", eip.ENI)
			return eip.CallResult{Failed: map[string]*eip.Error{s.EIPs[0]: eip.Errorf(eip.ClassConflict, "EIP_ASSOCIATE_FAILED", "refused")}}, nil
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "lb-1", 1))
	if len(rep.Results) != 1 || rep.Results[0].EIPID != "eip-0002" || rep.Results[0].Status != eip.StatusAssociated {
		t.Fatalf("rows %+v, want eip-0002 associated", rep.Results)
	}
}

func TestPoolExhausted(t *testing.T) {
	f := newFixture(t, 0)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "ngw-1", 4))
	s := rep.Summary()
	if len(rep.Results) != 4 || s.Associated != 2 || s.Failed != 2 {
		t.Fatalf("rows %+v, want 2 associated and 2 failed", rep.Results)
	}
	for _, r := range rep.Results[2:] {
		wantFailed(t, r, eip.ClassConflict, "PoolExhausted")
		if r.EIPID != "" || r.TargetID != "ngw-1" || !strings.Contains(r.Error.Message, "holds 2 of the 4") {
			t.Fatalf("row %+v: want no EIP, the target, and how many it holds", r)
		}
	}
}

// A conflict that leaves the EIP free (a task conflict, not a rival) is tried
// once more, then the claim moves on.
func TestPoolUnclearConflictRetriesOnce(t *testing.T) {
	f := newFixture(t, 0)
	f.engine().Shuffle = inOrder
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if s.EIPs[0] == "eip-0001" {
			return eip.CallResult{}, eip.Errorf(eip.ClassConflict, "TaskConflict", "busy")
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "i-1", 1))
	if len(rep.Results) != 1 || rep.Results[0].EIPID != "eip-0002" {
		t.Fatalf("rows %+v, want eip-0002", rep.Results)
	}
	if _, eips := sentAssociates(f.cloud); fmt.Sprint(eips) != "[eip-0001 eip-0001 eip-0002]" {
		t.Fatalf("binds for %v, want eip-0001 twice then eip-0002", eips)
	}
}

func TestPoolDryRunShowsFirstCandidates(t *testing.T) {
	f := newFixture(t, 0)
	f.engine().Shuffle = inOrder
	f.eng.DryRun = true
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "ngw-1", 2))
	if len(rep.Results) != 2 || rep.Results[0].EIPID != "eip-0001" || rep.Results[1].EIPID != "eip-0002" {
		t.Fatalf("rows %+v, want eip-0001 and eip-0002 planned", rep.Results)
	}
	wantStatus(t, rep, eip.StatusPlanned)
	if len(rep.Requests) != 1 || len(f.cloud.Sent()) != 0 {
		t.Fatalf("%d requests shown, %d sent: want one shown, none sent", len(rep.Requests), len(f.cloud.Sent()))
	}
}

// The order is random: over many runs the first candidate tried varies.
func TestPoolOrderIsRandom(t *testing.T) {
	firsts := map[string]bool{}
	for i := 0; i < 40 && len(firsts) < 3; i++ {
		f := newFixture(t, 0)
		f.eng = nil
		f.eng = f.engine()
		f.eng.DryRun = true
		rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 10)...), "i-1", 1))
		firsts[rep.Results[0].EIPID] = true
	}
	if len(firsts) < 3 {
		t.Fatalf("40 dry runs all started with %v: the candidates are not shuffled", firsts)
	}
}

// Named EIPs and claims in one request: rows come in the items' order, and
// a named EIP is never what a claim takes.
func TestPoolMixedWithNamedEIPs(t *testing.T) {
	f := newFixture(t, 0)
	f.engine().Shuffle = inOrder
	rep := f.associate(bind("eip-0009", "i-9"), claimFor(eiptest.Pool(t, "eip-0009", "eip-0008"), "i-1", 1), bind("eip-0010", "i-10"))
	var got []string
	for _, r := range rep.Results {
		got = append(got, r.EIPID+">"+r.TargetID+"="+string(r.Status))
	}
	if want := "[eip-0009>i-9=associated eip-0008>i-1=associated eip-0010>i-10=associated]"; fmt.Sprint(got) != want {
		t.Fatalf("rows %v, want %s", got, want)
	}
}

func TestPoolValidation(t *testing.T) {
	for _, c := range []struct {
		name string
		b    eip.Binding
		want string
	}{
		{"eip and pool", eip.Binding{Provider: "fake", Region: region, EIP: "eip-0001", Target: "i-1", Pool: &eip.Pool{IDs: []string{"eip-0002"}}}, "eip and pool both given"},
		{"empty pool", eip.Binding{Provider: "fake", Region: region, Target: "i-1", Pool: &eip.Pool{}}, "pool is empty"},
		{"count", eip.Binding{Provider: "fake", Region: region, Target: "i-1", Pool: &eip.Pool{IDs: []string{"eip-0002"}}, Count: 9999}, "count 9999"},
		{"force", eip.Binding{Provider: "fake", Region: region, Target: "i-1", Pool: &eip.Pool{IDs: []string{"eip-0002"}}, Force: true}, "never unbinds"},
		{"no target", eip.Binding{Provider: "fake", Region: region, Pool: &eip.Pool{IDs: []string{"eip-0002"}}}, "--target is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, 0)
			_, err := f.engine().Associate(context.Background(), []eip.Binding{c.b})
			if !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want a usage error containing %q", err, c.want)
			}
			if f.cloud.Lists()+len(f.cloud.Describes())+len(f.cloud.Sent()) != 0 {
				t.Fatal("bad input reached the cloud")
			}
		})
	}
}

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
		rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 15)...), "lb-1", 1))
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
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 15)...), "ngw-1", 3))
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
