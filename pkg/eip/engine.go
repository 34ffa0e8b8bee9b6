package eip

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
)

// Engine runs a whole request: validate every item before any call, read the
// current state, skip what is already done, group and chunk the rest to each
// cloud's batch size, submit under its rate limit with retries, wait with
// batched reads, and return one row per EIP.
type Engine struct {
	// Lookup returns the adapter for a provider name. A *UsageError from it
	// should name the flag and the choices; other errors keep their kind.
	Lookup func(provider string) (Provider, error)
	Clock  clock.Clock

	Wait     bool          // poll until every EIP is done
	Timeout  time.Duration // how long to wait in all
	DryRun   bool          // read state and prepare calls, send nothing mutating
	Schedule Schedule      // zero means DefaultSchedule
	Retry    RetryPolicy   // zero means DefaultRetry
	// Concurrency bounds the calls in flight at once (default 4).
	Concurrency int
	// Observe, when set, is told of every status the engine reads while
	// waiting and of every row as it settles (progress on stderr, tests).
	Observe func(Event)
	// AllowUnknownRegion accepts regions a provider's list does not hold
	// (a region opened after this release); their spelling is still checked.
	AllowUnknownRegion bool

	pace pacer
}

// Event is one thing the engine saw.
type Event struct {
	Provider, Region, EIPID string
	State                   State  // the unified state read, or empty
	NativeStatus            string // the cloud's word, or empty
	Status                  Status // the row's status when it settled, or empty
}

// row is one EIP's journey through a run.
type row struct {
	Result
	want   Binding // for associate
	addr   Address
	seen   bool // a transitional state was observed after submission
	done   bool
	prov   Provider
	unbind bool
}

func (e *Engine) defaults() {
	if e.Clock == nil {
		e.Clock = clock.Real{}
	}
	if e.Schedule == (Schedule{}) {
		e.Schedule = DefaultSchedule
	}
	if e.Retry == (RetryPolicy{}) {
		e.Retry = DefaultRetry
	}
	if e.Concurrency <= 0 {
		e.Concurrency = 4
	}
	if e.Timeout <= 0 {
		e.Timeout = 5 * time.Minute
	}
}

// Associate binds each EIP to its target. A returned error means nothing was
// sent (bad input); otherwise every outcome is in the report's rows.
func (e *Engine) Associate(ctx context.Context, items []Binding) (*Report, error) {
	e.defaults()
	rows, err := e.validateBindings(items)
	open, err := e.start(ctx, rows, err)
	if err != nil {
		return nil, err
	}
	var todo []*row
	for _, r := range open {
		a := r.addr
		switch {
		case a.BoundTo(r.TargetID):
			e.settle(r, StatusUnchanged, nil)
		case a.State == StateAssociating && a.HeldBy(r.TargetID):
			r.seen = true // already on its way: just wait
		case a.State == StateAvailable:
			todo = append(todo, r)
		case a.TargetID != "" && a.State != StateDisassociating:
			// One that is being unbound will be free soon: IncorrectStatus
			// below says to retry, where this would say to unbind it.
			e.settle(r, StatusFailed, Errorf(ClassConflict, "AlreadyBound",
				"EIP %s is bound to %s %s; eipctl does not move bound EIPs: unbind it first with `eipctl eip disassociate --provider %s --region %s --eip %s`",
				a.ID, a.TargetType, a.TargetID, r.Provider, r.Region, a.ID))
		default:
			e.settle(r, StatusFailed, Errorf(ClassConflict, "IncorrectStatus",
				"EIP %s is %s (%s) and cannot be bound now: retry when it is available", a.ID, a.State, a.NativeStatus))
		}
	}
	return e.submit(ctx, rows, todo, func(r *row) groupKey {
		w := r.want
		return groupKey{w.Provider, w.Region, w.Target, string(w.TargetType), w.PrivateIP, string(w.Mode), w.InstanceRegion, w.ClientToken}
	}, func(p Provider, region string, chunk []*row, token string) (Call, error) {
		w := chunk[0].want
		req := AssociateRequest{Region: region, Target: w.Target, TargetType: w.TargetType, PrivateIP: w.PrivateIP,
			Mode: w.Mode, InstanceRegion: w.InstanceRegion, ClientToken: token}
		for _, r := range chunk {
			req.EIPs = append(req.EIPs, r.addr)
		}
		return p.PrepareAssociate(req)
	})
}

// Disassociate releases each EIP from whatever holds it.
func (e *Engine) Disassociate(ctx context.Context, items []Unbinding) (*Report, error) {
	e.defaults()
	rows, err := e.validateUnbindings(items)
	open, err := e.start(ctx, rows, err)
	if err != nil {
		return nil, err
	}
	var todo []*row
	for _, r := range open {
		a := r.addr
		r.TargetID, r.TargetType = a.TargetID, a.TargetType
		switch a.State {
		case StateAvailable:
			e.settle(r, StatusUnchanged, nil)
		case StateDisassociating:
			r.seen = true
		case StateAssociated:
			todo = append(todo, r)
		default:
			e.settle(r, StatusFailed, Errorf(ClassConflict, "IncorrectStatus",
				"EIP %s is %s (%s) and cannot be unbound now: retry when the binding has finished", a.ID, a.State, a.NativeStatus))
		}
	}
	return e.submit(ctx, rows, todo, func(r *row) groupKey {
		return groupKey{provider: r.Provider, region: r.Region, target: r.addr.TargetID, targetType: string(r.addr.TargetType), token: r.want.ClientToken}
	}, func(p Provider, region string, chunk []*row, token string) (Call, error) {
		req := DisassociateRequest{Region: region, ClientToken: token}
		for _, r := range chunk {
			req.EIPs = append(req.EIPs, r.addr)
		}
		return p.PrepareDisassociate(req)
	})
}

// start reads the current state of validated rows (every item was checked
// before this first call), refuses an EIP named twice (by ID and by address),
// and returns the rows still open.
func (e *Engine) start(ctx context.Context, rows []*row, err error) ([]*row, error) {
	if err != nil {
		return nil, err
	}
	e.resolve(ctx, rows)
	if err := sameEIPTwice(rows); err != nil {
		return nil, err
	}
	return openRows(rows), nil
}

func (e *Engine) validateBindings(items []Binding) ([]*row, error) {
	if len(items) == 0 {
		return nil, Usagef("no EIP given: pass --eip ID (repeatable) or -f plan.yaml")
	}
	rows := make([]*row, 0, len(items))
	seen := map[string]int{}
	for i, b := range items {
		where := itemName(len(items), i, b.Line)
		p, err := e.item(b.Provider, b.Region, b.EIP, where)
		if err != nil {
			return nil, err
		}
		switch {
		case b.Target == "":
			return nil, Usagef("%s--target is required: pass the ID of the instance, ENI, NAT gateway, load balancer or HaVip", where)
		}
		caps := p.Capabilities()
		if b.TargetType == "" {
			t, ok := caps.Infer(b.Target)
			if !ok {
				return nil, Usagef("%scannot tell the target type of %q from its prefix: pass --target-type (%s)", where, b.Target, joinWords(caps.TargetTypes))
			}
			b.TargetType = t
		}
		if !caps.Supports(b.TargetType) {
			return nil, Usagef("%s--target-type %s is not supported by %s: use one of %s", where, b.TargetType, b.Provider, joinWords(caps.TargetTypes))
		}
		if b.Mode == "" {
			b.Mode = ModeNAT
		}
		if !containsMode(caps.ModesFor(b.TargetType), b.Mode) {
			return nil, Usagef("%s--mode %s is not available for a %s target on %s: use one of %s", where, b.Mode, b.TargetType, b.Provider, joinWords(caps.ModesFor(b.TargetType)))
		}
		if err := caps.Syntax.checkBinding(b, e.AllowUnknownRegion); err != nil {
			return nil, Usagef("%s%v", where, err)
		}
		if err := p.Validate(b); err != nil {
			return nil, Usagef("%s%v", where, err)
		}
		key := b.Provider + "/" + b.Region + "/" + Fold(b.EIP)
		if j, dup := seen[key]; dup {
			return nil, Usagef("%sEIP %s is listed twice (also %s): list each EIP once", where, b.EIP, strings.TrimSuffix(itemName(len(items), j, items[j].Line), ": "))
		}
		seen[key] = i
		r := &row{want: b, prov: p}
		r.Result = Result{Provider: b.Provider, Region: b.Region, EIPID: b.EIP, TargetID: b.Target, TargetType: b.TargetType}
		rows = append(rows, r)
	}
	return rows, nil
}

func (e *Engine) validateUnbindings(items []Unbinding) ([]*row, error) {
	if len(items) == 0 {
		return nil, Usagef("no EIP given: pass --eip ID (repeatable) or -f plan.yaml")
	}
	rows := make([]*row, 0, len(items))
	seen := map[string]bool{}
	for i, u := range items {
		where := itemName(len(items), i, u.Line)
		p, err := e.item(u.Provider, u.Region, u.EIP, where)
		if err != nil {
			return nil, err
		}
		if err := p.Capabilities().Syntax.checkUnbinding(u, e.AllowUnknownRegion); err != nil {
			return nil, Usagef("%s%v", where, err)
		}
		key := u.Provider + "/" + u.Region + "/" + Fold(u.EIP)
		if seen[key] {
			return nil, Usagef("%sEIP %s is listed twice: list each EIP once", where, u.EIP)
		}
		seen[key] = true
		r := &row{want: Binding{Provider: u.Provider, Region: u.Region, EIP: u.EIP, ClientToken: u.ClientToken}, prov: p, unbind: true}
		r.Result = Result{Provider: u.Provider, Region: u.Region, EIPID: u.EIP}
		rows = append(rows, r)
	}
	return rows, nil
}

// item checks what every item needs, a known provider, a region and an EIP,
// and returns the provider's adapter.
func (e *Engine) item(provider, region, eipRef, where string) (Provider, error) {
	p, err := e.lookup(provider, where)
	switch {
	case err != nil:
		return nil, err
	case region == "":
		return nil, Usagef("%s--region is required: pass the region the EIP lives in", where)
	case eipRef == "":
		return nil, Usagef("%s--eip is empty: pass an EIP ID or address", where)
	}
	return p, nil
}

func (e *Engine) lookup(provider, where string) (Provider, error) {
	if provider == "" {
		return nil, Usagef("%s--provider is required: pass alibaba, tencent or zenlayer", where)
	}
	p, err := e.Lookup(provider)
	switch {
	case err == nil:
		return p, nil
	case IsUsage(err):
		return nil, Usagef("%s%v", where, err)
	}
	// Not bad input (missing credentials, say): keep its kind for the exit code.
	return nil, fmt.Errorf("%s%w", where, err)
}

// sameEIPTwice refuses an EIP listed once by ID and once by address, which
// validation cannot see until addresses are resolved: sending it twice in one
// batch is an error on some clouds and a double binding on others.
func sameEIPTwice(rows []*row) error {
	seen := map[string]int{}
	for i, r := range rows {
		if r.addr.ID == "" {
			continue // not found: nothing to compare
		}
		key := r.Provider + "/" + r.Region + "/" + r.EIPID
		if j, dup := seen[key]; dup {
			return Usagef("%sEIP %s is listed twice, as %s here and as %s in item %d: list each EIP once",
				itemName(len(rows), i, r.want.Line), r.EIPID, r.want.EIP, rows[j].want.EIP, j+1)
		}
		seen[key] = i
	}
	return nil
}

// itemName names item i of n in a message: nothing for a lone item from
// flags, its number (and line, from a plan file) otherwise.
func itemName(n, i, line int) string {
	switch {
	case line > 0:
		return fmt.Sprintf("item %d (line %d): ", i+1, line)
	case n == 1:
		return ""
	}
	return fmt.Sprintf("item %d: ", i+1)
}

func containsMode(ms []Mode, m Mode) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// resolve reads the current state of every row's EIP, batched per region;
// EIPs given by address are found through one List per region.
func (e *Engine) resolve(ctx context.Context, rows []*row) {
	for _, g := range groupRows(rows, func(r *row) string { return r.Provider + "\x00" + r.Region }) {
		p, region := g[0].prov, g[0].Region
		var byIP []*row
		var ids []string
		for _, r := range g {
			if net.ParseIP(r.EIPID) != nil {
				byIP = append(byIP, r)
			} else {
				ids = append(ids, r.EIPID)
			}
		}
		if len(byIP) > 0 {
			var all []Address
			err := e.read(ctx, p, g[0].Provider, region, "List", func() (err error) {
				all, err = p.List(ctx, region)
				return err
			})
			if err != nil {
				e.failAll(byIP, p.Classify(err))
			} else {
				ips := map[string]string{}
				for _, a := range all {
					ips[a.IP] = a.ID
				}
				for _, r := range byIP {
					if id, ok := ips[r.EIPID]; ok {
						r.EIPID = id
						ids = append(ids, id)
					} else {
						e.settle(r, StatusFailed, Errorf(ClassNotFound, "EipNotFound",
							"no EIP has address %s in %s %s: check the address and --region", r.EIPID, r.Provider, region))
					}
				}
			}
		}
		found, failed := e.describe(ctx, p, g[0].Provider, region, ids)
		for _, r := range g {
			if r.done {
				continue
			}
			if err, bad := failed[r.EIPID]; bad {
				e.settle(r, StatusFailed, err)
				continue
			}
			a, ok := found[r.EIPID]
			if !ok {
				e.settle(r, StatusFailed, Errorf(ClassNotFound, "EipNotFound",
					"EIP %s not found in %s %s: check the ID and --region (list them with `eipctl eip list --provider %s --region %s`)",
					r.EIPID, r.Provider, region, r.Provider, region))
				continue
			}
			r.addr, r.IP = a, a.IP
		}
	}
}

// describe reads ids in chunks of the provider's DescribeBatch. IDs whose read
// failed for good are returned in failed with the classified error.
func (e *Engine) describe(ctx context.Context, p Provider, provider, region string, ids []string) (map[string]Address, map[string]*Error) {
	found, failed := map[string]Address{}, map[string]*Error{}
	n := max(p.Capabilities().DescribeBatch, 1)
	for i := 0; i < len(ids); i += n {
		chunk := ids[i:min(i+n, len(ids))]
		var as []Address
		err := e.read(ctx, p, provider, region, "Describe", func() (err error) {
			as, err = p.Describe(ctx, region, chunk)
			return err
		})
		if err != nil {
			ce := p.Classify(err)
			for _, id := range chunk {
				failed[id] = ce
			}
			continue
		}
		for _, a := range as {
			found[a.ID] = a
		}
	}
	return found, failed
}

// read runs one read call under the pace and retry policy.
func (e *Engine) read(ctx context.Context, p Provider, provider, region, action string, fn func() error) error {
	return e.Retry.do(ctx, e.Clock, p.Classify, func() error {
		if err := e.pace.wait(ctx, e.Clock, provider+"/"+region+"/"+action, p.Capabilities().Rate); err != nil {
			return err
		}
		return fn()
	})
}

type groupKey struct {
	provider, region, target, targetType, privateIP, mode, instanceRegion, token string
}

// submit groups the rows to send, chunks each group to the batch size, and
// (unless this is a dry run) sends the chunks and waits for the outcome.
func (e *Engine) submit(ctx context.Context, rows, todo []*row, key func(*row) groupKey,
	prepare func(p Provider, region string, chunk []*row, token string) (Call, error)) (*Report, error) {
	type job struct {
		call  Call
		rows  []*row
		group groupKey
	}
	var jobs []job
	order := []groupKey{}
	groups := map[groupKey][]*row{}
	for _, r := range todo {
		k := key(r)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		g := groups[k]
		p := g[0].prov
		caps := p.Capabilities()
		size := caps.Batch(g[0].want.TargetType)
		if g[0].unbind {
			size = caps.UnbindBatch(g[0].addr.TargetType)
		}
		nchunks := (len(g) + size - 1) / size
		for c := 0; c < nchunks; c++ {
			chunk := g[c*size : min((c+1)*size, len(g))]
			token := k.token
			switch {
			case token != "" && nchunks > 1:
				token = fmt.Sprintf("%s-%d", token, c+1)
			case token == "" && caps.ClientToken:
				token = newToken()
			}
			call, err := prepare(p, k.region, chunk, token)
			if IsUsage(err) {
				// A request the cloud cannot express: bad input, and nothing
				// mutating has been sent yet.
				return nil, err
			}
			if err != nil {
				e.failAll(chunk, p.Classify(err))
				continue
			}
			jobs = append(jobs, job{call, chunk, k})
		}
	}
	report := &Report{}
	if e.DryRun {
		for _, j := range jobs {
			report.Requests = append(report.Requests, PlannedCall{j.group.provider, j.group.region, j.call.Action, j.call.Params})
			for _, r := range j.rows {
				e.settle(r, StatusPlanned, nil)
			}
		}
		for _, r := range rows {
			if !r.done { // already on its way
				e.settle(r, StatusPending, nil)
			}
		}
		return e.finish(report, rows), nil
	}

	tasks := map[*row]string{}
	var mu sync.Mutex
	sem := make(chan struct{}, e.Concurrency)
	var wg sync.WaitGroup
	for _, j := range jobs {
		if ctx.Err() != nil {
			mu.Lock()
			e.failAll(j.rows, Errorf(ClassTransient, "Canceled", "not sent: the run was interrupted before this request"))
			mu.Unlock()
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(j job) {
			defer func() { <-sem; wg.Done() }()
			p := j.rows[0].prov
			var res CallResult
			err := e.Retry.do(ctx, e.Clock, p.Classify, func() error {
				if err := e.pace.wait(ctx, e.Clock, j.group.provider+"/"+j.group.region+"/"+j.call.Action, p.Capabilities().Rate); err != nil {
					return err
				}
				var err error
				res, err = j.call.Run(ctx)
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				e.failAll(j.rows, p.Classify(err))
				return
			}
			for _, r := range j.rows {
				if ferr, bad := res.Failed[r.EIPID]; bad {
					e.settle(r, StatusFailed, ferr)
				}
			}
			for task, ids := range res.Tasks {
				for _, r := range j.rows {
					for _, id := range ids {
						if r.EIPID == id && !r.done {
							tasks[r] = task
						}
					}
				}
			}
		}(j)
	}
	wg.Wait()
	if !e.Wait {
		for _, r := range rows {
			if !r.done {
				e.settle(r, StatusPending, nil)
			}
		}
		return e.finish(report, rows), nil
	}
	e.wait(ctx, rows, tasks)
	return e.finish(report, rows), nil
}

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
			for _, r := range open {
				e.settle(r, StatusFailed, Errorf(ClassTransient, "Canceled", "interrupted while waiting; the cloud may still complete it: check with `eipctl eip list`"))
			}
			return
		}
		now := e.Clock.Now()
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

func (e *Engine) observe(r *row, a Address) {
	changed := a.State != r.addr.State || a.NativeStatus != r.addr.NativeStatus
	r.addr = a
	if changed && e.Observe != nil {
		e.Observe(Event{Provider: r.Provider, Region: r.Region, EIPID: r.EIPID, State: a.State, NativeStatus: a.NativeStatus})
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

func (e *Engine) settle(r *row, s Status, err *Error) {
	r.Status, r.Error, r.done = s, err, true
	if e.Observe != nil {
		e.Observe(Event{Provider: r.Provider, Region: r.Region, EIPID: r.EIPID, Status: s})
	}
}

func (e *Engine) failAll(rows []*row, err *Error) {
	for _, r := range rows {
		if !r.done {
			e.settle(r, StatusFailed, err)
		}
	}
}

func (e *Engine) finish(rep *Report, rows []*row) *Report {
	rep.Results = make([]Result, len(rows))
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

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "eipctl-" + hex.EncodeToString(b[:])
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
