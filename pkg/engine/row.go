package engine

import (
	"cmp"
	"context"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// A row is one EIP's journey through a run, and this file is its whole state
// machine (its start, the first decision, is in decide.go): every status a
// row can end in is decided here or there.
//
//	decide (the start state)   unchanged | failed (bound elsewhere, wrong state)
//	                           | phaseBind | phaseUnbind (a move or disassociate)
//	                           | watched (already on its way)
//	accepted (a call taken)    watched, or pending when not waiting
//	observe (each read)        phaseUnbind -> disassociated, or on to phaseBind (a move)
//	                           phaseBind -> associated | moved | failed
//	                           phasePutBack -> failed, saying where the EIP is
//	failed (a refusal)         a move's bind -> phasePutBack; otherwise failed
//	expire (the deadline)      timeout, or phasePutBack for a move left free
//	interrupted / notSent      pending, saying what may be half done
//
// A move (Binding.Force on an EIP bound elsewhere) is the engine's, not the
// adapters': unbind from the holder with the holder's own native call, and,
// as soon as this EIP reads available, bind it to the requested target. If
// that bind is refused, or not confirmed before the deadline while the EIP
// still reads available, the EIP is bound back where it was (same target,
// private IP and mode) and the row is failed with the bind's own error and a
// message saying where the EIP ended. If putting it back fails too, the
// message says the EIP is unbound and gives the command that restores it.
// An EIP is never left unbound without its row saying so.

// row is one EIP's journey through a run. Its fields past done are guarded
// by its lane's mutex once the lane runs.
type row struct {
	eip.Result
	want   eip.Binding // for associate (and the identity of every row)
	addr   eip.Address // as last read
	read   bool        // addr holds a state read from the cloud
	done   bool
	prov   *pace.Provider
	unbind bool
	expect *eip.Expectation // for Await
	claim  *claim           // set for a candidate of a pool claim (pool.go)

	phase     phase        // what the row waits for
	from      *eip.Address // a move: what held the EIP at the start
	moveErr   *eip.Error   // a move: why the bind failed, reported after putting back
	seen      bool         // a transitional state was read since the last send
	still     int          // reads in a row showing nothing happened since the last send
	sentAt    time.Time    // when the last mutation was accepted
	due       time.Time    // next confirmation read
	polls     int          // confirmation reads since the last send
	watchedAt time.Time    // when the row joined the confirmation reads
	deadline  time.Time
	task      string // a TaskWatcher handle still running
	// verdict is a failure that settles the row only once a read after it
	// shows where the EIP is (lastread.go); reread: that read was asked for.
	verdict *eip.Error
	reread  bool
	early   bool // the read under way when the verdict came was sent before it
	// finishes is the run whose cut-short move this row finishes (the
	// journal's unfinished move of this EIP), "" for none.
	finishes string
	backs    int         // put-backs sent (a transient failure sends it again)
	start    eip.Address // as read when the run decided what to do
	sent     bool        // a mutation for the row went out (journal.go records it)
	// journaled: the move's intent is in the journal, so a rerun finishes it.
	journaled bool
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

// observe moves a watched row on by a read of its EIP; it returns true for a
// move whose unbind is confirmed, which goes on to its bind at once.
// Callers hold l.mu.
func (l *lane) observe(ctx context.Context, r *row, a eip.Address) bool {
	if a.State != r.addr.State || a.NativeStatus != r.addr.NativeStatus {
		l.e.emit(Event{Kind: EventState, Provider: r.Provider, Region: r.Region, EIPID: r.EIPID, State: a.State, NativeStatus: a.NativeStatus})
	}
	r.addr, r.read = a, true
	if v := r.verdict; v != nil && r.early {
		r.early = false // a read sent before the verdict: the next one decides
		return false
	} else if v != nil {
		r.verdict = nil
		if !r.arrived(r.phase, a) {
			l.failed(ctx, r, v)
			return false
		}
	}
	switch r.phase {
	case phaseAwait:
		if r.expect.Met(a) {
			r.TargetID, r.TargetType = cmp.Or(r.expect.Target, a.TargetID), a.TargetType
			l.done(r, map[eip.State]eip.Status{eip.StateAssociated: eip.StatusAssociated, eip.StateAvailable: eip.StatusDisassociated}[r.expect.For], nil)
		}
	case phaseUnbind:
		switch {
		case a.State == eip.StateAvailable && r.from != nil:
			delete(l.watched, r)
			return true
		case a.State == eip.StateAvailable:
			l.done(r, eip.StatusDisassociated, nil)
		case a.State == eip.StateDisassociating:
			r.seen = true
		case r.from != nil && a.TargetID != "" && !a.HeldBy(r.from.TargetID):
			l.done(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "AlreadyBound", "EIP %s was bound to %s by someone else during the move", a.ID, a.TargetID))
		case l.caps.UnbindShowsNoProgress:
			// The cloud shows nothing until the unbind is done: reads that
			// show the EIP where it was are no sign of failure; the deadline
			// (or a failed task) decides.
		case r.seen || l.stale(r):
			l.failed(ctx, r, eip.Errorf(eip.ClassTransient, "UnbindFailed",
				"the cloud accepted the unbind but EIP %s is still on %s (%s): run the command again", a.ID, a.TargetID, a.NativeStatus))
		}
	case phaseBind, phasePutBack:
		want := r.wanted()
		if r.phase == phasePutBack {
			want = r.back()
		}
		target := want.target
		switch {
		case want.holds(a) && r.phase == phasePutBack:
			l.done(r, eip.StatusFailed, r.putBackErr())
		case want.holds(a) && r.from != nil && r.finishes == "":
			l.done(r, eip.StatusMoved, nil)
		case want.holds(a):
			l.done(r, eip.StatusAssociated, nil)
		case a.BoundTo(target):
			l.done(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "AlreadyBound", "EIP %s is bound to %s, not at the private IP and mode asked for: someone else bound it while waiting", a.ID, where(a)))
		case a.State == eip.StateAssociating && a.HeldBy(target):
			r.seen = true
		case a.TargetID != "" && !a.HeldBy(target):
			l.done(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "AlreadyBound", "EIP %s was bound to %s by someone else while waiting", a.ID, a.TargetID))
		case a.State == eip.StateAvailable && (r.seen || l.stale(r)):
			l.failed(ctx, r, eip.Errorf(eip.ClassTransient, "BindingFailed",
				"the cloud accepted the request but EIP %s is %s again: run the command again", a.ID, a.NativeStatus))
		}
	}
	return false
}

// stale counts a read that shows nothing happened since the send (see
// staleReads). Callers hold l.mu.
func (l *lane) stale(r *row) bool {
	r.still++
	return r.still >= staleReads && r.task == "" &&
		l.e.Clock.Now().Sub(r.sentAt) >= staleReads*l.e.Schedule.Delay(0)
}

// done settles a watched row.
func (l *lane) done(r *row, s eip.Status, err *eip.Error) {
	delete(l.watched, r)
	l.e.settle(r, s, err)
}

// failed handles a refusal (or a failure seen by reading) of the row's
// current step. Callers hold l.mu.
func (l *lane) failed(ctx context.Context, r *row, ce *eip.Error) {
	delete(l.watched, r)
	switch {
	case r.from != nil && r.phase == phaseBind:
		r.moveErr = ce
		l.putBack(ctx, r)
	case r.from != nil && r.phase == phasePutBack && ce.Class.Retryable() && r.backs < maxPutBacks:
		l.putBack(ctx, r) // a transient failure of the put-back is tried again, like any call
	case r.from != nil && r.phase == phasePutBack && !r.reread:
		l.settleAfterRead(r, ce) // where is it? the refusal alone does not say
	case r.from != nil && r.phase == phasePutBack:
		l.e.settle(r, eip.StatusFailed, r.unboundErr(ce))
	case r.from != nil && r.phase == phaseUnbind:
		l.e.settle(r, eip.StatusFailed, reworded(ce, "%s (unbinding EIP %s from %s %s to move it; it was not moved)", ce.Message, r.EIPID, r.from.TargetType, r.from.TargetID))
	default:
		l.e.settle(r, eip.StatusFailed, ce)
	}
}

// maxPutBacks is how often a put-back is sent when the cloud accepts it and
// then shows it failed (a transient BindingFailed).
const maxPutBacks = 3

// putBack sends a failed move's EIP back to where it was. It may outlast
// the run's deadline by up to Drain: an EIP is never left unbound to keep
// to --timeout by a few seconds.
func (l *lane) putBack(ctx context.Context, r *row) {
	r.backs++
	r.phase, r.reread = phasePutBack, false
	if grace := l.e.Clock.Now().Add(l.e.Drain); grace.After(r.deadline) {
		r.deadline = grace
	}
	l.send(ctx, phasePutBack, []*row{r})
}

// expire handles a row whose deadline passed. Callers hold l.mu.
func (l *lane) expire(ctx context.Context, r *row) {
	delete(l.watched, r)
	if v := r.verdict; v != nil {
		r.verdict = nil // no time left to read it again
		l.failed(ctx, r, v)
		return
	}
	if l.e.interrupted() {
		l.unconfirmed([]*row{r})
		return
	}
	timeout := eip.Errorf(eip.ClassTransient, "Timeout", "still %s after %s: raise --timeout, or check later with `eipctl eip list`",
		cmp.Or(r.addr.NativeStatus, "unconfirmed"), l.e.Timeout)
	switch {
	case r.from != nil && r.phase == phaseBind && r.addr.State == eip.StateAvailable:
		r.moveErr = timeout
		l.putBack(ctx, r)
	case r.from != nil && r.phase == phaseBind:
		l.e.settle(r, eip.StatusTimeout, eip.Errorf(eip.ClassTransient, "Timeout",
			"EIP %s left %s and is still %s on %s after %s: check with `eipctl eip list`; if it ends unbound, restore it with `%s`",
			r.EIPID, r.from.TargetID, cmp.Or(r.addr.NativeStatus, "unconfirmed"), r.want.Target, l.e.Timeout, r.restoreCommand()))
	case r.from != nil && r.phase == phasePutBack && r.addr.State == eip.StateAvailable:
		l.e.settle(r, eip.StatusFailed, r.unboundErr(timeout))
	case r.from != nil && r.phase == phaseUnbind && r.sent:
		l.e.settle(r, eip.StatusTimeout, eip.Errorf(eip.ClassTransient, "Timeout",
			"EIP %s is still leaving %s (%s) after %s: it is or will be UNBOUND. %s",
			r.EIPID, where(*r.from), cmp.Or(r.addr.NativeStatus, "unconfirmed"), l.e.Timeout, r.wayBack()))
	default:
		l.e.settle(r, eip.StatusTimeout, timeout)
	}
}

// interrupted settles a row the run stopped before its next request went
// out: pending, since it may be half way. Callers hold l.mu.
func (l *lane) interrupted(r *row, why *eip.Error) {
	delete(l.watched, r)
	if r.from != nil && (r.phase != phaseUnbind || r.sent) {
		why = eip.Errorf(eip.ClassTransient, "Interrupted",
			"interrupted after EIP %s was sent off %s and before it was bound again: it is or may be UNBOUND. %s",
			r.EIPID, where(*r.from), r.wayBack())
	}
	l.e.settle(r, eip.StatusPending, why)
}

// unconfirmed settles rows left open by an interruption: they may have been
// bound (the request was sent), so they are pending, never failed.
func (l *lane) unconfirmed(rows []*row) {
	for _, r := range rows {
		if v := r.verdict; v != nil && r.from == nil {
			r.verdict = nil
			l.done(r, eip.StatusFailed, v) // refused, and never read again
			continue
		}
		l.interrupted(r, eip.Errorf(eip.ClassTransient, "Interrupted",
			"interrupted before the cloud confirmed it (last seen %s): run the command again, or check with `eipctl eip list`",
			cmp.Or(r.addr.NativeStatus, "unknown")))
	}
}

// notSent settles a chunk stopped before its request went out. When an
// earlier attempt went out, it may have happened: those rows are left to the
// confirmation reads until the drain ends. Callers hold l.mu.
func (l *lane) notSent(chunk []*row, sent int) {
	for _, r := range chunk {
		if sent > 0 {
			l.watch(r)
			continue
		}
		l.interrupted(r, eip.ErrNotSent)
	}
}

// accepted starts watching the rows of a chunk the cloud took, at once, so
// their confirmation overlaps the lane's other sends. Without waiting, a
// final step is reported pending; a move's unbind is still waited for.
// Callers hold l.mu.
func (l *lane) accepted(ctx context.Context, ph phase, chunk []*row, res eip.CallResult) {
	now := l.e.Clock.Now()
	for _, r := range chunk {
		if r.done {
			continue
		}
		if ferr, bad := res.Failed[r.EIPID]; bad {
			l.failed(ctx, r, ferr)
			continue
		}
		r.sentAt, r.seen, r.task = now, false, ""
		for task, ids := range res.Tasks {
			for _, id := range ids {
				if id == r.EIPID {
					r.task = task
				}
			}
		}
		if !l.e.Wait && !(ph == phaseUnbind && r.from != nil) {
			l.e.settle(r, eip.StatusPending, nil)
			continue
		}
		l.watch(r)
	}
}

// settle gives a row its final status. CurrentTargetID is what the last read
// showed holding the EIP, so the row says where the EIP is, not where it was meant to go.
func (e *Engine) settle(r *row, s eip.Status, err *eip.Error) {
	if s == eip.StatusFailed && err != nil && err.Expired {
		s = eip.StatusTimeout // --timeout ran out before the cloud answered: it may still act
	}
	r.Status, r.Error, r.done = s, err, true
	r.CurrentTargetID = nil
	if r.read {
		r.CurrentTargetID = targetPtr(r.addr.TargetID)
	}
	if r.finishes != "" && (s == eip.StatusMoved || s == eip.StatusAssociated || s == eip.StatusUnchanged) {
		r.Note = "finished the move that run " + r.finishes + " left cut short (the journal's)"
	}
	e.record(r)
	if e.Observe != nil && !r.quiet(s, err) {
		res := r.Result
		e.emit(Event{Kind: EventSettled, Provider: r.Provider, Region: r.Region, EIPID: r.EIPID, Status: s, Row: &res,
			PutBack: r.from != nil && s == eip.StatusFailed && r.phase == phasePutBack && r.back().holds(r.addr)})
	}
}
