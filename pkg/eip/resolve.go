package eip

import (
	"context"
	"net"
)

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
			r.addr, r.IP, r.read = a, a.IP, true
			r.PreviousTargetID = targetPtr(a.TargetID)
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
