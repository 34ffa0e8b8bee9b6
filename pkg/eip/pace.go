package eip

import (
	"context"
	"sort"
	"sync"
	"time"

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
// On a throttling answer it halves the count it allows per window (at most
// once per cooldown, since every request in flight may come back throttled
// together), pauses one slot at the new pace or as long as the server's hint
// says, and then wins back one request per window for each success: additive
// increase, multiplicative decrease, as TCP and the AWS SDKs' adaptive mode do.
type Pacer struct {
	clk clock.Clock
	lim Limit

	mu   sync.Mutex
	sent []time.Time // when requests went (or were answered), ascending; the last lim.Count matter
	open []time.Time // admissions not answered yet, oldest first
	last time.Time   // the latest instant handed out
	hold time.Time   // nothing goes before this (throttle pause, server hint)
	cur  float64     // requests allowed per window now, 1..lim.Count
	cut  time.Time   // when cur was last halved
}

// NewPacer paces at l on clk. A zero Limit admits everything at once.
func NewPacer(clk clock.Clock, l Limit) *Pacer {
	if clk == nil {
		clk = clock.Real{}
	}
	return &Pacer{clk: clk, lim: l, cur: float64(l.Count)}
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
	if k := int(p.cur); len(p.sent) >= k {
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
// half the count per window, and a pause of retryAfter (the server's hint,
// such as Alibaba's x-acs-retry-after) or one slot at the new pace.
func (p *Pacer) Throttled(retryAfter time.Duration) {
	if p == nil || p.lim.IsZero() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clk.Now()
	p.answered(now)
	if p.cut.IsZero() || now.Sub(p.cut) >= p.cooldown() {
		p.cur = max(1, p.cur/2)
		p.cut = now
	}
	pause := max(retryAfter, time.Duration(float64(p.lim.Per)/p.cur))
	if h := now.Add(pause); h.After(p.hold) {
		p.hold = h
	}
}

// Succeeded wins back one request per window, up to the documented count,
// and counts the window of the answered request from now.
func (p *Pacer) Succeeded() {
	if p == nil || p.lim.IsZero() {
		return
	}
	p.mu.Lock()
	p.answered(p.clk.Now())
	p.cur = min(float64(p.lim.Count), p.cur+1)
	p.mu.Unlock()
}

// Current is the limit the pacer applies now: the documented one, or less
// after throttling.
func (p *Pacer) Current() Limit {
	if p == nil {
		return Limit{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return Limit{Count: int(p.cur), Per: p.lim.Per}
}

// Pacers hands out one Pacer per provider, region and native action, at the
// limit the provider documents unless the profile overrides it. A throttled
// action slows only itself: other actions, regions and clouds keep their pace.
type Pacers struct {
	clk       clock.Clock
	overrides map[string]map[string]Limit

	mu sync.Mutex
	m  map[string]*Pacer
}

// NewPacers builds the set. overrides maps provider -> native action -> limit
// (Engine.Limits, from the profile's `limits:`); a "default" action entry
// overrides the provider's DefaultLimit.
func NewPacers(clk clock.Clock, overrides map[string]map[string]Limit) *Pacers {
	return &Pacers{clk: clk, overrides: overrides, m: map[string]*Pacer{}}
}

// For returns the pacer of one provider, region and action (a native name, or
// an engine read such as ActionDescribe, which caps maps to its native name);
// an AccountWide cloud has one per action for all regions.
func (ps *Pacers) For(provider, region, action string, caps Capabilities) *Pacer {
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

func (ps *Pacers) limit(provider, native string, caps Capabilities) Limit {
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
