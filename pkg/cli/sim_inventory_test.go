package cli

import (
	"encoding/json"
	"testing"
)

// sim inventory keeps the cloud, region and status asked for; a word it
// does not know is exit 2, one line, with the nearest valid word.
func TestSimInventoryFilters(t *testing.T) {
	isolate(t)
	if code, _, stderr := run(t, "eip", "associate", "--sim", "--provider", "tencent", "--region", "ap-guangzhou",
		"--eip", "eip-gz000001", "--target", "ins-gz000001"); code != 0 {
		t.Fatalf("associate: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := run(t, "sim", "inventory", "--provider", "tencent", "--region", "ap-guangzhou", "--status", "associated", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var doc struct {
		Providers []struct {
			Provider, Region string
			EIPs             []struct{ ID, Status string }
			Targets          []any
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Providers) != 1 {
		t.Fatalf("want one region, got %v:\n%s", err, stdout)
	}
	r := doc.Providers[0]
	found := false
	for _, e := range r.EIPs {
		found = found || e.ID == "eip-gz000001"
		if e.Status != "BIND" && e.Status != "BIND_ENI" {
			t.Errorf("--status associated kept %s in %s", e.ID, e.Status)
		}
	}
	if r.Provider != "tencent" || r.Region != "ap-guangzhou" || !found || len(r.Targets) != 0 {
		t.Errorf("got %s %s, %d EIPs (eip-gz000001 among them: %v), %d targets", r.Provider, r.Region, len(r.EIPs), found, len(r.Targets))
	}
	_, stdout, _ = run(t, "sim", "inventory", "--status", "available", "--query", "providers[].eips[?status=='BIND' || status=='InUse' || status=='BINDED'][] | length(@)")
	if !jsonEqual(stdout, "0") {
		t.Errorf("--status available keeps %s bound EIPs", stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "tencnt"}, `--provider "tencnt" is not known: did you mean "tencent"?`},
		{[]string{"--provider", "tencent", "--region", "cn-hangzhou"}, `--region "cn-hangzhou" is not known: use one of ap-guangzhou`},
		{[]string{"--region", "ap-guangzou"}, `did you mean "ap-guangzhou"?`},
		{[]string{"--status", "asociated"}, `--status "asociated" is not known: did you mean "associated"?`},
	} {
		argv := append([]string{"sim", "inventory"}, c.args...)
		code, stdout, stderr := run(t, argv...)
		oneLine(t, argv, code, stdout, stderr, c.want)
	}
}
