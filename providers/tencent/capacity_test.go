package tencent

import (
	"slices"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// capacityCodes are the codes that say the target holds as many EIPs as it
// may (SDK errors.go: "实例绑定的弹性IP超过配额", "NAT网关绑定的弹性IP超过上限").
// Only these are marked Full: the "already bound" codes are also what a
// resent call meets after a lost answer, and stay conflicts that are read
// again.
var capacityCodes = []string{
	"LimitExceeded.InstanceAddressQuota",
	"LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded",
}

func TestCapacityCodesAreMarkedFull(t *testing.T) {
	for code, r := range rules {
		want := slices.Contains(capacityCodes, code)
		if r.Capacity != want {
			t.Errorf("%s: Capacity %v, want %v", code, r.Capacity, want)
		}
		if got := classify(sdkError(code, "m")); got.Capacity != want {
			t.Errorf("%s classifies with Capacity %v, want %v", code, got.Capacity, want)
		}
	}
}

// natCall sends EIPs from..to of the region to a NAT gateway in one
// AssociateNatGatewayAddress, as the engine prepares it.
func (w *world) natCall(from, to int, nat string) *eip.Error {
	w.t.Helper()
	var as []eip.Address
	for i := from; i <= to; i++ {
		as = append(as, eip.Address{ID: eipID(i), IP: w.eipIP(eipID(i))})
	}
	call, err := w.prov.PrepareAssociate(eip.AssociateRequest{Region: region, EIPs: as, Target: nat, TargetType: eip.NAT})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := call.Run(ctx); err != nil {
		return w.prov.Classify(err)
	}
	return nil
}

// Eleven EIPs to an empty NAT gateway, which holds 10, in the engine's
// calls of at most 10: the 10 are bound, the 11th is refused with the
// cloud's own capacity code, marked Capacity, and nothing is rolled back.
// (Which call the engine sends first is its own business: a refused call
// of several EIPs is for the engine to split, issue 18.)
func TestElevenToAGatewayOfTenBindsTen(t *testing.T) {
	w := newWorld(t, 0)
	if ce := w.natCall(1, 10, "nat-gz000001"); ce != nil {
		t.Fatalf("10 EIPs to an empty gateway of 10: %+v", ce)
	}
	ce := w.natCall(11, 11, "nat-gz000001")
	if ce == nil || ce.Code != "LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded" || !ce.Capacity {
		t.Fatalf("the 11th: %+v, want the capacity code marked Capacity", ce)
	}
	for i := 1; i <= 11; i++ {
		_, target := w.phase(eipID(i))
		if want := map[bool]string{true: "nat-gz000001"}[i <= 10]; target != want {
			t.Errorf("%s is on %q, want %q", eipID(i), target, want)
		}
	}
}

// A NAT gateway that holds one EIP, asked for ten more in one call: the
// response of AssociateNatGatewayAddress has no per-address result (SDK
// models.go: RequestId only), so the cloud refuses the call whole, and the
// refusal is marked as a capacity one for the engine to split.
func TestAFullGatewayRefusesTheWholeCallAsCapacity(t *testing.T) {
	w := newWorld(t, 0)
	if ce := w.natCall(1, 1, "nat-gz000002"); ce != nil {
		t.Fatal(ce)
	}
	ce := w.natCall(2, 11, "nat-gz000002")
	if ce == nil || ce.Code != "LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded" || !ce.Capacity {
		t.Fatalf("ten more to a gateway holding one: %+v, want the capacity code marked Capacity", ce)
	}
	for i := 2; i <= 11; i++ {
		if ph, target := w.phase(eipID(i)); target != "" {
			t.Errorf("%s is %s on %s after a refused call, want untouched", eipID(i), ph, target)
		}
	}
}
