package e2e_test

import (
	"strings"
	"testing"
)

// The emulator's default Zenlayer account, as the real cloud is: numeric
// IDs that say nothing of their kind, and an EIP that reads BINDED while
// it is unbound. A user with real IDs is told in one line to pass
// --target-type and nothing is sent; with it, the EIP binds; a --force
// move whose unbind shows no progress for 4 s still moves the EIP.
func TestZenlayerRealIDsAndAnUnbindThatShowsNoProgress(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_READABLE", "0", "EIPCTL_SIM_BIND_DELAY", "4s")
	const eipID, natA, natB = "1680855991000000001", "1680855971000000001", "1680855971000000002"
	where := []string{"--sim", "--provider", "zenlayer", "--region", "asia-east-1", "--eip", eipID, "-o", "json"}
	associate := func(args ...string) result {
		return e.run(append(append([]string{"eip", "associate"}, where...), args...)...)
	}

	r := associate("--target", natA)
	usageExit(t, r, "--target-type", natA)
	if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
		t.Errorf("the refusal takes %d lines, want one\n%s", n+1, r)
	}
	wantListed(t, list(t, e, "zenlayer", "asia-east-1", "--sim"), eipID, "available", "", "")

	decodeRun(t, associate("--target", natA, "--target-type", "nat"), 0).wantRows(t, map[string]string{eipID: "associated"})
	d := decodeRun(t, associate("--target", natB, "--target-type", "nat", "--force"), 0)
	d.wantRows(t, map[string]string{eipID: "moved"})
	if row := d.row(t, eipID); row.Previous == nil || *row.Previous != natA || row.Current == nil || *row.Current != natB {
		t.Errorf("moved row %+v, want from %s to %s", row, natA, natB)
	}
	wantListed(t, list(t, e, "zenlayer", "asia-east-1", "--sim"), eipID, "associated", natB, "nat")
}

// What can be inferred of a bare ID is: on Zenlayer only a vNIC takes a
// private IP (lanIp), so --private-ip names the target a vNIC and no
// --target-type is needed.
func TestZenlayerRealVNICIsInferredFromItsPrivateIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_READABLE", "0")
	const eipID, vnic = "1680855991000000002", "1680855981000000001"
	d := associateSim(t, e, 0, "zenlayer", "asia-east-1", eipID, vnic, "--private-ip", "10.1.1.11")
	d.wantRows(t, map[string]string{eipID: "associated"})
	if row := d.row(t, eipID); row.TargetType != "eni" {
		t.Errorf("row's targetType = %q, want eni (inferred from --private-ip)", row.TargetType)
	}
	wantListed(t, list(t, e, "zenlayer", "asia-east-1", "--sim"), eipID, "associated", vnic, "eni")
}
