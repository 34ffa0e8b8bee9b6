package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/eipctl/eipctl/internal/workload"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/providers/all"
)

// loop is the script a user would otherwise write: one eipctl per EIP, in
// sequence. It runs 30 and extrapolates to the batch's size.
func (b *benchRun) loop() ([]result, error) {
	if b.batch == 0 {
		if _, err := b.spread("batch", 100, false); err != nil {
			return nil, err
		}
	}
	n := b.size(30, 5)
	emu, inv, err := startWithInventory(b.o.bin, b.o, 400)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	plan, _, err := workload.Make(inv, inv.FirstRegions((n+2)/3), false)
	if err != nil {
		return nil, err
	}
	plan = plan[:min(n, len(plan))]
	var total time.Duration
	for _, it := range plan {
		args := []string{"eip", "associate", "--provider", it.Provider, "--region", it.Region, "--eip", it.EIP,
			"--target", it.Target, "--target-type", it.TargetType, "-o", "json"}
		if it.PrivateIP != "" {
			args = append(args, "--private-ip", it.PrivateIP)
		}
		r, err := emu.eipctl(args...)
		if err != nil || r.code != 0 {
			return nil, fmt.Errorf("%s: exit %d: %v %s", it.EIP, r.code, err, tail(r.stderr))
		}
		total += r.wall
	}
	batchEIPs := 3 * b.size(100, 10)
	perEIP := total / time.Duration(len(plan))
	extrapolated := perEIP * time.Duration(batchEIPs)
	speedup := float64(extrapolated) / float64(b.batch)
	return []result{{
		name: fmt.Sprintf("loop of %d, extrapolated to %d", len(plan), batchEIPs), eips: batchEIPs,
		wall: extrapolated, floor: b.batch, limitBy: "floor column: the batch's wall time",
		ratio: speedup, reqPerEIP: -1, target: "batch ≥20× faster", met: speedup >= 20, ok: true,
	}}, nil
}

// large: 10,000 EIPs across every region of every registered cloud, most
// on NAT gateways, with peak memory of both processes. Each cloud's share is
// kept to what its documented windows let through in one burst (burstShares),
// so the floor stays a few seconds.
func (b *benchRun) large() ([]result, error) {
	total := b.size(10000, 1000)
	share, err := b.burstShares(total)
	if err != nil {
		return nil, err
	}
	emu, plan, err := b.spreadPlan(total, share)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	r, err := b.measure(emu, "large "+strconv.Itoa(len(plan)), plan, nil)
	if err != nil {
		return nil, err
	}
	r.target = "≤1.2× floor, RSS ≤60 MB / ≤150 MB"
	r.met = r.ratio <= 1.2 && r.rssEipctl <= 60<<20 && r.rssSim <= 150<<20
	return []result{r}, nil
}

// spreadPlan starts an emulator seeded for total EIPs spread over every
// region as share asks (workload's Inventory.Spread) and makes the plan.
func (b *benchRun) spreadPlan(total int, share map[string]int) (*emulator, []workload.Item, error) {
	emu, inv, err := startWithInventory(b.o.bin, b.o, 0) // seeded below, once regions are known
	if err != nil {
		return nil, nil, err
	}
	emu.stop()
	want, most := inv.Spread(total, share)
	emu, inv, err = startWithInventory(b.o.bin, b.o, most+most/10+50)
	if err != nil {
		return nil, nil, err
	}
	plan, _, err := workload.Make(inv, want, false)
	if err != nil {
		emu.stop()
		return nil, nil, err
	}
	return emu, plan, nil
}

// burstShares is each cloud's share of total EIPs such that none of its
// native actions with a window longer than the bind delay needs more calls
// than that window lets go at once (a window that long cannot refill while
// the EIPs bind; a shorter one paces the calls along and is the floor's):
// a spread is dry-run, and a cloud whose calls would overrun such a window
// (capsOf: what its adapter in the registry declares) is cut to the part of
// its EIPs one burst carries, the rest going to the others, until every
// cloud fits.
func (b *benchRun) burstShares(total int) (map[string]int, error) {
	share := map[string]int{}
	for range 4 {
		emu, plan, err := b.spreadPlan(total, share)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(emu.dir, "probe.json")
		if err := workload.Write(path, plan); err != nil {
			emu.stop()
			return nil, err
		}
		dry, err := emu.eipctl("eip", "associate", "-f", path, "--dry-run", "-o", "json")
		emu.stop()
		if err != nil || dry.code != 0 {
			return nil, fmt.Errorf("dry run: exit %d: %v %s", dry.code, err, tail(dry.stderr))
		}
		fit, err := burstFit(calls(dry.stderr), b.o.bindDelay)
		if err != nil || len(fit) == 0 {
			return share, err
		}
		eips := map[string]int{}
		for _, it := range plan {
			eips[it.Provider]++
		}
		for cloud, f := range fit {
			share[cloud] = int(float64(eips[cloud]) * f)
		}
	}
	return nil, fmt.Errorf("no share of %d EIPs keeps every cloud within one burst of its limits", total)
}

// burstFit is, for each cloud whose calls overrun one window longer than
// least of a native action's documented limit, the fraction of them that
// window lets through.
func burstFit(perAction map[[3]string]int, least time.Duration) (map[string]float64, error) {
	merged, err := byPacer(perAction)
	if err != nil {
		return nil, err
	}
	fit := map[string]float64{}
	for k, n := range merged {
		l, err := limitFor(k[0], k[2])
		if err != nil {
			return nil, err
		}
		if l.Count <= 0 || l.Per <= least || n <= l.Count {
			continue
		}
		f := float64(l.Count) / float64(n)
		if old, ok := fit[k[0]]; !ok || f < old {
			fit[k[0]] = f
		}
	}
	return fit, nil
}

// help times a cold `eipctl --help`: a new process each time, median of 11.
func (b *benchRun) help() ([]result, error) {
	emu := &emulator{bin: b.o.bin}
	var ts []time.Duration
	for i := 0; i < 11; i++ {
		r, err := emu.eipctl("--help")
		if err != nil || r.code != 0 {
			return nil, fmt.Errorf("eipctl --help: exit %d: %v", r.code, err)
		}
		ts = append(ts, r.wall)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	med := ts[len(ts)/2]
	return []result{{name: "eipctl --help (median of 11)", wall: med, reqPerEIP: -1, rssEipctl: 0,
		target: "≤20 ms", met: med <= 20*time.Millisecond, ok: true}}, nil
}

var limits = map[string]eip.Capabilities{}

// capsOf is what the adapter itself declares (the same table the pacer uses).
func capsOf(provider string) (eip.Capabilities, error) {
	if caps, ok := limits[provider]; ok {
		return caps, nil
	}
	c, err := all.Find(provider)
	if err != nil {
		return eip.Capabilities{}, err
	}
	p, err := c.Spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:1",
		Credentials: eip.Credentials{ID: "bench", Secret: "bench"}})
	if err != nil {
		return eip.Capabilities{}, err
	}
	limits[provider] = p.Capabilities()
	return limits[provider], nil
}

// limitFor is the documented limit of one native action.
func limitFor(provider, action string) (eip.Limit, error) {
	caps, err := capsOf(provider)
	if err != nil {
		return eip.Limit{}, err
	}
	if l, ok := caps.Limits[action]; ok {
		return l, nil
	}
	return caps.DefaultLimit, nil
}
