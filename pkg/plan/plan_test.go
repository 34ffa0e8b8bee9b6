package plan_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/plan"

	"github.com/eipctl/eipctl/pkg/eip"
)

func writePlan(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadPlanYAMLDefaults(t *testing.T) {
	p := writePlan(t, "plan.yaml", `
defaults:
  provider: alibaba
  region: cn-hangzhou
bindings:
  - eip: eip-1
    target: ngw-1
  - eip: eip-2
    target: eni-1
    targetType: eni
    privateIp: 10.0.0.5
    region: cn-shanghai
    mode: multi-binded
    clientToken: tok
`)
	got, err := plan.ReadPlan(p, plan.PlanItem{Provider: "tencent", InstanceRegion: "cn-beijing"})
	if err != nil {
		t.Fatal(err)
	}
	want := []eip.Binding{
		{Provider: "alibaba", Region: "cn-hangzhou", EIP: "eip-1", Target: "ngw-1", Mode: eip.ModeNAT, InstanceRegion: "cn-beijing", Line: 6},
		{Provider: "alibaba", Region: "cn-shanghai", EIP: "eip-2", Target: "eni-1", TargetType: eip.ENI, PrivateIP: "10.0.0.5",
			Mode: eip.ModeMultiBinded, InstanceRegion: "cn-beijing", ClientToken: "tok", Line: 8},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v\n(row beats file defaults beats flags)", got, want)
	}
}

func TestReadPlanCSV(t *testing.T) {
	p := writePlan(t, "plan.csv", `# failover batch
eip, target ,provider,region,targetType
eip-1,i-1,tencent,ap-guangzhou,instance
eip-2,ngw-9,tencent,ap-guangzhou,
eip-3,i-3,,,
`)
	got, err := plan.ReadPlan(p, plan.PlanItem{Provider: "alibaba", Region: "cn-hangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	want := []eip.Binding{
		{Provider: "tencent", Region: "ap-guangzhou", EIP: "eip-1", Target: "i-1", TargetType: eip.Instance, Mode: eip.ModeNAT, Line: 3},
		{Provider: "tencent", Region: "ap-guangzhou", EIP: "eip-2", Target: "ngw-9", Mode: eip.ModeNAT, Line: 4},
		{Provider: "alibaba", Region: "cn-hangzhou", EIP: "eip-3", Target: "i-3", Mode: eip.ModeNAT, Line: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadPlanErrors(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             []string
	}{
		{"unknown yaml key", "p.yaml", "bindings:\n  - eip: eip-1\n    target: i-1\n  - eip: eip-2\n    tagret: i-2\n", []string{"item 2 (line 4)", "line 5", `unknown key "tagret"`, "use provider, region, eip, target"}},
		{"unknown yaml key in defaults", "p.yaml", "defaults:\n  regoin: x\nbindings:\n  - eip: eip-1\n", []string{"defaults", `"regoin"`}},
		{"unknown top-level key", "p.yaml", "binding:\n  - eip: eip-1\n", []string{`unknown key "binding"`, "defaults: and bindings:"}},
		{"bindings not a list", "p.yaml", "bindings:\n  eip: eip-1\n", []string{"bindings: must be a list"}},
		{"wrong type", "p.yaml", "bindings:\n  - eip: [a, b]\n", []string{"line 2"}},
		{"unknown csv column", "p.csv", "eip,target,zone\neip-1,i-1,a\n", []string{`"zone"`, "provider, region, eip, target, targetType"}},
		{"bad mode", "p.yaml", "bindings:\n  - eip: eip-1\n    target: i-1\n  - eip: eip-2\n    target: i-2\n    mode: bridge\n",
			[]string{"item 2 (line 4)", "mode", `"bridge"`, "nat, multi-binded, passthrough, fullnat"}},
		{"bad target type", "p.csv", "eip,target,targetType\neip-1,i-1,vm\n", []string{"item 1 (line 2)", "targetType", `"vm"`, "instance, eni"}},
		{"empty yaml", "p.yaml", "", []string{"no bindings"}},
		{"yaml without bindings", "p.yaml", "defaults:\n  provider: alibaba\n", []string{"no bindings"}},
		{"csv header only", "p.csv", "eip,target\n", []string{"no bindings"}},
		{"empty csv", "p.csv", "", []string{"no bindings"}},
		{"csv header with a broken quote", "p.csv", "eip,\"target\n", []string{"line 1", "quote"}},
		{"csv row with a broken quote", "p.csv", "eip,target\neip-1,i-\"1\n", []string{"line 2", "quote"}},
		{"unknown format", "p.txt", "{}", []string{".yaml, .yml, .json or .csv"}},
		{"not yaml", "p.yml", "bindings: [\n", []string{"yaml"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writePlan(t, c.file, c.body)
			_, err := plan.ReadPlan(p, plan.PlanItem{})
			if !eip.IsUsage(err) {
				t.Fatalf("error %v (%T), want a usage error", err, err)
			}
			for _, w := range append([]string{"-f " + p}, c.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestReadPlanMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := plan.ReadPlan(p, plan.PlanItem{})
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("error %v, want a usage error naming the file and saying it does not exist", err)
	}
}

func TestParseWords(t *testing.T) {
	if m, err := eip.ParseMode(""); err != nil || m != eip.ModeNAT {
		t.Errorf("ParseMode(\"\") = %q, %v; want the nat default", m, err)
	}
	if _, err := eip.ParseMode("NAT"); err == nil {
		t.Error("ParseMode(NAT) accepted a word that is not in the list")
	}
	for _, tt := range eip.TargetTypes {
		if got, err := eip.ParseTargetType(string(tt)); err != nil || got != tt {
			t.Errorf("ParseTargetType(%s) = %q, %v", tt, got, err)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, ok := range []string{"https://vpc.aliyuncs.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"} {
		if _, err := eip.ParseEndpoint(ok); err != nil {
			t.Errorf("ParseEndpoint(%s): %v", ok, err)
		}
	}
	for raw, want := range map[string]string{
		"vpc.aliyuncs.com":        "no scheme",
		"http://vpc.aliyuncs.com": "plain http to a non-loopback host",
		"ftp://127.0.0.1":         `scheme "ftp"`,
		"https://":                "not a URL",
		"http://127.0.0.1:99999":  "has port 99999: a port is a number from 1 to 65535",
		"https://example.com:0":   "has port 0:",
	} {
		_, err := eip.ParseEndpoint(raw)
		if !eip.IsUsage(err) || !strings.Contains(err.Error(), "--endpoint") || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseEndpoint(%s) = %v, want a usage error naming --endpoint and %q", raw, err, want)
		}
	}
}

func TestReadPlanYAMLAnchors(t *testing.T) {
	p := writePlan(t, "plan.yaml", `
bindings:
  - &hz {provider: alibaba, region: cn-hangzhou, eip: eip-1, target: i-1}
  - <<: *hz
    eip: eip-2
`)
	got, err := plan.ReadPlan(p, plan.PlanItem{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Provider != "alibaba" || got[1].EIP != "eip-2" || got[1].Target != "i-1" {
		t.Fatalf("got %+v: want the second binding to merge the first's keys", got)
	}
}
