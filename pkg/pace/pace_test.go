package pace_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/pace"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// admit calls Wait n times in a row and returns the instants each was let go.
// Between calls the clock moves on by gap() (zero: requests queue up at once).
func admit(t *testing.T, clk *clock.Fake, p *pace.Pacer, n int, gap func() time.Duration) []time.Time {
	t.Helper()
	out := make([]time.Time, 0, n)
	for i := 0; i < n; i++ {
		if gap != nil {
			clk.Advance(gap())
		}
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		out = append(out, clk.Now())
	}
	return out
}

// spent returns a pacer of lim on a fake clock at t0 that has just let n
// requests go at once.
func spent(t *testing.T, lim eip.Limit, n int) (*clock.Fake, *pace.Pacer) {
	t.Helper()
	clk := clock.NewFake(t0)
	p := pace.NewPacer(clk, lim)
	admit(t, clk, p, n, nil)
	return clk, p
}

// atOnce counts the admissions at the very first instant.
func atOnce(ts []time.Time) int {
	n := 0
	for _, x := range ts {
		if x.Equal(ts[0]) {
			n++
		}
	}
	return n
}

// busiest returns the most admissions in any half-open span [s, s+per): the
// busiest span always starts at an admission, so checking those is checking
// every sliding window.
func busiest(ts []time.Time, per time.Duration) int {
	most := 0
	for i, s := range ts {
		n := 0
		for _, x := range ts[i:] {
			if x.Before(s.Add(per)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

func within(ts []time.Time, from time.Time, d time.Duration) int {
	n := 0
	for _, x := range ts {
		if !x.Before(from) && x.Before(from.Add(d)) {
			n++
		}
	}
	return n
}

func TestPacerAdmitsTheDocumentedBurst(t *testing.T) {
	for _, c := range []struct {
		name string
		lim  eip.Limit
	}{
		{"alibaba AssociateEipAddress", eip.Limit{Count: 120, Per: time.Minute}},
		{"alibaba AssociateEipAddressBatch", eip.Limit{Count: 30, Per: time.Minute}},
		{"tencent AssociateAddress", eip.Limit{Count: 10, Per: time.Second}},
		{"tencent AssociateNatGatewayAddress", eip.Limit{Count: 100, Per: time.Second}},
	} {
		clk := clock.NewFake(t0)
		ts := admit(t, clk, pace.NewPacer(clk, c.lim), c.lim.Count+1, nil)
		if got := atOnce(ts); got != c.lim.Count {
			t.Errorf("%s (%s): %d requests went at once, want the whole burst of %d", c.name, c.lim, got, c.lim.Count)
		}
		// The one past the burst waits for the window, and not much longer.
		wait := ts[c.lim.Count].Sub(t0)
		if wait < c.lim.Per || wait > c.lim.Per+c.lim.Per/50 {
			t.Errorf("%s: request %d went after %s, want just over %s", c.name, c.lim.Count+1, wait, c.lim.Per)
		}
	}
	// The figure: 19 Alibaba binds at once.
	clk := clock.NewFake(t0)
	if got := atOnce(admit(t, clk, pace.NewPacer(clk, eip.Limit{Count: 120, Per: time.Minute}), 19, nil)); got != 19 {
		t.Errorf("19 AssociateEipAddress calls: %d went at once", got)
	}
}

func TestPacerNeverExceedsTheWindow(t *testing.T) {
	for _, lim := range []eip.Limit{{Count: 120, Per: time.Minute}, {Count: 30, Per: time.Minute}, {Count: 10, Per: time.Second}, {Count: 20, Per: time.Second}, {Count: 1, Per: time.Second}} {
		for _, spread := range []time.Duration{0, lim.Per / time.Duration(lim.Count) / 3, lim.Per / time.Duration(lim.Count) * 2} {
			clk := clock.NewFake(t0)
			r := rand.New(rand.NewPCG(1, uint64(spread)))
			gap := func() time.Duration {
				if spread == 0 {
					return 0
				}
				return time.Duration(r.Int64N(int64(spread)))
			}
			ts := admit(t, clk, pace.NewPacer(clk, lim), 6*lim.Count+3, gap)
			if got := busiest(ts, lim.Per); got > lim.Count {
				t.Errorf("%s, arrivals up to %s apart: %d requests within one %s", lim, spread, got, lim.Per)
			}
		}
	}
	// The failure: 68 AssociateEipAddressBatch calls in 16s where 30 per minute are allowed.
	clk := clock.NewFake(t0)
	ts := admit(t, clk, pace.NewPacer(clk, eip.Limit{Count: 30, Per: time.Minute}), 68, nil)
	if got := within(ts, t0, 16*time.Second); got > 30 {
		t.Errorf("%d batch calls within 16s, want at most 30", got)
	}
}

func TestPacerBacksOffOnThrottleAndRecoversGradually(t *testing.T) {
	lim := eip.Limit{Count: 10, Per: time.Second}
	clk, p := spent(t, lim, 10)

	// Every request in flight comes back throttled at once: one halving, not
	// ten: requests spaced at 5/s.
	for i := 0; i < 10; i++ {
		p.Throttled(0)
	}
	if got := p.Space(); got != 200*time.Millisecond {
		t.Fatalf("after a throttle the pacer spaces requests %s apart, want 200ms (half of 10/s)", got)
	}
	throttledAt := clk.Now()
	ts := admit(t, clk, p, 20, nil)
	if ts[0].Before(throttledAt.Add(lim.Per / 5)) {
		t.Errorf("first request after the throttle went after %s, want a pause of one space at the new pace (200ms)", ts[0].Sub(throttledAt))
	}
	if got := busiest(ts, lim.Per); got > 5 {
		t.Errorf("after a throttle, %d requests within a second, want at most 5", got)
	}

	// A second throttle a while later halves again, down to one per window,
	// never less.
	clk.Advance(2 * time.Second)
	p.Throttled(0)
	if got := p.Space(); got != 400*time.Millisecond {
		t.Errorf("second throttle: %s apart, want 400ms", got)
	}
	for i := 0; i < 5; i++ {
		clk.Advance(2 * time.Second)
		p.Throttled(0)
	}
	if got := p.Space(); got != time.Second {
		t.Errorf("after many throttles: %s apart, want the floor of one per window (1s)", got)
	}

	// Recovery: each success widens the pace by an eighth, until the
	// documented average pace is back and the window alone governs.
	prev := p.Space()
	n := 0
	for ; p.Space() > 0; n++ {
		p.Succeeded()
		if got := p.Space(); got >= prev && got != 0 {
			t.Fatalf("after %d successes the space is %s, was %s: a success must speed the pacer up", n+1, got, prev)
		}
		prev = p.Space()
	}
	if n < 10 || n > 30 {
		t.Errorf("recovery from one per window to 10/s took %d successes, want gradual (10 to 30)", n)
	}
	clk.Advance(time.Minute)
	ts = admit(t, clk, p, 10, nil)
	if got := atOnce(ts); got != 10 {
		t.Errorf("recovered pacer let %d go at once, want the burst of 10 back", got)
	}
}

// A throttle on a long window must not stall the next request for the rest
// of the window: the back-off spaces requests, it does not shrink the window.
func TestPacerThrottledOnALongWindowNeverStallsForTheWindow(t *testing.T) {
	lim := eip.Limit{Count: 120, Per: time.Minute}
	clk, p := spent(t, lim, 40)
	for i := 0; i < 3; i++ { // three throttles, a cooldown apart
		p.Throttled(0)
		clk.Advance(time.Second)
	}
	at := clk.Now()
	ts := admit(t, clk, p, 5, nil)
	if d := ts[len(ts)-1].Sub(at); d > 30*time.Second {
		t.Errorf("after three throttles, 5 more requests took %s, want a few spaces at the slowed pace, not the window's minute", d)
	}
	if got := busiest(append(make([]time.Time, 0), ts...), lim.Per); got > lim.Count {
		t.Errorf("%d in a minute, want at most %d", got, lim.Count)
	}
}

func TestPacerHonoursTheServersHint(t *testing.T) {
	clk, p := spent(t, eip.Limit{Count: 120, Per: time.Minute}, 3)
	p.Throttled(7500 * time.Millisecond) // x-acs-retry-after: 7500
	ts := admit(t, clk, p, 2, nil)
	if d := ts[0].Sub(t0); d < 7500*time.Millisecond {
		t.Errorf("request after a 7.5s hint went after %s", d)
	}
	// A hint shorter than one space at the halved pace (1/s) does not shorten the pause.
	clk2 := clock.NewFake(t0)
	q := pace.NewPacer(clk2, eip.Limit{Count: 120, Per: time.Minute})
	q.Throttled(10 * time.Millisecond)
	if ts := admit(t, clk2, q, 1, nil); ts[0].Sub(t0) < time.Second {
		t.Errorf("after a throttle with a 10ms hint the next request went after %s, want the 1s slot", ts[0].Sub(t0))
	}
}

func TestPacerWaitStopsWithContext(t *testing.T) {
	clk, p := spent(t, eip.Limit{Count: 1, Per: time.Hour}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); err == nil {
		t.Fatal("Wait on a cancelled context returned nil")
	}
	// A zero limit paces nothing; a nil pacer neither (engine paths without one).
	z := pace.NewPacer(clk, eip.Limit{})
	if got := atOnce(admit(t, clk, z, 1000, nil)); got != 1000 {
		t.Errorf("zero limit: %d of 1000 at once", got)
	}
	var none *pace.Pacer
	if err := none.Wait(context.Background()); err != nil {
		t.Errorf("nil pacer: %v", err)
	}
	none.Throttled(time.Second)
	none.Succeeded()
}

func TestPacersOnePerActionWithOverrides(t *testing.T) {
	caps := eip.Capabilities{
		Limits:       map[string]eip.Limit{"AssociateEipAddress": {Count: 120, Per: time.Minute}, "DescribeEipAddresses": {Count: 600, Per: time.Minute}},
		DefaultLimit: eip.Limit{Count: 5, Per: time.Second},
		Actions:      map[string]string{eip.ActionDescribe: "DescribeEipAddresses", eip.ActionList: "DescribeEipAddresses"},
	}
	clk := clock.NewFake(t0)
	ps := pace.NewPacers(clk, map[string]map[string]eip.Limit{
		"alibaba": {"AssociateEipAddress": {Count: 60, Per: time.Minute}, "default": {Count: 2, Per: time.Second}},
	})
	cases := []struct {
		provider, region, action string
		want                     eip.Limit
	}{
		{"alibaba", "cn-hangzhou", "AssociateEipAddress", eip.Limit{Count: 60, Per: time.Minute}},     // overridden
		{"alibaba", "cn-hangzhou", "DescribeEipAddresses", eip.Limit{Count: 600, Per: time.Minute}},   // documented
		{"alibaba", "cn-hangzhou", eip.ActionDescribe, eip.Limit{Count: 600, Per: time.Minute}},       // the read's native action
		{"alibaba", "cn-hangzhou", "AssociateEipAddressBatch", eip.Limit{Count: 2, Per: time.Second}}, // undocumented: the profile's default
		{"other", "r", "AssociateEipAddressBatch", eip.Limit{Count: 5, Per: time.Second}},             // the provider's default
		{"other", "r", "AssociateEipAddress", eip.Limit{Count: 120, Per: time.Minute}},                // overrides are per provider
	}
	for _, c := range cases {
		if got := ps.For(c.provider, c.region, c.action, caps).Limit(); got != c.want {
			t.Errorf("%s %s %s: %s, want %s", c.provider, c.region, c.action, got, c.want)
		}
	}
	if ps.For("alibaba", "cn-hangzhou", eip.ActionList, caps) != ps.For("alibaba", "cn-hangzhou", "DescribeEipAddresses", caps) {
		t.Error("List and Describe call the same native action but got different pacers")
	}
	// A throttled action slows only itself.
	ps.For("alibaba", "cn-hangzhou", "DescribeEipAddresses", caps).Throttled(0)
	if ps.For("alibaba", "cn-hangzhou", "DescribeEipAddresses", caps).Space() == 0 {
		t.Error("the throttled action did not slow down")
	}
	for _, other := range []struct{ region, action string }{{"cn-beijing", "DescribeEipAddresses"}, {"cn-hangzhou", "AssociateEipAddress"}} {
		if got := ps.For("alibaba", other.region, other.action, caps).Space(); got != 0 {
			t.Errorf("%s %s slowed by another action's throttle: requests %s apart", other.region, other.action, got)
		}
	}
}

func TestParseLimit(t *testing.T) {
	good := map[string]eip.Limit{
		"120/60s": {Count: 120, Per: time.Minute}, "10/1s": {Count: 10, Per: time.Second}, "10/s": {Count: 10, Per: time.Second},
		"30/m": {Count: 30, Per: time.Minute}, " 5 / 500ms ": {Count: 5, Per: 500 * time.Millisecond}, "600/1m": {Count: 600, Per: time.Minute},
	}
	for in, want := range good {
		got, err := eip.ParseLimit(in)
		if err != nil || got != want {
			t.Errorf("ParseLimit(%q) = %s, %v; want %s", in, got, err, want)
		}
		if back, err := eip.ParseLimit(got.String()); err != nil || back != got {
			t.Errorf("%s does not read back: %s, %v", got, back, err)
		}
	}
	for _, in := range []string{"", "120", "/60s", "0/1s", "-1/1s", "10/0s", "10/-1s", "ten/1s", "10/fortnight", "1.5/1s"} {
		if _, err := eip.ParseLimit(in); err == nil {
			t.Errorf("ParseLimit(%q) accepted", in)
		}
	}
}

// A request may reach the server well after it was admitted (a client lock,
// a slow machine): the window of an answered request counts from its answer.
func TestPacerCountsTheWindowFromTheAnswer(t *testing.T) {
	clk, p := spent(t, eip.Limit{Count: 10, Per: time.Second}, 10)
	clk.Advance(300 * time.Millisecond) // the answers come back 300ms later
	for i := 0; i < 10; i++ {
		p.Succeeded()
	}
	ts := admit(t, clk, p, 1, nil)
	if d := ts[0].Sub(t0); d < 1300*time.Millisecond {
		t.Errorf("11th request went %s after a burst answered at 300ms, want at least 1.3s", d)
	}
	// Unanswered admissions (a request that failed on the way) do not pile up.
	q := pace.NewPacer(clk, eip.Limit{Count: 2, Per: time.Second})
	for i := 0; i < 100; i++ {
		_ = q.Wait(context.Background())
	}
	q.Succeeded()
	clk.Advance(2 * time.Second)
	if got := atOnce(admit(t, clk, q, 2, nil)); got != 2 {
		t.Errorf("pacer after 100 unanswered sends let %d go at once a window later, want its burst of 2", got)
	}
}

// A cloud that counts its limits per account: every region's lane must draw
// from one pacer per action, or two lanes at the full pace together send
// twice the limit.
func TestPacersShareAnAccountWideLimit(t *testing.T) {
	caps := eip.Capabilities{DefaultLimit: eip.Limit{Count: 10, Per: time.Second}, AccountWide: true}
	ps := pace.NewPacers(clock.NewFake(t0), nil)
	if ps.For("zenlayer", "asia-east-1", "AssociateEipAddress", caps) != ps.For("zenlayer", "asia-north-1", "AssociateEipAddress", caps) {
		t.Error("two regions got separate pacers on an account-wide cloud")
	}
	if ps.For("zenlayer", "asia-east-1", "AssociateEipAddress", caps) == ps.For("zenlayer", "asia-east-1", "DescribeEips", caps) {
		t.Error("two actions share one pacer")
	}
	caps.AccountWide = false
	if ps.For("alibaba", "cn-hangzhou", "AssociateEipAddress", caps) == ps.For("alibaba", "cn-beijing", "AssociateEipAddress", caps) {
		t.Error("a per-region cloud shares one pacer across regions")
	}
}

// stillClock never moves: each Wait's instant is recorded, not slept to, as
// when many requests queue on one pacer at once and answers come back while
// later ones still wait for their turn.
type stillClock struct {
	now     time.Time
	waitFor []time.Time
}

func (c *stillClock) Now() time.Time                             { return c.now }
func (c *stillClock) Sleep(context.Context, time.Duration) error { return nil }
func (c *stillClock) SleepUntil(_ context.Context, t time.Time) error {
	c.waitFor = append(c.waitFor, t)
	return nil
}

func TestPacerAnswersNeverFreeAQueuedSlot(t *testing.T) {
	clk := &stillClock{now: t0}
	p := pace.NewPacer(clk, eip.Limit{Count: 1, Per: time.Second})
	for i := 0; i < 5; i++ { // one goes now, four queue a second apart
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	p.Succeeded() // the first one's answer, while four still wait
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := clk.waitFor
	for i := 1; i < len(w); i++ {
		if gap := w[i].Sub(w[i-1]); gap < time.Second {
			t.Fatalf("admissions %v: %d and %d are %s apart, want at least the 1s window of a 1-per-second limit", w, i, i+1, gap)
		}
	}
}

// Answered and Succeeded share one path: only a success speeds a throttled
// pacer up; both count the request.
func TestPacerAnsweredKeepsThePace(t *testing.T) {
	_, p := spent(t, eip.Limit{Count: 10, Per: time.Second}, 10)
	p.Throttled(0)
	slowed := p.Space()
	p.Answered()
	if got := p.Space(); got != slowed {
		t.Errorf("after an answer that was no success the space is %s, want the throttled %s", got, slowed)
	}
	p.Succeeded()
	if got := p.Space(); got >= slowed {
		t.Errorf("after a success the space is %s, want less than %s", got, slowed)
	}
}
