package eip

import (
	"context"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
)

// Engine runs a whole request: validate every item before any call, read the
// current state, skip what is already done, group and chunk the rest to each
// cloud's batch size, submit under its rate limit with retries, wait with
// batched reads, and return one row per EIP.
type Engine struct {
	// Lookup returns the adapter for a provider name. A *UsageError from it
	// should name the flag and the choices; other errors keep their kind.
	Lookup func(provider string) (Provider, error)
	Clock  clock.Clock

	Wait     bool          // poll until every EIP is done
	Timeout  time.Duration // how long to wait in all
	DryRun   bool          // read state and prepare calls, send nothing mutating
	Schedule Schedule      // zero means DefaultSchedule
	Retry    RetryPolicy   // zero means DefaultRetry
	// Concurrency bounds the calls in flight at once (default 4).
	Concurrency int
	// Observe, when set, is told of every status the engine reads while
	// waiting, every mutation accepted, every retry and every row as it
	// settles (progress on stderr, jsonl, tests). It is called serialized.
	Observe func(Event)
	// AllowUnknownRegion accepts regions a provider's list does not hold
	// (a region opened after this release); their spelling is still checked.
	AllowUnknownRegion bool
	// Stop, when closed (first SIGINT/SIGTERM), makes the engine send nothing
	// new; what was sent is still confirmed for up to Drain, and unconfirmed
	// rows are reported pending. Cancelling ctx stops at once.
	Stop <-chan struct{}
	// Drain bounds the confirming after Stop (default 10s).
	Drain time.Duration
	// Shuffle puts a pool's free EIPs in the order they will be tried; nil
	// means a random order (tests pass a fixed one).
	Shuffle func([]Address)

	pace    pacer
	obsMu   sync.Mutex
	stopMu  sync.Mutex
	stopped time.Time // when Stop or ctx's end was first seen; zero before
}

// EventKind says what an Event reports.
type EventKind string

const (
	EventState   EventKind = "state"   // a status read changed
	EventSent    EventKind = "sent"    // a mutation was accepted
	EventRetry   EventKind = "retry"   // a call is sent again
	EventSettled EventKind = "settled" // a row has its final status
)

// Event is one thing the engine saw.
type Event struct {
	Kind                    EventKind
	Provider, Region, EIPID string
	State                   State  // Kind=state: the unified state read
	NativeStatus            string // Kind=state: the cloud's word
	Status                  Status // Kind=settled: the row's status
	Row                     *Result
	// Row is, for Kind=settled, the row exactly as the report will hold it.
	Count int // Kind=sent: EIPs the call carried; Kind=retry: 1
}

// row is one EIP's journey through a run.
type row struct {
	Result
	want   Binding // for associate
	addr   Address
	read   bool // addr holds a state read from the cloud
	seen   bool // a transitional state was observed after submission
	done   bool
	prov   Provider
	unbind bool
	expect *Expectation // for Await
	claim  *claim       // set for a candidate of a pool claim (pool.go)
}

func (e *Engine) defaults() {
	if e.Clock == nil {
		e.Clock = clock.Real{}
	}
	if e.Schedule == (Schedule{}) {
		e.Schedule = DefaultSchedule
	}
	if e.Retry == (RetryPolicy{}) {
		e.Retry = DefaultRetry
	}
	if e.Concurrency <= 0 {
		e.Concurrency = 4
	}
	if e.Timeout <= 0 {
		e.Timeout = 5 * time.Minute
	}
	if e.Drain <= 0 {
		e.Drain = 10 * time.Second
	}
}

// Associate binds each EIP to its target. A returned error means nothing was
// sent (bad input); otherwise every outcome is in the report's rows.
func (e *Engine) Associate(ctx context.Context, items []Binding) (*Report, error) {
	e.defaults()
	rows, err := e.validateBindings(items)
	if err != nil {
		return nil, err
	}
	if plain, claims := claimsOf(rows); len(claims) > 0 {
		return e.associateClaims(ctx, rows, plain, claims)
	}
	return e.associateRows(ctx, rows)
}

// associateRows reads, sorts and binds validated rows of named EIPs.
func (e *Engine) associateRows(ctx context.Context, rows []*row) (*Report, error) {
	open, err := e.start(ctx, rows, nil)
	if err != nil {
		return nil, err
	}
	var todo []*row
	for _, r := range open {
		a := r.addr
		switch {
		case a.BoundTo(r.TargetID):
			e.settle(r, StatusUnchanged, nil)
		case a.State == StateAssociating && a.HeldBy(r.TargetID):
			r.seen = true // already on its way: just wait
		case a.State == StateAvailable:
			todo = append(todo, r)
		case a.TargetID != "" && a.State != StateDisassociating:
			// TODO(force): with want.Force this becomes a move.
			// One that is being unbound will be free soon: IncorrectStatus
			// below says to retry, where this would say to unbind it.
			e.settle(r, StatusFailed, Errorf(ClassConflict, "AlreadyBound",
				"EIP %s is bound to %s %s; eipctl does not move bound EIPs: unbind it first with `eipctl eip disassociate --provider %s --region %s --eip %s`",
				a.ID, a.TargetType, a.TargetID, r.Provider, r.Region, a.ID))
		default:
			e.settle(r, StatusFailed, Errorf(ClassConflict, "IncorrectStatus",
				"EIP %s is %s (%s) and cannot be bound now: retry when it is available", a.ID, a.State, a.NativeStatus))
		}
	}
	return e.submit(ctx, rows, todo, bindKey, prepareBind)
}

// bindKey groups rows that can share one bind call.
func bindKey(r *row) groupKey {
	w := r.want
	return groupKey{w.Provider, w.Region, w.Target, string(w.TargetType), w.PrivateIP, string(w.Mode), w.InstanceRegion, w.ClientToken}
}

// prepareBind turns one chunk into the adapter's bind call.
func prepareBind(p Provider, region string, chunk []*row, token string) (Call, error) {
	w := chunk[0].want
	req := AssociateRequest{Region: region, Target: w.Target, TargetType: w.TargetType, PrivateIP: w.PrivateIP,
		Mode: w.Mode, InstanceRegion: w.InstanceRegion, ClientToken: token}
	for _, r := range chunk {
		req.EIPs = append(req.EIPs, r.addr)
	}
	return p.PrepareAssociate(req)
}

// Disassociate releases each EIP from whatever holds it.
func (e *Engine) Disassociate(ctx context.Context, items []Unbinding) (*Report, error) {
	e.defaults()
	rows, err := e.validateUnbindings(items)
	open, err := e.start(ctx, rows, err)
	if err != nil {
		return nil, err
	}
	var todo []*row
	for _, r := range open {
		a := r.addr
		r.TargetID, r.TargetType = a.TargetID, a.TargetType
		switch a.State {
		case StateAvailable:
			e.settle(r, StatusUnchanged, nil)
		case StateDisassociating:
			r.seen = true
		case StateAssociated:
			todo = append(todo, r)
		default:
			e.settle(r, StatusFailed, Errorf(ClassConflict, "IncorrectStatus",
				"EIP %s is %s (%s) and cannot be unbound now: retry when the binding has finished", a.ID, a.State, a.NativeStatus))
		}
	}
	return e.submit(ctx, rows, todo, func(r *row) groupKey {
		return groupKey{provider: r.Provider, region: r.Region, target: r.addr.TargetID, targetType: string(r.addr.TargetType), token: r.want.ClientToken}
	}, func(p Provider, region string, chunk []*row, token string) (Call, error) {
		req := DisassociateRequest{Region: region, ClientToken: token}
		for _, r := range chunk {
			req.EIPs = append(req.EIPs, r.addr)
		}
		return p.PrepareDisassociate(req)
	})
}

// start reads the current state of validated rows (every item was checked
// before this first call), refuses an EIP named twice (by ID and by address),
// and returns the rows still open.
func (e *Engine) start(ctx context.Context, rows []*row, err error) ([]*row, error) {
	if err != nil {
		return nil, err
	}
	e.resolve(ctx, rows)
	if err := sameEIPTwice(rows); err != nil {
		return nil, err
	}
	return openRows(rows), nil
}

// halted reports whether nothing new may be sent: Stop is closed or ctx is
// done. It is checked right before every mutation goes out.
func (e *Engine) halted(ctx context.Context) bool {
	stop := ctx.Err() != nil
	if !stop {
		select {
		case <-e.Stop:
			stop = true
		default:
		}
	}
	if stop {
		e.stopMu.Lock()
		if e.stopped.IsZero() {
			e.stopped = e.Clock.Now()
		}
		e.stopMu.Unlock()
	}
	return stop
}

// interrupted reports whether the run was stopped; stopAt is when.
func (e *Engine) interrupted() bool { return !e.stopAt().IsZero() }

func (e *Engine) stopAt() time.Time {
	e.stopMu.Lock()
	defer e.stopMu.Unlock()
	return e.stopped
}

// errNotSent marks a mutation held back because the run was stopped.
var errNotSent = Errorf(ClassTransient, "Interrupted", "not sent: the run was interrupted before this request; run the command again")
