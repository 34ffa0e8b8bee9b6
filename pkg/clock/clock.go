// Package clock gives the engine and the emulator one notion of time, so that
// tests can make "binds after 3s" take no real time at all.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source used by waiting, retrying, rate limiting and the
// emulator's state machine.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first.
	Sleep(ctx context.Context, d time.Duration) error
	// SleepUntil waits until t. Waiting for an instant rather than a span
	// lets a fake clock serve concurrent sleepers exactly: it moves to the
	// latest instant asked for instead of adding every span up.
	SleepUntil(ctx context.Context, t time.Time) error
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time { return time.Now() }

func (Real) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r Real) SleepUntil(ctx context.Context, t time.Time) error { return r.Sleep(ctx, time.Until(t)) }

// Fake is a clock that only moves when someone sleeps on it or calls Advance.
// Sleeping advances it instantly, which makes every wait in a test free while
// keeping the order of events (and the emulator's delays) intact.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a fake clock set to start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.Advance(d)
	return nil
}

func (f *Fake) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	if t.After(f.now) {
		f.now = t
	}
	f.mu.Unlock()
	return nil
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}
