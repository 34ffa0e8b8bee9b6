package main

import (
	"fmt"
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

// large: 10,000 EIPs across every region of the three clouds, most on NAT
// gateways, with peak memory of both processes. Alibaba's share is kept to
// what its batch call's 30-per-minute window lets through in one burst, so
// the floor stays a few seconds.
func (b *benchRun) large() ([]result, error) {
	total := b.size(10000, 1000)
	emu, inv, err := startWithInventory(b.o.bin, b.o, 0) // seeded below, once regions are known
	if err != nil {
		return nil, err
	}
	emu.stop()
	want, most := inv.Spread(total, map[string]int{"alibaba": total * 12 / 100})
	emu, inv, err = startWithInventory(b.o.bin, b.o, most+most/10+50)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	plan, _, err := workload.Make(inv, want, false)
	if err != nil {
		return nil, err
	}
	r, err := b.measure(emu, "large "+strconv.Itoa(len(plan)), plan, nil)
	if err != nil {
		return nil, err
	}
	r.target = "≤1.2× floor, RSS ≤60 MB / ≤150 MB"
	r.met = r.ratio <= 1.2 && r.rssEipctl <= 60<<20 && r.rssSim <= 150<<20
	return []result{r}, nil
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
