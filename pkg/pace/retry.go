package pace

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"

	"github.com/eipctl/eipctl/pkg/clock"
)

// RetryPolicy is the one place eipctl decides whether and when a failed call
// is sent again. Throttled, conflict and transient failures are retried with
// exponential backoff and full jitter (a pause drawn uniformly from zero to
// the backoff, so clients throttled together do not come back together),
// never sooner than the server's hint (Error.RetryAfter), at most Attempts
// sends in all, and never past the run's deadline. Invalid, notfound and auth
// failures are returned at once: sending them again cannot change the answer.
type RetryPolicy struct {
	Attempts int           // sends in all, per call (at least 1)
	Base     time.Duration // the backoff after the first failure
	Max      time.Duration // the backoff never grows past this
}

// DefaultRetry sends a call up to 6 times; the backoffs (0.5s, 1s, 2s, 4s,
// 8s before jitter) add up to at most 15.5s plus any server hints.
var DefaultRetry = RetryPolicy{Attempts: 6, Base: 500 * time.Millisecond, Max: 8 * time.Second}

// Backoff returns the pause after failed send n (0-based): uniformly random
// in [0, min(Max, Base·2^n)].
func (p RetryPolicy) Backoff(n int) time.Duration {
	d := p.Max
	if n < 62 {
		if b := p.Base << n; b > 0 && b < p.Max {
			d = b
		}
	}
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// Next decides whether a call that failed on send n (0-based) with a
// retryable error is sent again, and after what pause: within Attempts, at
// least the server's hint, and not if the next send would start after
// deadline (zero: none). Do and the engine's chunk sender both ask it.
func (p RetryPolicy) Next(n int, retryAfter time.Duration, now, deadline time.Time) (time.Duration, bool) {
	if n+1 >= max(p.Attempts, 1) {
		return 0, false
	}
	pause := max(p.Backoff(n), retryAfter)
	if !deadline.IsZero() && now.Add(pause).After(deadline) {
		return 0, false
	}
	return pause, true
}

// Try is what one call's retries need besides the call itself.
type Try struct {
	Clock    clock.Clock                     // nil: the wall clock
	Classify func(error) *eip.Error          // the provider's classification
	Deadline time.Time                       // no send starts after it; zero: ctx's deadline only
	Pacer    *Pacer                          // optional: waited on before each send, told of throttles and successes
	OnRetry  func(*eip.Error, time.Duration) // optional: told of each retry and its pause (Event retry)
}

// Do sends fn until it succeeds, fails with a class retrying cannot fix,
// runs out of attempts, or the next send would start after the deadline (the
// earlier of t.Deadline and ctx's). It returns fn's last error unchanged, so
// the caller classifies it as the cloud said it.
func (p RetryPolicy) Do(ctx context.Context, t Try, fn func() error) error {
	clk := t.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	var err error
	for n := 0; ; n++ {
		if werr := t.Pacer.Wait(ctx); werr != nil {
			if err == nil {
				err = werr
			}
			return err
		}
		if err = fn(); err == nil {
			t.Pacer.Succeeded()
			return nil
		}
		ce := t.Classify(err)
		if ce.Class == eip.ClassThrottled {
			t.Pacer.Throttled(ce.RetryAfter)
		} else {
			t.Pacer.Answered()
		}
		if ctx.Err() != nil || !ce.Class.Retryable() || ce.Expired {
			return err
		}
		pause, again := p.Next(n, ce.RetryAfter, clk.Now(), t.Deadline)
		if !again {
			return err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < pause {
			return err
		}
		if t.OnRetry != nil {
			t.OnRetry(ce, pause)
		}
		if clk.Sleep(ctx, pause) != nil {
			return err
		}
	}
}
