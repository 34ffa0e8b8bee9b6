package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, text string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// Exit 2: bad input is refused before anything is sent. Each case runs with
// valid credentials against a served emulator behind a counting proxy, so
// "nothing sent" is checked request by request, and the emulator's inventory
// must be the same afterwards.
func TestExit2UsageSendsNothing(t *testing.T) {
	t.Parallel()
	s, rc, e := recorded(t)
	goodPlan := writeFile(t, "plan.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}\n", 0o600)
	badRow2 := writeFile(t, "plan.yaml", `bindings:
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}
  - {provider: tencent, region: ap-guangzhou, eip: eip-gz000001, target: ins-gz000001, targetType: vm}
`, 0o600)
	badCSV := writeFile(t, "plan.csv", "provider,region,eip,target\nalibaba,cn-hangzhou,eip-hz0001,i-hz0001\ntencent,ap-guangzhou,eip-gz000001,eni-gz000001\n", 0o600)
	// A config file holding credentials that others can read.
	cfgHome := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cfgHome, "eipctl"), 0o700); err != nil {
		t.Fatal(err)
	}
	c := s.Credentials["alibaba"]
	if err := os.WriteFile(filepath.Join(cfgHome, "eipctl", "config.yaml"),
		[]byte("profiles:\n  default:\n    credentials:\n      alibaba: {id: "+c["id"]+", secret: "+c["secret"]+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noEnvCreds := newEnv(t).with("XDG_CONFIG_HOME", cfgHome)

	ali := []string{"--endpoint", rc.URL, "--provider", "alibaba", "--region", "cn-hangzhou"}
	assoc := func(extra ...string) []string { return append(append([]string{"eip", "associate"}, ali...), extra...) }
	before := s.inventory(t)
	for _, c := range []struct {
		name     string
		env      *env
		args     []string
		mentions []string
	}{
		{"bad flag", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "--bogus"), []string{"--bogus"}},
		{"positional argument", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "extra"), []string{"extra"}},
		{"unknown provider", e, []string{"eip", "associate", "--endpoint", rc.URL, "--provider", "aws", "--region", "us-east-1", "--eip", "eip-1", "--target", "i-1"}, []string{"aws", "alibaba"}},
		{"unknown target prefix", e, assoc("--eip", "eip-hz0001", "--target", "vm-hz0001"), []string{"vm-hz0001", "--target-type"}},
		{"unknown target type", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "--target-type", "vm"), []string{"--target-type"}},
		{"unknown mode", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "--mode", "turbo"), []string{"--mode"}},
		{"mode the target cannot take", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "--mode", "passthrough"), []string{"--mode"}},
		{"--eip and -f together", e, assoc("--eip", "eip-hz0001", "-f", goodPlan), []string{"--eip", "-f"}},
		{"bad -o", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "xml"), []string{"xml"}},
		{"bad -o on list", e, []string{"eip", "list", "--endpoint", rc.URL, "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "xml"}, []string{"xml"}},
		{"bad -o on disassociate", e, []string{"eip", "disassociate", "--endpoint", rc.URL, "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0024", "-o", "xml"}, []string{"xml"}},
		{"bad --timeout", e, assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "--timeout", "soon"), []string{"--timeout"}},
		{"no --eip", e, assoc("--target", "i-hz0001"), []string{"--eip"}},
		{"no --target", e, assoc("--eip", "eip-hz0001"), []string{"--target"}},
		{"no --region", e, []string{"eip", "associate", "--endpoint", rc.URL, "--provider", "alibaba", "--eip", "eip-hz0001", "--target", "i-hz0001"}, []string{"--region"}},
		{"same EIP twice", e, assoc("--eip", "eip-hz0001,eip-hz0001", "--target", "i-hz0001"), []string{"twice"}},
		{"tencent ENI without --private-ip", e, []string{"eip", "associate", "--endpoint", rc.URL, "--provider", "tencent", "--region", "ap-guangzhou", "--eip", "eip-gz000001", "--target", "eni-gz000001"}, []string{"--private-ip"}},
		{"zenlayer passthrough on a havip", e, []string{"eip", "associate", "--endpoint", rc.URL, "--provider", "zenlayer", "--region", "asia-east-1", "--eip", "eip-ae0001", "--target", "havip-ae0001", "--mode", "passthrough"}, []string{"passthrough"}},
		{"plan row 2 bad (row 1 good)", e, []string{"eip", "associate", "--endpoint", rc.URL, "-f", badRow2}, []string{"item 2 (line 3)", "targetType"}},
		{"csv plan row 2 needs --private-ip", e, []string{"eip", "associate", "--endpoint", rc.URL, "-f", badCSV}, []string{"item 2", "--private-ip"}},
		{"plan file missing", e, []string{"eip", "associate", "--endpoint", rc.URL, "-f", filepath.Join(t.TempDir(), "nope.yaml")}, []string{"nope.yaml"}},
		{"config with credentials readable by others", noEnvCreds, assoc("--eip", "eip-hz0001", "--target", "i-hz0001"), []string{"chmod 600"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := rc.count()
			usageExit(t, c.env.run(c.args...), c.mentions...)
			if sent := rc.count() - n; sent != 0 {
				t.Errorf("%d requests reached the emulator; a usage error must send nothing", sent)
			}
			if after := s.inventory(t); after != before {
				t.Errorf("the emulator's inventory changed")
			}
		})
	}
	// The proxy does count: a valid run after all of them sends requests.
	n := rc.count()
	mustExit(t, e.run(assoc("--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "json", "--state-dir", t.TempDir())...), 0)
	if rc.count() == n {
		t.Errorf("a valid run sent nothing through the proxy: the counts above prove nothing")
	}
}

// Exit 1: every EIP failed (here, none exists).
func TestExit1AllFailed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := associateSim(t, e, 1, "alibaba", "cn-hangzhou", "eip-hz9998,eip-hz9999", "i-hz0001")
	d.wantRows(t, map[string]string{"eip-hz9998": "failed", "eip-hz9999": "failed"})
	if err := d.row(t, "eip-hz9999").Error; err.Class != "notfound" || !strings.Contains(err.Message, "eip-hz9999") {
		t.Errorf("error %+v, want class notfound naming the EIP", err)
	}
	if d.Summary["failed"] != 2 {
		t.Errorf("summary %v, want failed 2", d.Summary)
	}
	un := decodeRun(t, e.run("eip", "disassociate", "--sim", "--provider", "zenlayer", "--region", "asia-east-1",
		"--eip", "eip-ae9999", "-o", "json"), 1)
	un.wantRows(t, map[string]string{"eip-ae9999": "failed"})
}

// Exit 3: some done, some not.
func TestExit3Partial(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := associateSim(t, e, 3, "tencent", "ap-guangzhou", "eip-gz000001,eip-gz999999", "nat-gz000001")
	d.wantRows(t, map[string]string{"eip-gz000001": "associated", "eip-gz999999": "failed"})
	wantListed(t, list(t, e, "tencent", "ap-guangzhou", "--sim"), "eip-gz000001", "associated", "nat-gz000001", "nat")
}

// Exit 4: the cloud accepted the binding but did not finish before --timeout.
func TestExit4Timeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "1m")
	start := time.Now()
	d := associateSim(t, e, 4, "alibaba", "cn-hangzhou", "eip-hz0001", "i-hz0001", "--timeout", "1s")
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("--timeout 1s took %s", took)
	}
	d.wantRows(t, map[string]string{"eip-hz0001": "timeout"})
	if d.Summary["timedOut"] != 1 {
		t.Errorf("summary %v, want timedOut 1", d.Summary)
	}
	// The cloud may still finish: list shows it on its way.
	wantListed(t, list(t, e, "alibaba", "cn-hangzhou", "--sim"), "eip-hz0001", "associating", "i-hz0001", "instance")
}

// Exit 5: wrong secret (the emulator checks real signatures) or none at all.
func TestExit5Auth(t *testing.T) {
	t.Parallel()
	_, rc, good := recorded(t)
	for _, c := range []struct {
		provider, region, eip, target string
	}{
		{"alibaba", "cn-hangzhou", "eip-hz0001", "i-hz0001"},
		{"tencent", "ap-guangzhou", "eip-gz000001", "ins-gz000001"},
		{"zenlayer", "asia-east-1", "eip-ae0001", "nat-ae0001"},
	} {
		t.Run(c.provider, func(t *testing.T) {
			conn := []string{"--endpoint", rc.URL, "--provider", c.provider, "--region", c.region}
			wrong := good.with(secretVar(t, c.provider), "not-the-secret")
			d := decodeRun(t, wrong.run(append([]string{"eip", "associate", "--eip", c.eip, "--target", c.target, "-o", "json"}, conn...)...), 5)
			d.wantRows(t, map[string]string{c.eip: "failed"})
			if cl := d.row(t, c.eip).Error.Class; cl != "auth" {
				t.Errorf("error class %q, want auth", cl)
			}
			r := wrong.run(append([]string{"eip", "list", "-o", "json"}, conn...)...)
			mustExit(t, r, 5)

			// No credentials at all: refused before sending, naming where they go.
			missing := newEnv(t)
			n := rc.count()
			r = missing.run(append([]string{"eip", "associate", "--eip", c.eip, "--target", c.target, "-o", "json"}, conn...)...)
			mustExit(t, r, 5)
			if !strings.Contains(r.stderr, secretVar(t, c.provider)) {
				t.Errorf("missing credentials: stderr does not name %s\n%s", secretVar(t, c.provider), r)
			}
			if rc.count() != n {
				t.Errorf("missing credentials: requests were sent")
			}
			mustExit(t, missing.run(append([]string{"eip", "list"}, conn...)...), 5)
		})
	}
}

// Exit 6: another run holds the lock in the state directory.
func TestExit6LockHeld(t *testing.T) {
	t.Parallel()
	t.Run("lock file held", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		holdLock(t, e.stateDir())
		before := e.run("sim", "inventory", "-o", "json")
		mustExit(t, before, 0)
		where := []string{"--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001"}
		for _, args := range [][]string{
			append([]string{"eip", "associate", "--target", "i-hz0001"}, where...),
			append([]string{"eip", "disassociate"}, where...),
		} {
			r := e.run(args...)
			mustExit(t, r, 6)
			if r.stdout != "" || !strings.Contains(r.stderr, "eipctl.lock") {
				t.Errorf("want no document and a message naming the lock file\n%s", r)
			}
		}
		if after := e.run("sim", "inventory", "-o", "json"); after.stdout != before.stdout {
			t.Errorf("the emulator changed while the lock was held")
		}
		// A dry run changes nothing, so it takes no lock.
		decodeRun(t, e.run(append([]string{"eip", "associate", "--target", "i-hz0001", "--dry-run", "-o", "json"}, where...)...), 0)
		// --no-lock is the documented way past it.
		decodeRun(t, e.run(append([]string{"eip", "associate", "--target", "i-hz0001", "--no-lock", "-o", "json"}, where...)...), 0)
	})

	t.Run("second run while the first waits", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "1s")
		where := []string{"--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json"}
		// Once the first run's AssociateEipAddress was answered it holds the
		// lock until the binding is confirmed, 1s later.
		first := e.start("Action=AssociateEipAddress&", append([]string{"eip", "associate", "--eip", "eip-hz0001", "--target", "i-hz0001", "--debug"}, where...)...)
		first.waitSeen(t)
		second := e.run(append([]string{"eip", "associate", "--eip", "eip-hz0002", "--target", "i-hz0002"}, where...)...)
		mustExit(t, second, 6)
		decodeRun(t, first.wait(t), 0).wantRows(t, map[string]string{"eip-hz0001": "associated"})
		wantListed(t, list(t, e, "alibaba", "cn-hangzhou", "--sim"), "eip-hz0002", "available", "", "")
	})
}
