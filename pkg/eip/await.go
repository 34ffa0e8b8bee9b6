package eip

import "context"

// Await waits, with the same batched polling as a run, until each EIP is in
// the expected state (and, when Target is set, held by Target). It sends no
// mutation. A row is `unchanged` when the first read already shows it as
// expected, `associated` or `disassociated` when it got there while waiting,
// `timeout` when --timeout passed first, `failed` when it cannot be read, and
// `pending` when the wait was interrupted. A returned error means bad input
// (nothing was read).
func (e *Engine) Await(ctx context.Context, want []Expectation) (*Report, error) {
	e.defaults()
	rows, err := e.validateExpectations(want)
	if err != nil {
		return nil, err
	}
	return e.run(ctx, rows)
}

func (e *Engine) validateExpectations(items []Expectation) ([]*row, error) {
	if len(items) == 0 {
		return nil, Usagef("no EIP given: pass --eip ID (repeatable)")
	}
	rows := make([]*row, 0, len(items))
	for i := range items {
		x := items[i]
		where := itemName(len(items), i, 0)
		p, err := e.item(x.Provider, x.Region, x.EIP, where)
		if err != nil {
			return nil, err
		}
		if x.For != StateAssociated && x.For != StateAvailable {
			return nil, Usagef("%swait for %q: use %s or %s", where, x.For, StateAssociated, StateAvailable)
		}
		if err := CheckText("--target", x.Target); err != nil {
			return nil, Usagef("%s%v", where, err)
		}
		if x.For == StateAvailable && x.Target != "" {
			return nil, Usagef("%sa target makes no sense when waiting for %s: drop --target", where, StateAvailable)
		}
		r := &row{want: Binding{Provider: x.Provider, Region: x.Region, EIP: x.EIP, Target: x.Target}, prov: p, expect: &x}
		r.Result = Result{Provider: x.Provider, Region: x.Region, EIPID: x.EIP, TargetID: x.Target}
		rows = append(rows, r)
	}
	return rows, nil
}

// met reports whether a reads as expected.
func (x *Expectation) met(a Address) bool {
	if x.For == StateAvailable {
		return a.State == StateAvailable
	}
	if x.Target != "" {
		return a.BoundTo(x.Target)
	}
	return a.State == StateAssociated
}
