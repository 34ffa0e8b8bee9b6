package e2e_test

import (
	"testing"
)

// An EIP may be named by its address; the row reports its ID.
func TestAlibabaEIPByAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := associateSim(t, e, 0, "alibaba", "cn-hangzhou", "47.96.0.10", "i-hz0002")
	d.wantRows(t, map[string]string{"eip-hz0009": "associated"})
	wantListed(t, list(t, e, "alibaba", "cn-hangzhou", "--sim"), "eip-hz0009", "associated", "i-hz0002", "instance")
}
