package engine

import (
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// The start of a row's state machine (row.go): what the first read of its
// EIP says to do.

// decide settles a row the start state already answers, or says what to
// send; a row already on its way is watched. Callers hold l.mu.
func (l *lane) decide(r *row) phase {
	r.start = r.addr
	switch {
	case r.expect != nil:
		return l.decideAwait(r)
	case r.unbind:
		return l.decideUnbind(r)
	}
	return l.decideBind(r)
}

func (l *lane) decideAwait(r *row) phase {
	a := r.addr
	r.TargetType = a.TargetType
	if r.TargetID == "" {
		r.TargetID = a.TargetID
	}
	if r.expect.Met(a) {
		l.e.settle(r, eip.StatusUnchanged, nil)
		return phaseNone
	}
	r.phase = phaseAwait
	l.onItsWay(r)
	return phaseNone
}

func (l *lane) decideUnbind(r *row) phase {
	a := r.addr
	r.TargetID, r.TargetType = a.TargetID, a.TargetType
	switch a.State {
	case eip.StateAvailable:
		l.e.settle(r, eip.StatusUnchanged, nil)
	case eip.StateDisassociating:
		r.phase, r.seen = phaseUnbind, true
		l.onItsWay(r)
	case eip.StateAssociated:
		if ok, holder := r.want.Fenced(a); !ok {
			l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "UnexpectedHolder",
				"EIP %s is %s, not by %s: nothing was sent for it", a.ID, holder, strings.Join(r.want.From, " or ")))
			return phaseNone
		}
		r.phase = phaseUnbind
		return phaseUnbind
	default:
		l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "IncorrectStatus",
			"EIP %s is %s (%s) and cannot be unbound now: retry when the binding has finished", a.ID, a.State, a.NativeStatus))
	}
	return phaseNone
}

// decideBind decides a binding: already there (target, private IP and
// mode), on its way, free, or held elsewhere (a move with Force, fenced by
// From). A free EIP that a cut-short move left free (the journal says so)
// is bound as that move would have, and put back where it was if refused.
func (l *lane) decideBind(r *row) phase {
	a := r.addr
	want := r.wanted()
	if want.holds(a) {
		_, r.finishes = l.e.stranded(r) // an earlier run's move, done after all
		l.e.settle(r, eip.StatusUnchanged, nil)
		return phaseNone
	}
	if ok, holder := r.want.Fenced(a); !ok {
		l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "UnexpectedHolder",
			"EIP %s is %s, not %s as --from requires: nothing was sent for it", a.ID, holder, fenceWords(r.want.From)))
		return phaseNone
	}
	if at, ok := l.e.movedRecently(r); ok {
		l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassInvalid, "TooSoon",
			"EIP %s was moved by this host at %s, less than --min-interval %s ago: nothing was sent for it; pass --min-interval 0 to move it anyway",
			a.ID, at.UTC().Format(time.RFC3339), l.e.MinInterval))
		return phaseNone
	}
	switch {
	case a.State == eip.StateAssociating && a.HeldBy(r.TargetID):
		r.phase, r.seen = phaseBind, true
		l.onItsWay(r)
	case a.State == eip.StateAvailable:
		r.from, r.finishes = l.e.stranded(r)
		r.phase = phaseBind
		return phaseBind
	case a.State == eip.StateAssociated && r.want.Force:
		from := a
		r.from, r.phase = &from, phaseUnbind
		return phaseUnbind
	case a.State == eip.StateDisassociating && r.want.Force && a.TargetID != "":
		// A move already half way (a run killed after its unbind was
		// accepted, say): wait for the EIP to be free, then bind it, as
		// the move would have; it would be put back on what it is leaving.
		from := a
		r.from, r.phase, r.seen = &from, phaseUnbind, true
		l.onItsWay(r)
	case a.TargetID != "" && a.State != eip.StateDisassociating && !r.want.Force:
		// One that is being unbound will be free soon, and one that --force
		// cannot move yet (a bind under way elsewhere): IncorrectStatus
		// below says to retry, where this would say to add --force.
		l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "AlreadyBound",
			"EIP %s is bound to %s; without --force eipctl does not move bound EIPs: add --force to move it, or unbind it first with `eipctl eip disassociate --provider %s --region %s --eip %s`",
			a.ID, where(a), r.Provider, r.Region, a.ID))
	default:
		l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "IncorrectStatus",
			"EIP %s is %s (%s) and cannot be bound now: retry when it is available", a.ID, a.State, a.NativeStatus))
	}
	return phaseNone
}

// fenceWords says what a fence allows, as the holder is said: "free or held
// by i-a" (--from none,i-a).
func fenceWords(from []string) string {
	words := make([]string, len(from))
	for i, f := range from {
		words[i] = "held by " + f
		if f == eip.FromNone {
			words[i] = "free"
		}
	}
	return strings.Join(words, " or ")
}
