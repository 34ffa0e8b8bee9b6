package examples_test

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The pool recipe claims one EIP of the pool for each machine, changes
// nothing when run again, and exits 1 once the pool has nothing free; its
// systemd unit runs the installed script.
func TestPoolClaimOnBoot(t *testing.T) {
	isolate(t)
	claim := "pool/claim-on-boot.sh"
	env := func(target string) []string {
		return []string{"POOL_ENV=/nonexistent", "POOL_PROVIDER=alibaba", "POOL_REGION=cn-hangzhou",
			"POOL=eip-hz0001,47.96.0.3", "POOL_TARGET=" + target, "POOL_EIPCTL_FLAGS=--sim"}
	}
	inPool := map[string]bool{"eip-hz0001 47.96.0.2": true, "eip-hz0002 47.96.0.3": true}
	held := map[string]string{}
	for _, target := range []string{"i-hz0001", "i-hz0002"} {
		code, out := script(t, claim, env(target)...)
		line := strings.TrimSpace(out)
		if code != 0 || !inPool[line] {
			t.Fatalf("%s: exit %d, want 0 and one \"<eip-id> <ip>\" line of the pool\n%s", target, code, out)
		}
		for other, l := range held {
			if l == line {
				t.Fatalf("%s got %s, which %s holds", target, line, other)
			}
		}
		held[target] = line
	}
	if code, out := script(t, claim, env("i-hz0001")...); code != 0 || strings.TrimSpace(out) != held["i-hz0001"] {
		t.Errorf("rerun on i-hz0001: exit %d, want 0 and the same EIP %q\n%s", code, held["i-hz0001"], out)
	}
	code, out := script(t, claim, env("i-hz0003")...)
	if code != 1 || !strings.Contains(out, "PoolExhausted") && !strings.Contains(out, "no free EIP left in pool") {
		t.Errorf("third machine on a pool of two: exit %d, want 1 saying the pool is exhausted\n%s", code, out)
	}
	if code, out := script(t, claim, "POOL_ENV=/nonexistent", "POOL_PROVIDER=alibaba"); code != 2 || !strings.Contains(out, "POOL_REGION") {
		t.Errorf("missing settings: exit %d, want 2 naming POOL_REGION\n%s", code, out)
	}
	unit := readFile(t, "pool/eipctl-pool-claim.service")
	if !strings.Contains(string(unit), "ExecStart=/usr/local/lib/eipctl/claim-on-boot.sh") ||
		!strings.Contains(string(unit), "EnvironmentFile=/etc/eipctl/pool.env") {
		t.Errorf("eipctl-pool-claim.service does not run the installed claim-on-boot.sh with pool.env")
	}
	var ci struct {
		WriteFiles []struct{ Path, Content string } `yaml:"write_files"`
		Runcmd     []string
	}
	b := readFile(t, "pool/cloud-init.yaml")
	if err := yaml.Unmarshal([]byte(b), &ci); err != nil {
		t.Fatalf("cloud-init.yaml: %v", err)
	}
	for _, f := range ci.WriteFiles {
		if f.Path == "/etc/eipctl/pool.txt" {
			lines := strings.ReplaceAll(f.Content, "\n", ",")
			code, stdout, stderr := eipctl(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
				"--pool-file", writeTemp(t, f.Content), "--target", "ngw-hz0001", "--dry-run", "-o", "json")
			if code == 2 {
				t.Errorf("the pool file in cloud-init.yaml (%s) is refused: exit %d\n%s%s", lines, code, stdout, stderr)
			}
		}
	}
}
