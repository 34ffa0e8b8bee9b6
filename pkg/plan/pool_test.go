package plan

import (
	"maps"
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

// The plan keys PlanItem's tags make: their names, flags, lists and types
// are what files, messages and `--help` name, so a field added or retagged
// shows here.
func TestKeysFromPlanItem(t *testing.T) {
	var flags []string
	lists, typed := map[string]string{}, map[string]valueType{}
	for i, k := range keys {
		if k.field != i {
			t.Errorf("%s reads field %d, want %d", k.name, k.field, i)
		}
		flags = append(flags, k.flag)
		if k.list != "" {
			lists[k.name] = k.list
		}
		if k.typ != typeText {
			typed[k.name] = k.typ
		}
	}
	if got, want := strings.Join(planKeys, " "), "provider region eip target targetType privateIp mode instanceRegion clientToken force from pool count"; got != want {
		t.Errorf("keys %s\nwant %s", got, want)
	}
	if got, want := strings.Join(flags, " "), "--provider --region --eip --target --target-type --private-ip --mode --instance-region --client-token --force --from --pool --count"; got != want {
		t.Errorf("flags %s\nwant %s", got, want)
	}
	if want := map[string]string{"from": "target IDs (or none)", "pool": "EIP IDs, addresses or CIDR blocks"}; !maps.Equal(lists, want) {
		t.Errorf("list keys %v, want %v", lists, want)
	}
	if want := map[string]valueType{"force": typeBool, "count": typeInt}; !maps.Equal(typed, want) {
		t.Errorf("typed keys %v, want %v", typed, want)
	}
	it := PlanItem{InstanceRegion: "cn-shanghai", Count: "3"}
	if got := *it.field("instanceRegion") + "," + *it.field("count"); got != "cn-shanghai,3" {
		t.Errorf("fields behind instanceRegion and count: %s", got)
	}
	*it.field("privateIp") = "10.0.0.9"
	if it.PrivateIP != "10.0.0.9" || it.field("zone") != nil {
		t.Errorf("privateIp set %+v; an unknown key's field: %v", it, it.field("zone"))
	}
}
