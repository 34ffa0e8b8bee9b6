package e2e_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// snapshotCloud is one cloud's region and what the test binds and moves in
// it: an ENI's second private IP, a NAT gateway holding two EIPs, and the
// two EIPs the emulator seeds bound (numbers 23 and 24).
type snapshotCloud struct {
	provider, region, eip string // eip is the ID prefix: eip + "04" is EIP number 4
	eni, ip, otherIP      string
	nat, otherNAT         string
	free                  string // a target the seed leaves free, to move number 23 onto
}

var snapshotClouds = []snapshotCloud{
	{"alibaba", "cn-hangzhou", "eip-hz00", "eni-hz0001", "10.1.9.11", "10.1.9.12", "ngw-hz0001", "ngw-hz0002", "i-hz0001"},
	{"tencent", "ap-guangzhou", "eip-gz0000", "eni-gz000001", "10.1.9.11", "10.1.9.12", "nat-gz000001", "nat-gz000002", "ins-gz000001"},
	{"zenlayer", "asia-east-1", "eip-ae00", "nic-ae0001", "10.1.1.11", "10.1.1.12", "nat-ae0001", "nat-ae0002", "lb-ae0001"},
}

// Snapshot and restore (docs/recipes.md): `eip list -o yaml|json > FILE`
// taken against `sim serve`, then moves and unbinds of EIPs the snapshot
// shows bound, then `eip associate -f FILE --force`, and `eip list` again
// equals the snapshot: every row (provider, region, eipId, ip, status,
// nativeStatus, targetId, targetType, privateIp, mode) the same, no row
// more or less.
func TestSnapshotRestoreGivesTheSnapshotBack(t *testing.T) {
	t.Parallel()
	for _, c := range snapshotClouds {
		t.Run(c.provider, func(t *testing.T) {
			t.Parallel()
			s := serve(t, "--bind-delay", "0s")
			e := s.clientEnv(t)
			conn := []string{"--endpoint", s.Endpoint, "--provider", c.provider, "--region", c.region, "-o", "json"}
			id := func(n int) string { return fmt.Sprintf("%s%02d", c.eip, n) }
			assoc := func(eips, target string, extra ...string) {
				args := append([]string{"eip", "associate", "--eip", eips, "--target", target}, conn...)
				if d := decodeRun(t, e.run(append(args, extra...)...), 0); d.Summary["failed"] != 0 {
					t.Fatalf("associate %s to %s: %+v", eips, target, d.Results)
				}
			}
			// The estate to keep: besides the seed's two, an ENI's second
			// private IP and a NAT gateway with two EIPs.
			assoc(id(4), c.eni, "--private-ip", c.ip)
			assoc(id(5)+","+id(6), c.nat)

			for _, format := range []string{"yaml", "json"} {
				lr := e.run("eip", "list", "--endpoint", s.Endpoint, "--provider", c.provider, "--region", c.region, "-o", format)
				mustExit(t, lr, 0)
				snapshot := writeFile(t, "snapshot."+format, lr.stdout, 0o600)
				want := snapshotRows(t, lr, format)
				if bound := countBound(want); bound != 5 {
					t.Fatalf("the snapshot shows %d EIPs bound, want 5\n%s", bound, lr.stdout)
				}

				// The changes: one EIP to another private IP of the same
				// ENI, one to the other NAT gateway, a seeded one to a free
				// target, and two unbound.
				assoc(id(4), c.eni, "--private-ip", c.otherIP, "--force")
				assoc(id(5), c.otherNAT, "--force")
				assoc(id(23), c.free, "--force")
				mustExit(t, e.run(append([]string{"eip", "disassociate", "--eip", id(6) + "," + id(24)}, conn...)...), 0)
				if got := snapshotRows(t, e.run(append([]string{"eip", "list"}, conn...)...), "json"); reflect.DeepEqual(got, want) {
					t.Fatal("the changes left eip list as it was: the test proves nothing")
				}

				restore := decodeRun(t, e.run("eip", "associate", "--endpoint", s.Endpoint, "-f", snapshot, "--force", "-o", "json"), 0)
				restore.wantRows(t, map[string]string{id(4): "moved", id(5): "moved", id(6): "associated", id(23): "moved", id(24): "associated"})
				got := snapshotRows(t, e.run(append([]string{"eip", "list"}, conn...)...), "json")
				if d := rowDiff(got, want); d != "" {
					t.Errorf("-o %s: after the restore eip list differs from the snapshot (- snapshot, + now):\n%s", format, d)
				}
			}
		})
	}
}

// snapshotRows decodes an `eip list` document in either format strictly
// (no key the list contract lacks, no region errors) into its rows, sorted.
func snapshotRows(t *testing.T, r result, format string) []listedEIP {
	t.Helper()
	mustExit(t, r, 0)
	if format == "yaml" {
		b, err := json.Marshal(yamlAsJSON(t, r))
		if err != nil {
			t.Fatal(err)
		}
		r.stdout = string(b)
	}
	var d listDoc
	decodeOnly(t, r, &d)
	if len(d.Errors) != 0 || len(d.EIPs) == 0 {
		t.Fatalf("eip list: %d rows, errors %+v\n%s", len(d.EIPs), d.Errors, r)
	}
	sort.Slice(d.EIPs, func(i, j int) bool { return d.EIPs[i].EIPID < d.EIPs[j].EIPID })
	return d.EIPs
}

// rowDiff lists the rows of two sorted lists that differ, "" when none do.
func rowDiff(got, want []listedEIP) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	var b strings.Builder
	byID := map[string]listedEIP{}
	for _, x := range got {
		byID[x.EIPID] = x
	}
	for _, w := range want {
		if g, ok := byID[w.EIPID]; !ok || g != w {
			fmt.Fprintf(&b, "- %+v\n+ %+v\n", w, g)
		}
		delete(byID, w.EIPID)
	}
	for _, g := range byID {
		fmt.Fprintf(&b, "+ %+v (not in the snapshot)\n", g)
	}
	return b.String()
}

func countBound(rows []listedEIP) int {
	n := 0
	for _, x := range rows {
		if x.TargetID != "" {
			n++
		}
	}
	return n
}
