package e2e_test

import (
	"testing"
)

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
	d := associateSim(t, e, 1, "tencent", "ap-guangzhou", "eip-gz000010", "eni-gz000001", "--private-ip", "10.99.99.99")
	d.wantRows(t, map[string]string{"eip-gz000010": "failed"})
	if c := d.row(t, "eip-gz000010").Error.Class; c != "invalid" && c != "notfound" {
		t.Errorf("error class %q, want invalid or notfound", c)
	}
}
