// Package conformance is the one definition of a correct adapter: an ordered
// suite that every cloud's adapter passes over HTTP against its own emulator,
// driven through the same engine the CLI uses.
package conformance

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// Harness is what a cloud hands the suite: what the registry holds of it
// (providers/all/alltest builds one for each registered cloud).
type Harness struct {
	Spec     eip.Spec                 // the adapter
	Profile  sim.Profile              // how its emulator seeds the account
	NewFront func(*sim.Sim) sim.Front // its emulator front
}

// Region is the seeded region the suite tests in: the profile's first. Every
// cloud's test named that one when each wrote its own harness, and the
// profile is where a cloud states its regions, so the harness says it no
// second time.
func (h Harness) Region() string {
	if len(h.Profile.Regions) == 0 {
		return "" // the suite then fails saying the region is not seeded
	}
	return h.Profile.Regions[0].Name
}

// seedEIPs leaves room for a full batch, a batch over the limit and more.
const seedEIPs = 120

// bindDelay is long enough that a poll sees the transitional status.
const bindDelay = 3 * time.Second

// env is one fresh emulated account with the adapter pointed at it.
type env struct {
	t      *testing.T
	h      Harness
	sim    *sim.Sim
	clock  *clock.Fake
	url    string
	prov   eip.Provider
	used   map[string]bool
	mu     sync.Mutex
	events []engine.Event
}

func newEnv(t *testing.T, h Harness, delay time.Duration) *env {
	t.Helper()
	return newEnvNAT(t, h, delay, seedEIPs)
}

// newEnvNAT is newEnv with NAT gateways holding natCap EIPs each, so that the
// seed has several of them (the move cases need two).
func newEnvNAT(t *testing.T, h Harness, delay time.Duration, natCap int) *env {
	t.Helper()
	// The fake clock starts at the real time: the SDKs sign with the wall
	// clock and the emulator checks that signatures are fresh.
	fake := clock.NewFake(time.Now())
	// The batch cases fill one NAT gateway past the documented default quota
	// (Alibaba's 50-EIP batch call, 20-EIP gateways): lift it here; each
	// emulator's own tests check the quota.
	prof := h.Profile
	prof.Capacity = map[string]int{}
	for k, v := range h.Profile.Capacity {
		prof.Capacity[k] = v
	}
	if natCap > 0 {
		prof.Capacity["nat"] = max(prof.Capacity["nat"], natCap)
	}
	s, err := sim.New(sim.Options{Clock: fake, BindDelay: delay, Profiles: []sim.Profile{prof}, SeedEIPs: seedEIPs})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(h.NewFront(s)))
	t.Cleanup(srv.Close)
	e := &env{t: t, h: h, sim: s, clock: fake, url: srv.URL, used: map[string]bool{}}
	e.prov = e.provider(h.Profile.Credentials.ID, h.Profile.Credentials.Secret)
	return e
}

func (e *env) provider(id, secret string) eip.Provider {
	e.t.Helper()
	p, err := e.h.Spec.New(eip.ProviderConfig{Endpoint: e.url, Credentials: eip.Credentials{ID: id, Secret: secret}, Timeout: 10 * time.Second})
	if err != nil {
		e.t.Fatalf("%s: New: %v", e.h.Spec.Name, err)
	}
	return p
}

func (e *env) engine(p eip.Provider) *engine.Engine {
	return &engine.Engine{
		Lookup:  func(string) (eip.Provider, error) { return p, nil },
		Clock:   e.clock,
		Wait:    true,
		Timeout: 60 * time.Second,
		Observe: func(ev engine.Event) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.events = append(e.events, ev)
		},
	}
}

// states returns the states observed for one EIP while waiting.
func (e *env) states(eipID string) []eip.State {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []eip.State
	for _, ev := range e.events {
		if ev.EIPID == eipID && ev.State != "" {
			out = append(out, ev.State)
		}
	}
	return out
}

// pick returns n EIPs that are available now, never the same one twice.
func (e *env) pick(n int) []string {
	e.t.Helper()
	var out []string
	e.view(func(r *sim.Region) {
		for _, x := range r.EIPs {
			if x.Phase == sim.Available && !e.used[x.ID] && len(out) < n {
				out = append(out, x.ID)
				e.used[x.ID] = true
			}
		}
	})
	if len(out) < n {
		e.t.Fatalf("wanted %d available EIPs, the emulator has %d", n, len(out))
	}
	return out
}

// target returns an unused target of the given type that holds no EIP.
// anyTarget is a free target of the adapter's first target type.
func (e *env) anyTarget() *sim.Target {
	e.t.Helper()
	return e.target(e.prov.Capabilities().TargetTypes[0])
}

// bindOne binds one fresh EIP to anyTarget with an engine that set changed
// (DryRun, Wait), and returns the EIP and the report.
func (e *env) bindOne(set func(*engine.Engine)) (string, *eip.Report) {
	e.t.Helper()
	eng := e.engine(e.prov)
	set(eng)
	id := e.pick(1)[0]
	return id, e.run(eng, e.binding(id, e.anyTarget()))
}

func (e *env) target(kind eip.TargetType) *sim.Target {
	e.t.Helper()
	var out *sim.Target
	e.view(func(r *sim.Region) {
		for _, t := range r.Targets {
			if out == nil && t.Type == string(kind) && !e.used[t.ID] && r.Holding(t.ID) == 0 {
				c := *t
				out = &c
				e.used[t.ID] = true
			}
		}
	})
	if out == nil {
		e.t.Fatalf("the emulator seeds no free %s target in %s", kind, e.h.Region())
	}
	return out
}

// bound returns an EIP the emulator seeded as bound, with its target.
func (e *env) bound() (eipID, targetID string) {
	e.t.Helper()
	e.view(func(r *sim.Region) {
		for _, x := range r.EIPs {
			if eipID == "" && x.Phase == sim.Bound && !e.used[x.ID] {
				eipID, targetID = x.ID, x.TargetID
				e.used[x.ID] = true
			}
		}
	})
	if eipID == "" {
		e.t.Fatalf("the emulator seeds no bound EIP in %s", e.h.Region())
	}
	return eipID, targetID
}

func (e *env) view(fn func(r *sim.Region)) {
	e.t.Helper()
	err := e.sim.View(e.h.Profile.Provider, func(c *sim.Cloud) {
		r, ok := c.Region(e.h.Region())
		if !ok {
			e.t.Fatalf("region %s is not seeded", e.h.Region())
		}
		fn(r)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// eipState reads an EIP straight from the emulator's core.
func (e *env) eipState(id string) sim.EIP {
	var out sim.EIP
	e.view(func(r *sim.Region) {
		if x, ok := r.EIP(id); ok {
			out = *x
		}
	})
	return out
}

// expectAt fails t unless the emulator shows id in phase on target ("" for
// none).
func (e *env) expectAt(t *testing.T, id string, phase sim.Phase, target string) {
	t.Helper()
	if got := e.eipState(id); got.Phase != phase || got.TargetID != target {
		t.Fatalf("the emulator has %s %s on %q, want %s on %q", id, got.Phase, got.TargetID, phase, target)
	}
}

// sentNone fails t if any mutating request reached the emulator since it
// had counted before; what says when, for the message.
func (e *env) sentNone(t *testing.T, before int, what string) {
	t.Helper()
	if n := e.sim.Mutations(e.h.Spec.Name) - before; n != 0 {
		t.Fatalf("%d mutating requests sent %s, want 0", n, what)
	}
}

func (e *env) run(eng *engine.Engine, items ...eip.Binding) *eip.Report {
	e.t.Helper()
	return e.runIn(context.Background(), eng, items...)
}

// runIn is run under ctx.
func (e *env) runIn(ctx context.Context, eng *engine.Engine, items ...eip.Binding) *eip.Report {
	e.t.Helper()
	rep, err := eng.Associate(ctx, items)
	if err != nil {
		e.t.Fatalf("associate: %v", err)
	}
	return rep
}

// unbind runs the unbinding of ids with eng; the run itself must not fail.
func (e *env) unbind(eng *engine.Engine, ids ...string) *eip.Report {
	e.t.Helper()
	var items []eip.Unbinding
	for _, id := range ids {
		items = append(items, eip.Unbinding{Provider: e.h.Spec.Name, Region: e.h.Region(), EIP: id})
	}
	rep, err := eng.Disassociate(context.Background(), items)
	if err != nil {
		e.t.Fatalf("disassociate: %v", err)
	}
	return rep
}
