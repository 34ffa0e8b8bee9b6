package zenlayer

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// ZEC refuses a bind that would take a target over its limit as a whole
// call (HTTP 400 OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED, the
// AssociateEipAddress error table), even when it is over by one. The code
// is a capacity refusal (Error.Capacity), so the engine splits the batch
// and binds what fits: 20 EIPs to a NAT gateway of 20 that holds one are
// refused whole, 19 of them then bind, and the 20th is refused with the
// cloud's own code and words that say the gateway holds one.
func TestCapacityRefusalIsWholeCallAndMarkedFullSoWhatFitsCanBind(t *testing.T) {
	a := newAccount(t, time.Second, nil)
	ids, nats := a.seeded(21, "nat")
	nat := nats[0]
	if nat.Capacity != 20 {
		t.Fatalf("the emulator's NAT gateway holds %d, want its stated 20", nat.Capacity)
	}
	bind := func(eips []string) error {
		t.Helper()
		var as []eip.Address
		for _, id := range eips {
			as = append(as, eip.Address{ID: id})
		}
		call, err := a.p.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: as, Target: nat.ID, TargetType: eip.NAT})
		if err != nil {
			t.Fatal(err)
		}
		_, err = call.Run(context.Background())
		return err
	}
	if err := bind(ids[:1]); err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(time.Second)

	err := bind(ids[1:21])
	ce := a.p.Classify(err)
	if err == nil || ce.Code != "OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED" || !ce.Capacity || ce.Class != eip.ClassInvalid ||
		!strings.Contains(ce.Message, "holds 1 of 20") {
		t.Fatalf("20 EIPs to a gateway of 20 holding 1: %+v, want OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED marked as capacity, saying it holds 1 of 20", ce)
	}
	for _, id := range ids[1:21] {
		if x := a.phase(id); x.Phase != sim.Available {
			t.Fatalf("%s is %s after a refused call, want untouched", id, x.Phase)
		}
	}
	if err := bind(ids[1:20]); err != nil {
		t.Fatalf("the 19 that fit: %v", err)
	}
	if ce := a.p.Classify(bind(ids[20:21])); !ce.Capacity || ce.Code != "OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED" {
		t.Fatalf("the 21st EIP: %+v, want the cloud's capacity code", ce)
	}
}

// Only the capacity code is Full: the engine splits no batch for any other.
func TestOnlyTheLimitCodeIsCapacity(t *testing.T) {
	for code, r := range rules {
		if r.Capacity != (code == "OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED") {
			t.Errorf("%s: Capacity %v", code, r.Capacity)
		}
	}
}
