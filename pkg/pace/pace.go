package pace

import (
	"context"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"

	"github.com/eipctl/eipctl/pkg/clock"
)

// Schedule is how often the engine polls while waiting: fast at first, then
// backing off, so a binding that takes 2s is seen promptly and one that takes
// minutes costs few reads.
type Schedule struct {
	Initial time.Duration
	Factor  float64
	Max     time.Duration
}

// DefaultSchedule polls at 500ms, x1.5 each round, capped at 5s.
var DefaultSchedule = Schedule{Initial: 500 * time.Millisecond, Factor: 1.5, Max: 5 * time.Second}

// Delay returns the pause before poll round n (0-based).
func (s Schedule) Delay(n int) time.Duration {
	d := float64(s.Initial)
	for i := 0; i < n && d < float64(s.Max); i++ {
		d *= s.Factor
	}
	return min(time.Duration(d), s.Max)
}

// Pacer admits requests for one provider, region and native action at its
// documented limit, as a sliding window: a request may go when fewer than
// Count requests went in the last Per. So the documented burst goes at once
// (120 calls of a 120-per-60s action, 10 of a 10-per-second one), and no span
// of Per ever holds more than Count, whatever the window the cloud counts in.
// A request's place in the window moves from its admission to its answer
// (Succeeded or Throttled) once it has one: the server saw it in between.
//
// On a throttling answer it also spaces requests evenly, at half the
// documented average pace (at most once per cooldown, since every request in
// flight may come back throttled together; halving again on a new throttle,
// never below one per window), pauses one space or as long as the server's
// hint says, and widens the pace by an eighth with each success until it is
// back at the documented average, when the window alone governs again:
// multiplicative decrease and increase of the rate, as TCP-like adaptive
// clients do. Spacing, not a smaller window: a 60 s window cut to a few
// requests would hold the next one for up to a minute after a burst.
type Pacer struct {
	clk clock.Clock
	lim eip.Limit

	// answers and throttles count what the cloud said, for --metrics-file.
	answers, throttles atomic.Int64

	mu   sync.Mutex
	sent []time.Time // when requests went (or were answered), ascending; the last lim.Count matter
	open []time.Time // admissions not answered yet, oldest first
	last time.Time   // the latest instant handed out
	hold time.Time   // nothing goes before this (throttle pause, server hint)
	rate float64     // requests per second after a throttle; 0: the window alone
	cut  time.Time   // when rate was last halved
}

// NewPacer paces at l on clk. A zero Limit admits everything at once.
func NewPacer(clk clock.Clock, l eip.Limit) *Pacer {
	if clk == nil {
		clk = clock.Real{}
	}
	return &Pacer{clk: clk, lim: l}
}

// even is the documented average pace, in requests per second.
func (p *Pacer) even() float64 { return float64(p.lim.Count) / p.lim.Per.Seconds() }

// space is the least time between two admissions now (zero: the window alone).
func (p *Pacer) space() time.Duration {
	if p.rate <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / p.rate)
}

// margin keeps consecutive windows a little apart, so a request that left a
// moment after it was admitted does not land in the previous window of a
// server that counts arrivals.
func (p *Pacer) margin() time.Duration { return p.lim.Per / 100 }

// cooldown is how long after halving another throttle is taken as an echo
// of the same overload rather than a new one.
func (p *Pacer) cooldown() time.Duration { return min(p.lim.Per, time.Second) }

// Wait blocks until a request may go, or ctx is done. Waiters are served in
// the order they called, each at its own instant.
func (p *Pacer) Wait(ctx context.Context) error {
	if p == nil || p.lim.IsZero() {
		return ctx.Err()
	}
	p.mu.Lock()
	t := p.clk.Now()
	if t.Before(p.last) {
		t = p.last
	}
	if t.Before(p.hold) {
		t = p.hold
	}
	if g := p.space(); g > 0 && !p.last.IsZero() && t.Before(p.last.Add(g)) {
		t = p.last.Add(g)
	}
	if k := p.lim.Count; len(p.sent) >= k {
		if free := p.sent[len(p.sent)-k].Add(p.lim.Per + p.margin()); t.Before(free) {
			t = free
		}
	}
	p.sent = append(p.sent, t)
	p.open = append(p.open, t)
	p.trim()
	p.last = t
	p.mu.Unlock()
	return p.clk.SleepUntil(ctx, t)
}

// answered moves the oldest unanswered admission to now: the server saw that
// request at some instant between the two, and a window counted from the
// answer is safe even when a request left late or travelled slowly (a
// client lock, a loaded machine), where one counted from the admission
// could let the server see one request too many. Callers hold p.mu.
func (p *Pacer) answered(now time.Time) {
	if len(p.open) == 0 {
		return
	}
	v := p.open[0]
	p.open = p.open[1:]
	if now.Before(v) {
		// The oldest admission still open is one whose caller has not gone
		// yet (the answered one was dropped by trim, or never waited):
		// answering may move an instant later, never earlier, or a window
		// would hold one request too many.
		now = v
	}
	if i := sort.Search(len(p.sent), func(i int) bool { return !p.sent[i].Before(v) }); i < len(p.sent) && p.sent[i].Equal(v) {
		p.sent = append(p.sent[:i], p.sent[i+1:]...)
	}
	i := sort.Search(len(p.sent), func(i int) bool { return p.sent[i].After(now) })
	p.sent = append(p.sent, time.Time{})
	copy(p.sent[i+1:], p.sent[i:])
	p.sent[i] = now
	p.trim()
}

// trim keeps the logs bounded: only the last lim.Count instants matter, and
// admissions never answered (a request that failed on the way) are dropped
// once they are that many.
func (p *Pacer) trim() {
	if n := p.lim.Count; len(p.sent) > 2*n {
		p.sent = append(p.sent[:0], p.sent[len(p.sent)-n:]...)
	}
	if n := p.lim.Count; len(p.open) > 2*n {
		p.open = append(p.open[:0], p.open[len(p.open)-n:]...)
	}
}

// Throttled slows the pacer after the cloud refused a request for its rate:
// requests spaced at half the pace, and a pause of retryAfter (the server's
// hint, such as Alibaba's x-acs-retry-after) or one space at the new pace.
func (p *Pacer) Throttled(retryAfter time.Duration) {
	if p == nil {
		return
	}
	p.answers.Add(1)
	p.throttles.Add(1)
	if p.lim.IsZero() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clk.Now()
	p.answered(now)
	if p.cut.IsZero() || now.Sub(p.cut) >= p.cooldown() {
		if p.rate <= 0 {
			p.rate = p.even()
		}
		p.rate = max(p.rate/2, 1/p.lim.Per.Seconds())
		p.cut = now
	}
	pause := max(retryAfter, p.space())
	if h := now.Add(pause); h.After(p.hold) {
		p.hold = h
	}
}

// Answered counts the window of a request that got an answer other than
// success or throttling (or none: a reset) from now, the pace unchanged.
func (p *Pacer) Answered() { p.settle(false) }

// Succeeded speeds a throttled pacer up by an eighth, back to the window
// alone once it reaches the documented average pace, and counts the window
// of the answered request from now.
func (p *Pacer) Succeeded() { p.settle(true) }

// settle counts an answered request's window from now and, after a success,
// speeds a throttled pacer up.
func (p *Pacer) settle(success bool) {
	if p == nil {
		return
	}
	if p.answers.Add(1); p.lim.IsZero() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answered(p.clk.Now())
	if success && p.rate > 0 {
		if p.rate *= 1.125; p.rate >= p.even() {
			p.rate = 0
		}
	}
}

// Limit is the limit the pacer was built with: the documented one, or the
// profile's.
func (p *Pacer) Limit() eip.Limit {
	if p == nil {
		return eip.Limit{}
	}
	return p.lim
}

// Space is the least time the pacer now leaves between two requests: zero
// while only the documented window applies, more after throttling.
func (p *Pacer) Space() time.Duration {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.space()
}

// Pacers hands out one Pacer per provider, region and native action, at the
// limit the provider documents unless the profile overrides it. A throttled
// action slows only itself: other actions, regions and clouds keep their pace.
type Pacers struct {
	clk       clock.Clock
	overrides map[string]map[string]eip.Limit

	mu sync.Mutex
	m  map[string]*Pacer
}

// NewPacers builds the set. overrides maps provider -> native action -> limit
// (Engine.Limits, from the profile's `limits:`); a "default" action entry
// overrides the provider's DefaultLimit.
func NewPacers(clk clock.Clock, overrides map[string]map[string]eip.Limit) *Pacers {
	return &Pacers{clk: clk, overrides: overrides, m: map[string]*Pacer{}}
}

// For returns the pacer of one provider, region and action (a native name, or
// an engine read such as ActionDescribe, which caps maps to its native name);
// an AccountWide cloud has one per action for all regions.
func (ps *Pacers) For(provider, region, action string, caps eip.Capabilities) *Pacer {
	native := caps.Native(action)
	if caps.AccountWide {
		region = ""
	}
	key := provider + "\x00" + region + "\x00" + native
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p, ok := ps.m[key]; ok {
		return p
	}
	p := NewPacer(ps.clk, ps.limit(provider, native, caps))
	ps.m[key] = p
	return p
}

func (ps *Pacers) limit(provider, native string, caps eip.Capabilities) eip.Limit {
	o := ps.overrides[provider]
	if l, ok := o[native]; ok {
		return l
	}
	if _, documented := caps.Limits[native]; !documented {
		if l, ok := o["default"]; ok {
			return l
		}
	}
	return caps.LimitFor(native)
}

// Count is what one provider's action was answered, in all and throttled.
type Count struct {
	Provider, Action    string
	Requests, Throttles int64
}

// Counts sums the answers of every pacer by provider and native action
// (regions together), in a stable order: the requests and throttles of
// --metrics-file.
func (ps *Pacers) Counts() []Count {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	sum := map[[2]string]*Count{}
	for key, p := range ps.m {
		parts := strings.SplitN(key, "\x00", 3)
		k := [2]string{parts[0], parts[2]}
		c, ok := sum[k]
		if !ok {
			c = &Count{Provider: k[0], Action: k[1]}
			sum[k] = c
		}
		c.Requests += p.answers.Load()
		c.Throttles += p.throttles.Load()
	}
	out := make([]Count, 0, len(sum))
	for _, c := range sum {
		if c.Requests > 0 {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Provider != out[j].Provider {
			return out[i].Provider < out[j].Provider
		}
		return out[i].Action < out[j].Action
	})
	return out
}
