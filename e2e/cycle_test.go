package e2e_test

import (
	"strings"
	"sync"
	"testing"
)

// everyTarget runs bindCycle for each binding as subtests that run all at
// once. Each cycle mostly sleeps on the engine's poll interval, so running
// them together costs no CPU; t.Parallel alone would be capped by -parallel
// (GOMAXPROCS, 2 on CI). testing allows t.Run from several goroutines.
func everyTarget(t *testing.T, provider, region string, bs []binding) {
	var wg sync.WaitGroup
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(b.targetType, func(t *testing.T) { bindCycle(t, provider, region, b) })
		}()
	}
	wg.Wait()
}

// binding is one associate a cloud test drives through its whole life.
type binding struct {
	eip        string
	target     string
	targetType string   // what eipctl should infer from the target ID
	extra      []string // e.g. --private-ip
}

// bindCycle runs, against the embedded emulator in a fresh state directory:
// associate -> list shows it bound -> associate again is unchanged ->
// disassociate -> list shows it available. Each step is what a cron job or
// an operator sees.
func bindCycle(t *testing.T, provider, region string, b binding) {
	t.Helper()
	e := newEnv(t)
	where := []string{"--sim", "--provider", provider, "--region", region}
	assoc := append(append([]string{"eip", "associate", "--eip", b.eip, "--target", b.target, "-o", "json"}, where...), b.extra...)

	d := decodeRun(t, e.run(assoc...), 0)
	d.wantRows(t, map[string]string{b.eip: "associated"})
	row := d.row(t, b.eip)
	if row.Provider != provider || row.Region != region || row.TargetID != b.target || row.TargetType != b.targetType || row.IP == "" {
		t.Errorf("associate row %+v: want %s %s on %s type %s with its IP", row, provider, region, b.target, b.targetType)
	}
	if d.Summary["associated"] != 1 || d.Summary["total"] != 1 {
		t.Errorf("summary %v, want total 1 associated 1", d.Summary)
	}
	wantListed(t, list(t, e, provider, region, "--sim"), b.eip, "associated", b.target, b.targetType)

	again := decodeRun(t, e.run(assoc...), 0)
	again.wantRows(t, map[string]string{b.eip: "unchanged"})
	if again.Summary["unchanged"] != 1 || again.Summary["associated"] != 0 {
		t.Errorf("rerun summary %v, want unchanged 1", again.Summary)
	}

	un := decodeRun(t, e.run(append([]string{"eip", "disassociate", "--eip", b.eip, "-o", "json"}, where...)...), 0)
	un.wantRows(t, map[string]string{b.eip: "disassociated"})
	if r := un.row(t, b.eip); r.TargetID != b.target {
		t.Errorf("disassociate row names target %q, want the one it was released from, %s", r.TargetID, b.target)
	}
	if un.Summary["disassociated"] != 1 {
		t.Errorf("disassociate summary %v, want disassociated 1", un.Summary)
	}
	wantListed(t, list(t, e, provider, region, "--sim"), b.eip, "available", "", "")
}

// usageExit checks a run refused as bad input: exit 2, a message naming what
// to fix, and an empty stdout.
func usageExit(t *testing.T, r result, mentions ...string) {
	t.Helper()
	mustExit(t, r, 2)
	if r.stdout != "" {
		t.Errorf("a refused run printed a document on stdout\n%s", r)
	}
	for _, m := range mentions {
		if !strings.Contains(r.stderr, m) {
			t.Errorf("stderr does not mention %q\n%s", m, r)
		}
	}
}

// Every target type of each cloud goes through bindCycle.
func TestEveryTargetType(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		provider, region string
		bindings         []binding
	}{
		{"alibaba", "cn-hangzhou", []binding{
			{eip: "eip-hz0001", target: "i-hz0001", targetType: "instance"},
			{eip: "eip-hz0002", target: "eni-hz0001", targetType: "eni", extra: []string{"--private-ip", "10.1.9.11"}},
			{eip: "eip-hz0003", target: "ngw-hz0001", targetType: "nat"},
			{eip: "eip-hz0004", target: "lb-hz0001", targetType: "lb"},
			{eip: "eip-hz0005", target: "havip-hz0001", targetType: "havip"},
		}},
		{"tencent", "ap-guangzhou", []binding{
			{eip: "eip-gz000001", target: "ins-gz000001", targetType: "instance"},
			{eip: "eip-gz000002", target: "eni-gz000001", targetType: "eni", extra: []string{"--private-ip", "10.1.9.11"}},
			{eip: "eip-gz000003", target: "nat-gz000001", targetType: "nat"},
			{eip: "eip-gz000004", target: "lb-gz000001", targetType: "lb"},
			{eip: "eip-gz000005", target: "havip-gz000001", targetType: "havip"},
		}},
		{"zenlayer", "asia-east-1", []binding{ // no instance target on ZEC
			{eip: "eip-ae0001", target: "nic-ae0001", targetType: "eni", extra: []string{"--private-ip", "10.1.1.11"}},
			{eip: "eip-ae0002", target: "nat-ae0001", targetType: "nat"},
			{eip: "eip-ae0003", target: "lb-ae0001", targetType: "lb"},
			{eip: "eip-ae0004", target: "havip-ae0001", targetType: "havip"},
		}},
	} {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			everyTarget(t, c.provider, c.region, c.bindings)
		})
	}
}

// Several EIPs to one NAT gateway go out as one call carrying all of them
// (Alibaba's AssociateEipAddressBatch; Tencent's NAT path,
// AssociateNatGatewayAddress, never AssociateAddress), and come off it again.
func TestSeveralEIPsToOneNAT(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		provider, region, nat string
		eips                  []string
		call, never           string // in the --debug log: once, and not at all
	}{
		{"alibaba", "cn-hangzhou", "ngw-hz0002", []string{"eip-hz0006", "eip-hz0007", "eip-hz0008"},
			"Action=AssociateEipAddressBatch", "Action=AssociateEipAddress&"},
		{"tencent", "ap-guangzhou", "nat-gz000002", []string{"eip-gz000006", "eip-gz000007", "eip-gz000008"},
			" AssociateNatGatewayAddress -> ", " AssociateAddress -> "},
	} {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			where := []string{"--sim", "--provider", c.provider, "--region", c.region, "-o", "json"}
			// The first EIP on its own --eip, the others as a comma list.
			r := e.run(append([]string{"eip", "associate", "--eip", c.eips[0], "--eip", strings.Join(c.eips[1:], ","),
				"--target", c.nat, "--debug"}, where...)...)
			decodeRun(t, r, 0).wantRows(t, statuses(c.eips, "associated"))
			if n := strings.Count(r.stderr, c.call); n != 1 {
				t.Errorf("%d calls %q logged, want one for all %d EIPs\n%s", n, c.call, len(c.eips), r)
			}
			if strings.Contains(r.stderr, c.never) {
				t.Errorf("%q was sent for a NAT gateway\n%s", c.never, r)
			}
			l := list(t, e, c.provider, c.region, "--sim")
			for _, id := range c.eips {
				wantListed(t, l, id, "associated", c.nat, "nat")
			}

			un := e.run(append([]string{"eip", "disassociate", "--eip", strings.Join(c.eips, ",")}, where...)...)
			decodeRun(t, un, 0).wantRows(t, statuses(c.eips, "disassociated"))
			l = list(t, e, c.provider, c.region, "--sim")
			for _, id := range c.eips {
				wantListed(t, l, id, "available", "", "")
			}
		})
	}
}

// statuses is the same status for each EIP, as wantRows takes it.
func statuses(eips []string, status string) map[string]string {
	m := map[string]string{}
	for _, id := range eips {
		m[id] = status
	}
	return m
}
