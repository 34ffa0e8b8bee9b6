package plan_test

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/plan"
)

// Types in YAML and JSON plans are strict: each refusal names the key and
// its line; CSV, which holds only text, reads the same words as before.
func TestPlanTypesAreStrict(t *testing.T) {
	base := plan.PlanItem{Provider: "alibaba", Region: "cn-hangzhou"}
	for _, c := range []struct{ name, body, want string }{
		{"p.json", "{\"bindings\": [\n {\"eip\": \"eip-1\", \"target\": \"i-1\", \"force\": \"true\"}]}",
			`item 1 (line 2): force: want true or false, unquoted, not text "true"`},
		{"p.json", "{\"bindings\": [\n {\"pool\": \"eip-1\", \"target\": \"i-1\",\n \"count\": \"3\"}]}",
			`item 1 (line 2): line 3: count: want a whole number, unquoted (such as 3), not text "3"`},
		{"p.json", "{\"bindings\": [{\"eip\": \"eip-1\", \"target\": \"i-1\", \"count\": 3.5, \"pool\": \"eip-1\"}]}",
			`count: want a whole number, unquoted (such as 3), not a number "3.5"`},
		{"p.json", "{\"bindings\": [{\"eip\": true, \"target\": \"i-1\"}]}", `eip: want text, not true or false (true): put the value in quotes`},
		{"p.yaml", "bindings:\n  - {eip: eip-1, target: i-1, force: \"true\"}\n", `(line 2): force: want true or false, unquoted, not text "true"`},
		{"p.yaml", "bindings:\n  - {pool: eip-1, target: i-1, count: \"3\"}\n", `count: want a whole number`},
		{"p.yaml", "bindings:\n  - eip: eip-1\n    target: !foo i-1\n", `line 3: target: the tag !foo is not one a plan takes: remove it`},
		{"p.yaml", "bindings:\n  - !foo {eip: eip-1, target: i-1}\n", `line 2: bindings: the tag !foo is not one a plan takes`},
		{"p.yaml", "!plan\nbindings:\n  - {eip: eip-1, target: i-1}\n", `the tag !plan is not one a plan takes`},
		{"p.yaml", "bindings:\n  - {eip: !!binary ZWlwLTE=, target: i-1}\n", `eip: the tag !!binary is not one a plan takes`},
		{"p.yaml", "bindings:\n  - {eip: eip-1, target: i-1, region: 2026-01-02}\n", `region: want text, not a date (2026-01-02): put the value in quotes`},
	} {
		_, err := plan.ParsePlan(c.name, []byte(c.body), base)
		if err == nil || !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %q:\n got  %v\n want one usage line containing %q", c.name, c.body, err, c.want)
		}
	}
	// What a plan may hold still reads: true/false, numbers, numeric IDs,
	// YAML's True, and CSV's text.
	for _, c := range []struct{ name, body string }{
		{"p.yaml", "bindings:\n  - {eip: eip-1, target: i-1, force: True}\n  - {pool: eip-2, target: i-1, count: 1}\n  - {eip: 1660545330971680835, target: i-2}\n"},
		{"p.json", `{"bindings": [{"eip": "eip-1", "target": "i-1", "force": true}, {"pool": "eip-2", "target": "i-1", "count": 1}, {"eip": 1660545330971680835, "target": "i-2"}]}`},
		{"p.csv", "eip,target,force,pool,count\neip-1,i-1,true,,\n,i-1,,eip-2,1\n1660545330971680835,i-2,,,\n"},
	} {
		got, err := plan.ParsePlan(c.name, []byte(c.body), base)
		if err != nil || len(got) != 3 || !got[0].Force || got[1].Count != 1 || got[2].EIP != "1660545330971680835" {
			t.Errorf("%s: %+v, %v: want three bindings, the first forced", c.name, got, err)
		}
	}
}
