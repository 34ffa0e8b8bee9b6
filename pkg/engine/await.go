package engine

import (
	"context"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Await waits, with the same batched polling as a run, until each EIP is in
// the expected state (and, when Target is set, held by Target). It sends no
// mutation. A row is `unchanged` when the first read already shows it as
// expected, `associated` or `disassociated` when it got there while waiting,
// `timeout` when --timeout passed first, `failed` when it cannot be read, and
// `pending` when the wait was interrupted. A returned error means bad input
// (nothing was read).
func (e *Engine) Await(ctx context.Context, want []eip.Expectation) (*eip.Report, error) {
	e.defaults()
	rows, err := e.validateExpectations(want)
	return e.runValid(ctx, rows, err)
}

func (e *Engine) validateExpectations(items []eip.Expectation) ([]*row, error) {
	if len(items) == 0 {
		return nil, eip.Usagef("no EIP given: pass --eip ID (repeatable)")
	}
	rows := make([]*row, 0, len(items))
	for i := range items {
		x := items[i]
		where := itemName(len(items), i, 0)
		p, err := e.item(x.Provider, x.Region, x.EIP, where)
		if err != nil {
			return nil, err
		}
		if x.For != eip.StateAssociated && x.For != eip.StateAvailable {
			return nil, eip.Usagef("%swait for %q: use %s or %s", where, x.For, eip.StateAssociated, eip.StateAvailable)
		}
		if err := eip.CheckText("--target", x.Target); err != nil {
			return nil, eip.Usagef("%s%v", where, err)
		}
		if x.For == eip.StateAvailable && x.Target != "" {
			return nil, eip.Usagef("%sa target makes no sense when waiting for %s: drop --target", where, eip.StateAvailable)
		}
		r := &row{want: eip.Binding{Provider: x.Provider, Region: x.Region, EIP: x.EIP, Target: x.Target}, prov: p, expect: &x}
		r.Result = eip.Result{Provider: x.Provider, Region: x.Region, EIPID: x.EIP, TargetID: x.Target}
		rows = append(rows, r)
	}
	return rows, nil
}
