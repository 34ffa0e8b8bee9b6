package alibaba

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/alibaba/emulator"
)

const hz = "cn-hangzhou"

// world is the adapter against its emulator on a fake clock.
type world struct {
	sim   *sim.Sim
	clock *clock.Fake
	url   string
	prov  eip.Provider
}

func newWorld(t *testing.T) *world {
	t.Helper()
	fake := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fake, BindDelay: 2 * time.Second, NoLimits: true, Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(emulator.New(s)))
	t.Cleanup(srv.Close)
	cred := emulator.Profile.Credentials
	p, err := New(eip.ProviderConfig{Endpoint: srv.URL, Credentials: eip.Credentials{ID: cred.ID, Secret: cred.Secret}})
	if err != nil {
		t.Fatal(err)
	}
	return &world{sim: s, clock: fake, url: srv.URL, prov: p}
}

func (w *world) engine() *engine.Engine {
	return &engine.Engine{Lookup: func(string) (eip.Provider, error) { return w.prov, nil }, Clock: w.clock, Wait: true, Timeout: time.Minute}
}

// sent lists the actions the emulator was asked for, in order.
func (w *world) sent() []string {
	var out []string
	for _, r := range w.sim.Requests() {
		out = append(out, r.Action)
	}
	return out
}

// params is a prepared call's parameters as the SDK sends them.
func params(c eip.Call) map[string]string {
	m, _ := c.Params.(map[string]string)
	return m
}

func avail(ids ...string) []eip.Address {
	var out []eip.Address
	for _, id := range ids {
		out = append(out, eip.Address{ID: id, Region: hz, State: eip.StateAvailable})
	}
	return out
}

// Two EIPs to one ENI with no --mode ask for NAT mode, in which an ENI holds
// one EIP per private IP and the batch call can name none: refused before
// anything is sent, never sent as MULTI_BINDED. Asked for multi-binded, the
// batch carries it.
func TestSeveralEIPsToOneENISendOnlyTheModeAsked(t *testing.T) {
	w := newWorld(t)
	rep, err := w.engine().Associate(context.Background(), []eip.Binding{
		{Provider: "alibaba", Region: hz, EIP: "eip-hz0001", Target: "eni-hz0001"},
		{Provider: "alibaba", Region: hz, EIP: "eip-hz0002", Target: "eni-hz0001"},
	})
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), "--mode multi-binded") {
		t.Fatalf("two EIPs to one ENI without --mode: %v %+v, want a usage error naming --mode multi-binded", err, rep)
	}
	if s := w.sent(); len(s) != 0 {
		t.Fatalf("sent %v, want nothing", s)
	}
	call, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: hz, EIPs: avail("eip-hz0001", "eip-hz0002"),
		Target: "eni-hz0001", TargetType: eip.ENI, Mode: eip.ModeMultiBinded})
	if err != nil || call.Action != "AssociateEipAddressBatch" || params(call)["Mode"] != "MULTI_BINDED" {
		t.Fatalf("multi-binded batch: %v %s %v, want AssociateEipAddressBatch with Mode=MULTI_BINDED", err, call.Action, call.Params)
	}
	call, err = w.prov.PrepareAssociate(eip.AssociateRequest{Region: hz, EIPs: avail("eip-hz0001", "eip-hz0002"),
		Target: "ngw-hz0001", TargetType: eip.NAT, Mode: eip.ModeNAT})
	if _, has := params(call)["Mode"]; err != nil || has {
		t.Fatalf("NAT gateway batch: %v %v, want no Mode", err, call.Params)
	}
}

// Alibaba takes a ClientToken of at most 64 ASCII characters: a longer or
// non-ASCII one is refused before anything is sent, naming the flag; one of
// 64 goes out as given.
func TestClientTokenOverAlibabasLimitIsRefusedUnsent(t *testing.T) {
	w := newWorld(t)
	ok := strings.Repeat("t", 64)
	call, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: hz, EIPs: avail("eip-hz0001"), Target: "i-hz0001",
		TargetType: eip.Instance, Mode: eip.ModeNAT, ClientToken: ok})
	if err != nil || params(call)["ClientToken"] != ok {
		t.Fatalf("64-character token: %v %v", err, call.Params)
	}
	for _, tok := range []string{ok + "x", "tök-1"} {
		_, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: hz, EIPs: avail("eip-hz0001"), Target: "i-hz0001",
			TargetType: eip.Instance, Mode: eip.ModeNAT, ClientToken: tok})
		if !eip.IsUsage(err) || !strings.Contains(err.Error(), "--client-token") {
			t.Errorf("associate with token %q: %v, want a usage error naming --client-token", tok, err)
		}
		_, err = w.prov.PrepareDisassociate(eip.DisassociateRequest{Region: hz, ClientToken: tok,
			EIPs: []eip.Address{{ID: "eip-hz0023", TargetID: "i-hz0007", TargetType: eip.Instance}}})
		if ce := w.prov.Classify(err); err == nil || ce.Class != eip.ClassInvalid {
			t.Errorf("disassociate with token %q: %v (%s), want it refused as invalid", tok, err, ce.Class)
		}
	}
	rep, err := w.engine().Associate(context.Background(), []eip.Binding{{Provider: "alibaba", Region: hz, EIP: "eip-hz0001",
		Target: "i-hz0001", ClientToken: ok + "x"}})
	if !eip.IsUsage(err) || len(w.sent()) != 0 {
		t.Fatalf("a run with a 65-character token: %v %+v, sent %v; want exit-2 input error, nothing sent", err, rep, w.sent())
	}
}

// UnassociateEipAddress never carries Force: Force=true deletes the NAT
// gateway's SNAT and DNAT entries that use the EIP, which a move must not do
// behind the user's back.
func TestUnbindNeverSendsForce(t *testing.T) {
	w := newWorld(t)
	call, err := w.prov.PrepareDisassociate(eip.DisassociateRequest{Region: hz,
		EIPs: []eip.Address{{ID: "eip-hz0001", TargetID: "ngw-hz0001", TargetType: eip.NAT}}})
	if err != nil {
		t.Fatal(err)
	}
	if v, has := params(call)["Force"]; has {
		t.Fatalf("UnassociateEipAddress sent Force=%s", v)
	}
}

// A force move off a NAT gateway whose SNAT entry uses the EIP: the refusal
// is retried (an entry being deleted clears), so a short one is waited out
// and the move completes; the record's code is what the user would see.
func TestForceMoveWaitsOutASnatRefusal(t *testing.T) {
	w := newWorld(t)
	if _, err := w.engine().Associate(context.Background(), []eip.Binding{{Provider: "alibaba", Region: hz, EIP: "eip-hz0001", Target: "ngw-hz0001"}}); err != nil {
		t.Fatal(err)
	}
	w.sim.Inject(sim.Fault{Provider: "alibaba", Action: "UnassociateEipAddress", Kind: sim.FaultSnat, Times: 2})
	rep, err := w.engine().Associate(context.Background(), []eip.Binding{{Provider: "alibaba", Region: hz, EIP: "eip-hz0001", Target: "i-hz0001", Force: true}})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; r.Status != eip.StatusMoved {
		t.Fatalf("move under two SNAT refusals: %s %+v, want moved", r.Status, r.Error)
	}
	if f := w.sim.TakeFault("alibaba", "UnassociateEipAddress", true); f != nil {
		t.Fatal("the snat faults were not both met")
	}
}

// A Releasing EIP (being deleted) reads as state "other" with the cloud's
// word, and a run to bind it sends nothing and fails it.
func TestReleasingEIPReadsOtherAndIsNotBound(t *testing.T) {
	w := newWorld(t)
	c, err := vpc.NewClientWithOptions(hz, sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewStaticAKCredentialsProvider(emulator.Profile.Credentials.ID, emulator.Profile.Credentials.Secret))
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = strings.TrimPrefix(w.url, "http://")
	rel := vpc.CreateReleaseEipAddressRequest()
	rel.RegionId, rel.AllocationId = hz, "eip-hz0003"
	if _, err := c.ReleaseEipAddress(rel); err != nil {
		t.Fatal(err)
	}
	as, err := w.prov.Describe(context.Background(), hz, []string{"eip-hz0003"})
	if err != nil || len(as) != 1 || as[0].State != eip.StateOther || as[0].NativeStatus != "Releasing" {
		t.Fatalf("describe a Releasing EIP: %+v %v, want state other, native Releasing", as, err)
	}
	before := len(w.sent())
	rep, err := w.engine().Associate(context.Background(), []eip.Binding{{Provider: "alibaba", Region: hz, EIP: "eip-hz0003", Target: "i-hz0003"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; r.Status != eip.StatusFailed {
		t.Fatalf("binding a Releasing EIP: %s, want failed", r.Status)
	}
	for _, a := range w.sent()[before:] {
		if a != "DescribeEipAddresses" {
			t.Fatalf("sent %s for a Releasing EIP; want reads only", a)
		}
	}
}

// A target with no room left answers with a capacity code the engine can
// split a batch on (Error.Capacity), classed invalid: 21 EIPs in one batch to
// a NAT gateway that holds 20 are refused whole, as the batch page documents
// one answer per call, with QuotaExceeded.NumberOfEip and nothing bound; a
// second EIP for an instance is InvalidAssociation.Duplicated.
func TestFullTargetsAreCapacityRefusals(t *testing.T) {
	w := newWorld(t)
	var eips []eip.Address
	for i := 1; i <= 21; i++ {
		eips = append(eips, avail(fmt.Sprintf("eip-hz%04d", i))...)
	}
	run := func(r eip.AssociateRequest) *eip.Error {
		t.Helper()
		call, err := w.prov.PrepareAssociate(r)
		if err != nil {
			t.Fatal(err)
		}
		_, err = call.Run(context.Background())
		if err == nil {
			t.Fatalf("%s to %s accepted, want a capacity refusal", call.Action, r.Target)
		}
		return w.prov.Classify(err)
	}
	e := run(eip.AssociateRequest{Region: hz, EIPs: eips, Target: "ngw-hz0002", TargetType: eip.NAT, Mode: eip.ModeNAT})
	if e.Code != "QuotaExceeded.NumberOfEip" || !e.Capacity || e.Class != eip.ClassInvalid {
		t.Fatalf("21 EIPs to a NAT gateway of 20: %s capacity %v class %s, want QuotaExceeded.NumberOfEip, capacity, invalid", e.Code, e.Capacity, e.Class)
	}
	if as, _ := w.prov.Describe(context.Background(), hz, []string{"eip-hz0001", "eip-hz0021"}); len(as) != 2 || as[0].State != eip.StateAvailable || as[1].State != eip.StateAvailable {
		t.Fatalf("after the refused batch: %+v, want nothing bound", as)
	}
	w.sim.Update("alibaba", func(c *sim.Cloud) error { return c.Bind(hz, "eip-hz0001", "i-hz0002", sim.BindOptions{}) })
	e = run(eip.AssociateRequest{Region: hz, EIPs: eips[1:2], Target: "i-hz0002", TargetType: eip.Instance, Mode: eip.ModeNAT})
	if e.Code != "InvalidAssociation.Duplicated" || !e.Capacity || e.Class != eip.ClassInvalid {
		t.Fatalf("a second EIP for an instance: %s capacity %v class %s, want InvalidAssociation.Duplicated, capacity, invalid", e.Code, e.Capacity, e.Class)
	}
}
