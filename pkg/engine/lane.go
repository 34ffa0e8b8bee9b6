package engine

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// lane is one provider+region: it reads, sends and confirms its own rows
// with its own slots and pacers, so a slow or throttled cloud never holds up
// another. Sending and confirming overlap: a row is watched from the moment
// its request is accepted, batched with every other row in flight.
type lane struct {
	e                *Engine
	p                *pace.Provider
	caps             eip.Capabilities
	provider, region string
	rows             []*row

	reads chan struct{} // read slots (Engine.Concurrency)

	mu       sync.Mutex // guards the rows' pipeline fields and what follows
	watched  map[*row]bool
	queue    []sendJob               // chunks waiting for a sender, in the order sent
	senders  int                     // goroutines sending the queue (at most Engine.Concurrency)
	sending  int                     // chunks queued or being sent
	wake     chan struct{}           // a row joined the watch or a send ended
	planned  []eip.PlannedCall       // dry run
	tokens   int                     // generated-token counter, for derived tokens
	read     time.Time               // when the last confirmation round began (poll.go)
	taskRead time.Time               // when a task under way too long was last read (wait.go)
	took     map[phase]time.Duration // the least a phase was seen to take in this lane (poll.go)
}

// lanes splits rows into one lane per provider+region, in first-seen order.
func (e *Engine) lanes(rows []*row) []*lane {
	var out []*lane
	for _, g := range groupRows(rows, laneKey) {
		out = append(out, e.newLane(g[0].prov, g[0].Provider, g[0].Region, g))
	}
	return out
}

func (e *Engine) newLane(p *pace.Provider, provider, region string, rows []*row) *lane {
	return &lane{e: e, p: p, caps: p.Capabilities(), provider: provider, region: region,
		rows: rows, reads: make(chan struct{}, e.Concurrency),
		watched: map[*row]bool{}, wake: make(chan struct{}, 1)}
}

// run is the lane's pipeline: read the start state, decide each row, send
// what needs sending, and confirm until every row has settled. The three
// overlap: a target's binds leave as soon as its rows are read, and are
// confirmed while later chunks are still being read and sent.
func (l *lane) run(ctx context.Context) {
	open := openRows(l.rows)
	deadline := l.e.Clock.Now().Add(l.e.Timeout)
	for _, r := range open {
		r.deadline = deadline
	}
	l.mu.Lock()
	l.sending++ // the start: confirming must not end before it has sent everything
	l.mu.Unlock()
	confirmed := make(chan struct{})
	go func() { defer close(confirmed); l.confirm(ctx) }()
	l.start(ctx, open)
	l.mu.Lock()
	l.sending--
	l.poke()
	l.mu.Unlock()
	<-confirmed
}

// start reads the rows not read yet a chunk at a time, rows going to one
// target read together, and decides each row as its chunk comes in. A
// target's binds go out once all of its rows are read, so they make the
// same calls a whole read would, and the first leave while later chunks are
// still being read. Unbinds group by what holds each EIP, which only the
// read tells: they go once the whole read is in.
func (l *lane) start(ctx context.Context, open []*row) {
	bindGroup := sendGroup(phaseBind)
	unread := map[string]int{}
	held := map[string][]*row{}
	var known, toRead, unbinds []*row
	pos := map[*row]int{}
	for i, r := range open {
		pos[r] = i
		if r.read {
			known = append(known, r)
			continue
		}
		toRead = append(toRead, r)
		unread[bindGroup(r)]++
	}
	take := func(rows []*row, fresh bool) { // l.mu held
		for _, r := range rows {
			k := bindGroup(r)
			if fresh {
				unread[k]--
			}
			if r.done {
				continue
			}
			switch l.decide(r) {
			case phaseBind:
				held[k] = append(held[k], r)
			case phaseUnbind:
				unbinds = append(unbinds, r)
			}
		}
		var binds []*row
		for _, r := range rows {
			if k := bindGroup(r); unread[k] == 0 && len(held[k]) > 0 {
				// In the order asked for, whichever chunk was read first:
				// the chunks, and so their client tokens, do not depend on it.
				g := held[k]
				sort.Slice(g, func(i, j int) bool { return pos[g[i]] < pos[g[j]] })
				binds = append(binds, g...)
				delete(held, k)
			}
		}
		l.send(ctx, phaseBind, binds)
	}
	l.mu.Lock()
	take(known, false)
	l.mu.Unlock()
	var grouped []*row
	for _, g := range groupRows(toRead, bindGroup) {
		grouped = append(grouped, g...)
	}
	l.readState(ctx, grouped, func(rows []*row) { take(rows, true) })
	l.mu.Lock()
	defer l.mu.Unlock()
	// Every chunk, read or failed, came back through take, so nothing should
	// be held still; if a row was, it is sent rather than forgotten.
	var rest []*row
	for _, g := range groupRows(open, bindGroup) {
		k := bindGroup(g[0])
		rest = append(rest, held[k]...)
		delete(held, k)
	}
	l.send(ctx, phaseBind, rest)
	sort.Slice(unbinds, func(i, j int) bool { return pos[unbinds[i]] < pos[unbinds[j]] }) // plan order, as binds
	l.send(ctx, phaseUnbind, unbinds)
}

// watch puts a row among those the lane's confirmation reads cover, read
// at once. Callers hold l.mu.
func (l *lane) watch(r *row) {
	now := l.e.Clock.Now()
	r.polls, r.still, r.watchedAt = 0, 0, now
	l.watched[r] = true
	r.due = now.Add(l.delay(r))
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
	if user == "" {
		if l.caps.ClientToken {
			return newToken()
		}
		return ""
	}
	suffix := ""
	if step != "" {
		suffix = "-" + step
	}
	if chunks > 1 {
		suffix += fmt.Sprintf("-%d", chunk+1)
	}
	return l.caps.Syntax.FitToken(user, suffix)
}

// onItsWay handles a row whose change is already under way: watched, or
// pending when this run does not wait (or is a dry run).
func (l *lane) onItsWay(r *row) {
	if r.expect == nil && (l.e.DryRun || !l.e.Wait) {
		l.e.settle(r, eip.StatusPending, nil)
		return
	}
	l.watch(r)
}
