package sim_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

var profile = sim.Profile{
	Provider: "fake",
	Regions: []sim.RegionSpec{
		{Name: "r1", Code: "a", IPPrefix: "47.1."},
		{Name: "r2", Code: "b", IPPrefix: "47.2."},
	},
	Prefix:      map[string]string{"eip": "eip-", "instance": "i-", "eni": "eni-", "nat": "ngw-", "lb": "lb-", "havip": "havip-"},
	Status:      func(e *sim.EIP) string { return string(e.Phase) },
	Credentials: sim.Credential{ID: "id", Secret: "secret"},
}

func newSim(t *testing.T, o sim.Options) (*sim.Sim, *clock.Fake) {
	t.Helper()
	fc := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	if o.Clock == nil {
		o.Clock = fc
	}
	if o.Profiles == nil {
		o.Profiles = []sim.Profile{profile}
	}
	s, err := sim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s, fc
}

// eip reads one EIP of region r1 as it is now.
func eipOf(t *testing.T, s *sim.Sim, id string) sim.EIP {
	t.Helper()
	var out sim.EIP
	err := s.View("fake", func(c *sim.Cloud) {
		r, _ := c.Region("r1")
		e, ok := r.EIP(id)
		if !ok {
			t.Fatalf("no EIP %s", id)
		}
		out = *e
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func update(t *testing.T, s *sim.Sim, fn func(c *sim.Cloud) error) {
	t.Helper()
	if err := s.Update("fake", fn); err != nil {
		t.Fatal(err)
	}
}

// bind binds id to target in region r1 and, when then is not nil, hands it
// the cloud and the EIP within the same update.
func bind(t *testing.T, s *sim.Sim, id, target string, o sim.BindOptions, then func(c *sim.Cloud, e *sim.EIP) error) {
	t.Helper()
	update(t, s, func(c *sim.Cloud) error {
		if err := c.Bind("r1", id, target, o); err != nil || then == nil {
			return err
		}
		r, _ := c.Region("r1")
		e, _ := r.EIP(id)
		return then(c, e)
	})
}

func TestSeeding(t *testing.T) {
	s, _ := newSim(t, sim.Options{SeedEIPs: 5})
	inv, err := s.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	if len(inv) != 2 || inv[0].Region != "r1" || inv[1].Region != "r2" {
		t.Fatalf("inventory regions %+v, want r1 and r2", inv)
	}
	r1 := inv[0]
	var ids []string
	for _, e := range r1.EIPs {
		ids = append(ids, e.ID)
	}
	if want := []string{"eip-a0001", "eip-a0002", "eip-a0003", "eip-a0004", "eip-a0005"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("seeded EIPs %v, want %v", ids, want)
	}
	if inv[1].EIPs[0].ID != "eip-b0001" || !strings.HasPrefix(inv[1].EIPs[0].IP, "47.2.") {
		t.Fatalf("r2 starts with %+v, want eip-b0001 on 47.2.x.x", inv[1].EIPs[0])
	}
	kinds := map[string]int{}
	for _, tg := range r1.Targets {
		kinds[tg.Type]++
	}
	if want := map[string]int{"instance": 8, "eni": 4, "nat": 2, "lb": 3, "havip": 2}; !reflect.DeepEqual(kinds, want) {
		t.Fatalf("targets per type %v, want %v", kinds, want)
	}
	bound := map[string]string{}
	for _, e := range r1.EIPs {
		if e.Status == string(sim.Bound) {
			bound[e.ID] = e.TargetID
		}
	}
	if want := map[string]string{"eip-a0005": "i-a0008", "eip-a0004": "i-a0007"}; !reflect.DeepEqual(bound, want) {
		t.Fatalf("seeded bindings %v, want the last two EIPs on the last two instances", bound)
	}

	again, _ := newSim(t, sim.Options{SeedEIPs: 5})
	inv2, _ := again.Inventory()
	if !reflect.DeepEqual(inv, inv2) {
		t.Fatal("two worlds seeded alike differ: seeding must be deterministic")
	}

	def, _ := newSim(t, sim.Options{})
	inv3, _ := def.Inventory()
	if len(inv3[0].EIPs) != sim.DefaultSeedEIPs {
		t.Fatalf("default seeding made %d EIPs, want %d", len(inv3[0].EIPs), sim.DefaultSeedEIPs)
	}
}

func TestSeedingWithoutInstancesAndCapacity(t *testing.T) {
	p := profile
	p.Prefix = map[string]string{"eip": "eip-", "nat": "ngw-", "lb": "lb-"}
	p.Capacity = map[string]int{"nat": 1000}
	p.Digits = 3
	s, _ := newSim(t, sim.Options{Profiles: []sim.Profile{p}, SeedEIPs: 4})
	err := s.View("fake", func(c *sim.Cloud) {
		r, _ := c.Region("r1")
		if e := r.EIPs[3]; e.ID != "eip-a004" || e.Phase != sim.Bound || e.TargetID != "ngw-a002" {
			t.Errorf("last EIP %+v, want eip-a004 bound to the last NAT gateway", e)
		}
		if e := r.EIPs[2]; e.Phase != sim.Bound || e.TargetID != "lb-a003" {
			t.Errorf("second to last EIP %+v, want bound to the last load balancer", e)
		}
		for _, tg := range r.Targets {
			want := map[string]int{"nat": 1000, "lb": 1}[tg.Type]
			if tg.Capacity != want {
				t.Errorf("%s capacity %d, want %d", tg.ID, tg.Capacity, want)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBindingStateMachine(t *testing.T) {
	s, fc := newSim(t, sim.Options{BindDelay: 3 * time.Second})
	bind(t, s, "eip-a0001", "eni-a0001", sim.BindOptions{}, nil)
	e := eipOf(t, s, "eip-a0001")
	if e.Phase != sim.Associating || e.TargetID != "eni-a0001" || e.TargetType != "eni" || e.PrivateIP == "" {
		t.Fatalf("just after Bind: %+v, want associating on eni-a0001 with its first private IP", e)
	}
	fc.Advance(3*time.Second - time.Millisecond)
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Associating {
		t.Fatalf("before the delay: %s, want associating", e.Phase)
	}
	fc.Advance(time.Millisecond)
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Bound || e.TargetID != "eni-a0001" {
		t.Fatalf("at the delay: %+v, want bound", e)
	}

	update(t, s, func(c *sim.Cloud) error { return c.Unbind("r1", "eip-a0001") })
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Unassociating || e.TargetID != "eni-a0001" {
		t.Fatalf("just after Unbind: %+v, want unassociating, still naming its target", e)
	}
	fc.Advance(3 * time.Second)
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Available || e.TargetID != "" || e.PrivateIP != "" {
		t.Fatalf("after the delay: %+v, want available with no target", e)
	}
}

func TestZeroDelayIsImmediate(t *testing.T) {
	s, _ := newSim(t, sim.Options{})
	bind(t, s, "eip-a0001", "i-a0001", sim.BindOptions{Mode: "passthrough"}, func(c *sim.Cloud, e *sim.EIP) error {
		if e.Phase != sim.Bound || e.Mode != "passthrough" {
			t.Errorf("within the same update: %+v, want bound at once", e)
		}
		return c.Unbind("r1", "eip-a0001")
	})
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Available {
		t.Fatalf("after bind and unbind with no delay: %s, want available", e.Phase)
	}
}

func TestFailBindingReturnsToAvailable(t *testing.T) {
	s, fc := newSim(t, sim.Options{BindDelay: time.Second})
	bind(t, s, "eip-a0001", "i-a0001", sim.BindOptions{}, func(_ *sim.Cloud, e *sim.EIP) error {
		e.FailBinding = true
		return nil
	})
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Associating {
		t.Fatalf("a failing binding is first %s, want associating (the cloud accepted it)", e.Phase)
	}
	fc.Advance(time.Second)
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Available || e.TargetID != "" || e.FailBinding {
		t.Fatalf("after the delay: %+v, want available, unbound, flag cleared", e)
	}
	// The flag was for that one binding: the next one succeeds.
	bind(t, s, "eip-a0001", "i-a0001", sim.BindOptions{}, nil)
	fc.Advance(time.Second)
	if e := eipOf(t, s, "eip-a0001"); e.Phase != sim.Bound {
		t.Fatalf("next binding: %s, want bound", e.Phase)
	}
}

func TestCheckBindRefusals(t *testing.T) {
	s, _ := newSim(t, sim.Options{BindDelay: time.Minute})
	bind(t, s, "eip-a0001", "eni-a0001", sim.BindOptions{}, func(c *sim.Cloud, _ *sim.EIP) error {
		return c.Bind("r1", "eip-a0002", "i-a0001", sim.BindOptions{})
	})
	cases := []struct {
		region, eip, target string
		opts                sim.BindOptions
		kind                sim.Kind
		id                  string
	}{
		{"r9", "eip-a0003", "i-a0002", sim.BindOptions{}, sim.ErrRegionNotFound, "r9"},
		{"r1", "eip-zzz", "i-a0002", sim.BindOptions{}, sim.ErrEIPNotFound, "eip-zzz"},
		{"r1", "eip-a0003", "i-zzz", sim.BindOptions{}, sim.ErrTargetNotFound, "i-zzz"},
		{"r1", "eip-a0001", "i-a0002", sim.BindOptions{}, sim.ErrEIPBusy, "eip-a0001"},
		{"r1", "eip-a0024", "i-a0002", sim.BindOptions{}, sim.ErrEIPInUse, "eip-a0024"},
		{"r1", "eip-a0003", "eni-a0002", sim.BindOptions{PrivateIP: "10.9.9.9"}, sim.ErrPrivateIP, "10.9.9.9"},
		{"r1", "eip-a0003", "i-a0001", sim.BindOptions{}, sim.ErrTargetFull, "i-a0001"}, // an instance holds one
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			err := s.Update("fake", func(cl *sim.Cloud) error {
				_, _, err := cl.CheckBind(c.region, c.eip, c.target, c.opts)
				return err
			})
			var se *sim.Error
			if !errors.As(err, &se) || se.Kind != c.kind || se.ID != c.id {
				t.Fatalf("CheckBind: %v, want %s naming %s", err, c.kind, c.id)
			}
		})
	}
	// A refusal changes nothing.
	if e := eipOf(t, s, "eip-a0003"); e.Phase != sim.Available || e.TargetID != "" {
		t.Fatalf("after refusals eip-a0003 is %+v, want untouched", e)
	}
	err := s.View("fake", func(c *sim.Cloud) {
		r, _ := c.Region("r1")
		if _, _, err := c.CheckBind("r1", "eip-a0003", "eni-a0002", sim.BindOptions{PrivateIP: r.Targets[9].PrivateIPs[1]}); err != nil {
			t.Errorf("binding to one of the ENI's own private IPs: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckUnbindRefusals(t *testing.T) {
	s, _ := newSim(t, sim.Options{BindDelay: time.Minute})
	bind(t, s, "eip-a0001", "i-a0001", sim.BindOptions{}, nil)
	for id, kind := range map[string]sim.Kind{"eip-a0001": sim.ErrEIPBusy, "eip-a0002": sim.ErrNotBound, "eip-nope": sim.ErrEIPNotFound} {
		err := s.View("fake", func(c *sim.Cloud) {
			_, err := c.CheckUnbind("r1", id)
			var se *sim.Error
			if !errors.As(err, &se) || se.Kind != kind {
				t.Errorf("CheckUnbind(%s): %v, want %s", id, err, kind)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Update("nope", func(*sim.Cloud) error { return nil }); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("an unknown cloud: %v, want an error naming it", err)
	}
}

func TestUseToken(t *testing.T) {
	s, _ := newSim(t, sim.Options{})
	update(t, s, func(c *sim.Cloud) error {
		for _, step := range []struct {
			token, fp   string
			seen, match bool
		}{
			{"", "a", false, false}, // no token: never remembered
			{"", "a", false, false},
			{"t1", "a", false, false},
			{"t1", "a", true, true},
			{"t1", "b", true, false}, // same token, another request
			{"t2", "b", false, false},
		} {
			if seen, match := c.UseToken(step.token, step.fp); seen != step.seen || match != step.match {
				t.Errorf("UseToken(%q, %q) = %v, %v; want %v, %v", step.token, step.fp, seen, match, step.seen, step.match)
			}
		}
		return nil
	})
}

func TestTakeFault(t *testing.T) {
	s, _ := newSim(t, sim.Options{})
	s.Inject(sim.Fault{Provider: "fake", Action: "Associate", Kind: sim.FaultThrottle, Times: 2})
	if f := s.TakeFault("other", "Associate", true); f != nil {
		t.Fatalf("another cloud took %+v", f)
	}
	if f := s.TakeFault("fake", "Describe", false); f != nil {
		t.Fatalf("another action took %+v", f)
	}
	for i := 0; i < 2; i++ {
		if f := s.TakeFault("fake", "Associate", false); f == nil || f.Kind != sim.FaultThrottle {
			t.Fatalf("take %d: %+v, want the throttle fault", i+1, f)
		}
	}
	if f := s.TakeFault("fake", "Associate", false); f != nil {
		t.Fatalf("a fault injected twice was taken a third time: %+v", f)
	}

	s.Inject(sim.Fault{Kind: sim.FaultUnavailable}) // any cloud, any action, once
	if f := s.TakeFault("other", "Whatever", false); f == nil || f.Kind != sim.FaultUnavailable {
		t.Fatalf("a fault for any cloud: %+v", f)
	}
	if f := s.TakeFault("other", "Whatever", false); f != nil {
		t.Fatalf("Times 0 means once, got a second %+v", f)
	}

	s.Inject(sim.Fault{Provider: "fake", Kind: sim.FaultFailBinding})
	s.Inject(sim.Fault{Provider: "fake", Kind: sim.FaultLatency, Delay: time.Second})
	if f := s.TakeFault("fake", "Describe", false); f == nil || f.Kind != sim.FaultLatency || f.Delay != time.Second {
		t.Fatalf("a read: %+v, want the latency fault queued behind fail-binding", f)
	}
	if f := s.TakeFault("fake", "Associate", true); f == nil || f.Kind != sim.FaultFailBinding {
		t.Fatalf("a binding request: %+v, want the fail-binding fault the read left alone", f)
	}
}

func TestAllowSlidingWindow(t *testing.T) {
	s, fc := newSim(t, sim.Options{})
	for i := 0; i < 3; i++ {
		if !s.Allow("k", 3) {
			t.Fatalf("request %d of 3 refused", i+1)
		}
		fc.Advance(100 * time.Millisecond)
	}
	if s.Allow("k", 3) {
		t.Fatal("a 4th request within the second was allowed")
	}
	if !s.Allow("other", 3) {
		t.Fatal("another key shares the window")
	}
	fc.Advance(699 * time.Millisecond) // 999ms after the first
	if s.Allow("k", 3) {
		t.Fatal("allowed before the first request left the window")
	}
	fc.Advance(time.Millisecond)
	if !s.Allow("k", 3) {
		t.Fatal("refused once the first request left the window")
	}
	if s.Allow("k", 3) {
		t.Fatal("only one slot came free")
	}
}

func TestUseNonce(t *testing.T) {
	s, fc := newSim(t, sim.Options{})
	if !s.UseNonce("n1", time.Minute) || !s.UseNonce("n2", time.Minute) {
		t.Fatal("fresh nonces refused")
	}
	if s.UseNonce("n1", time.Minute) {
		t.Fatal("a nonce was accepted twice within its lifetime")
	}
	fc.Advance(time.Minute)
	if !s.UseNonce("n1", time.Minute) {
		t.Fatal("a nonce was refused after its lifetime")
	}
}
