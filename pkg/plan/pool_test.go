package plan

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

// pool: and count: read the same in every plan format; YAML and JSON take
// the pool as a list or a comma list, CSV as a quoted comma list.
func TestPlanPoolKeys(t *testing.T) {
	yaml := "defaults: {provider: alibaba, region: cn-hangzhou}\nbindings:\n  - {pool: [eip-a, 47.96.0.0/30], target: ngw-1, count: 2}\n  - {pool: \"eip-b\", target: i-1}\n  - {eip: eip-c, target: i-2}\n"
	json := `{"defaults": {"provider": "alibaba", "region": "cn-hangzhou"}, "bindings": [
  {"pool": ["eip-a", "47.96.0.0/30"], "target": "ngw-1", "count": 2},
  {"pool": "eip-b", "target": "i-1"},
  {"eip": "eip-c", "target": "i-2"}]}`
	csv := "provider,region,pool,eip,target,count\nalibaba,cn-hangzhou,\"eip-a,47.96.0.0/30\",,ngw-1,2\nalibaba,cn-hangzhou,eip-b,,i-1,\nalibaba,cn-hangzhou,,eip-c,i-2,\n"
	for _, c := range []struct{ name, body string }{{"p.yaml", yaml}, {"p.json", json}, {"p.csv", csv}} {
		got, err := ParsePlan(c.name, []byte(c.body), PlanItem{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != 3 || got[0].Pool.String() != "eip-a,47.96.0.0/30" || got[0].Count != 2 ||
			got[1].Pool.String() != "eip-b" || got[1].Count != 1 || got[2].Pool != nil || got[2].EIP != "eip-c" {
			t.Fatalf("%s: %+v", c.name, got)
		}
	}
	for _, c := range []struct{ body, want string }{
		{"bindings:\n  - {pool: eip-a, target: i-1, count: 0}\n", `item 1 (line 2): count "0": give a number from 1 to 200`},
		{"bindings:\n  - {pool: eip-a, target: i-1, count: two}\n", `line 2): count: want a whole number, unquoted (such as 3), not text "two"`},
		{"bindings:\n  - {eip: eip-a, target: i-1, count: 2}\n", "count needs pool"},
		{"bindings:\n  - {pool: [eip-a, 10.0.0.0/8], target: i-1}\n", "pool 10.0.0.0/8: the block covers more than 4096"},
		{"bindings:\n  - {pool: [eip-a, [x]], target: i-1}\n", "pool: want EIP IDs"},
	} {
		_, err := ParsePlan("p.yaml", []byte(c.body), PlanItem{Provider: "alibaba", Region: "cn-hangzhou"})
		if err == nil || !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error containing %q", c.body, err, c.want)
		}
	}
}
