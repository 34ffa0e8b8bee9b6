package e2e_test

import (
	"reflect"
	"strings"
	"testing"
)

// --dry-run reads state, prints each cloud's native request on stderr, sends
// nothing that changes anything, and exits 0 with rows "planned".
func TestDryRun(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		provider, region string
		eips             string
		target           string
		extra            []string
		wantCall         []string // on the stderr line: the native action and request fields
	}{
		{"alibaba", "cn-hangzhou", "eip-hz0001", "i-hz0001", nil,
			[]string{"dry-run: would send alibaba cn-hangzhou AssociateEipAddress ", `"AllocationId":"eip-hz0001"`, `"InstanceId":"i-hz0001"`}},
		{"tencent", "ap-guangzhou", "eip-gz000001,eip-gz000002", "nat-gz000001", nil,
			// Tencent names NAT addresses by IP, not by EIP ID.
			[]string{"dry-run: would send tencent ap-guangzhou AssociateNatGatewayAddress ", `"NatGatewayId":"nat-gz000001"`, "119.29.0.2", "119.29.0.3"}},
		{"zenlayer", "asia-east-1", "eip-ae0001", "nic-ae0001", []string{"--private-ip", "10.1.1.12"},
			[]string{"dry-run: would send zenlayer asia-east-1 AssociateEipAddress ", "nic-ae0001", "10.1.1.12"}},
	} {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			before := list(t, e, c.provider, c.region, "--sim")
			args := append([]string{"eip", "associate", "--sim", "--provider", c.provider, "--region", c.region,
				"--eip", c.eips, "--target", c.target, "--dry-run", "-o", "json"}, c.extra...)
			r := e.run(args...)
			d := decodeRun(t, r, 0)
			want := map[string]string{}
			for _, id := range strings.Split(c.eips, ",") {
				want[id] = "planned"
			}
			d.wantRows(t, want)
			for _, w := range c.wantCall {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r)
				}
			}
			if strings.Contains(r.stdout, "dry-run") {
				t.Errorf("dry-run notes reached stdout\n%s", r)
			}
			if after := list(t, e, c.provider, c.region, "--sim"); !reflect.DeepEqual(before, after) {
				t.Errorf("eip list changed after a dry run")
			}
		})
	}

	t.Run("disassociate", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		r := e.run("eip", "disassociate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0024", "--dry-run", "-o", "json")
		decodeRun(t, r, 0).wantRows(t, map[string]string{"eip-hz0024": "planned"})
		if !strings.Contains(r.stderr, "dry-run: would send alibaba cn-hangzhou UnassociateEipAddress ") {
			t.Errorf("stderr lacks the UnassociateEipAddress request\n%s", r)
		}
		wantListed(t, list(t, e, "alibaba", "cn-hangzhou", "--sim"), "eip-hz0024", "associated", "i-hz0008", "instance")
	})
}

// --no-wait returns after submitting: rows pending, exit 0, and the cloud is
// left finishing the binding.
func TestNoWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "1m")
	for _, c := range []struct{ eip, target, flag string }{
		{"eip-gz000001", "ins-gz000001", "--no-wait"},
		{"eip-gz000002", "ins-gz000002", "--wait=false"},
	} {
		d := associateSim(t, e, 0, "tencent", "ap-guangzhou", c.eip, c.target, c.flag)
		d.wantRows(t, map[string]string{c.eip: "pending"})
		if d.Summary["pending"] != 1 || d.Summary["associated"] != 0 {
			t.Errorf("%s: summary %v, want pending 1", c.flag, d.Summary)
		}
	}
	l := list(t, e, "tencent", "ap-guangzhou", "--sim")
	wantListed(t, l, "eip-gz000001", "associating", "ins-gz000001", "instance")
	wantListed(t, l, "eip-gz000002", "associating", "ins-gz000002", "instance")
}

// A plan file binds many EIPs across providers and regions in one run.
func TestPlanFilesAcrossProviders(t *testing.T) {
	t.Parallel()
	yamlPlan := `defaults:
  provider: alibaba
  region: cn-hangzhou
bindings:
  - {eip: eip-hz0001, target: i-hz0001}
  - {eip: eip-hz0002, target: ngw-hz0001}
  - {provider: tencent, region: ap-guangzhou, eip: eip-gz000001, target: eni-gz000001, privateIp: 10.1.9.12}
  - {provider: zenlayer, region: asia-east-1, eip: eip-ae0001, target: lb-ae0001}
  - {provider: tencent, region: ap-shanghai, eip: eip-sh000001, target: havip-sh000001}
`
	csvPlan := `provider,region,eip,target,targetType,privateIp
# a comment line
alibaba,cn-shanghai,eip-sh0001,ngw-sh0001,,
tencent,ap-guangzhou,eip-gz000003,nat-gz000001,nat,
zenlayer,asia-east-1,eip-ae0002,nic-ae0002,eni,10.1.2.11
`
	for _, c := range []struct {
		name, file string
		want       []listedEIP
	}{
		{"plan.yaml", yamlPlan, []listedEIP{
			{Provider: "alibaba", Region: "cn-hangzhou", EIPID: "eip-hz0001", TargetID: "i-hz0001", TargetType: "instance"},
			{Provider: "alibaba", Region: "cn-hangzhou", EIPID: "eip-hz0002", TargetID: "ngw-hz0001", TargetType: "nat"},
			{Provider: "tencent", Region: "ap-guangzhou", EIPID: "eip-gz000001", TargetID: "eni-gz000001", TargetType: "eni"},
			{Provider: "zenlayer", Region: "asia-east-1", EIPID: "eip-ae0001", TargetID: "lb-ae0001", TargetType: "lb"},
			{Provider: "tencent", Region: "ap-shanghai", EIPID: "eip-sh000001", TargetID: "havip-sh000001", TargetType: "havip"},
		}},
		{"plan.csv", csvPlan, []listedEIP{
			{Provider: "alibaba", Region: "cn-shanghai", EIPID: "eip-sh0001", TargetID: "ngw-sh0001", TargetType: "nat"},
			{Provider: "tencent", Region: "ap-guangzhou", EIPID: "eip-gz000003", TargetID: "nat-gz000001", TargetType: "nat"},
			{Provider: "zenlayer", Region: "asia-east-1", EIPID: "eip-ae0002", TargetID: "nic-ae0002", TargetType: "eni"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			plan := writeFile(t, c.name, c.file, 0o600)
			d := decodeRun(t, e.run("eip", "associate", "--sim", "-f", plan, "-o", "json"), 0)
			want := map[string]string{}
			for _, w := range c.want {
				want[w.EIPID] = "associated"
				if r := d.row(t, w.EIPID); r.Provider != w.Provider || r.Region != w.Region || r.TargetID != w.TargetID {
					t.Errorf("row %+v, want %s %s on %s", r, w.Provider, w.Region, w.TargetID)
				}
			}
			d.wantRows(t, want)
			for _, w := range c.want {
				wantListed(t, list(t, e, w.Provider, w.Region, "--sim"), w.EIPID, "associated", w.TargetID, w.TargetType)
			}

			// The same plan releases them all again.
			un := decodeRun(t, e.run("eip", "disassociate", "--sim", "-f", plan, "-o", "json"), 0)
			for id := range want {
				want[id] = "disassociated"
			}
			un.wantRows(t, want)
		})
	}
}
