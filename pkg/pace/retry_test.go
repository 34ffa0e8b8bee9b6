package pace_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/pace"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
)

func asError(err error) *eip.Error {
	var e *eip.Error
	if errors.As(err, &e) {
		return e
	}
	return eip.Errorf(eip.ClassTransient, "Other", "%v", err)
}

// sends runs Do over fn that fails with errs in turn (then succeeds) and
// returns the instants of each send.
func sends(t *testing.T, p pace.RetryPolicy, try pace.Try, errs ...error) ([]time.Time, error) {
	t.Helper()
	clk := try.Clock.(*clock.Fake)
	var at []time.Time
	err := p.Do(context.Background(), try, func() error {
		at = append(at, clk.Now())
		if n := len(at); n <= len(errs) {
			return errs[n-1]
		}
		return nil
	})
	return at, err
}

func TestRetryRetriesOnlyWhatCanSucceedLater(t *testing.T) {
	p := pace.RetryPolicy{Attempts: 4, Base: time.Second, Max: 8 * time.Second}
	for _, c := range []struct {
		class eip.Class
		sends int
	}{
		{eip.ClassThrottled, 4}, {eip.ClassTransient, 4}, {eip.ClassConflict, 4},
		{eip.ClassInvalid, 1}, {eip.ClassNotFound, 1}, {eip.ClassAuth, 1},
	} {
		fail := eip.Errorf(c.class, "Code", "refused")
		at, err := sends(t, p, pace.Try{Clock: clock.NewFake(t0), Classify: asError}, fail, fail, fail, fail, fail)
		if len(at) != c.sends || err != fail {
			t.Errorf("%s: %d sends, err %v; want %d sends and the cloud's error back unchanged", c.class, len(at), err, c.sends)
		}
	}
	// A retried failure that then succeeds is a success.
	at, err := sends(t, p, pace.Try{Clock: clock.NewFake(t0), Classify: asError}, eip.Errorf(eip.ClassThrottled, "Throttling", "slow down"))
	if err != nil || len(at) != 2 {
		t.Errorf("throttled then fine: %d sends, %v", len(at), err)
	}
}

func TestRetryBackoffIsExponentialWithFullJitter(t *testing.T) {
	p := pace.RetryPolicy{Attempts: 10, Base: 100 * time.Millisecond, Max: 2 * time.Second}
	for n, ceiling := range []time.Duration{100, 200, 400, 800, 1600, 2000, 2000} {
		ceiling *= time.Millisecond
		if n >= 5 {
			ceiling = 2 * time.Second
		}
		lo, hi := ceiling, time.Duration(0)
		for i := 0; i < 400; i++ {
			d := p.Backoff(n)
			if d < 0 || d > ceiling {
				t.Fatalf("Backoff(%d) = %s, want within [0, %s]", n, d, ceiling)
			}
			lo, hi = min(lo, d), max(hi, d)
		}
		// Full jitter spreads over the whole range (a fixed or half-fixed
		// pause would leave the bottom empty).
		if lo > ceiling/4 || hi < ceiling*3/4 {
			t.Errorf("Backoff(%d) over 400 draws spans only [%s, %s] of [0, %s]", n, lo, hi, ceiling)
		}
	}
	if d := p.Backoff(1000); d > p.Max {
		t.Errorf("Backoff(1000) = %s, past Max", d)
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	p := pace.RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}
	hint := eip.Errorf(eip.ClassThrottled, "Throttling.User", "flow control")
	hint.RetryAfter = 4 * time.Second
	at, err := sends(t, p, pace.Try{Clock: clock.NewFake(t0), Classify: asError}, hint)
	if err != nil || len(at) != 2 {
		t.Fatalf("%d sends, %v", len(at), err)
	}
	if gap := at[1].Sub(at[0]); gap < 4*time.Second {
		t.Errorf("resent %s after a 4s x-acs-retry-after hint", gap)
	}
}

func TestRetryNeverPastTheDeadline(t *testing.T) {
	p := pace.RetryPolicy{Attempts: 100, Base: time.Second, Max: 4 * time.Second}
	busy := eip.Errorf(eip.ClassConflict, "TaskConflict", "busy")
	errs := make([]error, 100)
	for i := range errs {
		errs[i] = busy
	}
	deadline := t0.Add(20 * time.Second)
	at, err := sends(t, p, pace.Try{Clock: clock.NewFake(t0), Classify: asError, Deadline: deadline}, errs...)
	if err != busy {
		t.Fatalf("err %v, want the last refusal", err)
	}
	if last := at[len(at)-1]; last.After(deadline) {
		t.Errorf("a send started %s after the deadline", last.Sub(deadline))
	}
	if len(at) < 5 {
		t.Errorf("only %d sends in 20s of 1-4s backoffs", len(at))
	}

	// A hint that points past the deadline ends the retries at once.
	hint := eip.Errorf(eip.ClassThrottled, "Throttling", "later")
	hint.RetryAfter = time.Minute
	at, _ = sends(t, p, pace.Try{Clock: clock.NewFake(t0), Classify: asError, Deadline: t0.Add(30 * time.Second)}, hint, hint)
	if len(at) != 1 {
		t.Errorf("%d sends with a hint past the deadline, want 1", len(at))
	}

	// So does the context's own deadline (wall clock).
	clk := clock.NewFake(t0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := 0
	_ = p.Do(ctx, pace.Try{Clock: clk, Classify: asError}, func() error { n++; return hint })
	if n != 1 || !clk.Now().Equal(t0) {
		t.Errorf("ctx deadline 30s, hint 1m: %d sends and slept %s, want 1 send and no sleep", n, clk.Now().Sub(t0))
	}
}

func TestRetryTellsThePacerAndTheObserver(t *testing.T) {
	clk := clock.NewFake(t0)
	pacer := pace.NewPacer(clk, eip.Limit{Count: 10, Per: time.Second})
	var retries []time.Duration
	try := pace.Try{Clock: clk, Classify: asError, Pacer: pacer, OnRetry: func(e *eip.Error, d time.Duration) {
		if e.Code != "RequestLimitExceeded" {
			t.Errorf("OnRetry got %s", e.Code)
		}
		retries = append(retries, d)
	}}
	throttle := eip.Errorf(eip.ClassThrottled, "RequestLimitExceeded", "too fast")
	if _, err := sends(t, pace.RetryPolicy{Attempts: 3, Base: time.Second, Max: time.Second}, try, throttle); err != nil {
		t.Fatal(err)
	}
	if len(retries) != 1 {
		t.Errorf("OnRetry called %d times, want 1", len(retries))
	}
	// Halved by the throttle (5/s), an eighth back for the success: 1s / 5.625.
	if got, want := pacer.Space(), 177777777*time.Nanosecond; got != want {
		t.Errorf("pacer after throttle+success spaces requests %s apart, want %s", got, want)
	}
}

func TestRetryNextIsTheOneDecision(t *testing.T) {
	p := pace.RetryPolicy{Attempts: 3, Base: time.Second, Max: 4 * time.Second}
	if _, again := p.Next(2, 0, t0, time.Time{}); again {
		t.Error("a third failed send of 3 allowed is sent again")
	}
	if d, again := p.Next(0, 5*time.Second, t0, time.Time{}); !again || d < 5*time.Second {
		t.Errorf("after a 5s hint: %s, %v", d, again)
	}
	if _, again := p.Next(0, 5*time.Second, t0, t0.Add(4*time.Second)); again {
		t.Error("a pause past the deadline was allowed")
	}
	if d, again := p.Next(1, 0, t0, t0.Add(time.Hour)); !again || d > 2*time.Second {
		t.Errorf("second failure: %s, %v; want at most 2s", d, again)
	}
}
