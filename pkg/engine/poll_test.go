package engine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// timedReads is a fake cloud's provider that notes when each Describe call
// was made, on the fixture's fake clock.
type timedReads struct {
	*eiptest.Provider
	now func() time.Time
	mu  sync.Mutex
	at  []time.Time
}

func (p *timedReads) Describe(ctx context.Context, region string, ids []string) ([]eip.Address, error) {
	p.mu.Lock()
	p.at = append(p.at, p.now())
	p.mu.Unlock()
	return p.Provider.Describe(ctx, region, ids)
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
	f := newFixture(t, delay)
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

// Rows in flight widen the gap: 100 EIPs are two Describe calls a round, so
// rounds go half as often, still within the budget, and rows joining at
// different times do not make rounds closer.
func TestManyRowsWidenTheGap(t *testing.T) {
	f, p := budgetFixture(t, 2*time.Second, alibabaReads, 50)
	var items []eip.Binding
	for i, id := range eipIDs(1, 100) {
		items = append(items, bind(id, []string{"ngw-1", "ngw-2", "ngw-3", "ngw-4"}[i%4]))
	}
	start := f.clk.Now()
	wantStatus(t, f.associate(items...), eip.StatusAssociated)
	if most := p.most(alibabaReads.Per); most > alibabaReads.Count/4 {
		t.Fatalf("%d reads in one minute, want at most %d", most, alibabaReads.Count/4)
	}
	if took := f.clk.Now().Sub(start); took > 2*time.Second+500*time.Millisecond {
		t.Fatalf("100 binds of 2s took %s, want no slower than the fixed schedule's 2.375s", took)
	}
}
