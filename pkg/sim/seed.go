package sim

import (
	"fmt"
	"sort"
)

// targetSeeds says how many of each target type a region gets at least, how
// many EIPs each holds at once by default (the documented defaults of
// ratelimits.md; a profile overrides them), and how many private IPs it has.
// Capacity 0 means one EIP per private IP.
var targetSeeds = []struct {
	kind     string
	count    int
	capacity int
	ips      int
}{
	{"instance", 8, 1, 1},
	{"eni", 4, 0, 4},
	{"nat", 2, 20, 0},
	{"lb", 3, 1, 0},
	{"havip", 2, 1, 1},
}

// targetCount is how many targets of a type to seed so that every one of
// eips EIPs could be placed on that type alone. Up to DefaultSeedEIPs the
// shape stays the documented default one, whose IDs examples name.
func targetCount(min, capacity, eips int) int {
	if eips <= DefaultSeedEIPs {
		return min
	}
	return max(min, (eips+capacity-1)/capacity)
}

// seed adds every cloud the world lacks (a state file written before a cloud
// was added gains it) and reports whether it added any.
func seed(w *World, profiles []Profile, eips int) bool {
	added := false
	if w.Clouds == nil {
		w.Clouds = map[string]*Cloud{}
	}
	for _, p := range profiles {
		if _, ok := w.Clouds[p.Provider]; ok {
			continue
		}
		added = true
		c := &Cloud{Provider: p.Provider, Tokens: map[string]string{}}
		digits := p.Digits
		if digits == 0 {
			digits = 4
		}
		id := func(kind, code string, n int) string {
			return fmt.Sprintf("%s%s%0*d", p.Prefix[kind], code, digits, n)
		}
		for ri, rs := range p.Regions {
			r := &Region{Name: rs.Name}
			ipGen := &privateIPs{region: ri + 1, large: eips > DefaultSeedEIPs, next: 255}
			for _, ts := range targetSeeds {
				if _, ok := p.Prefix[ts.kind]; !ok {
					continue
				}
				capacity := ts.capacity
				if c, ok := p.Capacity[ts.kind]; ok {
					capacity = c
				}
				perIP := capacity <= 0
				if perIP {
					capacity = ts.ips
				}
				for n := 1; n <= targetCount(ts.count, capacity, eips); n++ {
					t := &Target{ID: id(ts.kind, rs.Code, n), Type: ts.kind, Capacity: capacity, OnePerIP: perIP, PrivateIPs: []string{}}
					for k := 0; k < ts.ips; k++ {
						t.PrivateIPs = append(t.PrivateIPs, ipGen.take(len(r.Targets)+1, k))
					}
					r.Targets = append(r.Targets, t)
				}
			}
			for n := 1; n <= eips; n++ {
				r.EIPs = append(r.EIPs, &EIP{ID: id("eip", rs.Code, n), IP: fmt.Sprintf("%s%d.%d", rs.IPPrefix, n/250, n%250+1), Phase: Available})
			}
			// The last two EIPs start bound, so that `eip list` shows both
			// kinds and "already bound" and "bound elsewhere" can be tried.
			holders := seedHolders(r.Targets)
			for k := 0; k < len(holders) && k < len(r.EIPs); k++ {
				e, t := r.EIPs[len(r.EIPs)-1-k], holders[k]
				e.Phase, e.TargetID, e.TargetType = Bound, t.ID, t.Type
				if len(t.PrivateIPs) > 0 {
					e.PrivateIP = t.PrivateIPs[0]
				}
			}
			c.Regions = append(c.Regions, r)
		}
		w.Clouds[p.Provider] = c
	}
	return added
}

// seedHolders picks what the seeded bound EIPs are bound to: the last two
// instances, or, for a cloud without instances (Zenlayer binds to vNICs),
// the last NAT gateway and the last load balancer.
func seedHolders(targets []*Target) []*Target {
	last := func(kind string, skip int) *Target {
		for i := len(targets) - 1; i >= 0; i-- {
			if targets[i].Type == kind {
				if skip == 0 {
					return targets[i]
				}
				skip--
			}
		}
		return nil
	}
	var out []*Target
	if a, b := last("instance", 0), last("instance", 1); a != nil && b != nil {
		return []*Target{a, b}
	}
	for _, kind := range []string{"nat", "lb"} {
		if t := last(kind, 0); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// RegionNames lists a cloud's region names, sorted.
func (p Profile) RegionNames() []string {
	var out []string
	for _, r := range p.Regions {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}

// privateIPs hands out a region's private addresses. The default account
// uses 10.R.T.H (R the region's position, T the target's, H from 10), which
// the docs describe; a large one counts through 10.R.0.0/16 instead, so that
// every address stays valid however many targets there are.
type privateIPs struct {
	region int
	large  bool
	next   int
}

func (p *privateIPs) take(target, k int) string {
	if !p.large {
		return fmt.Sprintf("10.%d.%d.%d", p.region, target, 10+k)
	}
	p.next++
	if p.next%256 == 0 || p.next%256 == 255 {
		p.next += 2
	}
	return fmt.Sprintf("10.%d.%d.%d", p.region, p.next>>8&255, p.next&255)
}
