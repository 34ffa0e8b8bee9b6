package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

// run executes one command line in a fresh process-like Factory, with state
// and config in temp dirs and instant bindings in the embedded emulator.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runOn(t, false, args...)
}

func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("EIPCTL_SIM_BIND_DELAY", "0s")
	t.Setenv("EIPCTL_SIM_READABLE", "1")         // the tests name Zenlayer IDs like eip-ae0001
	t.Setenv("HOME", filepath.Join(dir, "home")) // the clouds' own CLI files live there
	for _, k := range []string{"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "ZENLAYERCLOUD_ACCESS_KEY_ID", "ZENLAYERCLOUD_ACCESS_KEY_PASSWORD",
		"ZENLAYER_ACCESS_KEY_ID", "ZENLAYER_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_PROFILE", "ZENLAYER_PROFILE", "ALIBABA_CLOUD_ROLE_ARN",
		"EIPCTL_ALIBABA_METADATA_ENDPOINT", "EIPCTL_ALIBABA_STS_ENDPOINT", "EIPCTL_TENCENT_METADATA_ENDPOINT"} {
		t.Setenv(k, "")
	}
	for _, k := range []string{"EIPCTL_PROVIDER", "EIPCTL_REGION", "EIPCTL_ENDPOINT", "EIPCTL_PROFILE", "EIPCTL_CONFIG",
		"EIPCTL_OUTPUT", "EIPCTL_TIMEOUT", "EIPCTL_STATE_DIR", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} {
		t.Setenv(k, "")
	}
	return dir
}

// wouldSend returns the native parameters a dry run printed for one request.
func wouldSend(t *testing.T, stderr string) []map[string]string {
	t.Helper()
	var out []map[string]string
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(line, "dry-run: would send ") {
			continue
		}
		i := strings.Index(line, "{")
		var p map[string]string
		if err := json.Unmarshal([]byte(line[i:]), &p); err != nil {
			t.Fatalf("dry-run line %q: %v", line, err)
		}
		out = append(out, p)
	}
	return out
}

var ali = []string{"eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--dry-run", "-o", "json"}

func TestAssociateFlagsBecomeTheNativeRequest(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want map[string]string // parameters that must be sent, "*" meaning any non-empty value
	}{
		{"instance inferred from i-", []string{"--eip", "eip-hz0001", "--target", "i-hz0001"},
			map[string]string{"Action": "AssociateEipAddress", "AllocationId": "eip-hz0001", "InstanceId": "i-hz0001", "InstanceType": "EcsInstance", "RegionId": "cn-hangzhou", "ClientToken": "*"}},
		{"eni, multi-binded, private ip", []string{"--eip", "eip-hz0001", "--target", "eni-hz0001", "--mode", "multi-binded", "--private-ip", "10.1.9.10"},
			map[string]string{"InstanceType": "NetworkInterface", "Mode": "MULTI_BINDED", "PrivateIpAddress": "10.1.9.10"}},
		{"passthrough is BINDED", []string{"--eip", "eip-hz0001", "--target", "eni-hz0001", "--mode", "passthrough"},
			map[string]string{"Mode": "BINDED"}},
		{"slb, havip and nat words", []string{"--eip", "eip-hz0001", "--target", "lb-hz0001"}, map[string]string{"InstanceType": "SlbInstance"}},
		{"havip", []string{"--eip", "eip-hz0001", "--target", "havip-hz0001"}, map[string]string{"InstanceType": "HaVip"}},
		{"instance region and token", []string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--instance-region", "cn-hangzhou", "--client-token", "tok-1"},
			map[string]string{"InstanceRegionId": "cn-hangzhou", "ClientToken": "tok-1"}},
		{"explicit target type", []string{"--eip", "eip-hz0001", "--target", "ngw-hz0001", "--target-type", "nat"},
			map[string]string{"InstanceType": "Nat", "InstanceId": "ngw-hz0001"}},
		{"several EIPs to a NAT gateway go in one batch", []string{"--eip", "eip-hz0001,eip-hz0002", "--eip", "eip-hz0003", "--target", "ngw-hz0001"},
			map[string]string{"Action": "AssociateEipAddressBatch", "BindedInstanceId": "ngw-hz0001", "BindedInstanceType": "Nat",
				"InstanceIds.1": "eip-hz0001", "InstanceIds.2": "eip-hz0002", "InstanceIds.3": "eip-hz0003"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isolate(t)
			code, stdout, stderr := run(t, append(append([]string{}, ali...), c.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			reqs := wouldSend(t, stderr)
			if len(reqs) != 1 {
				t.Fatalf("dry run printed %d requests, want 1:\n%s", len(reqs), stderr)
			}
			for k, v := range c.want {
				got, ok := reqs[0][k]
				if !ok || (v != "*" && got != v) || (v == "*" && got == "") {
					t.Errorf("%s = %q, want %q (request %v)", k, got, v, reqs[0])
				}
			}
			if strings.Contains(stdout, "dry-run") || !strings.Contains(stdout, `"status": "planned"`) {
				t.Errorf("stdout should hold only the planned rows:\n%s", stdout)
			}
		})
	}
}

func TestDefaultModeSendsNoModeWord(t *testing.T) {
	isolate(t)
	_, _, stderr := run(t, append(ali, "--eip", "eip-hz0001", "--target", "i-hz0001")...)
	if m, ok := wouldSend(t, stderr)[0]["Mode"]; ok {
		t.Fatalf("Mode %q sent for the default mode; the cloud's own default should apply", m)
	}
}

func TestBadInputIsExit2NamesTheFlagAndSendsNothing(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--eip", "eip-hz0001", "--target", "x-123"}, "--target-type"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--target-type", "server"}, "--target-type"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--mode", "bridge"}, "--mode"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--mode", "fullnat"}, "--mode"},
		{[]string{"--target", "i-hz0001"}, "--eip"},
		{[]string{"--eip", "eip-hz0001"}, "--target"},
		{[]string{"--eip", "eip-hz0001", "--eip", "eip-hz0001", "--target", "i-hz0001"}, "listed twice"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "-f", "plan.yaml"}, "-f"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--timeout", "soon"}, "--timeout"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--bogus"}, "--bogus"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "xml"}, "-o"},
		{[]string{"--eip", "eip-hz0001", "--target", "i-hz0001", "--provider", "aws"}, "--provider"},
		// Alibaba's batch call cannot carry these: refused, not dropped.
		{[]string{"--eip", "eip-hz0001,eip-hz0002", "--target", "eni-hz0001", "--mode", "passthrough"}, "--mode passthrough"},
		{[]string{"--eip", "eip-hz0001,eip-hz0002", "--target", "eni-hz0001", "--private-ip", "10.1.9.10"}, "--private-ip"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			isolate(t)
			args := []string{"eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}
			code, stdout, stderr := run(t, append(args, c.args...)...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr %s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("stderr %q: want one line naming %s", stderr, c.want)
			}
			if stdout != "" {
				t.Fatalf("stdout %q, want nothing", stdout)
			}
			// Nothing was sent: the EIP is still available.
			_, list, _ := run(t, "eip", "list", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json")
			if !strings.Contains(list, `"eipId": "eip-hz0001",
      "ip": "47.96.0.2",
      "status": "available"`) {
				t.Fatalf("eip-hz0001 changed after a usage error:\n%s", list)
			}
		})
	}
}

func TestPlainHTTPToARealHostIsRefused(t *testing.T) {
	isolate(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	code, _, stderr := run(t, "eip", "list", "--provider", "alibaba", "--region", "cn-hangzhou", "--endpoint", "http://vpc.aliyuncs.com")
	if code != ExitUsage || !strings.Contains(stderr, "https://") {
		t.Fatalf("exit %d stderr %q: want 2 and advice to use https", code, stderr)
	}
}

// A port out of range is a usage error at once: nothing is tried, no retries.
func TestEndpointPortOutOfRangeIsExit2(t *testing.T) {
	isolate(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
	for _, argv := range [][]string{
		{"eip", "list", "--provider", "alibaba", "--region", "cn-hangzhou"},
		{"eip", "associate", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001", "--target", "i-hz0001"},
	} {
		code, _, stderr := run(t, append(argv, "--endpoint", "http://127.0.0.1:99999")...)
		if code != ExitUsage || !strings.Contains(stderr, `--endpoint "http://127.0.0.1:99999" has port 99999: a port is a number from 1 to 65535`) {
			t.Errorf("%s: exit %d, stderr %q: want 2 naming the port", argv[1], code, stderr)
		}
	}
}

func TestMissingCredentialsIsExit5AndSaysWhereToPutThem(t *testing.T) {
	isolate(t)
	code, _, stderr := run(t, "eip", "associate", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-1", "--target", "i-1")
	if code != ExitAuth || !strings.Contains(stderr, "ALIBABA_CLOUD_ACCESS_KEY_ID") || !strings.Contains(stderr, "--sim") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestConfigFileWithSecretsMustBePrivate(t *testing.T) {
	dir := isolate(t)
	path := writeConfig(t, dir, "profiles:\n  default:\n    provider: alibaba\n    region: cn-hangzhou\n    credentials:\n      alibaba: {id: AKID, secret: TOPSECRET}\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "eip", "list")
	if code != ExitUsage || !strings.Contains(stderr, "chmod 600") || strings.Contains(stderr, "TOPSECRET") {
		t.Fatalf("exit %d stderr %q: want 2 and chmod advice, without the secret", code, stderr)
	}
}

func TestProfileSuppliesProviderAndRegionAndFlagsWin(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "profiles:\n  default:\n    provider: alibaba\n    region: cn-shanghai\n")
	code, out, stderr := run(t, "eip", "list", "--sim", "-o", "json")
	if code != 0 || !strings.Contains(out, `"region": "cn-shanghai"`) {
		t.Fatalf("exit %d, stderr %s: want the profile's region", code, stderr)
	}
	t.Setenv("EIPCTL_REGION", "cn-hangzhou")
	_, out, _ = run(t, "eip", "list", "--sim", "-o", "json")
	if !strings.Contains(out, `"region": "cn-hangzhou"`) {
		t.Fatalf("environment should beat the profile:\n%.200s", out)
	}
	_, out, _ = run(t, "eip", "list", "--sim", "-o", "json", "--region", "cn-shanghai")
	if !strings.Contains(out, `"region": "cn-shanghai"`) {
		t.Fatalf("the flag should beat the environment:\n%.200s", out)
	}
}

func TestDebugLogsRequestsWithoutSecrets(t *testing.T) {
	isolate(t)
	code, _, stderr := run(t, "eip", "associate", "--sim", "--debug", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "json")
	if code != 0 || !strings.Contains(stderr, "debug: POST") || !strings.Contains(stderr, "AssociateEipAddress") {
		t.Fatalf("exit %d, stderr lacks the request log:\n%s", code, stderr)
	}
	for _, c := range all.Clouds() {
		if strings.Contains(stderr, c.Profile.Credentials.Secret) || strings.Contains(stderr, c.Profile.Credentials.ID) {
			t.Fatalf("debug output leaks %s credentials:\n%s", c.Spec.Name, stderr)
		}
	}
	if !strings.Contains(stderr, "Signature=REDACTED") {
		t.Fatalf("the signature should be shown redacted:\n%s", stderr)
	}
}

func TestDebugNamesTheActionOfEveryCloud(t *testing.T) {
	for _, c := range []struct{ provider, region, eip, target, action string }{
		{"alibaba", "cn-hangzhou", "eip-hz0003", "lb-hz0001", "AssociateEipAddress"},
		{"tencent", "ap-guangzhou", "eip-gz000003", "lb-gz000001", "AssociateAddress"},
		{"zenlayer", "asia-east-1", "eip-ae0003", "lb-ae0001", "AssociateEipAddress"},
	} {
		t.Run(c.provider, func(t *testing.T) {
			isolate(t)
			code, _, stderr := run(t, "eip", "associate", "--sim", "--debug", "--provider", c.provider, "--region", c.region,
				"--eip", c.eip, "--target", c.target, "-o", "json")
			if code != 0 || !strings.Contains(stderr, " "+c.action+" -> 200") {
				t.Fatalf("exit %d; --debug should name %s:\n%s", code, c.action, stderr)
			}
		})
	}
}

func TestSecondRunWhileTheLockIsHeldIsExit6(t *testing.T) {
	isolate(t)
	streams, _, _ := output.Test()
	holder := &Factory{Streams: streams, Clouds: all.Clouds}
	root := NewRoot(holder)
	unlock, err := holder.lock(context.Background(), root, &runFlags{})
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, stderr := run(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001", "--target", "i-hz0001")
	if code != ExitLockHeld || !strings.Contains(stderr, "--no-lock") {
		t.Fatalf("exit %d stderr %q, want 6", code, stderr)
	}
	if code, _, _ := run(t, "eip", "associate", "--sim", "--dry-run", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001", "--target", "i-hz0001"); code != 0 {
		t.Fatalf("a dry run changes nothing and needs no lock; exit %d", code)
	}
}
