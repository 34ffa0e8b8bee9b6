package main

import (
	"fmt"
	"sort"

	"github.com/eipctl/eipctl/internal/workload"
)

// failoverRuns is how many times each cloud's EIP is moved; the table shows
// the median, and the range beside it.
const failoverRuns = 6

// failover: what an HA manager asks when a node takes over, on each cloud
// alone: one EIP force-moved from one instance to another, back and forth.
// Its floor is two bind delays and five round trips (read, unbind, confirm,
// bind, confirm); no rate limit is near.
func (b *benchRun) failover() ([]result, error) {
	emu, inv, err := startWithInventory(b.o.bin, b.o, 40)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	var out []result
	seen := map[string]bool{}
	for _, p := range inv.Providers {
		if seen[p.Provider] {
			continue
		}
		seen[p.Provider] = true
		r, err := b.failoverOne(emu, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p.Provider, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// failoverOne moves one free EIP of region p between its first two
// instances failoverRuns times, each run a force-move from where the last
// left it.
func (b *benchRun) failoverOne(emu *emulator, p workload.Region) (result, error) {
	var eipID string
	for _, e := range p.EIPs {
		if e.TargetID == "" {
			eipID = e.ID
			break
		}
	}
	taken := map[string]bool{}
	for _, e := range p.EIPs {
		taken[e.TargetID] = true
	}
	// Two free nodes: instances, or ENIs (with their primary private IP)
	// where the cloud binds to those (Zenlayer).
	var nodes []workload.Item
	for _, kind := range []string{"instance", "eni"} {
		for _, t := range p.Targets {
			if t.Type == kind && !taken[t.ID] && len(nodes) < 2 {
				it := workload.Item{Provider: p.Provider, Region: p.Region, EIP: eipID, Target: t.ID, TargetType: kind}
				if kind == "eni" && len(t.PrivateIPs) > 0 {
					it.PrivateIP = t.PrivateIPs[0]
				}
				nodes = append(nodes, it)
			}
		}
	}
	if eipID == "" || len(nodes) < 2 {
		return result{}, fmt.Errorf("%s needs a free EIP and two free instances or ENIs", p.Region)
	}
	item := func(node workload.Item, force bool) []workload.Item {
		node.Force = force
		return []workload.Item{node}
	}
	var runs []result
	for i := range b.size(failoverRuns, 2) {
		r, err := b.measure(emu, "failover 1 "+p.Provider, item(nodes[(i+1)%2], true), item(nodes[i%2], false))
		if err != nil {
			return result{}, err
		}
		if !r.ok {
			return r, nil
		}
		runs = append(runs, r)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].wall < runs[j].wall })
	r := runs[len(runs)/2]
	r.limitBy = fmt.Sprintf("median of %d: %s–%s", len(runs), round(runs[0].wall), round(runs[len(runs)-1].wall))
	r.target, r.met = "≤1.1× floor", r.ratio <= 1.1
	return r, nil
}
