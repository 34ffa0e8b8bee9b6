package plan_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/plan"

	"github.com/eipctl/eipctl/pkg/eip"
)

// The same plan in the three formats reads as the same bindings (lines aside).
func TestParsePlanFormatsAgree(t *testing.T) {
	yaml := `
defaults: {provider: alibaba, region: cn-hangzhou, force: true}
bindings:
  - {eip: eip-1, target: i-1}
  - {eip: " eip-2 ", target: ngw-1, force: false, mode: nat}
`
	json := `{
  "defaults": {"provider": "alibaba", "region": "cn-hangzhou", "force": true},
  "bindings": [
    {"eip": "eip-1", "target": "i-1"},
    {"eip": " eip-2 ", "target": "ngw-1", "force": false, "mode": "nat"}
  ]
}`
	csv := "provider,region,eip,target,force,mode\nalibaba,cn-hangzhou,eip-1,i-1,true,\nalibaba,cn-hangzhou,eip-2 ,ngw-1,false,nat\n"
	want := []eip.Binding{
		{Provider: "alibaba", Region: "cn-hangzhou", EIP: "eip-1", Target: "i-1", Mode: eip.ModeNAT, Force: true},
		{Provider: "alibaba", Region: "cn-hangzhou", EIP: "eip-2", Target: "ngw-1", Mode: eip.ModeNAT},
	}
	for _, c := range []struct{ name, body string }{
		{"p.yaml", yaml}, {"p.json", json}, {"p.csv", csv},
		{"-", yaml}, {"-", json}, {"-", "# a comment\n" + csv}, // standard input: format from the content
	} {
		got, err := plan.ParsePlan(c.name, []byte(c.body), plan.PlanItem{})
		if err != nil {
			t.Fatalf("%s %.20q: %v", c.name, c.body, err)
		}
		for i := range got {
			if got[i].Line == 0 {
				t.Errorf("%s: item %d has no line", c.name, i+1)
			}
			got[i].Line = 0
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %.20q:\ngot  %+v\nwant %+v", c.name, c.body, got, want)
		}
	}
}

// --force on the command line is the last default: a plan item's
// force: false still wins over it.
func TestParsePlanForceFromFlags(t *testing.T) {
	got, err := plan.ParsePlan("p.yaml", []byte("bindings:\n  - {eip: eip-1, target: i-1}\n  - {eip: eip-2, target: i-1, force: false}\n"),
		plan.PlanItem{Provider: "alibaba", Region: "cn-hangzhou", Force: "true"})
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].Force || got[1].Force {
		t.Fatalf("force = %v, %v; want true (flag), false (item)", got[0].Force, got[1].Force)
	}
}

// Every bad item is reported at once, one line each, with its number and line.
func TestParsePlanReportsEveryBadItem(t *testing.T) {
	for name, body := range map[string]string{
		"p.yaml": "bindings:\n  - {eip: eip-1, target: i-1}\n  - {eip: eip-2, tagret: i-2}\n  - {eip: eip-3, target: i-3, mode: bridge}\n  - {eip: eip-4, target: i-4, force: yes}\n",
		"p.json": "{\"bindings\": [\n {\"eip\": \"eip-1\", \"target\": \"i-1\"},\n {\"eip\": \"eip-2\", \"tagret\": \"i-2\"},\n {\"eip\": \"eip-3\", \"target\": \"i-3\", \"mode\": \"bridge\"},\n {\"eip\": \"eip-4\", \"target\": \"i-4\", \"force\": \"yes\"}\n]}",
		"p.csv":  "eip,target,mode,force\neip-1,i-1,,\neip-2,i-2,,,\neip-3,i-3,bridge,\neip-4,i-4,,yes\n",
	} {
		_, err := plan.ParsePlan(name, []byte(body), plan.PlanItem{})
		if !eip.IsUsage(err) {
			t.Fatalf("%s: %v, want a usage error", name, err)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: %d lines, want one per bad item (3):\n%s", name, len(lines), err)
		}
		for i, want := range []string{"item 2 (line 3)", "item 3 (line 4)", "item 4 (line 5)"} {
			if !strings.Contains(lines[i], "-f "+name) || !strings.Contains(lines[i], want) {
				t.Errorf("%s: line %d %q does not name -f %s and %q", name, i+1, lines[i], name, want)
			}
		}
	}
}

// Nothing in a plan is silently dropped: what would be is refused.
func TestParsePlanRefusesWhatWouldBeDropped(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             []string
	}{
		{"second yaml document", "p.yaml", "bindings:\n  - {eip: eip-1, target: i-1}\n---\nbindings:\n  - {eip: eip-2, target: i-2}\n", []string{"line 3", "second YAML document"}},
		{"misspelt key inside a merge", "p.yaml", "x: &a {tagret: i-1}\n", []string{`unknown key "x"`}},
		{"misspelt key in a merged anchor", "p.yaml", "defaults: &d {provider: alibaba}\nbindings:\n  - &b {eip: eip-1, taget: i-1}\n  - {<<: *b, eip: eip-2}\n", []string{"item 1", "item 2", `"taget"`}},
		{"misspelt key in a merge list", "p.yaml", "bindings:\n  - &a {target: i-1}\n  - &b {regoin: cn-hangzhou}\n  - {<<: [*a, *b], eip: eip-2}\n", []string{"item 3", `"regoin"`}},
		{"yaml key twice", "p.yaml", "bindings:\n  - eip: eip-1\n    eip: eip-2\n", []string{"line 3", `key "eip" given twice (also line 2)`}},
		{"json key twice", "p.json", `{"bindings": [{"eip": "eip-1", "eip": "eip-2"}]}`, []string{"line 1", `"eip" given twice`}},
		{"json trailing data", "p.json", `{"bindings": []} {"bindings": []}`, []string{"one object"}},
		{"json not json", "p.json", "bindings:\n  - eip: eip-1\n", []string{"not valid JSON"}},
		{"json list value", "p.json", `{"bindings": [{"eip": ["eip-1", "eip-2"], "target": "i-1"}]}`, []string{"item 1", "eip: want a single value"}},
		{"csv column twice", "p.csv", "eip,target,eip\neip-1,i-1,eip-2\n", []string{"line 1", `column "eip" appears twice`}},
		{"csv row too wide", "p.csv", "eip,target\neip-1,i-1,extra\n", []string{"item 1 (line 2)", "3 values", "2 columns"}},
		{"control character", "p.yaml", "bindings:\n  - {eip: \"eip-1\\teip-2\", target: i-1}\n", []string{"item 1 (line 2)", "eip holds a control character"}},
		{"top-level list", "p.json", `[{"eip": "eip-1"}]`, []string{"mapping with the keys defaults: and bindings:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := plan.ParsePlan(c.file, []byte(c.body), plan.PlanItem{Target: "i-9"})
			if !eip.IsUsage(err) {
				t.Fatalf("%v, want a usage error", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %q", err, w)
				}
			}
		})
	}
}

// Merged keys fill only what the item leaves out; the item's own keys win.
func TestParsePlanMergeOrder(t *testing.T) {
	got, err := plan.ParsePlan("p.yaml", []byte("bindings:\n  - &a {provider: alibaba, region: cn-hangzhou, eip: eip-1, target: i-1}\n  - {eip: eip-2, <<: *a}\n"), plan.PlanItem{})
	if err != nil {
		t.Fatal(err)
	}
	if got[1].EIP != "eip-2" || got[1].Target != "i-1" {
		t.Fatalf("merged item = %+v: want its own eip and the anchor's target", got[1])
	}
}

// Merge keys that multiply (each anchor merging ten more) are cut off
// quickly with a usage error, instead of keeping eipctl busy.
func TestParsePlanMergeBomb(t *testing.T) {
	body := "bindings:\n  - &a0 {eip: x}\n"
	for i := 1; i < 9; i++ {
		body += fmt.Sprintf("  - &a%d {<<: [%s]}\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	done := make(chan error, 1)
	go func() { _, err := plan.ParsePlan("p.yaml", []byte(body), plan.PlanItem{}); done <- err }()
	select {
	case err := <-done:
		if !eip.IsUsage(err) || !strings.Contains(err.Error(), "merge at most") {
			t.Fatalf("%v, want a usage error about too many merges", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a plan of multiplying merge keys kept the parser busy for 5s")
	}
}
