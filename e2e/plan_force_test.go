package e2e_test

import "testing"

// force: true under defaults: moves every EIP of the plan that another target
// holds, on each cloud; force: false on an item overrides it (a conflict,
// nothing moved). The plan comes on standard input as JSON.
func TestPlanForceKeyMovesAcrossClouds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	plan := `{
  "defaults": {"force": true},
  "bindings": [
    {"provider": "alibaba", "region": "cn-hangzhou", "eip": "eip-hz0024", "target": "i-hz0005"},
    {"provider": "tencent", "region": "ap-guangzhou", "eip": "eip-gz000024", "target": "ins-gz000005"},
    {"provider": "zenlayer", "region": "asia-east-1", "eip": "eip-ae0024", "target": "nat-ae0001"},
    {"provider": "alibaba", "region": "cn-hangzhou", "eip": "eip-hz0023", "target": "i-hz0006", "force": false}
  ]
}`
	r := e.runIn(plan, "eip", "associate", "--sim", "-f", "-", "-o", "json")
	d := decodeRun(t, r, 3)
	d.wantRows(t, map[string]string{"eip-hz0024": "moved", "eip-gz000024": "moved", "eip-ae0024": "moved", "eip-hz0023": "failed"})
	if c := d.row(t, "eip-hz0023").Error; c == nil || c.Code != "AlreadyBound" {
		t.Errorf("eip-hz0023 (force: false): error %+v, want AlreadyBound", c)
	}
	wantListed(t, list(t, e, "alibaba", "cn-hangzhou", "--sim"), "eip-hz0023", "associated", "i-hz0007", "instance")
	wantListed(t, list(t, e, "zenlayer", "asia-east-1", "--sim"), "eip-ae0024", "associated", "nat-ae0001", "nat")
}
