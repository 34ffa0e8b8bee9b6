package engine_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// awaitReal fails the test when ch is not closed within a few real seconds: the
// engine under test deadlocked where it should have overlapped.
func awaitReal(t *testing.T, ch <-chan struct{}, what string) error {
	select {
	case <-ch:
		return nil
	case <-time.After(3 * time.Second):
		t.Errorf("%s never happened: the engine waited for something that waits for it", what)
		return errors.New("blocked")
	}
}

func closeOnce(once *sync.Once, ch chan struct{}) { once.Do(func() { close(ch) }) }

// A chunk's confirmation reads start while later chunks are still being sent:
// the last chunk (the 20 after two of 50) is held until a read covers an EIP
// of a chunk already sent.
func TestConfirmationStartsBeforeTheLastChunkIsSent(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.engine().Concurrency = 1
	last := eipIDs(120, 120)[0]
	read := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	sent := map[string]bool{}
	f.cloud.OnDescribe = func(ids []string) error {
		mu.Lock()
		defer mu.Unlock()
		for _, id := range ids {
			if sent[id] {
				closeOnce(&once, read)
			}
		}
		return nil
	}
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if slices.Contains(s.EIPs, last) {
			return eip.CallResult{}, awaitReal(t, read, "a confirmation read of a chunk sent before the last one")
		}
		mu.Lock()
		defer mu.Unlock()
		for _, id := range s.EIPs {
			sent[id] = true
		}
		return eip.CallResult{}, nil
	}
	rep := f.associate(binds("ngw-1", eipIDs(1, 120)...)...) // chunks of 50, 50, 20
	wantStatus(t, rep, eip.StatusAssociated)
}

// A lane stuck in a slow call does not hold up another lane: region r2's
// EIPs are all confirmed while r1's only call has not returned.
func TestSlowLaneDoesNotDelayAnother(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.cloud.AddN("r2", "eip-b", 5)
	f.engine()
	others := make(chan struct{})
	var once sync.Once
	settled := 0
	f.eng.Observe = func(ev engine.Event) {
		if ev.Kind == engine.EventSettled && ev.Region == "r2" {
			if settled++; settled == 5 {
				closeOnce(&once, others)
			}
		}
	}
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Region == region {
			return eip.CallResult{}, awaitReal(t, others, "region r2 finishing while r1 is stuck")
		}
		return eip.CallResult{}, nil
	}
	items := binds("ngw-1", eipIDs(1, 3)...)
	for _, id := range []string{"eip-b0001", "eip-b0002", "eip-b0003", "eip-b0004", "eip-b0005"} {
		items = append(items, eip.Binding{Provider: "fake", Region: "r2", EIP: id, Target: "ngw-2"})
	}
	rep := f.associate(items...)
	wantStatus(t, rep, eip.StatusAssociated)
}

// A lost answer (the change happened, the reply did not arrive) is read
// before anything is sent again: one send, the row correct.
func TestLostAnswerIsReadNotResent(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *eip.Error
	}{
		{"reset", eip.Errorf(eip.ClassTransient, "NetworkError", "connection reset by peer")},
		{"already bound on resend or by another process", eip.Errorf(eip.ClassConflict, "AlreadyBound", "already bound")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, time.Second)
			f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
				if n == 0 {
					for _, id := range s.EIPs[:2] { // the cloud did it for two of three, then the answer was lost
						f.cloud.Set(id, eip.StateAssociated, s.Target, s.TargetType)
					}
					return eip.CallResult{}, tc.err
				}
				return eip.CallResult{}, nil
			}
			rep := f.associate(binds("ngw-1", eipIDs(1, 3)...)...)
			wantStatus(t, rep, eip.StatusAssociated)
			s := f.cloud.Sent()
			if len(s) != 2 || len(s[1].EIPs) != 1 || s[1].EIPs[0] != "eip-0003" {
				t.Fatalf("sent %+v, want the lost call and one resend carrying only eip-0003", s)
			}
			if s[1].Token == s[0].Token {
				t.Errorf("the resend of a different set of EIPs reused token %s", s[0].Token)
			}
		})
	}
}

// A lost unbind answer is read: disassociated, not failed.
func TestLostUnbindAnswer(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Set("eip-0001", eip.StateAssociated, "i-1", eip.Instance)
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		f.cloud.Set("eip-0001", eip.StateAvailable, "", "")
		return eip.CallResult{}, eip.Errorf(eip.ClassTransient, "NetworkError", "EOF")
	}
	f.engine()
	rep, err := f.eng.Disassociate(context.Background(), []eip.Unbinding{{Provider: "fake", Region: region, EIP: "eip-0001"}})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, rep, eip.StatusDisassociated)
	if n := len(f.cloud.Sent()); n != 1 {
		t.Fatalf("%d unbinds sent, want 1", n)
	}
}

// accepting returns a provider whose binds to target are accepted and then
// never happen (the cloud dropped them); everything else goes to the cloud.
func accepting(f *fixture, target string, tasks bool) {
	p := f.cloud.Provider(f.caps)
	bind := p.PrepareAssociateFunc
	p.PrepareAssociateFunc = func(req eip.AssociateRequest) (eip.Call, error) {
		if req.Target != target {
			return bind(req)
		}
		return eip.Call{Action: "Associate", Run: func(context.Context) (eip.CallResult, error) {
			res := eip.CallResult{}
			if tasks {
				res.Tasks = map[string][]string{"task-1": {req.EIPs[0].ID}}
			}
			return res, nil
		}}, nil
	}
	if tasks {
		f.prov = eiptest.TaskProvider{Provider: p, CheckTasksFunc: func(context.Context, string, []string) (map[string]eip.TaskState, error) {
			return map[string]eip.TaskState{"task-1": {}}, nil // still running, forever
		}}
		return
	}
	f.prov = p
}

// A binding the cloud accepted and dropped (the EIP never leaves available)
// fails within a few poll rounds, not after --timeout.
func TestDroppedBindingFailsFast(t *testing.T) {
	f := newFixture(t, time.Second)
	accepting(f, "i-1", false)
	f.engine().Timeout = 5 * time.Minute
	start := f.clk.Now()
	rep := f.associate(bind("eip-0001", "i-1"))
	wantFailed(t, rep.Results[0], eip.ClassTransient, "BindingFailed")
	if took := f.clk.Now().Sub(start); took > 10*time.Second {
		t.Fatalf("reported after %s, want within a few poll rounds", took)
	}
}

// A target's binds leave as soon as its EIPs are read, while later chunks of
// the start-state read are still out; and a target whose EIPs straddle two
// read chunks still goes in one call, as a whole read would send it.
func TestBindsLeaveWhileTheStartIsStillBeingRead(t *testing.T) {
	f := newFixture(t, time.Second)
	f.caps.DescribeBatch = 7 // ngw-1 holds eip-0001..0010: chunks 1-7 and 8-14
	f.engine()
	last := eipIDs(30, 30)[0]
	bound := make(chan struct{})
	var once sync.Once
	f.cloud.OnDescribe = func(ids []string) error {
		if len(f.cloud.Sent()) == 0 && slices.Contains(ids, last) {
			return awaitReal(t, bound, "a bind sent while the last chunk of the start was being read")
		}
		return nil
	}
	f.cloud.OnRun = func(int, eiptest.Sent) (eip.CallResult, error) {
		closeOnce(&once, bound)
		return eip.CallResult{}, nil
	}
	var items []eip.Binding
	for i, target := range []string{"ngw-1", "ngw-2", "ngw-3"} {
		items = append(items, binds(target, eipIDs(10*i+1, 10*i+10)...)...)
	}
	wantStatus(t, f.associate(items...), eip.StatusAssociated)
	if s := f.cloud.Sent(); len(s) != 3 {
		t.Fatalf("%d calls for 3 gateways of 10 EIPs, want 3 (one per gateway, however the read was chunked)", len(s))
	}
}
