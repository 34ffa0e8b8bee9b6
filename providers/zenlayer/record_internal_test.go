package zenlayer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// account is the default emulated account (numeric IDs, as the real cloud
// has) behind an optional hook that sees each request before the emulator.
type account struct {
	t     *testing.T
	s     *sim.Sim
	clock *clock.Fake
	p     eip.Provider
}

func newAccount(t *testing.T, delay time.Duration, hook func(action string, body []byte)) *account {
	t.Helper()
	fc := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fc, BindDelay: delay, Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	front := sim.Handler(emulator.New(s))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		if hook != nil {
			hook(r.Header.Get("X-ZC-Action"), b)
		}
		front.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cred := emulator.Profile.Credentials
	p, err := New(eip.ProviderConfig{Endpoint: srv.URL, Credentials: eip.Credentials{ID: cred.ID, Secret: cred.Secret}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &account{t: t, s: s, clock: fc, p: p}
}

func (a *account) engine() *engine.Engine {
	return &engine.Engine{Lookup: func(string) (eip.Provider, error) { return a.p, nil }, Clock: a.clock, Wait: true, Timeout: time.Minute}
}

// seeded returns the region's first n free EIPs and its targets of a kind.
func (a *account) seeded(n int, kind string) (eips []string, targets []*sim.Target) {
	a.t.Helper()
	err := a.s.View(emulator.Provider, func(c *sim.Cloud) {
		r, _ := c.Region(region)
		for _, e := range r.EIPs {
			if e.Phase == sim.Available && len(eips) < n {
				eips = append(eips, e.ID)
			}
		}
		for _, t := range r.Targets {
			if t.Type == kind {
				targets = append(targets, t)
			}
		}
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return eips, targets
}

func (a *account) phase(id string) sim.EIP {
	var out sim.EIP
	_ = a.s.View(emulator.Provider, func(c *sim.Cloud) {
		r, _ := c.Region(region)
		if e, ok := r.EIP(id); ok {
			out = *e
		}
	})
	return out
}

// Real ZEC IDs are numbers that do not tell a vNIC from a NAT gateway: with
// --target-type they bind; without it eipctl refuses, naming the flag and
// its values, and sends nothing.
func TestNumericIDsBindWithTargetTypeAndAreRefusedWithoutIt(t *testing.T) {
	a := newAccount(t, time.Second, nil)
	ids, nats := a.seeded(1, "nat")
	b := eip.Binding{Provider: "zenlayer", Region: region, EIP: ids[0], Target: nats[0].ID}
	_, err := a.engine().Associate(context.Background(), []eip.Binding{b})
	if !eip.IsUsage(err) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--target-type") ||
		!strings.Contains(err.Error(), "nat, eni, lb, havip") || !strings.Contains(err.Error(), nats[0].ID) {
		t.Fatalf("a numeric target without --target-type: %v, want one usage line naming %s and --target-type nat, eni, lb, havip", err, nats[0].ID)
	}
	if n := len(a.s.Requests()); n != 0 {
		t.Fatalf("%d requests sent for a refused item, want none", n)
	}
	b.TargetType = eip.NAT
	rep, err := a.engine().Associate(context.Background(), []eip.Binding{b})
	if err != nil || rep.Results[0].Status != eip.StatusAssociated || rep.Results[0].TargetID != nats[0].ID {
		t.Fatalf("with --target-type nat: %+v %v", rep, err)
	}
}

// ZEC lists an EIP it could not bind in failedEipIds, with no reason. That
// is a conflict: the engine reads the EIPs again and resends the one still
// free, so a momentary refusal (here the EIP was busy with someone else's
// bind that then failed) ends in a bound EIP, not in a failed row.
func TestFailedEipIdsRowIsRetriedLikeAnyConflictAndBinds(t *testing.T) {
	var a *account
	var busy atomic.Bool
	var victim, other string
	a = newAccount(t, 100*time.Millisecond, func(action string, body []byte) {
		if action != "AssociateEipAddress" || !busy.CompareAndSwap(false, true) {
			return
		}
		// Just before the first bind arrives, someone else's bind of the
		// victim starts (and will fail), so ZEC lists it in failedEipIds.
		_ = a.s.Update(emulator.Provider, func(c *sim.Cloud) error {
			if err := c.Bind(region, victim, other, sim.BindOptions{}); err != nil {
				t.Error(err)
			}
			c.FailBinding(region, victim)
			return nil
		})
	})
	ids, nats := a.seeded(2, "nat")
	victim, other = ids[1], nats[1].ID
	var items []eip.Binding
	for _, id := range ids {
		items = append(items, eip.Binding{Provider: "zenlayer", Region: region, EIP: id, Target: nats[0].ID, TargetType: eip.NAT})
	}
	rep, err := a.engine().Associate(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	if !busy.Load() {
		t.Fatal("the hook never ran")
	}
	for _, r := range rep.Results {
		if r.Status != eip.StatusAssociated {
			t.Errorf("%s: %s (%v), want associated: a failedEipIds row is a conflict, retried", r.EIPID, r.Status, r.Error)
		}
		if x := a.phase(r.EIPID); x.Phase != sim.Bound || x.TargetID != nats[0].ID {
			t.Errorf("%s in the emulator: %s on %s, want bound on %s", r.EIPID, x.Phase, x.TargetID, nats[0].ID)
		}
	}
}

// The request body of each call is what the SDK sends; numeric IDs stay
// strings on the wire (a JSON number would lose digits past 2^53).
func TestNumericIDsTravelAsStrings(t *testing.T) {
	var body []byte
	a := newAccount(t, time.Second, func(action string, b []byte) {
		if action == "AssociateEipAddress" {
			body = b
		}
	})
	ids, nats := a.seeded(1, "nat")
	rep, err := a.engine().Associate(context.Background(), []eip.Binding{{Provider: "zenlayer", Region: region, EIP: ids[0], Target: nats[0].ID, TargetType: eip.NAT}})
	if err != nil || rep.Results[0].Status != eip.StatusAssociated {
		t.Fatalf("%+v %v", rep, err)
	}
	var sent struct {
		NatID  string   `json:"natId"`
		EipIDs []string `json:"eipIds"`
	}
	if err := json.Unmarshal(body, &sent); err != nil || sent.NatID != nats[0].ID || len(sent.EipIDs) != 1 || sent.EipIDs[0] != ids[0] {
		t.Fatalf("AssociateEipAddress body %s (%v), want natId %q and eipIds [%q] as strings", body, err, nats[0].ID, ids[0])
	}
}

// ZEC shows no status while an unbind runs: the EIP reads BINDED on its old
// target until it reads UNBIND. A --force move whose unbind takes 4 s (far
// longer than the engine's few stale reads) must wait it out and move the
// EIP, not give up with UnbindFailed and leave it where it was.
func TestForceMoveWaitsOutAnUnbindThatShowsNoProgress(t *testing.T) {
	a := newAccount(t, 4*time.Second, nil)
	ids, nats := a.seeded(1, "nat")
	from, to := nats[0].ID, nats[1].ID
	bind := func(target string, force bool) eip.Result {
		t.Helper()
		rep, err := a.engine().Associate(context.Background(), []eip.Binding{{Provider: "zenlayer", Region: region, EIP: ids[0], Target: target, TargetType: eip.NAT, Force: force}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Results[0]
	}
	if r := bind(from, false); r.Status != eip.StatusAssociated {
		t.Fatalf("first bind: %s %v", r.Status, r.Error)
	}
	if r := bind(to, true); r.Status != eip.StatusMoved || r.TargetID != to {
		t.Fatalf("--force move with a 4 s unbind that reads BINDED throughout: %s to %s (%v), want moved to %s", r.Status, r.TargetID, r.Error, to)
	}
	if x := a.phase(ids[0]); x.Phase != sim.Bound || x.TargetID != to {
		t.Fatalf("in the emulator: %s on %s, want bound on %s", x.Phase, x.TargetID, to)
	}
}

// An EIP in the recycle bin reads RECYCLED: eipctl neither binds nor
// unbinds it, and says so in the row, without sending the bind.
func TestRecycledEIPIsNeitherBoundNorUnbound(t *testing.T) {
	var binds atomic.Int32
	a := newAccount(t, time.Second, func(action string, _ []byte) {
		if action == "AssociateEipAddress" || action == "UnassociateEipAddress" {
			binds.Add(1)
		}
	})
	ids, nats := a.seeded(1, "nat")
	req := zec.NewDeleteEipRequest()
	req.EipId = &ids[0]
	if _, err := a.p.(*Provider).client.DeleteEip(req); err != nil {
		t.Fatal(err)
	}
	rep, err := a.engine().Associate(context.Background(), []eip.Binding{{Provider: "zenlayer", Region: region, EIP: ids[0], Target: nats[0].ID, TargetType: eip.NAT}})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if r.Status != eip.StatusFailed || r.Error == nil || !strings.Contains(r.Error.Message, "RECYCLED") || !strings.Contains(r.Error.Message, "cannot be bound") {
		t.Fatalf("binding a RECYCLED EIP: %s %v, want failed, saying it is RECYCLED and cannot be bound", r.Status, r.Error)
	}
	urep, err := a.engine().Disassociate(context.Background(), []eip.Unbinding{{Provider: "zenlayer", Region: region, EIP: ids[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if u := urep.Results[0]; u.Status != eip.StatusFailed || u.Error == nil || !strings.Contains(u.Error.Message, "RECYCLED") {
		t.Fatalf("unbinding a RECYCLED EIP: %s %v, want failed, saying it is RECYCLED", u.Status, u.Error)
	}
	if n := binds.Load(); n != 0 {
		t.Fatalf("%d bind or unbind requests sent for a RECYCLED EIP, want none", n)
	}
}
