package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/eipctl/eipctl/internal/workload"
)

// result is one row of the bench table.
type result struct {
	name      string
	eips      int
	wall      time.Duration
	floor     time.Duration
	limitBy   string  // what sets the pacing part of the floor
	ratio     float64 // wall / floor (or the speed-up, for the loop)
	reqPerEIP float64 // -1 when unknown
	rssEipctl int64
	rssSim    int64
	target    string // the target, in words
	met       bool
	ok        bool   // the run did what it was asked (every row as expected)
	verdict   string // why not ok
}

type benchRun struct {
	o     options
	batch time.Duration // the batch scenario's wall time, for the loop's speed-up
}

var scenarios = map[string]func(*benchRun) ([]result, error){
	"batch":    func(b *benchRun) ([]result, error) { return b.spread("batch", 100, false) },
	"force":    func(b *benchRun) ([]result, error) { return b.spread("force-move", 100, true) },
	"loop":     (*benchRun).loop,
	"large":    (*benchRun).large,
	"help":     (*benchRun).help,
	"failover": (*benchRun).failover,
}

func (b *benchRun) size(full, short int) int {
	if b.o.short {
		return short
	}
	return full
}

// spread: n EIPs per cloud, every target type, most on NAT gateways; with
// moved, each EIP starts bound elsewhere and the run is a force-move.
func (b *benchRun) spread(name string, n int, moved bool) ([]result, error) {
	n = b.size(n, 10)
	name = fmt.Sprintf("%s %d", name, 3*n)
	emu, inv, err := startWithInventory(b.o.bin, b.o, max(8*n, 400))
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	plan, before, err := workload.Make(inv, inv.FirstRegions(n), moved)
	if err != nil {
		return nil, err
	}
	r, err := b.measure(emu, name, plan, before)
	if err != nil {
		return nil, err
	}
	if !moved {
		b.batch = r.wall
	}
	r.target, r.met = "≤1.2× floor, ≤0.5 req/EIP", r.ratio <= 1.2 && r.reqPerEIP <= 0.5 && r.reqPerEIP >= 0
	if moved {
		r.target, r.met = "≤1.2× floor, ≤1.0 req/EIP", r.ratio <= 1.2 && r.reqPerEIP <= 1.0 && r.reqPerEIP >= 0
	}
	return []result{r}, nil
}

// measure runs before (untimed setup) then plan, and fills wall, floor,
// requests per EIP and peak memory.
func (b *benchRun) measure(emu *emulator, name string, plan, before []workload.Item) (result, error) {
	r := result{name: name, eips: len(plan)}
	ext := ".json"
	if before != nil {
		path := filepath.Join(emu.dir, "before"+ext)
		if err := workload.Write(path, before); err != nil {
			return r, err
		}
		setup, err := emu.eipctl("eip", "associate", "-f", path, "-o", "json")
		if err != nil || setup.code != 0 {
			return r, fmt.Errorf("setup: exit %d: %v %s", setup.code, err, tail(setup.stderr))
		}
	}
	path := filepath.Join(emu.dir, "plan"+ext)
	if err := workload.Write(path, plan); err != nil {
		return r, err
	}
	dry, err := emu.eipctl("eip", "associate", "-f", path, "--dry-run", "-o", "json")
	if err != nil || dry.code != 0 {
		return r, fmt.Errorf("dry run: exit %d: %v %s", dry.code, err, tail(dry.stderr))
	}
	phases, trips := 1, 3 // read, send, confirm after the bind delay
	want := "associated"
	if before != nil {
		phases, trips, want = 2, 5, "moved" // read, unbind, confirm, bind, confirm
	}
	r.floor, r.limitBy, err = floor(b.o, phases, trips, calls(dry.stderr))
	if err != nil {
		return r, err
	}
	n0 := emu.requests()
	real, err := emu.measured("eip", "associate", "-f", path, "-o", "json")
	if err != nil {
		return r, err
	}
	r.wall, r.rssEipctl, r.rssSim = real.wall, real.rss, emu.peakRSS()
	r.ratio = float64(r.wall) / float64(r.floor)
	r.reqPerEIP = -1
	if n0 >= 0 {
		r.reqPerEIP = float64(emu.requests()-n0) / float64(len(plan))
	}
	r.ok, r.verdict = check(real, want, len(plan))
	return r, nil
}

// check reads the run's JSON report: every row must have the wanted status.
func check(r run, want string, n int) (bool, string) {
	var doc struct {
		Results []struct {
			EIPID  string `json:"eipId"`
			Status string `json:"status"`
		} `json:"results"`
	}
	if err := json.Unmarshal(r.stdout, &doc); err != nil {
		return false, fmt.Sprintf("exit %d, no JSON report: %v %s", r.code, err, tail(r.stderr))
	}
	bad := map[string]int{}
	for _, row := range doc.Results {
		if row.Status != want {
			bad[row.Status]++
		}
	}
	switch {
	case len(doc.Results) != n:
		return false, fmt.Sprintf("%d rows for %d EIPs", len(doc.Results), n)
	case len(bad) > 0 || r.code != 0:
		return false, fmt.Sprintf("exit %d, rows not %s: %v", r.code, want, bad)
	}
	return true, ""
}

func tail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}

func printTable(w io.Writer, o options, rows []result) error {
	fmt.Fprintf(w, "bind delay %s, latency %s per request\n\n", o.bindDelay, o.latency)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tEIPs\twall\tfloor\twall/floor\treq/EIP\tRSS eipctl\tRSS sim\ttarget\tmet\tfloor's pacing")
	for _, r := range rows {
		req := "n/a"
		if r.reqPerEIP >= 0 {
			req = fmt.Sprintf("%.2f", r.reqPerEIP)
		}
		met := map[bool]string{true: "yes", false: "NO"}[r.met]
		if !r.ok {
			met = "FAILED: " + r.verdict
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\n", r.name, r.eips, round(r.wall), round(r.floor),
			r.ratio, req, mb(r.rssEipctl), mb(r.rssSim), r.target, met, r.limitBy)
	}
	return tw.Flush()
}

func round(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	if d < time.Second {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

func mb(n int64) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
