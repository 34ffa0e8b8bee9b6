package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

const region = "r1"

// recClock is a clock that remembers every pause asked of it, so a test
// can tell poll rounds and backoffs apart from the clock's reading. It is
// the fake clock, or the real one inside a synctest bubble (bubbleFixture).
type recClock struct {
	clock.Clock
	fake   *clock.Fake // nil on the real clock
	mu     sync.Mutex
	sleeps []time.Duration
}

// Advance moves the fake clock on by d.
func (c *recClock) Advance(d time.Duration) { c.fake.Advance(d) }

func (c *recClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	return c.Clock.Sleep(ctx, d)
}

// SleepUntil is remembered as the pause it is from now.
func (c *recClock) SleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, t.Sub(c.Now()))
	c.mu.Unlock()
	return c.Clock.SleepUntil(ctx, t)
}

func (c *recClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

type fixture struct {
	t     *testing.T
	clk   *recClock
	cloud *eiptest.Cloud
	caps  eip.Capabilities
	prov  eip.Provider // set by engine(); tests may replace it first
	eng   *engine.Engine
}

// newFixture is an account with 120 available EIPs (eip-0001...) whose
// bindings take delay, and an engine that waits for them.
func newFixture(t *testing.T, delay time.Duration) *fixture {
	fake := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	return clockFixture(t, delay, &recClock{Clock: fake, fake: fake})
}

// bubbleFixture is newFixture on the real clock, for a test run inside
// synctest.Test: time there moves only when every goroutine of the run is
// blocked, so concurrent sleepers (senders pacing, a lane polling) wake in
// the order their times say. The fake clock adds their pauses up in
// whatever order the scheduler runs them, which a test of when a row is
// read cannot rest on.
func bubbleFixture(t *testing.T, delay time.Duration) *fixture {
	return clockFixture(t, delay, &recClock{Clock: clock.Real{}})
}

func clockFixture(t *testing.T, delay time.Duration, clk *recClock) *fixture {
	f := &fixture{t: t, clk: clk, cloud: eiptest.NewCloud(clk, delay), caps: eiptest.DefaultCaps()}
	f.cloud.AddN(region, "eip-", 120)
	return f
}

func (f *fixture) engine() *engine.Engine {
	if f.prov == nil {
		f.prov = f.cloud.Provider(f.caps)
	}
	f.eng = &engine.Engine{
		Lookup: func(name string) (eip.Provider, error) {
			if name != "fake" {
				return nil, eip.Usagef("--provider %s is unknown: use fake", name)
			}
			return f.prov, nil
		},
		Providers: []string{"fake", "fourth"},
		Clock:     f.clk,
		Wait:      true,
		Timeout:   time.Minute,
	}
	return f.eng
}

// onRead sets the cloud's OnDescribe to fn, told the first ID a Describe
// asks for and how many Describe calls have asked for it first (1 for the first).
func (f *fixture) onRead(fn func(id string, n int) error) {
	var mu sync.Mutex
	reads := map[string]int{}
	f.cloud.OnDescribe = func(ids []string) error {
		mu.Lock()
		reads[ids[0]]++
		n := reads[ids[0]]
		mu.Unlock()
		return fn(ids[0], n)
	}
}

func (f *fixture) associate(items ...eip.Binding) *eip.Report {
	f.t.Helper()
	if f.eng == nil {
		f.engine()
	}
	rep, err := f.eng.Associate(context.Background(), items)
	if err != nil {
		f.t.Fatalf("associate: %v", err)
	}
	return rep
}

func bind(id, target string) eip.Binding {
	return eip.Binding{Provider: "fake", Region: region, EIP: id, Target: target}
}

func binds(target string, ids ...string) []eip.Binding {
	out := make([]eip.Binding, len(ids))
	for i, id := range ids {
		out[i] = bind(id, target)
	}
	return out
}

func eipIDs(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("eip-%04d", i))
	}
	return out
}

func wantStatus(t *testing.T, rep *eip.Report, want eip.Status) {
	t.Helper()
	for _, r := range rep.Results {
		if r.Status != want {
			t.Fatalf("%s: status %s (error %+v), want %s", r.EIPID, r.Status, r.Error, want)
		}
	}
}

func wantFailed(t *testing.T, r eip.Result, class eip.Class, code string) {
	t.Helper()
	if r.Status != eip.StatusFailed || r.Error == nil || r.Error.Class != class || r.Error.Code != code {
		t.Fatalf("%s: status %s error %+v, want failed %s/%s", r.EIPID, r.Status, r.Error, class, code)
	}
}
