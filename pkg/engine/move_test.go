package engine_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

func force(id, target string) eip.Binding {
	b := bind(id, target)
	b.Force = true
	return b
}

func actions(s []eiptest.Sent) string {
	var out []string
	for _, x := range s {
		out = append(out, x.Action+":"+x.Target)
	}
	return strings.Join(out, " ")
}

// A move from i-9 to i-1: from a bound EIP, one unbind then one bind; from
// one a killed run left half way (its unbind accepted, the EIP still
// leaving), only the bind, once the EIP is free. Both are moved.
func TestMove(t *testing.T) {
	for _, c := range []struct {
		name  string
		start func(*eiptest.Cloud)
		sent  string
	}{
		{"bound", func(c *eiptest.Cloud) { c.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance) },
			"Disassociate: Associate:i-1"},
		{"left half way", func(c *eiptest.Cloud) {
			c.Transition("eip-0001", eip.StateDisassociating, "i-9", eip.Instance, time.Second)
		}, "Associate:i-1"},
	} {
		f := newFixture(t, 2*time.Second)
		c.start(f.cloud)
		rep := f.associate(force("eip-0001", "i-1"))
		r := rep.Results[0]
		if r.Status != eip.StatusMoved || str(r.PreviousTargetID) != "i-9" || str(r.CurrentTargetID) != "i-1" {
			t.Fatalf("%s: row %+v, want moved from i-9 to i-1", c.name, r)
		}
		if got := actions(f.cloud.Sent()); got != c.sent {
			t.Fatalf("%s: sent %s, want %s", c.name, got, c.sent)
		}
		if s := rep.Summary(); s.Moved != 1 {
			t.Errorf("%s: summary %+v, want moved 1", c.name, s)
		}
		if a := f.cloud.Addr("eip-0001"); !a.BoundTo("i-1") {
			t.Fatalf("%s: EIP ended %+v", c.name, a)
		}
	}
}

// An EIP on its way off another target is not ours to take without --force.
func TestNoForceLeavesAnEIPBeingUnbound(t *testing.T) {
	g := newFixture(t, 2*time.Second)
	g.cloud.Transition("eip-0001", eip.StateDisassociating, "i-9", eip.Instance, time.Second)
	wantFailed(t, g.associate(bind("eip-0001", "i-1")).Results[0], eip.ClassConflict, "IncorrectStatus")
	if s := g.cloud.Sent(); len(s) != 0 {
		t.Fatalf("sent %+v without --force, want nothing", s)
	}
}

// Without --force nothing is sent for an EIP bound elsewhere.
func TestNoForceNoMove(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	rep := f.associate(bind("eip-0001", "i-1"))
	wantFailed(t, rep.Results[0], eip.ClassConflict, "AlreadyBound")
	if n := len(f.cloud.Sent()); n != 0 {
		t.Fatalf("%d calls sent without --force", n)
	}
}

// EIPs leaving one NAT gateway go in unbind batches, and each goes on to its
// bind as soon as its own unbind is confirmed: the second unbind batch is
// held until a bind of the first batch's EIPs has been sent.
func TestMoveBatchesAndPipelines(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	ids := eipIDs(1, 60)
	for _, id := range ids {
		f.cloud.Set(id, eip.StateAssociated, "ngw-old", eip.NAT)
	}
	f.engine().Concurrency = 2 // one slot held by the second unbind, one free for binds
	bound := make(chan struct{})
	var once sync.Once
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		switch {
		case s.Action == "Associate":
			closeOnce(&once, bound)
		case s.Action == "Disassociate" && n > 0:
			return eip.CallResult{}, awaitReal(t, bound, "a bind of the first unbind batch before the second unbind")
		}
		return eip.CallResult{}, nil
	}
	var items []eip.Binding
	for _, id := range ids {
		items = append(items, force(id, "ngw-new"))
	}
	rep := f.associate(items...)
	wantStatus(t, rep, eip.StatusMoved)
	unbinds := 0
	for _, s := range f.cloud.Sent() {
		if s.Action == "Disassociate" {
			unbinds++
		}
	}
	if unbinds != 2 {
		t.Fatalf("%d unbind calls for 60 EIPs on one gateway (batch 50), want 2", unbinds)
	}
}

// A bind refused after the unbind puts the EIP back where it was; the row is
// failed with the bind's own error and says where the EIP ended.
func TestMoveRefusedIsPutBack(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Action == "Associate" && s.Target == "i-1" {
			return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "QuotaExceeded", "target full")
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(force("eip-0001", "i-1"))
	r := rep.Results[0]
	wantFailed(t, r, eip.ClassInvalid, "QuotaExceeded")
	if !strings.Contains(r.Error.Message, "put it back on instance i-9") || str(r.CurrentTargetID) != "i-9" {
		t.Fatalf("row %+v (%s), want it to say the EIP is back on i-9", r, r.Error.Message)
	}
	if a := f.cloud.Addr("eip-0001"); !a.BoundTo("i-9") {
		t.Fatalf("EIP ended %+v, want back on i-9", a)
	}
}

// When putting back fails too, the row says the EIP is unbound and gives
// the command that restores it.
func TestMovePutBackRefusedSaysUnbound(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Action == "Associate" {
			return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "Forbidden", "no")
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(force("eip-0001", "i-1"))
	r := rep.Results[0]
	wantFailed(t, r, eip.ClassInvalid, "Forbidden")
	want := "eipctl eip associate --provider fake --region r1 --eip eip-0001 --target i-9 --target-type instance"
	if !strings.Contains(r.Error.Message, "UNBOUND") || !strings.Contains(r.Error.Message, want) || r.CurrentTargetID != nil {
		t.Fatalf("message %q (current %v), want UNBOUND and %q", r.Error.Message, r.CurrentTargetID, want)
	}
}

// A bind not confirmed before --timeout while the EIP is still free (a task
// that never ends) is put back too.
func TestMoveTimeoutIsPutBack(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	accepting(f, "i-1", true)
	f.engine().Timeout = 30 * time.Second
	rep := f.associate(force("eip-0001", "i-1"))
	r := rep.Results[0]
	wantFailed(t, r, eip.ClassTransient, "Timeout")
	if !strings.Contains(r.Error.Message, "put it back") || !f.cloud.Addr("eip-0001").BoundTo("i-9") {
		t.Fatalf("row %+v (%s), EIP %+v: want it back on i-9", r, r.Error.Message, f.cloud.Addr("eip-0001"))
	}
}

// --force --dry-run lists the unbind and the bind it would send.
func TestMoveDryRun(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	f.engine().DryRun = true
	rep := f.associate(force("eip-0001", "i-1"))
	wantStatus(t, rep, eip.StatusPlanned)
	if len(rep.Requests) != 2 || rep.Requests[0].Action != "Disassociate" || rep.Requests[1].Action != "Associate" {
		t.Fatalf("planned %+v, want an unbind then a bind", rep.Requests)
	}
	if n := len(f.cloud.Sent()); n != 0 {
		t.Fatalf("dry run sent %d calls", n)
	}
}

// After Stop nothing more is sent; what was sent is confirmed; the rest is
// pending.
func TestStopConfirmsWhatWasSent(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.engine().Concurrency = 1
	stop := make(chan struct{})
	f.eng.Stop = stop
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if n == 0 {
			close(stop) // the signal arrives while the first chunk is on the wire
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(binds("ngw-1", eipIDs(1, 120)...)...)
	sent := f.cloud.Sent()
	if len(sent) != 1 {
		t.Fatalf("%d calls sent, want only the one in flight at the signal", len(sent))
	}
	n := len(sent[0].EIPs)
	s := rep.Summary()
	if s.Associated != n || s.Pending != 120-n || !rep.Interrupted {
		t.Fatalf("summary %+v interrupted %v, want %d confirmed and the rest pending", s, rep.Interrupted, n)
	}
	// Rerunning converges: what is in place is unchanged, the rest is bound.
	f.engine()
	rep = f.associate(binds("ngw-1", eipIDs(1, 120)...)...)
	if s := rep.Summary(); s.Unchanged != n || s.Associated != 120-n {
		t.Fatalf("rerun summary %+v, want %d unchanged and the rest associated", s, n)
	}
}
