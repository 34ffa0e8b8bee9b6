package cli

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
)

// requestTimeout bounds each HTTP request on its own, whatever is left of
// --timeout (docs/user-guide.md "Waiting and timeouts").
const requestTimeout = 30 * time.Second

// readTimeout is --timeout's default for `eip list` and `eip describe`.
const readTimeout = time.Minute

// deadlineGrace is how long the run's context outlives --timeout: time for
// the engine to settle its rows as timed out and for the report to be
// written. Requests never outlive --timeout itself (bounded, below).
const deadlineGrace = time.Second

// runDeadline is when the running command's --timeout runs out; zero until
// the command starts its run. Every adapter the factory builds is bounded by it.
type runDeadline struct {
	mu      sync.Mutex
	at      time.Time
	timeout time.Duration
	cancel  context.CancelFunc
}

func (d *runDeadline) get() (time.Time, time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.at, d.timeout
}

// startRun starts the clock of --timeout: no request of this command
// outlives it, and cmd's context ends deadlineGrace after it, so no retry
// pause or wait can run on. The factory's Close releases it.
func (f *Factory) startRun(cmd *cobra.Command, timeout time.Duration) {
	d := &f.deadline
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at, d.timeout = time.Now().Add(timeout), timeout
	ctx, cancel := context.WithDeadline(cmd.Context(), d.at.Add(deadlineGrace))
	if d.cancel != nil {
		d.cancel()
	}
	d.cancel = cancel
	cmd.SetContext(ctx)
}

// timedOut reports whether cmd's run ended because --timeout ran out (and
// not by a signal).
func (f *Factory) timedOut(cmd *cobra.Command) bool {
	at, _ := f.deadline.get()
	return !at.IsZero() && !time.Now().Before(at) && f.interrupt.signal() == nil
}

// startReads starts --timeout for a read-only verb (list, describe): the
// flag, EIPCTL_TIMEOUT or the profile's timeout, else readTimeout.
func (f *Factory) startReads(cmd *cobra.Command) error {
	cfg, err := f.Config(cmd)
	if err != nil {
		return err
	}
	timeout, err := cfg.Duration("timeout", readTimeout)
	if err != nil {
		return &usageError{err}
	}
	f.startRun(cmd, timeout)
	return nil
}

// addReadTimeout gives a read-only verb its --timeout flag.
func addReadTimeout(cmd *cobra.Command) {
	cmd.Flags().String("timeout", "", "give up after this long in all, e.g. 30s or 5m (env EIPCTL_TIMEOUT; default 1m)")
}

// bounded is an adapter whose every request ends by the run's deadline: one
// that starts after it is not sent, one still unanswered then is cut, and
// both fail with an Expired error naming --timeout (class transient, code
// Timeout), which is not retried and makes the row "timeout".
type bounded struct {
	eip.Provider
	name string
	d    *runDeadline
}

type boundedTasks struct {
	bounded
	tw eip.TaskWatcher
}

func withDeadline(p eip.Provider, name string, d *runDeadline) eip.Provider {
	b := bounded{Provider: p, name: name, d: d}
	if tw, ok := p.(eip.TaskWatcher); ok {
		return boundedTasks{b, tw}
	}
	return b
}

// expired is the error of a request --timeout cut or kept from going out.
type expired struct{ e *eip.Error }

func (x *expired) Error() string { return x.e.Error() }

// call runs one request under the deadline.
func (b bounded) call(ctx context.Context, what string, fn func(context.Context) error) error {
	return b.bound(ctx, what, false, fn)
}

// bound runs fn by the deadline; send tells a mutation from a read.
func (b bounded) bound(ctx context.Context, what string, send bool, fn func(context.Context) error) error {
	at, timeout := b.d.get()
	if at.IsZero() {
		return fn(ctx)
	}
	if !time.Now().Before(at) {
		return &expired{eip.Errorf(eip.ClassTransient, "Timeout", "--timeout %s ran out before %s %s could be sent: raise --timeout, or run the same command again",
			timeout, b.name, what)}
	}
	cctx, cancel := context.WithDeadline(ctx, at)
	defer cancel()
	err := fn(cctx)
	// The time, not only cctx: an SDK's own timer may fire first, before the
	// context's timer has run.
	cut := err != nil && ctx.Err() == nil && (cctx.Err() != nil || !time.Now().Before(at))
	if cut && !send {
		return &expired{eip.Errorf(eip.ClassTransient, "Timeout", "no answer from %s (%s) within --timeout %s: raise --timeout, or check that the endpoint answers",
			b.name, what, timeout)}
	}
	if cut {
		return &expired{eip.Errorf(eip.ClassTransient, "Timeout", "no answer from %s (%s) within --timeout %s: the cloud may still act on it; raise --timeout, or run the same command again later",
			b.name, what, timeout)}
	}
	return err
}

func (b bounded) Classify(err error) *eip.Error {
	var x *expired
	if errors.As(err, &x) {
		e := *x.e
		e.Expired = true
		return &e
	}
	return b.Provider.Classify(err)
}

// action is the native name of an engine read, for messages.
func (b bounded) action(read string) string {
	if a := b.Capabilities().Actions[read]; a != "" {
		return a
	}
	return read
}

func (b bounded) Describe(ctx context.Context, region string, ids []string) (as []eip.Address, err error) {
	err = b.call(ctx, b.action(eip.ActionDescribe), func(ctx context.Context) (err error) {
		as, err = b.Provider.Describe(ctx, region, ids)
		return err
	})
	return as, err
}

func (b bounded) List(ctx context.Context, region string) (as []eip.Address, err error) {
	err = b.call(ctx, b.action(eip.ActionList), func(ctx context.Context) (err error) {
		as, err = b.Provider.List(ctx, region)
		return err
	})
	return as, err
}

func (b bounded) PrepareAssociate(req eip.AssociateRequest) (eip.Call, error) {
	c, err := b.Provider.PrepareAssociate(req)
	return b.sendCall(c), err
}

func (b bounded) PrepareDisassociate(req eip.DisassociateRequest) (eip.Call, error) {
	c, err := b.Provider.PrepareDisassociate(req)
	return b.sendCall(c), err
}

func (b bounded) sendCall(c eip.Call) eip.Call {
	if run := c.Run; run != nil {
		c.Run = func(ctx context.Context) (res eip.CallResult, err error) {
			err = b.bound(ctx, c.Action, true, func(ctx context.Context) (err error) {
				res, err = run(ctx)
				return err
			})
			return res, err
		}
	}
	return c
}

// CheckCredentials passes the adapter's check through, under the deadline.
func (b bounded) CheckCredentials(ctx context.Context, region string) (checked string, err error) {
	err = b.call(ctx, "a credentials check", func(ctx context.Context) (err error) {
		checked, err = checkCredentials(ctx, b.Provider, region)
		return err
	})
	return checked, err
}

func (b boundedTasks) CheckTasks(ctx context.Context, region string, tasks []string) (m map[string]eip.TaskState, err error) {
	err = b.call(ctx, b.action(eip.ActionCheckTasks), func(ctx context.Context) (err error) {
		m, err = b.tw.CheckTasks(ctx, region, tasks)
		return err
	})
	return m, err
}
