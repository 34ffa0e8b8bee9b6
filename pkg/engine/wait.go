package engine

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// A row whose request the cloud accepted fails fast, instead of timing out,
// when staleReads reads in a row, spanning at least staleReads x the first
// poll delay, show nothing happened (the EIP still where it started, never in
// a transitional state) and no task of the cloud is still running for it:
// the cloud took the request and dropped or refused it. A transitional state
// followed by the start state, or a task failure, fails it at once.
const staleReads = 3

// confirm reads the lane's watched rows until every row has settled and no
// chunk is still being sent. Each round is one Describe per DescribeBatch
// rows, whatever chunk they came from, plus the task checks, all at once; a
// row just accepted is read after the schedule's first delay even while older
// rows are read less often.
func (l *lane) confirm(ctx context.Context) {
	for {
		l.mu.Lock()
		if ctx.Err() != nil {
			// Cancelled (a second signal): stop at once; what was sent may
			// still happen, so it is pending.
			l.e.halted(ctx)
			l.cutShort(ctx)
		}
		if len(l.watched) == 0 && l.sending == 0 {
			l.pollGap(0) // done reading: the run's other lanes on its pacer may read more
			l.mu.Unlock()
			return
		}
		if l.e.halted(ctx) {
			cut := l.e.stopAt().Add(l.e.Drain)
			for r := range l.watched {
				if r.deadline.After(cut) {
					r.deadline = cut
				}
			}
		}
		var due, end time.Time
		for r := range l.watched {
			if due.IsZero() || r.due.Before(due) {
				due = r.due
			}
			if end.IsZero() || r.deadline.Before(end) {
				end = r.deadline
			}
		}
		if g := l.read.Add(l.roundGap()); due.Before(g) {
			due = g
		}
		next := due
		if end.Before(next) {
			next = end
		}
		idle := len(l.watched) == 0
		if idle {
			l.pollGap(0) // reading nothing: the run's other lanes may read more
		}
		l.mu.Unlock()
		if idle {
			<-l.wake // a send ended or a row joined
			continue
		}
		l.sleepUntil(ctx, next)
		l.round(ctx)
		l.e.flush()
	}
}

// sleepUntil sleeps until t, or until a row joins the watch. It returns
// only once its watcher of l.wake is gone: a wake the watcher took is then
// one the caller's next look at the lane already sees, never one lost while
// the caller waits on l.wake.
func (l *lane) sleepUntil(ctx context.Context, t time.Time) {
	sctx, cancel := context.WithCancel(ctx)
	done, gone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(gone)
		select {
		case <-l.wake:
			cancel()
		case <-done:
		}
	}()
	_ = l.e.Clock.SleepUntil(sctx, t)
	close(done)
	<-gone
	cancel()
}

// round reads every watched row once and moves each on by what it shows.
func (l *lane) round(ctx context.Context) {
	l.mu.Lock()
	rows := l.watchedRows()
	now := l.e.Clock.Now()
	var due []*row
	for _, r := range rows {
		if !r.due.After(now) || !r.deadline.After(now) {
			due = append(due, r)
		}
	}
	if len(due) > 0 {
		l.read = now
	}
	l.mu.Unlock()
	if len(due) == 0 {
		return // woken early by a new row: the next loop sleeps until it is due
	}
	found, failed := l.describe(ctx, rows) // every watched row: the read is batched anyway
	l.checkTasks(ctx, l.stalled(rows, found))
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.e.Clock.Now()
	var ready []*row
	for _, r := range rows {
		if r.done || !l.watched[r] {
			continue
		}
		if ferr, bad := failed[r.EIPID]; bad && !ferr.Class.Retryable() {
			l.failed(ctx, r, ferr)
			continue
		}
		if a, ok := found[r.EIPID]; ok {
			ph, since := r.phase, now.Sub(r.watchedAt)
			next := l.observe(ctx, r, a)
			if r.arrived(ph, a) {
				l.learn(ph, since)
			}
			if next {
				ready = append(ready, r)
				continue
			}
		}
		if r.done || !l.watched[r] {
			continue
		}
		r.polls++
		r.due = now.Add(l.delay(r))
		if !now.Before(r.deadline) {
			l.expire(ctx, r)
		}
	}
	l.send(ctx, phaseBind, ready)
}

// watchedRows lists the watched rows in the order they were asked for.
func (l *lane) watchedRows() []*row {
	var out []*row
	for _, r := range l.rows {
		if l.watched[r] {
			out = append(out, r)
		}
	}
	return out
}

// stalled lists the rows with a task still running whose task is worth a
// read: the status read shows no progress (neither arrived nor under way),
// or the change has been under way for longer than one usually takes: as
// long as staleReads polls of the fixed schedule wait, however often the
// adaptive schedule reads, and then once every longest poll delay. For the
// rest the status read already tells more.
func (l *lane) stalled(rows []*row, found map[string]eip.Address) []*row {
	l.mu.Lock()
	defer l.mu.Unlock()
	var long time.Duration
	for i := range staleReads + 1 {
		long += l.e.Schedule.Delay(i)
	}
	now := l.e.Clock.Now()
	slow := !l.e.adaptive || now.Sub(l.taskRead) >= l.e.Schedule.Max
	var out []*row
	for _, r := range rows {
		if r.task == "" || r.done {
			continue
		}
		a, ok := found[r.EIPID]
		late := r.polls >= staleReads && now.Sub(r.sentAt) >= long && slow
		if !ok || !r.arrived(r.phase, a) && (late || !r.under(r.phase, a)) {
			out = append(out, r)
			if late {
				l.taskRead = now
			}
		}
	}
	return out
}

// checkTasks asks the cloud about the rows' tasks, one handle a call and the
// calls at once within the lane's read slots and pacer; a failed task fails
// its rows at once, a finished one leaves the EIP status to decide.
func (l *lane) checkTasks(ctx context.Context, rows []*row) {
	if !l.p.WatchesTasks() || len(rows) == 0 {
		return
	}
	l.mu.Lock()
	var handles []string
	uniq := map[string]bool{}
	for _, r := range rows {
		if r.task != "" && !uniq[r.task] {
			uniq[r.task] = true
			handles = append(handles, r.task)
		}
	}
	l.mu.Unlock()
	sort.Strings(handles)
	var wg sync.WaitGroup
	for _, h := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.reads <- struct{}{}
			defer func() { <-l.reads }()
			states, err := l.p.CheckTasks(ctx, l.region, []string{h})
			if err != nil {
				return // the EIP status read still decides
			}
			l.mu.Lock()
			defer l.mu.Unlock()
			for _, r := range rows {
				st, ok := states[r.task]
				if !ok || !st.Done || r.done {
					continue
				}
				r.task = ""
				if st.Err != nil && l.watched[r] {
					l.taskFailed(r, st.Err)
				}
			}
		}()
	}
	wg.Wait()
}
