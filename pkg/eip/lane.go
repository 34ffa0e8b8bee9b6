package eip

import (
	"context"
	"fmt"
	"sync"
)

// lane is one provider+region: it reads, sends and confirms its own rows
// with its own slots and pacers, so a slow or throttled cloud never holds up
// another. Sending and confirming overlap: a row is watched from the moment
// its request is accepted, batched with every other row in flight.
type lane struct {
	e                *Engine
	p                Provider
	caps             Capabilities
	provider, region string
	rows             []*row

	sends chan struct{} // mutation slots (Engine.Concurrency)
	reads chan struct{} // read slots (Engine.Concurrency)

	mu      sync.Mutex // guards the rows' pipeline fields and what follows
	watched map[*row]bool
	sending int           // chunks being sent
	wake    chan struct{} // a row joined the watch or a send ended
	planned []PlannedCall // dry run
	tokens  int           // generated-token counter, for derived tokens
}

// lanes splits rows into one lane per provider+region, in first-seen order.
func (e *Engine) lanes(rows []*row) []*lane {
	var out []*lane
	for _, g := range groupRows(rows, laneKey) {
		out = append(out, e.newLane(g[0].prov, g[0].Provider, g[0].Region, g))
	}
	return out
}

func (e *Engine) newLane(p Provider, provider, region string, rows []*row) *lane {
	return &lane{e: e, p: p, caps: p.Capabilities(), provider: provider, region: region,
		rows: rows, sends: make(chan struct{}, e.Concurrency), reads: make(chan struct{}, e.Concurrency),
		watched: map[*row]bool{}, wake: make(chan struct{}, 1)}
}

// run is the lane's pipeline: read the start state, decide each row, send
// what needs sending, and confirm until every row has settled.
func (l *lane) run(ctx context.Context) {
	open := openRows(l.rows)
	deadline := l.e.Clock.Now().Add(l.e.Timeout)
	for _, r := range open {
		r.deadline = deadline
	}
	var unread []*row
	for _, r := range open {
		if !r.read {
			unread = append(unread, r)
		}
	}
	l.readState(ctx, unread)
	l.mu.Lock()
	var binds, unbinds []*row
	for _, r := range openRows(open) {
		switch l.decide(r) {
		case phaseBind:
			binds = append(binds, r)
		case phaseUnbind:
			unbinds = append(unbinds, r)
		}
	}
	l.send(ctx, phaseBind, binds)
	l.send(ctx, phaseUnbind, unbinds)
	l.mu.Unlock()
	l.confirm(ctx)
}

// phase is what a row is waiting for.
type phase int

const (
	phaseNone    phase = iota
	phaseBind          // bound to the requested target
	phaseUnbind        // available (a disassociate, or the first half of a move)
	phasePutBack       // a move that failed: bound again where it was
	phaseAwait         // Await: the expected state
)

// decide settles a row the start state already answers, or says what to
// send; a row already on its way is watched. Callers hold l.mu.
func (l *lane) decide(r *row) phase {
	a := r.addr
	switch {
	case r.expect != nil:
		r.TargetType = a.TargetType
		if r.TargetID == "" {
			r.TargetID = a.TargetID
		}
		if r.expect.met(a) {
			l.e.settle(r, StatusUnchanged, nil)
			return phaseNone
		}
		r.phase = phaseAwait
		l.onItsWay(r)
		return phaseNone
	case r.unbind:
		r.TargetID, r.TargetType = a.TargetID, a.TargetType
		switch a.State {
		case StateAvailable:
			l.e.settle(r, StatusUnchanged, nil)
		case StateDisassociating:
			r.phase, r.seen = phaseUnbind, true
			l.onItsWay(r)
		case StateAssociated:
			r.phase = phaseUnbind
			return phaseUnbind
		default:
			l.e.settle(r, StatusFailed, Errorf(ClassConflict, "IncorrectStatus",
				"EIP %s is %s (%s) and cannot be unbound now: retry when the binding has finished", a.ID, a.State, a.NativeStatus))
		}
		return phaseNone
	}
	switch {
	case a.BoundTo(r.TargetID):
		l.e.settle(r, StatusUnchanged, nil)
	case a.State == StateAssociating && a.HeldBy(r.TargetID):
		r.phase, r.seen = phaseBind, true
		l.onItsWay(r)
	case a.State == StateAvailable:
		r.phase = phaseBind
		return phaseBind
	case a.State == StateAssociated && r.want.Force:
		from := a
		r.from, r.phase = &from, phaseUnbind
		return phaseUnbind
	case a.TargetID != "" && a.State != StateDisassociating:
		// One that is being unbound will be free soon: IncorrectStatus
		// below says to retry, where this would say to unbind it.
		l.e.settle(r, StatusFailed, Errorf(ClassConflict, "AlreadyBound",
			"EIP %s is bound to %s %s; without --force eipctl does not move bound EIPs: add --force to move it, or unbind it first with `eipctl eip disassociate --provider %s --region %s --eip %s`",
			a.ID, a.TargetType, a.TargetID, r.Provider, r.Region, a.ID))
	default:
		l.e.settle(r, StatusFailed, Errorf(ClassConflict, "IncorrectStatus",
			"EIP %s is %s (%s) and cannot be bound now: retry when it is available", a.ID, a.State, a.NativeStatus))
	}
	return phaseNone
}

// onItsWay handles a row whose change is already under way: watched, or
// pending when this run does not wait (or is a dry run).
func (l *lane) onItsWay(r *row) {
	if r.expect == nil && (l.e.DryRun || !l.e.Wait) {
		l.e.settle(r, StatusPending, nil)
		return
	}
	l.watch(r)
}

// watch puts a row among those the lane's confirmation reads cover, read
// at once. Callers hold l.mu.
func (l *lane) watch(r *row) {
	r.polls, r.still = 0, 0
	r.due = l.e.Clock.Now().Add(l.e.Schedule.Delay(0))
	l.watched[r] = true
	l.poke()
}

func (l *lane) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// token returns the client token for one chunk: the user's (numbered when a
// group spans chunks or the engine sends a second step), or a fresh one.
func (l *lane) token(user string, chunk, chunks int, step string) string {
	switch {
	case user != "" && step != "":
		user += "-" + step
		fallthrough
	case user != "" && chunks > 1:
		if chunks > 1 {
			return fmt.Sprintf("%s-%d", user, chunk+1)
		}
		return user
	case user != "":
		return user
	case l.caps.ClientToken:
		return newToken()
	}
	return ""
}
