package engine

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// Claiming from a pool is a stage of Associate: for a Binding with a Pool,
// read which of the pool's EIPs the target already holds, then bind free
// ones, in a random order, until it holds Count. Machines that boot together
// race for the same free EIPs; a candidate another one took first (the
// cloud refuses the bind, or the confirmation shows it on another target)
// is left alone and the next is tried. Nothing is ever unbound here.
//
// The binding itself is the engine's: each round of candidates goes through
// submit (grouping, chunking to the batch size, pacing, retries) and wait
// (batched confirmation reads), exactly as named EIPs do.

// claim is one pool item's progress through a run.
type claim struct {
	want  eip.Binding // target and options; want.Pool says which EIPs may be taken
	prov  *pace.Provider
	rows  []*row        // held at the start, then claimed, in that order: the report's rows
	queue []eip.Address // free candidates not yet tried, in the order they will be
	need  int           // slots still to fill
	stop  *eip.Error    // a refusal another candidate would meet too (auth, a full target)

	members, taken int             // pool EIPs seen in the region; candidates others took first
	again          map[string]bool // candidates put back once after a conflict that left them free
}

// claimsOf takes the pool items out of validated rows.
func claimsOf(rows []*row) (plain []*row, claims map[*row]*claim) {
	claims = map[*row]*claim{}
	for _, r := range rows {
		if r.want.Pool == nil {
			plain = append(plain, r)
			continue
		}
		claims[r] = &claim{want: r.want, prov: r.prov, need: max(r.want.Count, 1), again: map[string]bool{}}
	}
	return plain, claims
}

// validateClaim checks what only a pool item needs; the target and its
// options are checked like any binding's.
func validateClaim(b eip.Binding, where string) error {
	switch {
	case b.EIP != "":
		return eip.Usagef("%seip and pool both given: name the EIP, or let the pool choose one", where)
	case b.Pool.Empty():
		return eip.Usagef("%spool is empty: list EIP IDs, addresses or CIDR blocks", where)
	case b.Count < 0 || b.Count > eip.MaxPoolCount:
		return eip.Usagef("%scount %d: give a number from 1 to %d", where, b.Count, eip.MaxPoolCount)
	case b.ClientToken != "":
		return eip.Usagef("%sclientToken cannot apply to a pool claim: eipctl makes one per request, as it may try several EIPs", where)
	case b.Force:
		return eip.Usagef("%sforce cannot apply to a pool claim: it takes only free EIPs and never unbinds one", where)
	}
	return nil
}

// associateClaims runs the named EIPs as usual, then the claims, and puts
// every row in the order of the request's items (a claim's rows where its
// item was).
func (e *Engine) associateClaims(ctx context.Context, rows, plain []*row, claims map[*row]*claim) (*eip.Report, error) {
	rep := &eip.Report{}
	if len(plain) > 0 {
		r, err := e.associateRows(ctx, plain)
		if err != nil {
			return nil, err
		}
		rep.Requests = r.Requests
	}
	var ordered []*claim
	for _, r := range rows {
		if c := claims[r]; c != nil {
			ordered = append(ordered, c)
		}
	}
	rep.Requests = append(rep.Requests, e.claim(ctx, ordered)...)
	var out []*row
	for _, r := range rows {
		if c := claims[r]; c != nil {
			out = append(out, c.rows...)
		} else {
			out = append(out, r)
		}
	}
	return e.finish(rep, out), nil
}

// claim fills every claim's slots, round by round, and returns the requests
// a dry run would send.
func (e *Engine) claim(ctx context.Context, claims []*claim) []eip.PlannedCall {
	e.readPools(ctx, claims)
	total := e.Timeout
	deadline := e.Clock.Now().Add(total)
	defer func() { e.Timeout = total }()
	used := map[string]bool{} // candidates this run gave to a claim
	var planned []eip.PlannedCall
	outOfTime := false
	for round := 0; ; round++ {
		left := deadline.Sub(e.Clock.Now())
		if round > 0 && (left <= 0 || e.halted(ctx)) {
			outOfTime = left <= 0
			break // what is left is reported by exhausted
		}
		var rows, todo []*row
		for _, c := range claims {
			for _, r := range c.rows {
				if !r.done {
					rows = append(rows, r) // on its way from an earlier run or round
				}
			}
			for c.need > 0 && c.stop == nil && len(c.queue) > 0 {
				a := c.queue[0]
				c.queue = c.queue[1:]
				if k := c.want.Provider + "/" + c.want.Region + "/" + a.ID; !used[k] || c.again[a.ID] {
					used[k] = true
					r := c.candidate(a)
					c.rows = append(c.rows, r)
					c.need--
					todo = append(todo, r)
					rows = append(rows, r)
				}
			}
		}
		if len(rows) == 0 {
			break
		}
		e.Timeout = left
		rep, err := e.submit(ctx, rows, todo)
		if err != nil {
			// The cloud cannot express one of the requests: bad input the
			// validation could not see, and nothing of this round was sent.
			for _, r := range todo {
				e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassInvalid, "InvalidRequest", "%v", err))
			}
			break
		}
		planned = append(planned, rep.Requests...)
		if e.DryRun {
			break
		}
		e.recheck(ctx, todo)
	}
	e.Timeout = total // messages name the --timeout the user gave
	for _, c := range claims {
		c.exhausted(e, outOfTime)
	}
	return planned
}

// readPools lists each region a claim is in once, and sorts its pool's EIPs
// into those the target holds (its rows, unchanged or still binding) and
// those free to try.
func (e *Engine) readPools(ctx context.Context, claims []*claim) {
	type key struct{ provider, region string }
	lists := map[key][]eip.Address{}
	fails := map[key]*eip.Error{}
	for _, c := range claims {
		k := key{c.want.Provider, c.want.Region}
		if _, ok := lists[k]; ok || fails[k] != nil {
			continue
		}
		var all []eip.Address
		all, err := c.prov.List(ctx, k.region)
		switch {
		case err != nil && ctx.Err() != nil:
			e.halted(ctx)
			fails[k] = errPoolUnread
		case err != nil:
			fails[k] = c.prov.Classify(err)
		default:
			lists[k] = all
		}
	}
	for _, c := range claims {
		k := key{c.want.Provider, c.want.Region}
		if err := fails[k]; err != nil {
			c.stop = err
			continue
		}
		var free []eip.Address
		for _, a := range lists[k] {
			if !c.want.Pool.Has(a) {
				continue
			}
			c.members++
			switch {
			case a.HeldBy(c.want.Target) && (a.State == eip.StateAssociated || a.State == eip.StateAssociating):
				r := c.candidate(a)
				c.rows = append(c.rows, r)
				c.need--
				if a.BoundTo(c.want.Target) {
					e.settle(r, eip.StatusUnchanged, nil)
				} else {
					r.seen = true // bound by an earlier run, still confirming: wait for it
				}
			case a.State == eip.StateAvailable && a.TargetID == "":
				free = append(free, a)
			}
		}
		c.need = max(c.need, 0)
		e.shuffle(free)
		c.queue = free
	}
}

// shuffle puts candidates in a random order, so that machines claiming from
// the same pool at the same moment mostly try different EIPs first.
func (e *Engine) shuffle(as []eip.Address) {
	if e.Shuffle != nil {
		e.Shuffle(as)
		return
	}
	rand.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
}

// candidate makes the row for one EIP of the claim.
func (c *claim) candidate(a eip.Address) *row {
	w := c.want
	w.EIP, w.Pool, w.Count = a.ID, nil, 0
	r := &row{want: w, prov: c.prov, addr: a, read: true, claim: c}
	r.Result = eip.Result{Provider: w.Provider, Region: w.Region, EIPID: a.ID, IP: a.IP, TargetID: w.Target, TargetType: w.TargetType,
		PreviousTargetID: targetPtr(a.TargetID)}
	return r
}

// recheck re-reads a round's candidates that failed, since a cloud's
// refusal does not always say why (Tencent answers UnsupportedOperation.BindEIP
// both for a taken EIP and for a full HaVip). Held by a rival now, the EIP
// was taken: its row is dropped and the slot goes to the next candidate.
// Held by our own target after all (an answer lost after the cloud
// committed), it is ours. Still free after a conflict (a task conflict, not
// a rival), it is tried once more, then passed over. Any other failure stops the claim: the
// next candidate would meet it too, so the row is kept, and only now shown.
// A target that said it is full is one: its rows keep the cloud's own code,
// never PoolExhausted, and no more of the pool is tried against it.
func (e *Engine) recheck(ctx context.Context, todo []*row) {
	var failed []*row
	for _, r := range todo {
		if r.Status == eip.StatusFailed {
			failed = append(failed, r)
		}
	}
	for _, g := range groupRows(failed, func(r *row) string { return r.Provider + "\x00" + r.Region }) {
		ids := make([]string, len(g))
		for i, r := range g {
			ids[i] = r.EIPID
		}
		found, unread := e.describe(ctx, g[0].prov, g[0].Provider, g[0].Region, ids)
		for _, r := range g {
			c := r.claim
			a, ok := found[r.EIPID]
			_, readFailed := unread[r.EIPID]
			switch {
			case readFailed:
				c.keep(e, r)
			case ok && a.HeldBy(r.TargetID):
				fresh := c.candidate(a)
				fresh.PreviousTargetID = r.PreviousTargetID
				c.replace(r, fresh)
				if a.BoundTo(r.TargetID) {
					e.settle(fresh, eip.StatusAssociated, nil)
				} else {
					fresh.seen = true
				}
			case !ok || a.TargetID != "" || a.State != eip.StateAvailable:
				c.taken++
				c.drop(r)
			case r.Error != nil && r.Error.Capacity:
				c.keep(e, r) // the target is full: every other candidate would meet it too
			case r.Error != nil && r.Error.Class == eip.ClassConflict && !c.again[a.ID]:
				c.again[a.ID] = true
				c.drop(r)
				c.queue = append([]eip.Address{a}, c.queue...)
			case r.Error != nil && r.Error.Class == eip.ClassConflict:
				c.drop(r) // busy twice: the next candidate may not be
			default:
				c.keep(e, r)
			}
		}
	}
}

// keep makes a failed candidate a row of the report and stops the claim.
func (c *claim) keep(e *Engine, r *row) {
	if c.stop == nil {
		c.stop = r.Error
	}
	r.claim = nil // no longer quiet
	e.settle(r, r.Status, r.Error)
}

func (c *claim) drop(r *row) {
	c.replace(r, nil)
	c.need++
}

func (c *claim) replace(old, fresh *row) {
	for i, r := range c.rows {
		if r == old {
			if fresh == nil {
				c.rows = append(c.rows[:i], c.rows[i+1:]...)
			} else {
				c.rows[i] = fresh
			}
			return
		}
	}
}

// exhausted adds a row for each slot the claim could not fill: failed
// PoolExhausted, or pending (interrupted) or timeout (out of --timeout) when
// free candidates were still left to try.
func (c *claim) exhausted(e *Engine, outOfTime bool) {
	got := 0
	for _, r := range c.rows {
		if r.Status != eip.StatusFailed && r.Status != eip.StatusTimeout {
			got++
		}
	}
	for ; c.need > 0; c.need-- {
		w := c.want
		r := &row{want: w, prov: c.prov}
		r.Result = eip.Result{Provider: w.Provider, Region: w.Region, TargetID: w.Target, TargetType: w.TargetType}
		c.rows = append(c.rows, r)
		switch {
		case c.stop == errPoolUnread:
			e.settle(r, eip.StatusPending, c.stop)
		case c.stop != nil:
			e.settle(r, eip.StatusFailed, c.stop)
		case e.interrupted() && len(c.queue) > 0:
			e.settle(r, eip.StatusPending, eip.ErrNotSent) // free EIPs were left to try
		case outOfTime && len(c.queue) > 0:
			e.settle(r, eip.StatusTimeout, eip.Errorf(eip.ClassTransient, "Timeout",
				"--timeout %s ran out with free EIPs of pool %s still to try for %s: raise --timeout, or run it again", e.Timeout, c.want.Pool, w.Target))
		case c.members == 0:
			e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "PoolExhausted",
				"no EIP of pool %s is in %s %s: check the pool's IDs and addresses and --region (list them with `eipctl eip list --provider %s --region %s`)",
				c.want.Pool, w.Provider, w.Region, w.Provider, w.Region))
		default:
			e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassConflict, "PoolExhausted",
				"no free EIP left in pool %s for %s: it holds %d of the %d asked for; %d EIPs of the pool are in %s %s%s; free one, add EIPs to the pool, or ask for fewer",
				c.want.Pool, w.Target, got, max(w.Count, 1), c.members, w.Provider, w.Region, takenNote(c.taken)))
		}
	}
}

// errPoolUnread stops a claim whose pool the run was stopped while listing.
var errPoolUnread = eip.Errorf(eip.ClassTransient, "Interrupted",
	"interrupted while listing the pool: nothing was sent for this claim, so this run changed nothing; what the pool holds is unknown (it was not read). Run the command again")

func takenNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d taken by others during this run", n)
}

// quiet tells settle to hold back the event of a claim's candidate that
// failed: it may be replaced by the next one and then is no row at all.
func (r *row) quiet(s eip.Status, _ *eip.Error) bool {
	return r.claim != nil && s == eip.StatusFailed
}
