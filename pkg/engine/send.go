package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/eipctl/eipctl/pkg/eip"
)

type groupKey struct {
	target, targetType, privateIP, mode, instanceRegion, token string
}

// target is where a phase sends the row: the requested target, or for a
// put-back the holder it left.
func (r *row) key(ph phase) groupKey {
	switch ph {
	case phaseUnbind:
		return groupKey{target: r.addr.TargetID, targetType: string(r.addr.TargetType), token: r.want.ClientToken}
	case phasePutBack:
		f := r.from
		return groupKey{target: f.TargetID, targetType: string(f.TargetType), privateIP: f.PrivateIP, mode: string(orMode(f.Mode)), token: r.want.ClientToken}
	}
	w := r.want
	return groupKey{w.Target, string(w.TargetType), w.PrivateIP, string(w.Mode), w.InstanceRegion, w.ClientToken}
}

// sendGroup is what send groups a phase's rows by: the rows going the same
// way, which one native call can carry together.
func sendGroup(ph phase) func(*row) string {
	return func(r *row) string {
		k := r.key(ph)
		return k.target + "\x00" + k.targetType + "\x00" + k.privateIP + "\x00" + k.mode
	}
}

// send groups rows going the same way, chunks each group to the cloud's batch
// size, and queues every chunk for the lane's senders (at most Concurrency
// in flight, in the order queued). A dry run records the calls instead. Callers hold l.mu.
func (l *lane) send(ctx context.Context, ph phase, rows []*row) {
	if len(rows) == 0 {
		return
	}
	if !l.e.DryRun && l.e.halted(ctx) {
		for _, r := range rows {
			r.phase = ph
			l.interrupted(r, eip.ErrNotSent)
		}
		return
	}
	for _, g := range groupRows(rows, sendGroup(ph)) {
		k := g[0].key(ph)
		size := l.caps.Batch(eip.TargetType(k.targetType))
		if ph == phaseUnbind {
			size = l.caps.UnbindBatch(eip.TargetType(k.targetType))
		}
		n := (len(g) + size - 1) / size
		for c := 0; c < n; c++ {
			chunk := append([]*row(nil), g[c*size:min((c+1)*size, len(g))]...)
			token := l.token(k.token, c, n, stepName(ph, chunk[0]))
			if l.e.DryRun {
				l.plan(ph, chunk, token)
				continue
			}
			for _, r := range chunk {
				r.phase = ph
			}
			l.enqueue(ctx, sendJob{ph, chunk, token})
		}
	}
}

// sendJob is one chunk waiting for a sender.
type sendJob struct {
	ph    phase
	chunk []*row
	token string
}

// enqueue queues a chunk and starts a sender if fewer than Concurrency are
// at work: chunks leave in the order they were queued (the plan's order),
// at most Concurrency at once. Callers hold l.mu.
func (l *lane) enqueue(ctx context.Context, j sendJob) {
	l.queue = append(l.queue, j)
	l.sending++
	if l.senders < l.e.Concurrency {
		l.senders++
		go l.sender(ctx)
	}
}

// sender sends queued chunks, one at a time, until the queue is empty.
func (l *lane) sender(ctx context.Context) {
	for {
		l.mu.Lock()
		if len(l.queue) == 0 {
			l.senders--
			l.mu.Unlock()
			return
		}
		j := l.queue[0]
		l.queue = l.queue[1:]
		l.mu.Unlock()
		l.sendChunk(ctx, j.ph, j.chunk, j.token)
	}
}

// stepName tells a move's extra calls apart so that a user's client token is
// not reused for a different request.
func stepName(ph phase, r *row) string {
	switch {
	case ph == phaseUnbind && r.from != nil:
		return "unbind"
	case ph == phaseBind && r.from != nil:
		return "move"
	case ph == phasePutBack:
		return "back"
	}
	return ""
}

// plan records what a chunk would send, and for a move the bind that would
// follow its unbind.
func (l *lane) plan(ph phase, chunk []*row, token string) {
	call, err := l.prepare(ph, chunk, token)
	if err != nil {
		l.e.failAll(chunk, l.p.Classify(err))
		return
	}
	l.planned = append(l.planned, eip.PlannedCall{Provider: l.provider, Region: l.region, Action: call.Action, Params: call.Params})
	if ph == phaseUnbind && chunk[0].from != nil {
		for _, r := range chunk {
			r.addr = eip.Address{ID: r.addr.ID, IP: r.addr.IP, Region: r.addr.Region, State: eip.StateAvailable}
		}
		l.send(context.Background(), phaseBind, chunk)
		return
	}
	for _, r := range chunk {
		l.e.settle(r, eip.StatusPlanned, nil)
	}
}

// prepare translates a chunk into the native call for its phase.
func (l *lane) prepare(ph phase, chunk []*row, token string) (eip.Call, error) {
	var eips []eip.Address
	for _, r := range chunk {
		eips = append(eips, r.addr)
	}
	switch ph {
	case phaseUnbind:
		return l.p.PrepareDisassociate(eip.DisassociateRequest{Region: l.region, EIPs: eips, ClientToken: token})
	case phasePutBack:
		f := chunk[0].from
		return l.p.PrepareAssociate(eip.AssociateRequest{Region: l.region, EIPs: eips, Target: f.TargetID, TargetType: f.TargetType,
			PrivateIP: f.PrivateIP, Mode: orMode(f.Mode), ClientToken: token})
	}
	w := chunk[0].want
	return l.p.PrepareAssociate(eip.AssociateRequest{Region: l.region, EIPs: eips, Target: w.Target, TargetType: w.TargetType,
		PrivateIP: w.PrivateIP, Mode: w.Mode, InstanceRegion: w.InstanceRegion, ClientToken: token})
}

// recheck reads a chunk whose answer was lost or refused as a conflict and
// accepts the rows that show the change happened (or is under way); it
// returns the rows still as they were, to be sent again. Rows the read shows
// elsewhere settle by what it shows.
func (l *lane) recheck(ctx context.Context, ph phase, chunk []*row) []*row {
	found, _ := l.describe(ctx, chunk)
	l.mu.Lock()
	defer l.mu.Unlock()
	var left, took []*row
	for _, r := range chunk {
		a, ok := found[r.EIPID]
		if !ok {
			left = append(left, r) // unread: assume nothing happened; the resend decides
			continue
		}
		r.addr, r.read = a, true
		if r.arrived(ph, a) || r.under(ph, a) {
			took = append(took, r)
		} else {
			left = append(left, r)
		}
	}
	l.accepted(ctx, ph, took, eip.CallResult{})
	return left
}

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "eipctl-" + hex.EncodeToString(b[:])
}
