package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// Rows say where each EIP was when the run started and where it is at the end.
func TestPreviousAndCurrentTarget(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0002", eip.StateAssociated, "i-9", eip.Instance)
	f.cloud.Set("eip-0003", eip.StateAssociated, "i-1", eip.Instance)
	rep := f.associate(bind("eip-0001", "i-1"), bind("eip-0002", "i-1"), bind("eip-0003", "i-1"), bind("eip-0404", "i-1"))
	want := []struct {
		status    eip.Status
		prev, cur string
	}{{eip.StatusAssociated, "", "i-1"}, {eip.StatusFailed, "i-9", "i-9"}, {eip.StatusUnchanged, "i-1", "i-1"}, {eip.StatusFailed, "", ""}}
	for i, w := range want {
		r := rep.Results[i]
		if r.Status != w.status || str(r.PreviousTargetID) != w.prev || str(r.CurrentTargetID) != w.cur {
			t.Errorf("%s: %s prev %q cur %q, want %s prev %q cur %q", r.EIPID, r.Status, str(r.PreviousTargetID), str(r.CurrentTargetID), w.status, w.prev, w.cur)
		}
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Observe sees sent calls and each settled row exactly as the report holds it.
func TestEventKinds(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine()
	var sent int
	settled := map[string]eip.Result{}
	f.eng.Observe = func(ev engine.Event) {
		switch ev.Kind {
		case engine.EventSent:
			sent += ev.Count
		case engine.EventSettled:
			settled[ev.EIPID] = *ev.Row
		}
	}
	rep := f.associate(binds("ngw-1", eipIDs(1, 3)...)...)
	if sent != 3 {
		t.Errorf("sent events carried %d EIPs, want 3", sent)
	}
	for _, r := range rep.Results {
		if got := settled[r.EIPID]; got.Status != r.Status || str(got.CurrentTargetID) != str(r.CurrentTargetID) {
			t.Errorf("%s: settled event %+v, report %+v", r.EIPID, got, r)
		}
	}
}

// After Stop nothing is sent; rows never sent are pending and the report interrupted.
func TestStopSendsNothingNew(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine()
	stop := make(chan struct{})
	f.eng.Stop = stop
	f.cloud.OnDescribe = func([]string) error {
		select {
		case <-stop:
		default:
			close(stop)
		}
		return nil
	}
	rep := f.associate(binds("ngw-1", eipIDs(1, 5)...)...)
	if n := len(f.cloud.Sent()); n != 0 {
		t.Fatalf("%d calls sent after Stop", n)
	}
	wantStatus(t, rep, eip.StatusPending)
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
}

func TestAwait(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine()
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-1", eip.Instance)
	f.cloud.Set("eip-0002", eip.StateAssociating, "i-1", eip.Instance)
	reads := 0
	f.cloud.OnDescribe = func([]string) error {
		if reads++; reads == 3 { // someone else's binding finishes while we wait
			f.cloud.Set("eip-0002", eip.StateAssociated, "i-1", eip.Instance)
		}
		return nil
	}
	f.eng.Timeout = 10 * time.Second
	rep, err := f.eng.Await(context.Background(), []eip.Expectation{
		{Provider: "fake", Region: region, EIP: "eip-0001", For: eip.StateAssociated, Target: "i-1"},
		{Provider: "fake", Region: region, EIP: "eip-0002", For: eip.StateAssociated},
		{Provider: "fake", Region: region, EIP: "eip-0003", For: eip.StateAssociated},
		{Provider: "fake", Region: region, EIP: "eip-0004", For: eip.StateAvailable},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []eip.Status{eip.StatusUnchanged, eip.StatusAssociated, eip.StatusTimeout, eip.StatusUnchanged} {
		if r := rep.Results[i]; r.Status != w {
			t.Errorf("%s: %s, want %s", r.EIPID, r.Status, w)
		}
	}
	if n := len(f.cloud.Sent()); n != 0 {
		t.Fatalf("Await sent %d mutations", n)
	}
	if _, err := f.eng.Await(context.Background(), []eip.Expectation{{Provider: "fake", Region: region, EIP: "eip-1", For: "bound"}}); !eip.IsUsage(err) {
		t.Fatalf("bad For: %v, want usage error", err)
	}
}

// A chunk throttled and then stopped before its resend was never applied:
// its rows are pending, not watched until a drain calls them BindingFailed.
func TestStopAfterThrottleIsPending(t *testing.T) {
	f := newFixture(t, time.Second)
	f.engine()
	stop := make(chan struct{})
	f.eng.Stop = stop
	f.cloud.OnRun = func(n int, _ eiptest.Sent) (eip.CallResult, error) {
		if n == 0 {
			close(stop)
			return eip.CallResult{}, eip.Errorf(eip.ClassThrottled, "Throttling", "slow down")
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(binds("ngw-1", eipIDs(1, 3)...)...)
	wantStatus(t, rep, eip.StatusPending)
	for _, id := range eipIDs(1, 3) {
		if a := f.cloud.Addr(id); a.State != eip.StateAvailable {
			t.Errorf("%s is %s: the throttled request was applied after all", id, a.State)
		}
	}
}
