package tencent

import (
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/engine"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

func TestPreparedRequestsAreTheNativeBodies(t *testing.T) {
	w := newWorld(t, 0)
	a := eip.Address{ID: "eip-gz000001", IP: "119.29.0.2"}
	b := eip.Address{ID: "eip-gz000002", IP: "119.29.0.3"}
	cases := []struct {
		name   string
		req    eip.AssociateRequest
		action string
		params map[string]any
	}{
		{"instance", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "ins-gz000001", TargetType: eip.Instance},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "InstanceId": "ins-gz000001"}},
		{"passthrough", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "ins-gz000001", TargetType: eip.Instance, Mode: eip.ModePassthrough},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "InstanceId": "ins-gz000001", "EipDirectConnection": true}},
		{"CLB", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "lb-gz000001", TargetType: eip.LB},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "InstanceId": "lb-gz000001"}},
		{"ENI", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "eni-gz000001", TargetType: eip.ENI, PrivateIP: "10.1.9.10"},
			"AssociateAddress", map[string]any{"AddressId": a.ID, "NetworkInterfaceId": "eni-gz000001", "PrivateIpAddress": "10.1.9.10"}},
		{"NAT", eip.AssociateRequest{EIPs: []eip.Address{a, b}, Target: "nat-gz000001", TargetType: eip.NAT},
			"AssociateNatGatewayAddress", map[string]any{"NatGatewayId": "nat-gz000001", "PublicIpAddresses": []any{a.IP, b.IP}}},
		{"HAVIP", eip.AssociateRequest{EIPs: []eip.Address{a}, Target: "havip-gz000001", TargetType: eip.HaVip},
			"HaVipAssociateAddressIp", map[string]any{"HaVipId": "havip-gz000001", "AddressIp": a.IP}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Region = region
			call, err := w.prov.PrepareAssociate(c.req)
			if err != nil {
				t.Fatal(err)
			}
			if call.Action != c.action || !reflect.DeepEqual(call.Params, c.params) {
				t.Fatalf("prepared %s %v, want %s %v", call.Action, call.Params, c.action, c.params)
			}
		})
	}
	if n := len(w.sim.Journal()); n != 0 {
		t.Fatalf("preparing sent %d requests, want 0", n)
	}
	if _, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: []eip.Address{{ID: "eip-x"}}, Target: "nat-1", TargetType: eip.NAT}); err == nil {
		t.Fatal("a NAT binding without the EIP's public IP must be refused before sending")
	}
}

// TestNATBatchIsOneCall: up to 10 EIPs go to a NAT gateway in one
// AssociateNatGatewayAddress (public IPs), confirmed with batched
// DescribeAddresses; the task is not read while the EIPs show BINDING.
func TestNATBatchIsOneCall(t *testing.T) {
	w := newWorld(t, 3*time.Second)
	var items []eip.Binding
	for _, id := range []string{"eip-gz000001", "eip-gz000002", "eip-gz000003", "eip-gz000004"} {
		items = append(items, bind(id, "nat-gz000001"))
	}
	rep := w.associate(items...)
	eiptest.WantRows(t, rep, eip.StatusAssociated)
	w.wantCalls("AssociateNatGatewayAddress", 1, "4 EIPs of one gateway bound")
	w.wantCalls("DescribeVpcTaskResult", 0, "the EIPs read BINDING, so the status read already shows progress")
	if reads, rounds := w.count("DescribeAddresses"), 1+pollsUntil(3*time.Second); reads > rounds {
		t.Fatalf("%d DescribeAddresses for the first read and %d poll rounds: the 4 EIPs must be confirmed in one read per round", reads, rounds-1)
	}

	rep = w.disassociate("eip-gz000001", "eip-gz000002")
	eiptest.WantRows(t, rep, eip.StatusDisassociated)
	w.wantCalls("DisassociateNatGatewayAddress", 1, "2 EIPs of one gateway unbound")
	if ph, _ := w.phase("eip-gz000003"); ph != sim.Bound {
		t.Fatalf("eip-gz000003 is %s, want still bound", ph)
	}
}

func TestEveryTargetTypeRoundTrips(t *testing.T) {
	w := newWorld(t, 2*time.Second)
	items := []eip.Binding{
		bind("eip-gz000001", "ins-gz000001"),
		{Provider: "tencent", Region: region, EIP: "eip-gz000002", Target: "eni-gz000001", PrivateIP: "10.1.9.11"},
		bind("eip-gz000003", "lb-gz000001"),
		bind("eip-gz000004", "havip-gz000001"),
		{Provider: "tencent", Region: region, EIP: "eip-gz000005", Target: "ins-gz000002", Mode: eip.ModePassthrough},
	}
	rep := w.associate(items...)
	eiptest.WantRows(t, rep, eip.StatusAssociated)
	w.wantCalls("DescribeTaskResult", 0, "every EIP read BINDING")
	w.wantCalls("HaVipAssociateAddressIp", 1, "one EIP bound to a HaVip")
	as, err := w.prov.Describe(ctx, region, []string{"eip-gz000002"})
	if err != nil || len(as) != 1 || as[0].TargetType != eip.ENI || as[0].NativeStatus != "BIND_ENI" || as[0].PrivateIP != "10.1.9.11" {
		t.Fatalf("ENI binding reads %+v (%v), want eni, BIND_ENI, 10.1.9.11", as, err)
	}

	var ids []string
	for _, b := range items {
		ids = append(ids, b.EIP)
	}
	rep = w.disassociate(ids...)
	eiptest.WantRows(t, rep, eip.StatusDisassociated)
	if a, b := w.count("DisassociateAddress"), w.count("HaVipDisassociateAddressIp"); a != 4 || b != 1 {
		t.Fatalf("sent %d DisassociateAddress and %d HaVipDisassociateAddressIp, want 4 and 1", a, b)
	}
}

// TestPacingKeepsAssociateUnderTheLimit: twelve single-EIP binds in a row
// are paced below the 10 requests/s the emulator enforces, so none is
// throttled and sent again. It runs on the wall clock: on the fake clock
// concurrent sleepers move time for each other, which is not how a real run
// spaces its requests.
func TestPacingKeepsAssociateUnderTheLimit(t *testing.T) {
	s, err := sim.New(sim.Options{BindDelay: 200 * time.Millisecond, Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(emulator.New(s)))
	defer srv.Close()
	w := &world{t: t, sim: s, clock: nil, url: srv.URL}
	p := w.provider(eip.ProviderConfig{})
	var items []eip.Binding
	n := 1
	add := func(target, privateIP string) {
		items = append(items, eip.Binding{Provider: "tencent", Region: region, EIP: eipID(n), Target: target, PrivateIP: privateIP})
		n++
	}
	for i := 1; i <= 4; i++ {
		add(targetID("ins-gz", i), "")
	}
	// The seed gives ENI n the private IPs 10.1.(8+n).10 to .13.
	for e := 1; e <= 2; e++ {
		for k := 10; k < 14; k++ {
			add(targetID("eni-gz", e), fmt.Sprintf("10.1.%d.%d", 8+e, k))
		}
	}
	eng := &engine.Engine{Lookup: func(string) (eip.Provider, error) { return p, nil }, Wait: true, Timeout: time.Minute}
	rep, err := eng.Associate(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	eiptest.WantRows(t, rep, eip.StatusAssociated)
	if got := w.count("AssociateAddress"); got != len(items) {
		t.Fatalf("%d AssociateAddress requests for %d EIPs: some were throttled and resent", got, len(items))
	}
}
