package eip

import (
	"context"
	"time"
)

// wait polls until every open row is done, failed, or the timeout passes.
// Each round costs one batched read per provider and region (plus one task
// check where the cloud has tasks), never one per EIP.
func (e *Engine) wait(ctx context.Context, rows []*row, tasks map[*row]string) {
	deadline := e.Clock.Now().Add(e.Timeout)
	for round := 0; ; round++ {
		open := openRows(rows)
		if len(open) == 0 {
			return
		}
		if ctx.Err() != nil {
			e.halted(ctx)
			e.unconfirmed(open)
			return
		}
		now := e.Clock.Now()
		if e.halted(ctx) {
			// Stopped: keep confirming what was sent, for Drain at most.
			deadline = minTime(deadline, e.stopAt().Add(e.Drain))
			if !now.Before(deadline) {
				e.unconfirmed(open)
				return
			}
		}
		if !now.Before(deadline) {
			for _, r := range open {
				e.settle(r, StatusTimeout, Errorf(ClassTransient, "Timeout",
					"still %s after %s: raise --timeout, or check later with `eipctl eip list`", orWord(r.addr.NativeStatus, "unconfirmed"), e.Timeout))
			}
			return
		}
		if err := e.Clock.Sleep(ctx, min(e.Schedule.Delay(round), deadline.Sub(now))); err != nil {
			continue // the next round reports the interruption
		}
		e.checkTasks(ctx, open, tasks)
		for _, g := range groupRows(openRows(open), func(r *row) string { return r.Provider + "\x00" + r.Region }) {
			ids := make([]string, len(g))
			for i, r := range g {
				ids[i] = r.EIPID
			}
			found, failed := e.describe(ctx, g[0].prov, g[0].Provider, g[0].Region, ids)
			for _, r := range g {
				if ferr, bad := failed[r.EIPID]; bad {
					if !ferr.Class.Retryable() {
						e.settle(r, StatusFailed, ferr)
					}
					continue
				}
				a, ok := found[r.EIPID]
				if !ok {
					continue
				}
				e.observe(r, a)
			}
		}
	}
}

// unconfirmed settles rows left open by an interruption: they may have been
// bound (the request was sent), so they are pending, never failed.
func (e *Engine) unconfirmed(open []*row) {
	for _, r := range open {
		e.settle(r, StatusPending, Errorf(ClassTransient, "Interrupted",
			"interrupted before the cloud confirmed it (last seen %s): run the command again, or check with `eipctl eip list`",
			orWord(r.addr.NativeStatus, "unknown")))
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (e *Engine) observe(r *row, a Address) {
	changed := a.State != r.addr.State || a.NativeStatus != r.addr.NativeStatus
	r.addr, r.read = a, true
	if changed {
		e.emit(Event{Kind: EventState, Provider: r.Provider, Region: r.Region, EIPID: r.EIPID, State: a.State, NativeStatus: a.NativeStatus})
	}
	if r.expect != nil {
		if r.expect.met(a) {
			r.TargetID, r.TargetType = orWord(r.expect.Target, a.TargetID), a.TargetType
			e.settle(r, map[State]Status{StateAssociated: StatusAssociated, StateAvailable: StatusDisassociated}[r.expect.For], nil)
		}
		return
	}
	if r.unbind {
		switch a.State {
		case StateAvailable:
			e.settle(r, StatusDisassociated, nil)
		case StateDisassociating:
			r.seen = true
		}
		return
	}
	switch {
	case a.BoundTo(r.TargetID):
		e.settle(r, StatusAssociated, nil)
	case a.TargetID != "" && !a.HeldBy(r.TargetID):
		e.settle(r, StatusFailed, Errorf(ClassConflict, "AlreadyBound", "EIP %s was bound to %s by someone else while waiting", a.ID, a.TargetID))
	case a.State == StateAssociating:
		r.seen = true
	case a.State == StateAvailable && r.seen:
		e.settle(r, StatusFailed, Errorf(ClassTransient, "BindingFailed",
			"the cloud accepted the request but EIP %s went back to %s: run the command again", a.ID, a.NativeStatus))
	}
}

func (e *Engine) checkTasks(ctx context.Context, open []*row, tasks map[*row]string) {
	byRegion := map[string][]*row{}
	for _, r := range open {
		if _, ok := tasks[r]; ok {
			k := r.Provider + "\x00" + r.Region
			byRegion[k] = append(byRegion[k], r)
		}
	}
	for _, g := range byRegion {
		tw, ok := g[0].prov.(TaskWatcher)
		if !ok {
			continue
		}
		var handles []string
		uniq := map[string]bool{}
		for _, r := range g {
			if h := tasks[r]; !uniq[h] {
				uniq[h] = true
				handles = append(handles, h)
			}
		}
		var states map[string]TaskState
		err := e.read(ctx, g[0].prov, g[0].Provider, g[0].Region, "CheckTasks", func() (err error) {
			states, err = tw.CheckTasks(ctx, g[0].Region, handles)
			return err
		})
		if err != nil {
			continue // the EIP status read still decides
		}
		for _, r := range g {
			st, ok := states[tasks[r]]
			if !ok || !st.Done {
				continue
			}
			delete(tasks, r)
			if st.Err != nil {
				e.settle(r, StatusFailed, st.Err)
			}
		}
	}
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
