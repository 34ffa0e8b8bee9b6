package engine_test

import (
	"context"
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
	if unbinds := strings.Count(actions(f.cloud.Sent()), "Disassociate:"); unbinds != 2 {
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

// A failed task (Tencent's DescribeTaskResult FAILED) is read again before
// its row settles: the cloud shows the EIP UNBIND by then, and the row says
// so, not the target the read before the task's answer showed.
func TestFailedTaskIsReadAgain(t *testing.T) {
	f := newFixture(t, time.Hour)
	var mu sync.Mutex
	checks := 0
	f.prov = eiptest.TaskProvider{
		Provider: f.cloud.Provider(f.caps),
		CheckTasksFunc: func(context.Context, string, []string) (map[string]eip.TaskState, error) {
			mu.Lock()
			defer mu.Unlock()
			if checks++; checks < 2 {
				return map[string]eip.TaskState{"task-1": {}}, nil
			}
			f.cloud.Set("eip-0001", eip.StateAvailable, "", "") // the task failed: the cloud undid it
			return map[string]eip.TaskState{"task-1": {Done: true, Err: eip.Errorf(eip.ClassConflict, "TaskFailed", "the gateway refused it")}}, nil
		},
	}
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		return eip.CallResult{Tasks: map[string][]string{"task-1": {"eip-0001"}}}, nil
	}
	r := f.associate(bind("eip-0001", "ngw-1")).Results[0]
	wantFailed(t, r, eip.ClassConflict, "TaskFailed")
	if r.CurrentTargetID != nil {
		t.Fatalf("currentTargetId %s, but the cloud shows the EIP unbound", *r.CurrentTargetID)
	}
}

// A put-back refused is read again: the row calls the EIP UNBOUND only when
// the read shows it free, and its currentTargetId is what that read shows.
func TestRefusedPutBackSaysWhatTheReadShows(t *testing.T) {
	for _, c := range []struct {
		name   string
		then   func(*eiptest.Cloud) // what the cloud does once the put-back is refused
		holder string
	}{
		{"free", func(*eiptest.Cloud) {}, ""},
		{"taken by a HaVip", func(c *eiptest.Cloud) { c.Set("eip-0001", eip.StateAssociated, "havip-7", eip.HaVip) }, "havip-7"},
	} {
		f := newFixture(t, time.Second)
		f.cloud.Set("eip-0001", eip.StateAssociated, "havip-1", eip.HaVip)
		f.cloud.OnRun = func(_ int, s eiptest.Sent) (eip.CallResult, error) {
			switch s.Target {
			case "i-1":
				return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "InvalidInstance.NotRunning", "no")
			case "havip-1":
				c.then(f.cloud)
				return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "UnsupportedOperation.BindEIP", "no")
			}
			return eip.CallResult{}, nil
		}
		r := f.associate(force("eip-0001", "i-1")).Results[0]
		if r.Status != eip.StatusFailed || str(r.CurrentTargetID) != c.holder {
			t.Fatalf("%s: row %s, currentTargetId %q, want failed on %q", c.name, r.Status, str(r.CurrentTargetID), c.holder)
		}
		if unbound := strings.Contains(r.Error.Message, "is UNBOUND"); unbound != (c.holder == "") {
			t.Fatalf("%s: message %q with currentTargetId %q", c.name, r.Error.Message, c.holder)
		}
	}
}

// After a second signal, one last read: a move's EIP already free is not
// reported as still leaving its old holder.
func TestSecondSignalReadsOnceMore(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	cut := false
	f.cloud.OnDescribe = func([]string) error {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case cut:
			f.cloud.Set("eip-0001", eip.StateAvailable, "", "")
		case len(f.cloud.Sent()) > 0:
			cancel()
			cut = true
		}
		return nil
	}
	rep, err := f.engine().Associate(ctx, []eip.Binding{force("eip-0001", "i-1")})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Status != eip.StatusPending || r.CurrentTargetID != nil {
		t.Fatalf("row %s, currentTargetId %q: want pending, on nothing (the last read shows it free)", r.Status, str(r.CurrentTargetID))
	}
	if m := r.Error.Message; strings.Contains(m, "Unassociating") || !strings.Contains(m, "UNBOUND") {
		t.Fatalf("message %q", m)
	}
}

// A refused put-back whose read fails too settles at once, UNBOUND as far
// as eipctl knows: it is not read again and again until the deadline.
func TestRefusedPutBackUnreadSettles(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-9", eip.Instance)
	var mu sync.Mutex
	refused, after := false, 0
	f.cloud.OnRun = func(_ int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Action != "Associate" {
			return eip.CallResult{}, nil
		}
		mu.Lock()
		defer mu.Unlock()
		refused = refused || s.Target == "i-9"
		return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "InvalidInstance.NotRunning", "no")
	}
	f.cloud.OnDescribe = func([]string) error {
		mu.Lock()
		defer mu.Unlock()
		if !refused || after > 5 { // past 5: a loop; let it end, and fail below
			return nil
		}
		after++
		return eip.Errorf(eip.ClassAuth, "Forbidden.RAM", "reads not allowed")
	}
	r := f.associate(force("eip-0001", "i-1")).Results[0]
	if r.Status != eip.StatusFailed || !strings.Contains(r.Error.Message, "putting it back on i-9 failed too") {
		t.Fatalf("row %s %+v", r.Status, r.Error)
	}
	if after > 2 {
		t.Fatalf("%d reads after the put-back was refused, want one", after)
	}
}
