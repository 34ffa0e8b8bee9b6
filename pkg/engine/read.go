package engine

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/pace"
)

// byAddress turns EIPs given by address into IDs, with one List per region
// that has any, all regions at once, before any lane sends: an EIP listed once
// by ID and once by address is bad input, and bad input sends nothing.
func (e *Engine) byAddress(ctx context.Context, rows []*row) error {
	var wg sync.WaitGroup
	for _, g := range groupRows(rows, laneKey) {
		var byIP []*row
		for _, r := range g {
			if net.ParseIP(r.EIPID) != nil {
				byIP = append(byIP, r)
			}
		}
		if len(byIP) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, region := g[0].prov, g[0].Region
			all, err := p.List(ctx, region)
			if err != nil {
				e.unread(ctx, byIP, p.Classify(err))
				return
			}
			ips := map[string]string{}
			for _, a := range all {
				ips[a.IP] = a.ID
			}
			for _, r := range byIP {
				if id, ok := ips[r.EIPID]; ok {
					r.EIPID = id
				} else {
					e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassNotFound, "EipNotFound",
						"no EIP has address %s in %s %s: check the address and --region", r.EIPID, r.Provider, region))
				}
			}
		}()
	}
	wg.Wait()
	return sameEIPTwice(rows)
}

// readState reads the current state of rows, batched to DescribeBatch, the
// chunks at once within the lane's read slots, and hands each chunk's rows
// to then (l.mu held) as soon as that chunk is read. A row whose EIP does not
// exist, or whose read failed, is settled failed before then sees it.
func (l *lane) readState(ctx context.Context, rows []*row, then func([]*row)) {
	byID := map[string][]*row{}
	var ids []string
	for _, r := range rows {
		if _, ok := byID[r.EIPID]; !ok {
			ids = append(ids, r.EIPID)
		}
		byID[r.EIPID] = append(byID[r.EIPID], r)
	}
	l.describeChunks(ctx, ids, func(chunk []string, as []eip.Address, err error) {
		found := map[string]eip.Address{}
		for _, a := range as {
			found[a.ID] = a
		}
		var fail *eip.Error
		if err != nil {
			fail = l.p.Classify(err)
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		var read []*row
		for _, id := range chunk {
			for _, r := range byID[id] {
				read = append(read, r)
				if fail != nil {
					l.e.unread(ctx, []*row{r}, fail)
					continue
				}
				a, ok := found[r.EIPID]
				if !ok {
					l.e.settle(r, eip.StatusFailed, eip.Errorf(eip.ClassNotFound, "EipNotFound",
						"EIP %s not found in %s %s: check the ID and --region (list them with `eipctl eip list --provider %s --region %s`)",
						r.EIPID, r.Provider, r.Region, r.Provider, r.Region))
					continue
				}
				r.addr, r.IP, r.read = a, a.IP, true
				r.PreviousTargetID = targetPtr(a.TargetID)
			}
		}
		then(read)
	})
}

// describe reads the rows' EIPs in chunks of DescribeBatch, every chunk at
// once (bounded by the lane's read slots). IDs whose read failed are returned
// in failed with the classified error.
func (l *lane) describe(ctx context.Context, rows []*row) (map[string]eip.Address, map[string]*eip.Error) {
	var ids []string
	uniq := map[string]bool{}
	for _, r := range rows {
		if !uniq[r.EIPID] {
			uniq[r.EIPID] = true
			ids = append(ids, r.EIPID)
		}
	}
	return l.describeIDs(ctx, ids)
}

func (l *lane) describeIDs(ctx context.Context, ids []string) (map[string]eip.Address, map[string]*eip.Error) {
	found, failed := map[string]eip.Address{}, map[string]*eip.Error{}
	var mu sync.Mutex
	l.describeChunks(ctx, ids, func(chunk []string, as []eip.Address, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			ce := l.p.Classify(err)
			for _, id := range chunk {
				failed[id] = ce
			}
			return
		}
		for _, a := range as {
			found[a.ID] = a
		}
	})
	return found, failed
}

// describeChunks reads ids in chunks of DescribeBatch, every chunk at once
// within the lane's read slots and its pacer, and tells each chunk's answer
// to done as it comes; it returns when every chunk has been told.
func (l *lane) describeChunks(ctx context.Context, ids []string, done func(chunk []string, as []eip.Address, err error)) {
	var wg sync.WaitGroup
	n := max(l.caps.DescribeBatch, 1)
	for i := 0; i < len(ids); i += n {
		chunk := ids[i:min(i+n, len(ids))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.reads <- struct{}{}
			as, err := l.p.Describe(ctx, l.region, chunk)
			<-l.reads
			done(chunk, as, err)
		}()
	}
	wg.Wait()
}

// paced wraps a provider's adapter in the run's pacers and retry policy
// (one wrapper per provider); an adapter the caller already wrapped keeps
// its pacers, so the run spends the same budget as the caller's other reads.
func (e *Engine) paced(name string, p eip.Provider) *pace.Provider {
	e.wrapMu.Lock()
	defer e.wrapMu.Unlock()
	if w, ok := e.wrapped[name]; ok {
		return w
	}
	w := pace.Wrap(p, name, pace.Options{Pacers: e.pacers, Retry: e.Retry, Clock: e.Clock,
		OnRetry: func(region, _ string, _ *eip.Error, _ time.Duration) {
			e.emit(Event{Kind: EventRetry, Provider: name, Region: region, Count: 1})
		}})
	if e.wrapped == nil {
		e.wrapped = map[string]*pace.Provider{}
	}
	e.wrapped[name] = w
	return w
}

func laneKey(r *row) string { return r.Provider + "\x00" + r.Region }
