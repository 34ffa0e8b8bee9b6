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

// Machines racing for one pool's EIPs, and a claim that loses a race.

// rival makes the cloud refuse, like Alibaba's IncorrectEipStatus, a bind of
// any EIP another machine holds or is taking; the check and the take are one
// step, as on a real cloud.
type rival struct {
	mu      sync.Mutex
	cloud   *eiptest.Cloud
	taken   map[string]string // EIP -> the target that got it
	refused int
}

func newRival(c *eiptest.Cloud) *rival {
	r := &rival{cloud: c, taken: map[string]string{}}
	c.OnRun = r.onRun
	return r
}

func (r *rival) onRun(_ int, s eiptest.Sent) (eip.CallResult, error) {
	if s.Action != "Associate" {
		return eip.CallResult{}, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range s.EIPs {
		if got, ok := r.taken[id]; ok && got != s.Target || r.cloud.Addr(id).State != eip.StateAvailable {
			r.refused++
			return eip.CallResult{}, eip.Errorf(eip.ClassConflict, "IncorrectEipStatus", "Current elastic IP status does not support this operation")
		}
	}
	for _, id := range s.EIPs {
		r.taken[id] = s.Target
	}
	return eip.CallResult{}, nil
}

// race runs one engine per target at once, each claiming one EIP of the
// same pool, against one account that refuses a bind of a taken EIP. Every
// engine has listed the pool before any sends a bind, so all of them start
// from the same free EIPs, as machines booting together do.
func race(t *testing.T, poolSize, machines int) (reps []*eip.Report, cloud *eiptest.Cloud, refused int) {
	f := newFixture(t, 2*time.Second)
	rv := newRival(f.cloud)
	p := eiptest.Pool(t, eipIDs(1, poolSize)...)
	reps = make([]*eip.Report, machines)
	var listed sync.WaitGroup
	listed.Add(machines)
	var wg sync.WaitGroup
	for m := 0; m < machines; m++ {
		wg.Add(1)
		go func(m int) {
			defer wg.Done()
			prov := f.cloud.Provider(f.caps)
			list, first := prov.ListFunc, true
			prov.ListFunc = func(ctx context.Context, region string) ([]eip.Address, error) {
				as, err := list(ctx, region)
				if first {
					first = false
					listed.Done()
					listed.Wait()
				}
				return as, err
			}
			eng := &engine.Engine{Lookup: func(string) (eip.Provider, error) { return prov, nil },
				Clock: f.clk, Wait: true, Timeout: time.Minute}
			rep, err := eng.Associate(context.Background(), []eip.Binding{claimFor(p, fmt.Sprintf("i-%d", m), 1)})
			if err != nil {
				t.Error(err)
				return
			}
			reps[m] = rep
		}(m)
	}
	wg.Wait()
	return reps, f.cloud, rv.refused
}

func TestPoolRaceEveryMachineGetsOne(t *testing.T) {
	reps, cloud, refused := race(t, 10, 10)
	t.Logf("%d binds refused as taken", refused)
	owner := map[string]string{}
	for m, rep := range reps {
		if rep == nil {
			t.FailNow()
		}
		if len(rep.Results) != 1 || rep.Results[0].Status != eip.StatusAssociated {
			t.Fatalf("machine %d: rows %+v, want one associated", m, rep.Results)
		}
		id := rep.Results[0].EIPID
		if prev, dup := owner[id]; dup {
			t.Fatalf("%s reported by %s and i-%d", id, prev, m)
		}
		owner[id] = fmt.Sprintf("i-%d", m)
		if a := cloud.Addr(id); !a.BoundTo(owner[id]) {
			t.Fatalf("%s is %+v, want bound to %s", id, a, owner[id])
		}
	}
}

func TestPoolRaceMoreMachinesThanEIPs(t *testing.T) {
	reps, cloud, refused := race(t, 6, 10)
	if refused < 4 {
		t.Fatalf("%d binds refused: with 10 machines and 6 EIPs at least 4 must have lost a race", refused)
	}
	won, exhausted := 0, 0
	for m, rep := range reps {
		if rep == nil || len(rep.Results) != 1 {
			t.Fatalf("machine %d: report %+v, want one row", m, rep)
		}
		r := rep.Results[0]
		switch {
		case r.Status == eip.StatusAssociated && cloud.Addr(r.EIPID).BoundTo(fmt.Sprintf("i-%d", m)):
			won++
		case r.Status == eip.StatusFailed && r.Error.Code == "PoolExhausted":
			exhausted++
		default:
			t.Fatalf("machine %d: row %+v", m, r)
		}
	}
	if won != 6 || exhausted != 4 {
		t.Fatalf("%d won and %d exhausted, want 6 and 4", won, exhausted)
	}
	if a := cloud.Addr("eip-0007"); a.State != eip.StateAvailable {
		t.Fatalf("eip-0007 is outside the pool and was touched: %+v", a)
	}
}

// lostRace makes every bind lose to a rival that takes the EIP first;
// during runs while the refusal is on its way.
func lostRace(f *fixture, during func()) func(int, eiptest.Sent) (eip.CallResult, error) {
	return func(_ int, s eiptest.Sent) (eip.CallResult, error) {
		during()
		f.cloud.Set(s.EIPs[0], eip.StateAssociated, "i-rival", eip.Instance)
		return eip.CallResult{}, eip.Errorf(eip.ClassConflict, "IncorrectEipStatus", "taken")
	}
}

// Interrupted after a lost race, the claim sends nothing new: the slot is
// pending (run it again), not PoolExhausted, as free EIPs were left.
func TestPoolInterruptedIsPending(t *testing.T) {
	f := newFixture(t, 0)
	f.engine().Shuffle = inOrder
	stop := make(chan struct{})
	f.eng.Stop = stop
	f.cloud.OnRun = lostRace(f, func() { close(stop) }) // SIGINT arrives while the first bind is answered
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "i-1", 1))
	if len(rep.Results) != 1 || rep.Results[0].Status != eip.StatusPending || rep.Results[0].Error == nil || rep.Results[0].Error.Code == "PoolExhausted" {
		t.Fatalf("rows %+v, want one pending row saying the run was interrupted", rep.Results)
	}
	if n, _ := sentAssociates(f.cloud); n != 1 {
		t.Fatalf("%d binds sent, want only the one before the interruption", n)
	}
}

// Out of --timeout after a lost race, with free EIPs left: the slot is a
// timeout row naming the --timeout given, not PoolExhausted.
func TestPoolOutOfTimeIsTimeout(t *testing.T) {
	f := newFixture(t, 0)
	f.engine().Shuffle = inOrder
	f.cloud.OnRun = lostRace(f, func() { f.clk.Advance(2 * time.Minute) }) // the answer outlasts --timeout
	rep := f.associate(claimFor(eiptest.Pool(t, eipIDs(1, 3)...), "i-1", 1))
	if len(rep.Results) != 1 || rep.Results[0].Status != eip.StatusTimeout || !strings.Contains(rep.Results[0].Error.Message, "--timeout 1m0s") {
		t.Fatalf("rows %+v (error %v), want one timeout row naming --timeout 1m0s", rep.Results, rep.Results[0].Error)
	}
	if n, _ := sentAssociates(f.cloud); n != 1 {
		t.Fatalf("%d binds sent, want none after the timeout", n)
	}
}
