package engine

import (
	"context"

	"github.com/eipctl/eipctl/pkg/eip"
)

// emit calls Observe, one event at a time.
func (e *Engine) emit(ev Event) {
	if e.Observe == nil {
		return
	}
	e.obsMu.Lock()
	defer e.obsMu.Unlock()
	e.Observe(ev)
}

func (e *Engine) failAll(rows []*row, err *eip.Error) {
	for _, r := range rows {
		if !r.done {
			e.settle(r, eip.StatusFailed, err)
		}
	}
}

// unread settles rows whose read failed before anything was sent for them:
// failed with the read's error, or, when the run was stopped during the
// read, pending, saying nothing was sent (they were cut short before their
// send like any other row, not refused).
func (e *Engine) unread(ctx context.Context, rows []*row, err *eip.Error) {
	if ctx.Err() == nil {
		e.failAll(rows, err)
		return
	}
	e.halted(ctx)
	for _, r := range rows {
		if !r.done {
			e.settle(r, eip.StatusPending, r.notRead())
		}
	}
}

func (e *Engine) finish(rep *eip.Report, rows []*row) *eip.Report {
	e.flush()
	rep.Interrupted = rep.Interrupted || e.interrupted()
	rep.Results = make([]eip.Result, len(rows))
	for i, r := range rows {
		rep.Results[i] = r.Result
	}
	return rep
}

func openRows(rows []*row) []*row {
	var out []*row
	for _, r := range rows {
		if !r.done {
			out = append(out, r)
		}
	}
	return out
}

// groupRows splits rows by key, keeping first-seen order.
func groupRows(rows []*row, key func(*row) string) [][]*row {
	idx := map[string]int{}
	var out [][]*row
	for _, r := range rows {
		k := key(r)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}
