package conformance

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// benchBindDelay is short, so the measure is of requests and pacing rather
// than of one long wait, yet long enough that waiting takes a few rounds.
const benchBindDelay = time.Second

// Benchmark binds n EIPs to the region's NAT gateways (half to each) through
// the engine, the adapter and its emulator over loopback HTTP, as
// `eipctl eip associate -f plan` would, on a fake clock. Besides ns/op it
// reports:
//
//	req/EIP       HTTP requests the emulator saw per EIP (reads, writes, retries)
//	mutations/op  mutating calls per run (batching at work)
//	ns/EIP        real time per EIP
//	sim-s/op      fake-clock seconds a run takes (pacing, backoff, polling):
//	              an upper bound on the wait a user would see on a real cloud,
//	              latency aside, since pauses taken at once by concurrent
//	              calls add up on the fake clock instead of overlapping
func Benchmark(b *testing.B, h Harness, n int) {
	var reqs, muts int
	var wall, simulated time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := newBenchRun(b, h, n)
		b.StartTimer()
		began, simBegan := time.Now(), r.clock.Now()
		rep, err := r.engine.Associate(context.Background(), r.items)
		wall += time.Since(began)
		simulated += r.clock.Now().Sub(simBegan)
		b.StopTimer()
		if err != nil {
			b.Fatalf("associate: %v", err)
		}
		if s := rep.Summary(); s.Associated != n {
			for _, row := range rep.Results {
				if row.Status != eip.StatusAssociated {
					b.Fatalf("%d of %d associated; first other row: %+v error %+v", s.Associated, n, row, row.Error)
				}
			}
		}
		reqs += len(r.sim.Journal())
		muts += r.sim.Mutations(h.Spec.Name)
		r.close()
		b.StartTimer()
	}
	b.ReportMetric(float64(reqs)/float64(b.N*n), "req/EIP")
	b.ReportMetric(float64(muts)/float64(b.N), "mutations/op")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(b.N*n), "ns/EIP")
	b.ReportMetric(simulated.Seconds()/float64(b.N), "sim-s/op")
}

type benchRun struct {
	sim    *sim.Sim
	clock  *clock.Fake
	engine *engine.Engine
	items  []eip.Binding
	close  func()
}

func newBenchRun(b *testing.B, h Harness, n int) *benchRun {
	b.Helper()
	prof := h.Profile
	// The seeded gateways must hold every EIP of the run.
	prof.Capacity = map[string]int{}
	for k, v := range h.Profile.Capacity {
		prof.Capacity[k] = v
	}
	prof.Capacity["nat"] = max(prof.Capacity["nat"], n)
	// The fake clock starts at the real time: the SDKs sign with the wall
	// clock and the emulator checks that signatures are fresh.
	fake := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fake, BindDelay: benchBindDelay, Profiles: []sim.Profile{prof}, SeedEIPs: n + 2})
	if err != nil {
		b.Fatal(err)
	}
	var free []string
	var nats []string
	err = s.View(h.Profile.Provider, func(c *sim.Cloud) {
		r, ok := c.Region(h.Region())
		if !ok {
			b.Fatalf("region %s is not seeded", h.Region())
		}
		for _, e := range r.EIPs {
			if e.Phase == sim.Available && len(free) < n {
				free = append(free, e.ID)
			}
		}
		for _, t := range r.Targets {
			// Some clouds seed a bound EIP on a gateway; the raised capacity leaves room.
			if t.Type == string(eip.NAT) {
				nats = append(nats, t.ID)
			}
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(free) < n || len(nats) < 2 {
		b.Fatalf("the emulator seeded %d free EIPs and %d NAT gateways, want %d and 2", len(free), len(nats), n)
	}
	srv := httptest.NewServer(sim.Handler(h.NewFront(s)))
	p, err := h.Spec.New(eip.ProviderConfig{Endpoint: srv.URL, Timeout: 10 * time.Second,
		Credentials: eip.Credentials{ID: h.Profile.Credentials.ID, Secret: h.Profile.Credentials.Secret}})
	if err != nil {
		srv.Close()
		b.Fatalf("%s: New: %v", h.Spec.Name, err)
	}
	items := make([]eip.Binding, n)
	for i, id := range free {
		items[i] = eip.Binding{Provider: h.Spec.Name, Region: h.Region(), EIP: id, Target: nats[i*2/n], TargetType: eip.NAT}
	}
	return &benchRun{
		sim:   s,
		clock: fake,
		engine: &engine.Engine{
			Lookup:  func(string) (eip.Provider, error) { return p, nil },
			Clock:   fake,
			Wait:    true,
			Timeout: 10 * time.Minute,
		},
		items: items,
		close: srv.Close,
	}
}
