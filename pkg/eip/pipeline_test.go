package eip_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

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
// the last chunk is held until a read after the first send covers an EIP of
// the first chunk.
func TestConfirmationStartsBeforeTheLastChunkIsSent(t *testing.T) {
	f := newFixture(t, 2*time.Second)
	f.engine().Concurrency = 1
	first := eipIDs(1, 1)[0]
	read := make(chan struct{})
	var once sync.Once
	f.cloud.OnDescribe = func(ids []string) error {
		if len(f.cloud.Sent()) > 0 && strings.Contains(strings.Join(ids, ","), first) {
			closeOnce(&once, read)
		}
		return nil
	}
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if n == 2 {
			return eip.CallResult{}, awaitReal(t, read, "a confirmation read of chunk 1 before chunk 3 was sent")
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
	f.eng.Observe = func(ev eip.Event) {
		if ev.Kind == eip.EventSettled && ev.Region == "r2" {
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
