package engine

import (
	"github.com/eipctl/eipctl/pkg/eip"
)

// settle gives a row its final status. CurrentTargetID is what the last read
// showed holding the EIP, so the row says where the EIP is, not where it was meant to go.
func (e *Engine) settle(r *row, s eip.Status, err *eip.Error) {
	r.Status, r.Error, r.done = s, err, true
	r.CurrentTargetID = nil
	if r.read {
		r.CurrentTargetID = targetPtr(r.addr.TargetID)
	}
	if e.Observe != nil && !r.quiet(s, err) {
		res := r.Result
		e.emit(Event{Kind: EventSettled, Provider: r.Provider, Region: r.Region, EIPID: r.EIPID, Status: s, Row: &res})
	}
}

// emit calls Observe, one event at a time.
func (e *Engine) emit(ev Event) {
	if e.Observe == nil {
		return
	}
	e.obsMu.Lock()
	defer e.obsMu.Unlock()
	e.Observe(ev)
}

// targetPtr is a target ID as a row holds it: nil (JSON null) for none.
func targetPtr(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

func (e *Engine) failAll(rows []*row, err *eip.Error) {
	for _, r := range rows {
		if !r.done {
			e.settle(r, eip.StatusFailed, err)
		}
	}
}

func (e *Engine) finish(rep *eip.Report, rows []*row) *eip.Report {
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
