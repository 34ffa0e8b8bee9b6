package engine_test

import (
	"context"
	"maps"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/engine"
)

// timedReads is a fake cloud's provider that notes when each Describe call
// was made, on the fixture's fake clock.
type timedReads struct {
	*eiptest.Provider
	now func() time.Time
	mu  sync.Mutex
	at  []time.Time
	by  map[string][]time.Time // calls by region
}

func (p *timedReads) Describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	p.mu.Lock()
	p.at = append(p.at, p.now())
	if p.by == nil {
		p.by = map[string][]time.Time{}
	}
	p.by[region] = append(p.by[region], p.now())
	p.mu.Unlock()
	return p.Provider.Describe(ctx, region, ids)
}

func (p *timedReads) regions() map[string][]time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.by)
}

// most is the largest number of reads in any span of length per.
func (p *timedReads) most(per time.Duration) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	best := 0
	for i := range p.at {
		n := 0
		for j := i; j < len(p.at) && p.at[j].Sub(p.at[i]) < per; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

// budgetFixture is a cloud whose binds take delay and whose Describe is
// documented at lim, DescribeBatch IDs a call.
func budgetFixture(t *testing.T, delay time.Duration, lim eip.Limit, batch int) (*fixture, *timedReads) {
	return withBudget(newFixture(t, delay), lim, batch)
}

// withBudget gives f's cloud the describe limit lim, reading batch EIPs a
// call, and counts the calls' times.
func withBudget(f *fixture, lim eip.Limit, batch int) (*fixture, *timedReads) {
	f.caps.Actions = map[string]string{eip.ActionDescribe: "DescribeAddresses"}
	f.caps.Limits = map[string]eip.Limit{"DescribeAddresses": lim}
	f.caps.DescribeBatch = batch
	p := &timedReads{Provider: f.cloud.Provider(f.caps), now: f.clk.Now}
	f.prov = p
	f.engine()
	return f, p
}

var (
	alibabaReads = eip.Limit{Count: 600, Per: time.Minute} // DescribeEipAddresses
	tencentReads = eip.Limit{Count: 20, Per: time.Second}  // DescribeAddresses
)

// One EIP is seen bound within one poll gap of the cloud finishing (the
// fixed schedule saw a 2 s bind at 2.375 s), and the run's reads stay
// within a quarter of the documented describe limit.
func TestOneRowPolledFastWithinReadBudget(t *testing.T) {
	for _, c := range []struct {
		name string
		lim  eip.Limit
		gap  time.Duration
	}{{"alibaba", alibabaReads, 100 * time.Millisecond}, {"tencent", tencentReads, 200 * time.Millisecond}} {
		t.Run(c.name, func(t *testing.T) {
			f, p := budgetFixture(t, 2*time.Second, c.lim, 50)
			start := f.clk.Now()
			wantStatus(t, f.associate(bind("eip-0001", "i-1")), eip.StatusAssociated)
			if took := f.clk.Now().Sub(start); took > 2*time.Second+c.gap {
				t.Fatalf("a 2s bind was seen after %s, want within %s", took, 2*time.Second+c.gap)
			}
			if n, most := len(p.at), c.lim.Count/4; p.most(c.lim.Per) > most || n < 2 {
				t.Fatalf("%d reads, at most %d in one %s, want at most %d (a quarter of %s)", n, p.most(c.lim.Per), c.lim.Per, most, c.lim)
			}
		})
	}
}

// A binding that takes minutes is read fast only at first: no window of
// the documented limit ever holds more than a quarter of it.
func TestLongWaitStaysWithinReadBudget(t *testing.T) {
	for _, lim := range []eip.Limit{alibabaReads, tencentReads} {
		f, p := budgetFixture(t, 3*time.Minute, lim, 50)
		f.eng.Timeout = 5 * time.Minute
		wantStatus(t, f.associate(bind("eip-0001", "i-1")), eip.StatusAssociated)
		if most := p.most(lim.Per); most > lim.Count/4 {
			t.Fatalf("%s: %d reads in one %s, want at most %d", lim, most, lim.Per, lim.Count/4)
		}
		if len(p.at) > 160 {
			t.Fatalf("%s: %d reads for a 3 minute wait, want the gap to grow", lim, len(p.at))
		}
	}
}

// Rows in flight widen the gap, fastest per row: two EIPs in flight are
// read every 200 ms, four every 400 ms, so a small batch does not read as
// often as one EIP does (it read 2.1 requests per EIP at 30 EIPs).
func TestFewRowsWidenTheGap(t *testing.T) {
	for _, n := range []int{1, 2, 4} {
		f, p := budgetFixture(t, 2*time.Second, alibabaReads, 50)
		wantStatus(t, f.associate(binds("ngw-1", eipIDs(1, n)...)...), eip.StatusAssociated)
		gap := time.Duration(n) * 100 * time.Millisecond
		sent := f.cloud.Sent()[0].At
		for i := 2; i < len(p.at); i++ { // the first read is the start state's
			if d := p.at[i].Sub(p.at[i-1]); d < gap {
				t.Fatalf("%d rows: reads %s apart, want at least %s", n, d, gap)
			}
		}
		if seen := p.at[len(p.at)-1].Sub(sent); seen > 2*time.Second+gap {
			t.Fatalf("%d rows: a 2s bind seen %s after its send, want within %s", n, seen, 2*time.Second+gap)
		}
	}
}

// A batch (five rows in flight or more) polls at the fixed schedule's
// rhythm, each row on it from its own send: seen within 2.375 s of it, in at
// most about the fixed schedule's three rounds a send, two Describe calls each for
// 100 EIPs; before, the adaptive gap read them every 133 ms.
func TestBatchPollsAtTheBatchRhythm(t *testing.T) {
	synctest.Test(t, batchRhythm)
}

func batchRhythm(t *testing.T) {
	f, p := withBudget(bubbleFixture(t, 2*time.Second), alibabaReads, 50)
	var items []eip.Binding
	for i, id := range eipIDs(1, 100) {
		items = append(items, bind(id, []string{"ngw-1", "ngw-2", "ngw-3", "ngw-4"}[i%4]))
	}
	var accepted time.Time // the last send's, on the engine's side of the fake clock
	seen := map[string]time.Time{}
	f.eng.Observe = func(ev engine.Event) {
		switch ev.Kind {
		case engine.EventSent:
			accepted = f.clk.Now()
		case engine.EventSettled:
			seen[ev.EIPID] = f.clk.Now()
		}
	}
	wantStatus(t, f.associate(items...), eip.StatusAssociated)
	for id, at := range seen {
		if took := at.Sub(accepted); took > 2375*time.Millisecond {
			t.Fatalf("%s seen bound %s after the last send was accepted, want within the fixed schedule's 2.375s", id, took)
		}
	}
	sends := map[time.Time]bool{}
	for _, s := range f.cloud.Sent() {
		sends[s.At] = true
	}
	// Three rounds a send, and one for rows the fake clock saw accepted late.
	if most := 2 + 2*4*len(sends); len(p.at) > most {
		t.Fatalf("%d Describe calls for 100 EIPs sent at %d times, want at most %d", len(p.at), len(sends), most)
	}
	if most := p.most(alibabaReads.Per); most > alibabaReads.Count/4 {
		t.Fatalf("%d reads in one minute, want at most %d", most, alibabaReads.Count/4)
	}
}

// A batched row's schedule steps go by its time in the watch: a round made
// early, for a row that joined while it was alone in flight, reads the
// batch that joined 50 ms later too, and must not move their steps on by
// one (they saw a 2 s bind at 3.66 s, a whole step late, instead of 2.375 s).
func TestBatchStepsGoByTimeNotByReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, _ := withBudget(bubbleFixture(t, 2*time.Second), alibabaReads, 50)
		f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
			if s.Target == "ngw-2" {
				time.Sleep(50 * time.Millisecond) // the batch is accepted after the lone row
			}
			return eip.CallResult{}, nil
		}
		items := append([]eip.Binding{bind("eip-0001", "ngw-1")}, binds("ngw-2", eipIDs(2, 40)...)...)
		var batchSent time.Time
		seen := map[string]time.Time{}
		f.eng.Observe = func(ev engine.Event) {
			switch {
			case ev.Kind == engine.EventSettled:
				seen[ev.EIPID] = f.clk.Now()
			case ev.Kind == engine.EventSent && ev.Count > 1: // the batch, not the lone row
				batchSent = f.clk.Now()
			}
		}
		wantStatus(t, f.associate(items...), eip.StatusAssociated)
		for _, id := range eipIDs(2, 40) {
			if took := seen[id].Sub(batchSent); took > 2375*time.Millisecond {
				t.Fatalf("%s seen bound %s after its send, want within the fixed schedule's 2.375s", id, took)
			}
		}
	})
}

// Lanes that share a pacer (the regions of a cloud that counts its limits
// per account) share its read budget: two regions with one EIP each on a
// 20/s limit read every 400 ms each while both wait, 5 a second together,
// not every 200 ms. The second lane's first round is held until the first
// lane is done, so only the first lane moves the fake clock.
func TestLanesShareTheAccountReadBudget(t *testing.T) {
	f, _ := budgetFixture(t, 6*time.Second, tencentReads, 50)
	f.caps.AccountWide = true
	p := &timedReads{Provider: f.cloud.Provider(f.caps), now: f.clk.Now}
	f.prov = p
	f.cloud.AddN("r2", "eip-b", 1)
	other := bind("eip-b0001", "i-2")
	other.Region = "r2"
	// The first lane's first round waits for the second lane's, which
	// waits, in flight, until the first lane is done.
	var held time.Time
	inFlight, done := make(chan struct{}), make(chan struct{})
	f.onRead(func(id string, n int) error {
		switch {
		case id == "eip-0001" && n == 2:
			<-inFlight
		case id == "eip-b0001" && n == 2:
			held = f.clk.Now()
			close(inFlight)
			<-done
		}
		return nil
	})
	f.eng.Observe = func(ev engine.Event) {
		if ev.Kind == engine.EventSettled && ev.EIPID == "eip-0001" {
			close(done)
		}
	}
	wantStatus(t, f.associate(bind("eip-0001", "i-1"), other), eip.StatusAssociated)
	at := p.regions()[region]
	polled := 0
	for i := 2; i < len(at); i++ { // at[0] is the start state's read
		if at[i-1].Before(held) {
			continue
		}
		polled++
		if d := at[i].Sub(at[i-1]); d < 400*time.Millisecond {
			t.Fatalf("the first lane read %s after its last round while the other lane was in flight, want at least 400ms", d)
		}
	}
	if polled < 3 {
		t.Fatalf("%d rounds checked, want a few", polled)
	}
}
