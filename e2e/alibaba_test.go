package e2e_test

import (
	"strings"
	"testing"
)

func TestAlibabaEveryTargetType(t *testing.T) {
	t.Parallel()
	everyTarget(t, "alibaba", "cn-hangzhou", []binding{
		{name: "instance", eip: "eip-hz0001", target: "i-hz0001", targetType: "instance"},
		{name: "eni", eip: "eip-hz0002", target: "eni-hz0001", targetType: "eni", extra: []string{"--private-ip", "10.1.9.11"}},
		{name: "nat", eip: "eip-hz0003", target: "ngw-hz0001", targetType: "nat"},
		{name: "lb", eip: "eip-hz0004", target: "lb-hz0001", targetType: "lb"},
		{name: "havip", eip: "eip-hz0005", target: "havip-hz0001", targetType: "havip"},
	})
}

// Several EIPs to one NAT gateway go out as one AssociateEipAddressBatch.
func TestAlibabaSeveralEIPsToOneNAT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0006,eip-hz0007", "--eip", "eip-hz0008", "--target", "ngw-hz0002", "-o", "json", "--debug")
	d := decodeRun(t, r, 0)
	d.wantRows(t, map[string]string{"eip-hz0006": "associated", "eip-hz0007": "associated", "eip-hz0008": "associated"})
	if n := strings.Count(r.stderr, "Action=AssociateEipAddressBatch"); n != 1 {
		t.Errorf("%d AssociateEipAddressBatch calls logged, want one for all three EIPs\n%s", n, r)
	}
	l := list(t, e, "alibaba", "cn-hangzhou", "--sim")
	for _, id := range []string{"eip-hz0006", "eip-hz0007", "eip-hz0008"} {
		wantListed(t, l, id, "associated", "ngw-hz0002", "nat")
	}
}

// An EIP may be named by its address; the row reports its ID.
func TestAlibabaEIPByAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := decodeRun(t, e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "47.96.0.10", "--target", "i-hz0002", "-o", "json"), 0)
	d.wantRows(t, map[string]string{"eip-hz0009": "associated"})
	wantListed(t, list(t, e, "alibaba", "cn-hangzhou", "--sim"), "eip-hz0009", "associated", "i-hz0002", "instance")
}
