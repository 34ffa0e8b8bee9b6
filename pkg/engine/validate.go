package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// validateBindings checks every binding before anything is sent.
func (e *Engine) validateBindings(items []eip.Binding) ([]*row, error) {
	return validateItems(len(items), func(i int) int { return items[i].Line },
		func(i int, where string) (*row, string, error) {
			b, p, err := e.validateBinding(items[i], where)
			if err != nil {
				return nil, "", err
			}
			r := &row{want: b, prov: p}
			r.Result = eip.Result{Provider: b.Provider, Region: b.Region, EIPID: b.EIP, TargetID: b.Target, TargetType: b.TargetType}
			if b.Pool != nil {
				return r, "", nil // a claim names no EIP: it may be listed as often as asked
			}
			return r, eipKey(b.Provider, b.Region, b.EIP), nil
		},
		func(r *row, j int, where string) error {
			return eip.Usagef("%sEIP %s is listed twice (also %s): list each EIP once", where, r.want.EIP, strings.TrimSuffix(itemName(len(items), j, items[j].Line), ": "))
		})
}

// validateItems checks n items before anything is sent. Every bad item is
// reported, one line each; an error that is not bad input (missing
// credentials) stops at once and keeps its kind. check makes item i's row
// and says its EIP's key ("" for none); an EIP listed again, first as item
// j, is bad input in twice's words.
func validateItems(n int, line func(i int) int, check func(i int, where string) (*row, string, error),
	twice func(r *row, j int, where string) error) ([]*row, error) {
	if n == 0 {
		return nil, eip.Usagef("no EIP given: pass --eip ID (repeatable) or -f plan.yaml")
	}
	rows := make([]*row, 0, n)
	seen := map[string]int{}
	var bad badItems
	for i := range n {
		where := itemName(n, i, line(i))
		r, key, err := check(i, where)
		if j, dup := seen[key]; err == nil && dup && key != "" {
			err = twice(r, j, where)
		}
		if err != nil {
			if !bad.add(err) {
				return nil, err
			}
			continue
		}
		seen[key] = i
		rows = append(rows, r)
	}
	return rows, bad.err()
}

func eipKey(provider, region, id string) string { return provider + "/" + region + "/" + eip.Fold(id) }

// validateBinding checks one binding and completes its target type and mode.
func (e *Engine) validateBinding(b eip.Binding, where string) (eip.Binding, *pace.Provider, error) {
	eipRef := b.EIP
	if b.Pool != nil {
		if err := validateClaim(b, where); err != nil {
			return b, nil, err
		}
		eipRef = eip.PoolRef
	}
	p, err := e.item(b.Provider, b.Region, eipRef, where)
	if err != nil {
		return b, nil, err
	}
	if b.Target == "" {
		return b, nil, eip.Usagef("%s--target is required: pass the ID of the instance, ENI, NAT gateway, load balancer or HaVip", where)
	}
	caps := p.Capabilities()
	if err := eip.CheckText("--target", b.Target); err != nil {
		return b, nil, eip.Usagef("%s%v", where, err)
	}
	if b.TargetType == "" {
		t, ok := caps.InferFor(b)
		if !ok {
			return b, nil, eip.Usagef("%scannot tell the target type of %q from the ID: pass --target-type (%s)", where, b.Target, eip.JoinWords(caps.TargetTypes))
		}
		b.TargetType = t
	}
	if !caps.Supports(b.TargetType) {
		return b, nil, eip.Usagef("%s--target-type %s is not supported by %s: use one of %s", where, b.TargetType, b.Provider, eip.JoinWords(caps.TargetTypes))
	}
	if b.Mode == "" {
		b.Mode = eip.ModeNAT
	}
	if !slices.Contains(caps.ModesFor(b.TargetType), b.Mode) {
		return b, nil, eip.Usagef("%s--mode %s is not available for a %s target on %s: use one of %s", where, b.Mode, b.TargetType, b.Provider, eip.JoinWords(caps.ModesFor(b.TargetType)))
	}
	if err := caps.Syntax.CheckBinding(b, e.AllowUnknownRegion); err != nil {
		return b, nil, eip.Usagef("%s%v", where, err)
	}
	if err := p.Validate(b); err != nil {
		return b, nil, eip.Usagef("%s%v", where, err)
	}
	return b, p, nil
}

func (e *Engine) validateUnbindings(items []eip.Unbinding) ([]*row, error) {
	return validateItems(len(items), func(i int) int { return items[i].Line },
		func(i int, where string) (*row, string, error) {
			u := items[i]
			p, err := e.item(u.Provider, u.Region, u.EIP, where)
			if err == nil {
				err = p.Capabilities().Syntax.CheckClientToken("--client-token", u.ClientToken)
				if err != nil {
					err = eip.Usagef("%s%v", where, err)
				}
			}
			if err != nil {
				return nil, "", err
			}
			r := &row{want: eip.Binding{Provider: u.Provider, Region: u.Region, EIP: u.EIP, ClientToken: u.ClientToken, Line: u.Line, From: u.From}, prov: p, unbind: true}
			r.Result = eip.Result{Provider: u.Provider, Region: u.Region, EIPID: u.EIP}
			return r, eipKey(u.Provider, u.Region, u.EIP), nil
		},
		func(r *row, _ int, where string) error {
			return eip.Usagef("%sEIP %s is listed twice: list each EIP once", where, r.want.EIP)
		})
}

// item checks what every item needs, a known provider, a region and an EIP,
// and returns the provider's adapter.
func (e *Engine) item(provider, region, eipRef, where string) (*pace.Provider, error) {
	p, err := e.lookup(provider, where)
	switch {
	case err != nil:
		return nil, err
	case region == "":
		return nil, eip.Usagef("%s--region is required: pass the region the EIP lives in", where)
	case eipRef == "":
		return nil, eip.Usagef("%s--eip is empty: pass an EIP ID or address", where)
	}
	if err := p.Capabilities().Syntax.CheckItem(region, eipRef, e.AllowUnknownRegion); err != nil {
		return nil, eip.Usagef("%s%v", where, err)
	}
	return p, nil
}

func (e *Engine) lookup(provider, where string) (*pace.Provider, error) {
	if provider == "" {
		if len(e.Providers) == 0 {
			return nil, eip.Usagef("%s--provider is required: pass the name of the EIP's cloud", where)
		}
		return nil, eip.Usagef("%s--provider is required: pass one of %s", where, strings.Join(e.Providers, ", "))
	}
	p, err := e.Lookup(provider)
	switch {
	case err == nil:
		return e.paced(provider, p), nil
	case eip.IsUsage(err):
		return nil, eip.Usagef("%s%v", where, err)
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
		if r.done {
			continue // address not found: nothing to compare
		}
		key := eipKey(r.Provider, r.Region, r.EIPID)
		if j, dup := seen[key]; dup {
			return eip.Usagef("%sEIP %s is listed twice, as %s here and as %s in item %d: list each EIP once",
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

// expressible prepares (without sending) the calls a run could make, chunked
// as the run would chunk them, so that a request the cloud cannot express is
// bad input before any lane sends anything.
func expressible(rows []*row) error {
	if len(rows) == 0 {
		return nil
	}
	for _, g := range groupRows(rows, func(r *row) string {
		k := r.key(phaseBind)
		return laneKey(r) + "\x00" + k.target + "\x00" + k.targetType + "\x00" + k.privateIP + "\x00" + k.mode + "\x00" + k.instanceRegion
	}) {
		p, w := g[0].prov, g[0].want
		size := p.Capabilities().Batch(w.TargetType)
		for c := 0; c < len(g); c += size {
			req := eip.AssociateRequest{Region: w.Region, Target: w.Target, TargetType: w.TargetType, PrivateIP: w.PrivateIP,
				Mode: w.Mode, InstanceRegion: w.InstanceRegion, ClientToken: w.ClientToken}
			for _, r := range g[c:min(c+size, len(g))] {
				req.EIPs = append(req.EIPs, eip.Address{ID: r.EIPID, Region: r.Region, State: eip.StateAvailable})
			}
			if _, err := p.PrepareAssociate(req); eip.IsUsage(err) {
				return err
			}
		}
	}
	return nil
}

// badItems gathers the bad-input errors of a run's items, so that every bad
// item is reported at once, one line each.
type badItems []string

// add keeps err if it is bad input and reports whether it was; any other
// error (missing credentials) stops validation with its own kind.
func (b *badItems) add(err error) bool {
	if !eip.IsUsage(err) {
		return false
	}
	*b = append(*b, err.Error())
	return true
}

func (b badItems) err() error {
	if len(b) == 0 {
		return nil
	}
	return &eip.UsageError{Msg: strings.Join(b, "\n")}
}

// CheckAssociate validates items exactly as Associate does, sending
// nothing: the CLI calls it before taking the run lock, so bad input exits 2
// even while another run holds the lock.
func (e *Engine) CheckAssociate(items []eip.Binding) error {
	_, err := e.validateBindings(items)
	return err
}

// CheckDisassociate is CheckAssociate for Disassociate.
func (e *Engine) CheckDisassociate(items []eip.Unbinding) error {
	_, err := e.validateUnbindings(items)
	return err
}

// CheckAwait is CheckAssociate for Await (`eip wait`).
func (e *Engine) CheckAwait(want []eip.Expectation) error {
	_, err := e.validateExpectations(want)
	return err
}
