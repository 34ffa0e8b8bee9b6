package tencent

import (
	"testing"
)

// Anycast, high-quality and Anti-DDoS EIPs are EIPs too: `eip list` shows
// them and an EIP given by its IP is found, although DescribeAddresses
// leaves them out of a listing that does not ask for them by address-type.
func TestListAndLookupByIPSeeEveryKindOfEIP(t *testing.T) {
	w := newWorld(t, 0)
	all, err := w.prov.List(ctx, region)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, a := range all {
		listed[a.ID] = true
	}
	kinds := []string{"eip-gz000020", "eip-gz000021", "eip-gz000022"} // Anycast, high-quality, Anti-DDoS
	for _, id := range append(kinds, "eip-gz000001") {
		if !listed[id] {
			t.Errorf("List left out %s", id)
		}
	}
	for _, id := range kinds {
		ip := w.eipIP(id)
		got, err := w.prov.Describe(ctx, region, []string{ip})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != id {
			t.Errorf("Describe(%s) = %+v, want %s", ip, got, id)
		}
	}
}
