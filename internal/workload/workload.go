// Package workload builds binding plans from an emulator's inventory: every
// target type, most EIPs on NAT gateways, within each target's capacity. The
// bench command, the soak test and the kill-and-rerun tests share it, so they
// all measure the same kind of run.
package workload

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Inventory is `eipctl sim inventory -o json`.
type Inventory struct {
	Providers []Region `json:"providers"`
}

// Region is one cloud region of the inventory.
type Region struct {
	Provider string   `json:"provider"`
	Region   string   `json:"region"`
	EIPs     []EIP    `json:"eips"`
	Targets  []Target `json:"targets"`
}

// EIP is one address as the inventory lists it.
type EIP struct {
	ID       string `json:"id"`
	IP       string `json:"ip"`
	Status   string `json:"status"`
	TargetID string `json:"targetId"`
}

// Target is one thing an EIP binds to.
type Target struct {
	ID         string   `json:"id"`
	Type       string   `json:"type"`
	PrivateIPs []string `json:"privateIps"`
	Capacity   int      `json:"capacity"`
}

// Item is one binding of a plan file (the same keys as a YAML plan).
type Item struct {
	Provider   string `json:"provider"`
	Region     string `json:"region"`
	EIP        string `json:"eip"`
	Target     string `json:"target"`
	TargetType string `json:"targetType"`
	PrivateIP  string `json:"privateIp,omitempty"`
	Force      bool   `json:"force,omitempty"`
}

// ParseInventory reads the JSON document `sim inventory -o json` prints.
func ParseInventory(b []byte) (*Inventory, error) {
	var inv Inventory
	if err := json.Unmarshal(b, &inv); err != nil {
		return nil, fmt.Errorf("sim inventory: %v", err)
	}
	return &inv, nil
}

// Holders maps provider/region/eipId to the target holding it ("" when free).
func (inv *Inventory) Holders() map[string]string {
	out := map[string]string{}
	for _, p := range inv.Providers {
		for _, e := range p.EIPs {
			out[p.Provider+"/"+p.Region+"/"+e.ID] = e.TargetID
		}
	}
	return out
}

// FirstRegions asks for n EIPs in the first region of each cloud.
func (inv *Inventory) FirstRegions(n int) map[string]int {
	want, seen := map[string]int{}, map[string]bool{}
	for _, p := range inv.Providers {
		if !seen[p.Provider] {
			seen[p.Provider] = true
			want[p.Provider+"/"+p.Region] = n
		}
	}
	return want
}

// Spread asks for total EIPs across every region: share[provider] of them
// per cloud (the rest split evenly between the clouds without a share), each
// cloud's part split evenly over its regions. It returns the request and the
// most any one region must hold.
func (inv *Inventory) Spread(total int, share map[string]int) (map[string]int, int) {
	regions := map[string][]string{}
	var clouds []string
	for _, p := range inv.Providers {
		if regions[p.Provider] == nil {
			clouds = append(clouds, p.Provider)
		}
		regions[p.Provider] = append(regions[p.Provider], p.Region)
	}
	per := map[string]int{}
	left, open := total, 0
	for _, c := range clouds {
		if n, ok := share[c]; ok {
			per[c], left = n, left-n
		} else {
			open++
		}
	}
	for i, c := range clouds {
		if _, ok := share[c]; !ok {
			per[c] = left / open
			if i == len(clouds)-1 || open == 1 {
				per[c] = left
			}
			left, open = left-per[c], open-1
		}
	}
	want, most := map[string]int{}, 0
	for _, c := range clouds {
		rs := regions[c]
		sort.Strings(rs)
		for i, r := range rs {
			n := per[c] / len(rs)
			if i < per[c]%len(rs) {
				n++
			}
			want[c+"/"+r] = n
			most = max(most, n)
		}
	}
	return want, most
}

// slot is one place an EIP can go: a target, and the private IP for the
// kinds that bind per private IP.
type slot struct {
	target    Target
	privateIP string
}

// slots lists a region's free places by type, as many per target as it holds.
func slots(ts []Target, taken map[string]bool) map[string][]slot {
	out := map[string][]slot{}
	ts = append([]Target(nil), ts...)
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].ID < ts[j].ID })
	for _, t := range ts {
		if taken[t.ID] {
			continue // seeded bindings: leave those targets alone
		}
		if t.Type == "eni" && len(t.PrivateIPs) > 0 {
			for _, ip := range t.PrivateIPs {
				out[t.Type] = append(out[t.Type], slot{t, ip})
			}
			continue
		}
		n := t.Capacity
		if n <= 0 && t.Type == "nat" {
			n = 10 // an inventory without capacities: the smallest documented NAT quota
		}
		for i := 0; i < max(n, 1); i++ {
			out[t.Type] = append(out[t.Type], slot{target: t})
		}
	}
	return out
}

// mix is how many EIPs of a region's share go to each single-EIP kind first,
// so every target type appears; the rest go to NAT gateways.
var mix = []struct {
	kind string
	n    int
}{{"instance", 4}, {"eni", 4}, {"lb", 2}, {"havip", 1}}

// Make places want[provider/region] free EIPs of each region. With moved set
// it also returns a "before" plan that puts each EIP on another target of
// the same kind first, so that the main plan is a force-move.
func Make(inv *Inventory, want map[string]int, moved bool) (plan, before []Item, err error) {
	for _, p := range inv.Providers {
		n := want[p.Provider+"/"+p.Region]
		if n == 0 {
			continue
		}
		taken := map[string]bool{}
		var free []string
		for _, e := range p.EIPs {
			if e.TargetID != "" {
				taken[e.TargetID] = true
			} else {
				free = append(free, e.ID)
			}
		}
		if len(free) < n {
			return nil, nil, fmt.Errorf("%s %s has %d free EIPs, need %d: seed more", p.Provider, p.Region, len(free), n)
		}
		byKind := slots(p.Targets, taken)
		pick := func(kind string, k int) ([]slot, []slot) {
			s := byKind[kind]
			k = max(k, 0)
			if !moved {
				return s[:min(k, len(s))], nil
			}
			half := len(s) / 2
			k = min(k, half)
			return s[:k], s[half : half+k]
		}
		var to, from []slot
		for _, m := range mix {
			a, b := pick(m.kind, m.n)
			to, from = append(to, a...), append(from, b...)
		}
		a, b := pick("nat", n-len(to))
		to, from = append(to, a...), append(from, b...)
		if len(to) < n {
			return nil, nil, fmt.Errorf("%s %s has room for %d EIPs, need %d: seed more", p.Provider, p.Region, len(to), n)
		}
		to = to[:n]
		for i, s := range to {
			plan = append(plan, Item{p.Provider, p.Region, free[i], s.target.ID, s.target.Type, s.privateIP, moved})
			if moved {
				f := from[i]
				before = append(before, Item{p.Provider, p.Region, free[i], f.target.ID, f.target.Type, f.privateIP, false})
			}
		}
	}
	return plan, before, nil
}

// Write saves items as a plan file; JSON is also YAML, so a .yaml name
// serves an eipctl that reads only YAML.
func Write(path string, items []Item) error {
	b, err := json.Marshal(map[string]any{"bindings": items})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}
