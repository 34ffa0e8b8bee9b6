package eip

import (
	"context"
	"math/rand/v2"
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

// RetryPolicy says how a retryable failure (throttled, transient, conflict) is
// tried again: up to Attempts sends in all, with exponential backoff and jitter
// so that many clients throttled together do not return together.
type RetryPolicy struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// DefaultRetry tries 6 times over roughly half a minute at most.
var DefaultRetry = RetryPolicy{Attempts: 6, Base: 500 * time.Millisecond, Max: 8 * time.Second}

// backoff returns the pause after failed attempt n (0-based): half fixed, half random.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.Base << n
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	return d/2 + rand.N(d/2+1)
}

// do runs fn until it succeeds, fails for good, or attempts run out.
func (p RetryPolicy) do(ctx context.Context, clk clock.Clock, classify func(error) *Error, fn func() error) error {
	var err error
	for n := 0; n < max(p.Attempts, 1); n++ {
		if n > 0 {
			if serr := clk.Sleep(ctx, p.backoff(n-1)); serr != nil {
				return err
			}
		}
		if err = fn(); err == nil {
			return nil
		}
		if ctx.Err() != nil || !classify(err).Class.Retryable() {
			return err
		}
	}
	return err
}

// pacer spaces requests for one key (provider, region, action) at a fixed
// rate, one at a time, so a batch stays under the cloud's limit instead of
// bouncing off it.
type pacer struct {
	mu   sync.Mutex
	next map[string]time.Time
}

func (p *pacer) wait(ctx context.Context, clk clock.Clock, key string, rate float64) error {
	if rate <= 0 {
		return ctx.Err()
	}
	interval := time.Duration(float64(time.Second) / rate)
	p.mu.Lock()
	if p.next == nil {
		p.next = map[string]time.Time{}
	}
	now := clk.Now()
	slot := p.next[key]
	if slot.Before(now) {
		slot = now
	}
	p.next[key] = slot.Add(interval)
	p.mu.Unlock()
	return clk.SleepUntil(ctx, slot)
}
