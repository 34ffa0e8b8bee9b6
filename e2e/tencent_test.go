package e2e_test

import (
	"strings"
	"testing"
)

func TestTencentEveryTargetType(t *testing.T) {
	t.Parallel()
	everyTarget(t, "tencent", "ap-guangzhou", []binding{
		{name: "instance", eip: "eip-gz000001", target: "ins-gz000001", targetType: "instance"},
		{name: "eni", eip: "eip-gz000002", target: "eni-gz000001", targetType: "eni", extra: []string{"--private-ip", "10.1.9.11"}},
		{name: "nat", eip: "eip-gz000003", target: "nat-gz000001", targetType: "nat"},
		{name: "lb", eip: "eip-gz000004", target: "lb-gz000001", targetType: "lb"},
		{name: "havip", eip: "eip-gz000005", target: "havip-gz000001", targetType: "havip"},
	})
}

// Several EIPs to one NAT gateway take Tencent's NAT path: one
// AssociateNatGatewayAddress call carrying all of them, not AssociateAddress.
func TestTencentSeveralEIPsToOneNAT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("eip", "associate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000006,eip-gz000007,eip-gz000008", "--target", "nat-gz000002", "-o", "json", "--debug")
	d := decodeRun(t, r, 0)
	d.wantRows(t, map[string]string{"eip-gz000006": "associated", "eip-gz000007": "associated", "eip-gz000008": "associated"})
	if n := strings.Count(r.stderr, " AssociateNatGatewayAddress -> "); n != 1 {
		t.Errorf("%d AssociateNatGatewayAddress calls logged, want one for all three EIPs\n%s", n, r)
	}
	if strings.Contains(r.stderr, " AssociateAddress -> ") {
		t.Errorf("AssociateAddress was used for a NAT gateway\n%s", r)
	}
	l := list(t, e, "tencent", "ap-guangzhou", "--sim")
	for _, id := range []string{"eip-gz000006", "eip-gz000007", "eip-gz000008"} {
		wantListed(t, l, id, "associated", "nat-gz000002", "nat")
	}

	un := decodeRun(t, e.run("eip", "disassociate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000006,eip-gz000007,eip-gz000008", "-o", "json"), 0)
	un.wantRows(t, map[string]string{"eip-gz000006": "disassociated", "eip-gz000007": "disassociated", "eip-gz000008": "disassociated"})
	l = list(t, e, "tencent", "ap-guangzhou", "--sim")
	for _, id := range []string{"eip-gz000006", "eip-gz000007", "eip-gz000008"} {
		wantListed(t, l, id, "available", "", "")
	}
}

// AssociateAddress binds to one private IP of an ENI, so eipctl asks for it
// before sending anything.
func TestTencentENIWithoutPrivateIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("eip", "associate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000009", "--target", "eni-gz000001")
	usageExit(t, r, "--private-ip")
	wantListed(t, list(t, e, "tencent", "ap-guangzhou", "--sim"), "eip-gz000009", "available", "", "")
}

// A private IP the ENI does not have is the cloud's refusal: a failed row.
func TestTencentENIUnknownPrivateIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := decodeRun(t, e.run("eip", "associate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000010", "--target", "eni-gz000001", "--private-ip", "10.99.99.99", "-o", "json"), 1)
	d.wantRows(t, map[string]string{"eip-gz000010": "failed"})
	if c := d.row(t, "eip-gz000010").Error.Class; c != "invalid" && c != "notfound" {
		t.Errorf("error class %q, want invalid or notfound", c)
	}
}
