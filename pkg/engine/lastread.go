package engine

import (
	"context"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// A row says where its EIP is as the cloud's last read showed it: its
// currentTargetId and its message come from one read, made after whatever
// the row reports. A refusal seen otherwise than by reading (a failed task,
// a put-back refused) is held as the row's verdict until the next read, so
// that the row does not name a holder the EIP has already left, nor call
// an EIP unbound that is bound.

// settleAfterRead holds ce as the row's verdict and reads the EIP at once;
// observe (or expire, when no read comes in time) then settles the row by
// it. Callers hold l.mu.
func (l *lane) settleAfterRead(r *row, ce *eip.Error) {
	r.verdict, r.reread = ce, true // once: a read that fails too settles it
	l.watch(r)
	r.due = l.e.Clock.Now()
}

// taskFailed handles a cloud task that ended failed (Tencent's
// DescribeTaskResult FAILED): the EIP may already show the change undone
// (UNBIND), so the row settles by a read made after the task's answer.
// Callers hold l.mu.
func (l *lane) taskFailed(r *row, ce *eip.Error) {
	if !l.watched[r] {
		return
	}
	l.settleAfterRead(r, ce)
	r.early = true // this round's read was sent before the task's answer
}

// lastReadTimeout bounds the read made after a second signal: it is made
// only so that the rows left pending say where each EIP is.
const lastReadTimeout = 2 * time.Second

// cutShort settles the rows still watched when the run was cancelled (a
// second signal): one last read, bounded by lastReadTimeout, so that the
// pending rows name where each EIP is now; a row the read shows done is
// settled as such. Nothing is sent. Callers hold l.mu; it is released
// during the read.
func (l *lane) cutShort(ctx context.Context) {
	rows := l.watchedRows()
	if len(rows) == 0 {
		return
	}
	l.mu.Unlock()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lastReadTimeout)
	found, _ := l.describe(rctx, rows)
	cancel()
	l.mu.Lock()
	for _, r := range rows {
		a, ok := found[r.EIPID]
		if !ok || r.done || !l.watched[r] {
			continue
		}
		if r.arrived(r.phase, a) && !(r.phase == phaseUnbind && r.from != nil) {
			l.observe(ctx, r, a)
			continue
		}
		r.addr, r.read = a, true
	}
	l.unconfirmed(l.watchedRows())
}
