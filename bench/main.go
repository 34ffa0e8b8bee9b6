// Command bench measures eipctl against `eipctl sim serve` on loopback and
// prints each figure beside its floor, the least time any client could take
// (docs/benchmarks.md). It builds nothing itself: pass --eipctl, or let it
// build ./cmd/eipctl into a temporary directory.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

type options struct {
	bin       string
	bindDelay time.Duration
	latency   time.Duration
	scenarios string
	short     bool
	keep      bool
}

func main() {
	if len(os.Args) > 3 && os.Args[1] == spawnFlag {
		os.Exit(spawn(os.Args[2], os.Args[3:]))
	}
	var o options
	flag.StringVar(&o.bin, "eipctl", "", "eipctl binary to measure (default: build ./cmd/eipctl)")
	flag.DurationVar(&o.bindDelay, "bind-delay", 2*time.Second, "the emulator's bind delay")
	flag.DurationVar(&o.latency, "latency", 20*time.Millisecond, "latency the emulator adds to every request")
	flag.StringVar(&o.scenarios, "scenarios", "batch,force,failover,loop,large,help", "comma list of scenarios to run")
	flag.BoolVar(&o.short, "short", false, "small sizes, for CI: proves the bench runs, not the targets")
	flag.BoolVar(&o.keep, "keep", false, "keep each scenario's emulator directory (its request log, plans and state) and print its path")
	flag.Parse()
	if err := mainErr(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func mainErr(o options) error {
	if o.bin == "" {
		dir, err := os.MkdirTemp("", "eipctl-bench-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.bin = filepath.Join(dir, "eipctl")
		build := exec.Command("go", "build", "-o", o.bin, "./cmd/eipctl")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/eipctl: %v", err)
		}
	}
	var rows []result
	ctx := &benchRun{o: o}
	for _, name := range strings.Split(o.scenarios, ",") {
		sc, ok := scenarios[strings.TrimSpace(name)]
		if !ok {
			return fmt.Errorf("unknown scenario %q", name)
		}
		fmt.Fprintf(os.Stderr, "bench: %s...\n", name)
		r, err := sc(ctx)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		rows = append(rows, r...)
	}
	if err := printTable(os.Stdout, o, rows); err != nil {
		return err
	}
	for _, r := range rows {
		if !r.ok {
			return fmt.Errorf("%s: %s", r.name, r.verdict)
		}
	}
	return nil
}
