package engine

import (
	"context"
	"fmt"
	"github.com/eipctl/eipctl/pkg/eip"
	"strings"
)

// A move (Binding.Force on an EIP bound elsewhere) is the engine's, not the
// adapters': unbind from the holder with the holder's own native call, and,
// as soon as this EIP reads available, bind it to the requested target. If
// that bind is refused, or not confirmed before the deadline while the EIP
// still reads available, the EIP is bound back where it was (same target,
// private IP and mode) and the row is failed with the bind's own error and a
// message saying where the EIP ended. If putting it back fails too, the
// message says the EIP is unbound and gives the command that restores it.
// An EIP is never left unbound without its row saying so.

// failed handles a refusal (or a failure seen by reading) of the row's
// current step. Callers hold l.mu.
func (l *lane) failed(ctx context.Context, r *row, ce *eip.Error) {
	delete(l.watched, r)
	switch {
	case r.from != nil && r.phase == phaseBind:
		r.moveErr = ce
		l.putBack(ctx, r)
	case r.from != nil && r.phase == phasePutBack:
		l.e.settle(r, eip.StatusFailed, r.unboundErr(ce))
	case r.from != nil && r.phase == phaseUnbind:
		l.e.settle(r, eip.StatusFailed, reworded(ce, "%s (unbinding EIP %s from %s %s to move it; it was not moved)", ce.Message, r.EIPID, r.from.TargetType, r.from.TargetID))
	default:
		l.e.settle(r, eip.StatusFailed, ce)
	}
}

// putBack sends a failed move's EIP back to where it was.
func (l *lane) putBack(ctx context.Context, r *row) {
	r.phase, r.deadline = phasePutBack, l.e.Clock.Now().Add(l.e.Timeout)
	l.send(ctx, phasePutBack, []*row{r})
}

// putBackErr is the row's error once the EIP is back where it was.
func (r *row) putBackErr() *eip.Error {
	ce := r.moveErr
	return reworded(ce, "%s (binding EIP %s to %s failed; eipctl put it back on %s %s, where it was before the run)",
		ce.Message, r.EIPID, r.want.Target, r.from.TargetType, r.from.TargetID)
}

// unboundErr is the row's error when putting the EIP back failed too.
func (r *row) unboundErr(back *eip.Error) *eip.Error {
	ce := r.moveErr
	return reworded(ce, "%s (binding EIP %s to %s failed, and putting it back on %s failed too: %s). EIP %s is UNBOUND; restore it with `%s`",
		ce.Message, r.EIPID, r.want.Target, r.from.TargetID, back.Error(), r.EIPID, r.restoreCommand())
}

// restoreCommand is the eipctl command that binds a moved EIP back where it was.
func (r *row) restoreCommand() string {
	f := r.from
	cmd := []string{"eipctl eip associate", "--provider", r.Provider, "--region", r.Region, "--eip", r.EIPID,
		"--target", f.TargetID, "--target-type", string(f.TargetType)}
	if f.PrivateIP != "" {
		cmd = append(cmd, "--private-ip", f.PrivateIP)
	}
	if m := orMode(f.Mode); m != eip.ModeNAT {
		cmd = append(cmd, "--mode", string(m))
	}
	return strings.Join(cmd, " ")
}

// expire handles a row whose deadline passed. Callers hold l.mu.
func (l *lane) expire(ctx context.Context, r *row) {
	delete(l.watched, r)
	if l.e.interrupted() {
		l.unconfirmed([]*row{r})
		return
	}
	timeout := eip.Errorf(eip.ClassTransient, "Timeout", "still %s after %s: raise --timeout, or check later with `eipctl eip list`",
		orWord(r.addr.NativeStatus, "unconfirmed"), l.e.Timeout)
	switch {
	case r.from != nil && r.phase == phaseBind && r.addr.State == eip.StateAvailable:
		r.moveErr = timeout
		l.putBack(ctx, r)
	case r.from != nil && r.phase == phaseBind:
		l.e.settle(r, eip.StatusTimeout, eip.Errorf(eip.ClassTransient, "Timeout",
			"EIP %s left %s and is still %s on %s after %s: check with `eipctl eip list`; if it ends unbound, restore it with `%s`",
			r.EIPID, r.from.TargetID, orWord(r.addr.NativeStatus, "unconfirmed"), r.want.Target, l.e.Timeout, r.restoreCommand()))
	case r.from != nil && r.phase == phasePutBack && r.addr.State == eip.StateAvailable:
		l.e.settle(r, eip.StatusFailed, r.unboundErr(timeout))
	default:
		l.e.settle(r, eip.StatusTimeout, timeout)
	}
}

// interrupted settles a row the run stopped before its next request went
// out: pending, since it may be half way. Callers hold l.mu.
func (l *lane) interrupted(r *row, why *eip.Error) {
	delete(l.watched, r)
	if r.from != nil && r.phase != phaseUnbind {
		why = eip.Errorf(eip.ClassTransient, "Interrupted",
			"interrupted after EIP %s left %s and before it was bound again: it may be UNBOUND; run the command again, or restore it with `%s`",
			r.EIPID, r.from.TargetID, r.restoreCommand())
	}
	l.e.settle(r, eip.StatusPending, why)
}

// unconfirmed settles rows left open by an interruption: they may have been
// bound (the request was sent), so they are pending, never failed.
func (l *lane) unconfirmed(rows []*row) {
	for _, r := range rows {
		l.interrupted(r, eip.Errorf(eip.ClassTransient, "Interrupted",
			"interrupted before the cloud confirmed it (last seen %s): run the command again, or check with `eipctl eip list`",
			orWord(r.addr.NativeStatus, "unknown")))
	}
}

// arrived reports whether a shows the phase's change done; under, whether it
// is under way.
func (r *row) arrived(ph phase, a eip.Address) bool {
	switch ph {
	case phaseUnbind:
		return a.State == eip.StateAvailable
	case phasePutBack:
		return a.BoundTo(r.from.TargetID)
	}
	return a.BoundTo(r.TargetID)
}

func (r *row) under(ph phase, a eip.Address) bool {
	switch ph {
	case phaseUnbind:
		return a.State == eip.StateDisassociating
	case phasePutBack:
		return a.State == eip.StateAssociating && a.HeldBy(r.from.TargetID)
	}
	return a.State == eip.StateAssociating && a.HeldBy(r.TargetID)
}

func orMode(m eip.Mode) eip.Mode {
	if m == "" {
		return eip.ModeNAT
	}
	return m
}

// reworded is ce with its message replaced, keeping the cloud's code and class.
func reworded(ce *eip.Error, format string, args ...any) *eip.Error {
	out := *ce
	out.Message = fmt.Sprintf(format, args...)
	return &out
}
