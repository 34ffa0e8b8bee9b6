package cli

import (
	"strings"
	"testing"
)

var describedKeys = "eipId,eni,ip,mode,nativeMode,nativeStatus,privateIp,provider,region,status,targetId,targetType"

// Each cloud, named by ID and by address, with the mode it was bound with
// read back from the cloud, in every output format.
func TestDescribeEveryCloudByIDAndAddress(t *testing.T) {
	isolate(t)
	binds := [][]string{
		{"--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0002", "--target", "eni-hz0001", "--mode", "multi-binded"},
		{"--provider", "tencent", "--region", "ap-guangzhou", "--eip", "eip-gz000002", "--target", "ins-gz000001", "--mode", "passthrough"},
		{"--provider", "zenlayer", "--region", "asia-east-1", "--eip", "eip-ae0002", "--target", "nic-ae0001", "--private-ip", "10.1.1.10", "--mode", "passthrough"},
	}
	for _, b := range binds {
		if code, _, stderr := run(t, append([]string{"eip", "associate", "--sim", "-o", "json"}, b...)...); code != 0 {
			t.Fatalf("associate %v: exit %d\n%s", b, code, stderr)
		}
	}
	cases := []struct {
		ref                                              string
		provider, region, id, target, mode, native, priv string
	}{
		{"eip-hz0002", "alibaba", "cn-hangzhou", "eip-hz0002", "eni-hz0001", "multi-binded", "MULTI_BINDED", "10.1.9.10"},
		{"119.29.0.3", "tencent", "ap-guangzhou", "eip-gz000002", "ins-gz000001", "passthrough", "EipDirectConnection", "10.1.1.10"},
		{"eip-ae0002", "zenlayer", "asia-east-1", "eip-ae0002", "nic-ae0001", "passthrough", "Passthrough", "10.1.1.10"},
		{"47.96.0.25", "alibaba", "cn-hangzhou", "eip-hz0024", "i-hz0008", "nat", "NAT", "10.1.8.10"},
		{"eip-hz0001", "alibaba", "cn-hangzhou", "eip-hz0001", "", "", "", ""},
	}
	for _, c := range cases {
		code, stdout, stderr := run(t, "eip", "describe", "--sim", c.ref, "-o", "json")
		if code != 0 {
			t.Errorf("describe %s: exit %d\n%s", c.ref, code, stderr)
			continue
		}
		rows := decodeEIPs(t, stdout).EIPs
		if len(rows) != 1 {
			t.Errorf("describe %s: %d rows", c.ref, len(rows))
			continue
		}
		r := rows[0]
		if keys := keySet(r); keys != describedKeys {
			t.Errorf("describe keys %s, want %s", keys, describedKeys)
		}
		got := []string{r["provider"], r["region"], r["eipId"], r["targetId"], r["mode"], r["nativeMode"], r["privateIp"]}
		want := []string{c.provider, c.region, c.id, c.target, c.mode, c.native, c.priv}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("describe %s: got %q, want %q", c.ref, got, want)
		}
	}

	// The same EIPs at once, with YAML and a table as well.
	args := []string{"eip", "describe", "--sim", "eip-hz0002", "eip-gz000002", "eip-ae0002"}
	_, stdout, _ := run(t, append(args, "-o", "json")...)
	if n := len(decodeEIPs(t, stdout).EIPs); n != 3 {
		t.Errorf("three at once: %d rows", n)
	}
	_, stdout, _ = run(t, append(args, "-o", "yaml")...)
	if !strings.Contains(stdout, "nativeMode: MULTI_BINDED") || !strings.Contains(stdout, "eipId: eip-ae0002") {
		t.Errorf("YAML lacks the rows:\n%s", stdout)
	}
	_, stdout, _ = run(t, append(args, "-o", "table")...)
	if !strings.Contains(stdout, "PRIVATE IP") || !strings.Contains(stdout, "multi-binded") {
		t.Errorf("table lacks the mode column:\n%s", stdout)
	}
}

func TestDescribeNotFoundAndPartial(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, "eip", "describe", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "eip-nope", "-o", "json")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "no EIP has ID eip-nope in alibaba cn-hangzhou") {
		t.Errorf("unknown ID: exit %d, stdout %q, stderr %q; want 1 naming where it looked", code, stdout, stderr)
	}
	code, _, stderr = run(t, "eip", "describe", "--sim", "203.0.113.9")
	if code != 1 || !strings.Contains(stderr, "no EIP has address 203.0.113.9") || !strings.Contains(stderr, "zenlayer asia-north-1") {
		t.Errorf("unknown address: exit %d, stderr %q; want 1 naming every region looked in", code, stderr)
	}
	code, stdout, _ = run(t, "eip", "describe", "--sim", "eip-hz0001", "eip-nope", "-o", "json")
	if code != 3 || len(decodeEIPs(t, stdout).EIPs) != 1 {
		t.Errorf("one found, one not: exit %d, stdout %s; want 3 with the one found", code, stdout)
	}
	code, stdout, stderr = run(t, "eip", "describe", "--sim")
	if code != 2 || stdout != "" {
		t.Errorf("no argument: exit %d, stderr %q; want 2", code, stderr)
	}
}

// An address held in two places is not guessed at: exit 2, naming both, and
// --provider resolves it.
func TestDescribeAmbiguousAddress(t *testing.T) {
	a, b := twoClouds(t)
	code, stdout, stderr := runClouds(t, []*fakeCloud{a, b}, "eip", "describe", "--region", "r1", "198.51.100.1", "-o", "json")
	if code != 2 || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing on stdout", code, stdout)
	}
	if !strings.Contains(stderr, "eip-a1 in one r1") || !strings.Contains(stderr, "eip-b1 in two r1") || !strings.Contains(stderr, "--provider") {
		t.Errorf("stderr does not name both matches and the fix: %q", stderr)
	}
	code, stdout, stderr = runClouds(t, []*fakeCloud{a, b}, "eip", "describe", "--region", "r1", "--provider", "two", "198.51.100.1", "-o", "json")
	if rows := decodeEIPs(t, stdout).EIPs; code != 0 || len(rows) != 1 || rows[0]["eipId"] != "eip-b1" {
		t.Errorf("with --provider two: exit %d, rows %v, stderr %q; want eip-b1", code, rows, stderr)
	}

	// By ID, Describe calls carry at most DescribeBatch IDs (the fake panics otherwise).
	code, stdout, stderr = runClouds(t, []*fakeCloud{a, b}, "eip", "describe", "--region", "r1", "eip-a1", "eip-a2", "eip-a3", "-o", "json")
	if code != 0 || len(decodeEIPs(t, stdout).EIPs) != 3 {
		t.Errorf("three IDs: exit %d, stdout %s, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = runClouds(t, []*fakeCloud{a, b}, "eip", "describe", "--region", "r1", "eip-a1", "198.51.100.1")
	if code != 2 || !strings.Contains(stderr, "matches 2 EIPs") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
