package engine

import (
	"context"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/journal"
	"github.com/eipctl/eipctl/pkg/pace"

	"github.com/eipctl/eipctl/pkg/clock"
)

// Engine runs a whole request: validate every item before any call, read the
// current state, skip what is already done, group and chunk the rest to each
// cloud's batch size, submit under its rate limit with retries, wait with
// batched reads, and return one row per EIP.
type Engine struct {
	// Lookup returns the adapter for a provider name. A *UsageError from it
	// should name the flag and the choices; other errors keep their kind.
	Lookup func(provider string) (eip.Provider, error)
	// Providers are the names Lookup knows (the CLI passes the registry's,
	// providers/all), for the message that asks for one.
	Providers []string
	Clock     clock.Clock

	Wait     bool             // poll until every EIP is done
	Timeout  time.Duration    // how long to wait in all
	DryRun   bool             // read state and prepare calls, send nothing mutating
	Schedule pace.Schedule    // zero means DefaultSchedule
	Retry    pace.RetryPolicy // zero means DefaultRetry
	// Concurrency bounds the mutations in flight at once in each lane (one
	// lane per provider+region), and likewise the reads (default 4).
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
	Shuffle func([]eip.Address)
	// Limits overrides the documented rate limits, per provider and native
	// action (the profile's `limits:`; a "default" action overrides the
	// provider's DefaultLimit).
	Limits map[string]map[string]eip.Limit

	// Journal, when set, records every change this run makes, and the
	// intent of every move before its unbind is sent (journal.go). History
	// is the journal as it stood when the run began: moves earlier runs
	// left unfinished are finished from it, and MinInterval (when set)
	// refuses to move an EIP it shows moved less than that long ago.
	Journal     *journal.Journal
	History     []journal.Entry
	MinInterval time.Duration
	jstate      journalState
	adaptive    bool // no Schedule given: poll.go's schedule
	pollMu      sync.Mutex
	polls       map[*pace.Pacer]map[*lane]int // Describe calls a round, by pacer and lane (poll.go)

	pacers  *pace.Pacers
	wrapMu  sync.Mutex
	wrapped map[string]*pace.Provider // by provider name (read.go's paced)
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
	EventJournal EventKind = "journal" // writing the journal failed (Err)
)

// Event is one thing the engine saw.
type Event struct {
	Kind                    EventKind
	Provider, Region, EIPID string
	State                   eip.State  // Kind=state: the unified state read
	NativeStatus            string     // Kind=state: the cloud's word
	Status                  eip.Status // Kind=settled: the row's status
	Row                     *eip.Result
	// Row is, for Kind=settled, the row exactly as the report will hold it.
	Count int   // Kind=sent: EIPs the call carried; Kind=retry: 1
	Err   error // Kind=journal
	// PutBack is, for Kind=settled, a failed move whose EIP was put back
	// where it was (a rollback).
	PutBack bool
}

func (e *Engine) defaults() {
	if e.Clock == nil {
		e.Clock = clock.Real{}
	}
	if e.Schedule == (pace.Schedule{}) {
		e.Schedule, e.adaptive = pace.DefaultSchedule, true // poll.go
	}
	if e.Retry == (pace.RetryPolicy{}) {
		e.Retry = pace.DefaultRetry
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
	if e.pacers == nil {
		e.pacers = pace.NewPacers(e.Clock, e.Limits)
	}
}

// Associate binds each EIP to its target. A returned error means nothing was
// sent (bad input); otherwise every outcome is in the report's rows.
func (e *Engine) Associate(ctx context.Context, items []eip.Binding) (*eip.Report, error) {
	e.defaults()
	rows, err := e.validateBindings(items)
	plain, claims := claimsOf(rows)
	if err == nil {
		err = expressible(plain)
	}
	if err != nil {
		return nil, err
	}
	if len(claims) > 0 {
		return e.associateClaims(ctx, rows, plain, claims)
	}
	return e.run(ctx, rows)
}

// Disassociate releases each EIP from whatever holds it.
func (e *Engine) Disassociate(ctx context.Context, items []eip.Unbinding) (*eip.Report, error) {
	e.defaults()
	rows, err := e.validateUnbindings(items)
	return e.runValid(ctx, rows, err)
}

// runValid runs rows once every item is valid; a validation error is
// returned as it is, and nothing is read or sent.
func (e *Engine) runValid(ctx context.Context, rows []*row, err error) (*eip.Report, error) {
	if err != nil {
		return nil, err
	}
	return e.run(ctx, rows)
}

// run is the whole pipeline once every item is valid: addresses become IDs
// (the only step all lanes wait for, and only when an EIP was given by
// address), then each provider+region lane reads, sends and confirms on its
// own, and the rows become the report in the order they were asked for.
func (e *Engine) run(ctx context.Context, rows []*row) (*eip.Report, error) {
	if err := e.byAddress(ctx, rows); err != nil {
		return nil, err
	}
	return e.finish(e.pipeline(ctx, rows), rows), nil
}

// pipeline runs the lanes; rows already read (a pool's candidates) skip the
// first read.
func (e *Engine) pipeline(ctx context.Context, rows []*row) *eip.Report {
	lanes := e.lanes(rows)
	var wg sync.WaitGroup
	for _, l := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.run(ctx)
		}()
	}
	wg.Wait()
	rep := &eip.Report{}
	for _, l := range lanes {
		rep.Requests = append(rep.Requests, l.planned...)
	}
	return rep
}

// associateRows runs validated rows of named EIPs (pool.go runs the named
// items of a request this way before its claims).
func (e *Engine) associateRows(ctx context.Context, rows []*row) (*eip.Report, error) {
	return e.run(ctx, rows)
}

// submit binds a pool round: todo are candidates to send, the other rows
// are on their way already; every row was read by the pool's List.
func (e *Engine) submit(ctx context.Context, rows, todo []*row) (*eip.Report, error) {
	if err := expressible(todo); err != nil {
		return nil, err
	}
	return e.pipeline(ctx, rows), nil
}

// describe reads ids of one provider+region, batched as a lane reads.
func (e *Engine) describe(ctx context.Context, p *pace.Provider, provider, region string, ids []string) (map[string]eip.Address, map[string]*eip.Error) {
	return e.newLane(p, provider, region, nil).describeIDs(ctx, ids)
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
