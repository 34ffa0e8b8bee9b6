package zenlayer

import (
	"context"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// An EIP on one lanIp of a vNIC, asked for another lanIp of the same vNIC,
// is not where it was asked to be: never "unchanged". With --force it is
// moved, through an unbind that shows no progress, and the cloud then shows
// the new lanIp.
func TestAnotherLanIPOfTheSameVNICIsAMove(t *testing.T) {
	a := newAccount(t, 2*time.Second, nil)
	ids, nics := a.seeded(1, "eni")
	nic := nics[0]
	bind := func(ip string, force bool) eip.Result {
		t.Helper()
		rep, err := a.engine().Associate(context.Background(), []eip.Binding{{Provider: "zenlayer", Region: region, EIP: ids[0],
			Target: nic.ID, TargetType: eip.ENI, PrivateIP: ip, Force: force}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Results[0]
	}
	if r := bind(nic.PrivateIPs[0], false); r.Status != eip.StatusAssociated {
		t.Fatalf("first bind: %s %v", r.Status, r.Error)
	}
	if r := bind(nic.PrivateIPs[0], false); r.Status != eip.StatusUnchanged {
		t.Fatalf("the same lanIp again: %s %v, want unchanged", r.Status, r.Error)
	}
	if r := bind(nic.PrivateIPs[1], false); r.Status == eip.StatusUnchanged || r.Status == eip.StatusAssociated {
		t.Fatalf("another lanIp without --force: %s, want it refused, not %s", r.Status, r.Status)
	}
	if r := bind(nic.PrivateIPs[1], true); r.Status != eip.StatusMoved {
		t.Fatalf("another lanIp with --force: %s %v, want moved", r.Status, r.Error)
	}
	if x := a.phase(ids[0]); x.Phase != sim.Bound || x.TargetID != nic.ID || x.PrivateIP != nic.PrivateIPs[1] {
		t.Fatalf("in the emulator: %s on %s at %s, want bound on %s at %s", x.Phase, x.TargetID, x.PrivateIP, nic.ID, nic.PrivateIPs[1])
	}
}

// The mode is part of where an EIP is: bound Passthrough, an ask for NAT
// (FullNat) on the same lanIp is no "unchanged" (an ask for passthrough
// is), and --force rebinds it FullNat.
func TestAnotherBindTypeOnTheSameLanIPIsNotUnchanged(t *testing.T) {
	a := newAccount(t, time.Second, nil)
	ids, nics := a.seeded(1, "eni")
	nic := nics[0]
	bind := func(mode eip.Mode, force ...bool) eip.Result {
		t.Helper()
		rep, err := a.engine().Associate(context.Background(), []eip.Binding{{Provider: "zenlayer", Region: region, EIP: ids[0],
			Target: nic.ID, TargetType: eip.ENI, PrivateIP: nic.PrivateIPs[0], Mode: mode, Force: len(force) > 0}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Results[0]
	}
	if r := bind(eip.ModePassthrough); r.Status != eip.StatusAssociated {
		t.Fatalf("passthrough bind: %s %v", r.Status, r.Error)
	}
	if r := bind(eip.ModePassthrough); r.Status != eip.StatusUnchanged {
		t.Fatalf("passthrough again: %s %v, want unchanged", r.Status, r.Error)
	}
	if r := bind(""); r.Status == eip.StatusUnchanged || r.Status == eip.StatusAssociated {
		t.Fatalf("NAT (no --mode) on an EIP bound Passthrough: %s, want refused", r.Status)
	}
	if r := bind("", true); r.Status != eip.StatusMoved {
		t.Fatalf("NAT with --force on an EIP bound Passthrough: %s %v, want moved", r.Status, r.Error)
	}
	if x := a.phase(ids[0]); x.Phase != sim.Bound || x.Mode != "FullNat" || x.PrivateIP != nic.PrivateIPs[0] {
		t.Fatalf("in the emulator: %s %s at %s, want bound FullNat at %s", x.Phase, x.Mode, x.PrivateIP, nic.PrivateIPs[0])
	}
}
