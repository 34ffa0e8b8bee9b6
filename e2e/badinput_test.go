package e2e_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requestLog is a `sim serve --request-log` and its log: each line is one
// request the emulator answered, reads included.
type requestLog struct {
	URL    string
	server *server
	path   string
	t      *testing.T
}

func serveLogged(t *testing.T) *requestLog {
	t.Helper()
	path := filepath.Join(t.TempDir(), "requests.jsonl")
	s := serve(t, "--request-log", path)
	return &requestLog{URL: s.Endpoint, server: s, path: path, t: t}
}

// count is the number of requests logged so far.
func (l *requestLog) count() int {
	b, err := os.ReadFile(l.path)
	if err != nil && !os.IsNotExist(err) {
		l.t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// grows waits briefly for the log to pass n lines: the emulator writes a
// line as it answers, which may be a moment after the client has its answer.
func (l *requestLog) grows(n int) bool {
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if l.count() > n {
			return true
		}
	}
	return false
}

// badCase is one bad input: the command line (and standard input), and the
// words its one-line error must hold (the flag, field or item, and the fix).
type badCase struct {
	name     string
	args     []string
	stdin    string
	mentions []string
}

// TestBadInputIsRefusedBeforeAnythingIsSent is the bad-input table (every
// verb, all three clouds): every
// case exits 2 with exactly one line on stderr, and sends nothing at all (not
// even a read), counted in the emulator's request log. The run lock is
// held by "another run" throughout: validation comes before the lock, so
// none of these may exit 6.
func TestBadInputIsRefusedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	rc := serveLogged(t)
	s := rc.server
	e := s.clientEnv(t)
	holdLock(t, e.stateDir())
	ep := []string{"--endpoint", rc.URL}
	at := func(provider, region string) []string {
		return append(append([]string{}, ep...), "--provider", provider, "--region", region)
	}
	ali, ten, zen := at("alibaba", "cn-hangzhou"), at("tencent", "ap-guangzhou"), at("zenlayer", "asia-east-1")
	verb := func(v string, where []string, extra ...string) []string {
		return append(append([]string{"eip", v}, where...), extra...)
	}
	assoc := func(where []string, extra ...string) []string { return verb("associate", where, extra...) }
	dis := func(where []string, extra ...string) []string { return verb("disassociate", where, extra...) }
	list := func(provider, region string, extra ...string) []string {
		return append([]string{"eip", "list", "--endpoint", rc.URL, "--provider", provider, "--region", region}, extra...)
	}
	plan := func(name, body string) string { return writeFile(t, name, body, 0o600) }
	long := strings.Repeat("a", 300)

	cases := []badCase{
		// Regions each cloud does not have.
		{"alibaba associate unknown region", assoc(at("alibaba", "cn-hangzou"), "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--region cn-hangzou", "cn-hangzhou", "--allow-unknown-region"}},
		{"tencent associate unknown region", assoc(at("tencent", "ap-guangzho"), "--eip", "eip-gz000001", "--target", "ins-gz000001"), "", []string{"--region ap-guangzho", "ap-guangzhou"}},
		{"zenlayer associate unknown region", assoc(at("zenlayer", "asia-east-9"), "--eip", "eip-ae0001", "--target", "nat-ae0001"), "", []string{"--region asia-east-9"}},
		{"alibaba disassociate unknown region", dis(at("alibaba", "us-east-7"), "--eip", "eip-hz0001"), "", []string{"--region us-east-7"}},
		{"tencent disassociate unknown region", dis(at("tencent", "cn-hangzhou"), "--eip", "eip-gz000001"), "", []string{"--region cn-hangzhou", "ap-guangzhou"}},
		{"zenlayer disassociate unknown region", dis(at("zenlayer", "hkg-a"), "--eip", "eip-ae0001"), "", []string{"--region hkg-a"}},
		{"alibaba list unknown region", list("alibaba", "cn-hangzhou-x"), "", []string{"--region cn-hangzhou-x"}},
		{"tencent list unknown region", list("tencent", "ap-gz"), "", []string{"--region ap-gz"}},
		{"zenlayer list unknown region", list("zenlayer", "asia-east"), "", []string{"--region asia-east", "asia-east-1"}},
		{"alibaba region in capitals, even when unknown ones are allowed", assoc(at("alibaba", "CN-HANGZHOU"), "--allow-unknown-region", "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--region", "not a region ID"}},
		{"tencent list region with a space", list("tencent", "ap guangzhou", "--allow-unknown-region"), "", []string{"--region", "not a region ID"}},
		{"zenlayer list region with a slash", list("zenlayer", "asia/east-1", "--allow-unknown-region"), "", []string{"--region", "not a region ID"}},
		{"alibaba --instance-region not a region", assoc(ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--instance-region", "hangzhou"), "", []string{"--instance-region hangzhou"}},
		{"tencent --instance-region not a region", assoc(ten, "--eip", "eip-gz000001", "--target", "ins-gz000001", "--instance-region", "guangzhou"), "", []string{"--instance-region guangzhou"}},
		{"zenlayer --instance-region", assoc(zen, "--eip", "eip-ae0001", "--target", "nat-ae0001", "--instance-region", "asia-east-1"), "", []string{"--instance-region"}},

		// EIP IDs no EIP of the cloud has.
		{"alibaba EIP wrong prefix", assoc(ali, "--eip", "ip-hz0001", "--target", "i-hz0001"), "", []string{"--eip", "eip-"}},
		{"tencent EIP wrong prefix", assoc(ten, "--eip", "address-gz000001", "--target", "ins-gz000001"), "", []string{"--eip", "eip-"}},
		{"alibaba EIP in capitals", assoc(ali, "--eip", "EIP-HZ0001", "--target", "i-hz0001"), "", []string{"--eip", "lower case", "eip-hz0001"}},
		{"tencent EIP in capitals", dis(ten, "--eip", "eip-GZ000001"), "", []string{"--eip", "lower case"}},
		{"alibaba EIP absurd length", assoc(ali, "--eip", "eip-"+long, "--target", "i-hz0001"), "", []string{"--eip", "characters long"}},
		{"tencent EIP absurd length", dis(ten, "--eip", "eip-"+long), "", []string{"--eip", "characters long"}},
		{"zenlayer EIP absurd length", assoc(zen, "--eip", long, "--target", "nat-ae0001"), "", []string{"--eip", "characters long"}},
		{"zenlayer EIP with a semicolon", assoc(zen, "--eip", "eip-ae0001;ls", "--target", "nat-ae0001"), "", []string{"--eip", "';'"}},
		{"alibaba EIP with a quote", assoc(ali, "--eip", "eip-hz0001'", "--target", "i-hz0001"), "", []string{"--eip", `'\''`}},
		{"alibaba disassociate EIP wrong prefix", dis(ali, "--eip", "i-hz0001"), "", []string{"--eip", "eip-"}},
		{"tencent disassociate EIP with a slash", dis(ten, "--eip", "eip-gz/000001"), "", []string{"--eip", "'/'"}},
		{"zenlayer disassociate EIP with a space inside", dis(zen, "--eip", "eip ae0001"), "", []string{"--eip", "' '"}},
		{"alibaba EIP address with a typo", assoc(ali, "--eip", "47.96.0.300", "--target", "i-hz0001"), "", []string{"--eip", "not a valid IP address"}},
		{"tencent EIP address cut short", dis(ten, "--eip", "119.29.0"), "", []string{"--eip", "not a valid IP address"}},
		{"alibaba empty --eip", assoc(ali, "--eip", "", "--target", "i-hz0001"), "", []string{"--eip"}},

		// Target IDs that cannot be of the target type on the cloud.
		{"alibaba target prefix of another cloud", assoc(ali, "--eip", "eip-hz0001", "--target", "ins-hz0001", "--target-type", "instance"), "", []string{"--target", "i-"}},
		{"tencent target prefix of another cloud", assoc(ten, "--eip", "eip-gz000001", "--target", "i-gz000001", "--target-type", "instance"), "", []string{"--target", "ins-"}},
		{"alibaba target with a slash", assoc(ali, "--eip", "eip-hz0001", "--target", "ngw-hz0001/x"), "", []string{"--target", "'/'"}},
		{"tencent target with a colon", assoc(ten, "--eip", "eip-gz000001", "--target", "nat-gz:000001"), "", []string{"--target", "':'"}},
		{"zenlayer target with a dollar", assoc(zen, "--eip", "eip-ae0001", "--target", "nat-ae0001$"), "", []string{"--target", "'$'"}},
		{"alibaba target absurd length", assoc(ali, "--eip", "eip-hz0001", "--target", "i-"+long), "", []string{"--target", "characters long"}},
		{"zenlayer target absurd length", assoc(zen, "--eip", "eip-ae0001", "--target", "nat-"+long), "", []string{"--target", "characters long"}},

		// Private IPs: malformed, or on a target type that takes none.
		{"alibaba --private-ip on an instance", assoc(ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--private-ip", "10.1.9.11"), "", []string{"--private-ip", "instance"}},
		{"alibaba --private-ip on a NAT gateway", assoc(ali, "--eip", "eip-hz0001", "--target", "ngw-hz0001", "--private-ip", "10.1.9.11"), "", []string{"--private-ip", "nat"}},
		{"alibaba --private-ip malformed", assoc(ali, "--eip", "eip-hz0001", "--target", "eni-hz0001", "--private-ip", "10.1.9.256"), "", []string{"--private-ip", "IPv4"}},
		{"tencent --private-ip malformed", assoc(ten, "--eip", "eip-gz000001", "--target", "eni-gz000001", "--private-ip", "10.1.9"), "", []string{"--private-ip", "IPv4"}},
		{"tencent --private-ip IPv6", assoc(ten, "--eip", "eip-gz000001", "--target", "eni-gz000001", "--private-ip", "fd00::5"), "", []string{"--private-ip", "IPv4"}},
		{"zenlayer --private-ip malformed", assoc(zen, "--eip", "eip-ae0001", "--target", "nic-ae0001", "--private-ip", "ten.one.one.ten"), "", []string{"--private-ip", "IPv4"}},

		// Flags that contradict each other.
		{"alibaba --wait with --no-wait", assoc(ali, "--eip", "eip-hz0001", "--target", "i-hz0001", "--wait", "--no-wait"), "", []string{"--wait", "--no-wait"}},
		{"tencent disassociate --wait with --no-wait", dis(ten, "--eip", "eip-gz000001", "--no-wait", "--wait=true"), "", []string{"--wait", "--no-wait"}},
		{"zenlayer --wait with --no-wait", assoc(zen, "--eip", "eip-ae0001", "--target", "nat-ae0001", "--no-wait", "--wait"), "", []string{"--wait", "--no-wait"}},

		// Control characters anywhere.
		{"alibaba escape in --eip", assoc(ali, "--eip", "eip-hz0001\x1b[2J", "--target", "i-hz0001"), "", []string{"--eip", "control character"}},
		{"tencent tab in --target", assoc(ten, "--eip", "eip-gz000001", "--target", "ins-gz000001\tx"), "", []string{"--target", "control character"}},
		{"zenlayer newline in --client-token", assoc(zen, "--eip", "eip-ae0001", "--target", "nat-ae0001", "--client-token", "tok\nen"), "", []string{"--client-token", "control character"}},
		{"alibaba carriage return in --region", assoc(at("alibaba", "cn-hang\rzhou"), "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--region", "control character"}},
		{"tencent newline in list --region", list("tencent", "ap-guangzhou\nap-shanghai"), "", []string{"--region", "control character"}},
		{"escape in --provider", assoc(at("alibaba\x1b", "cn-hangzhou"), "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--provider", "control character"}},
		{"zenlayer bell in disassociate --client-token", dis(zen, "--eip", "eip-ae0001", "--client-token", "a\ab"), "", []string{"--client-token", "control character"}},
		{"alibaba right-to-left override in --target", assoc(ali, "--eip", "eip-hz0001", "--target", "i-hz0001\u202e"), "", []string{"--target", "control character"}},

		{"alibaba newline in --config", assoc(ali, "--config", "/tmp/eipctl\nconfig.yaml", "--eip", "eip-hz0001", "--target", "i-hz0001"), "", []string{"--config", "control character"}},
		{"tencent escape in --state-dir", dis(ten, "--state-dir", "/tmp/x\x1b[2Jy", "--eip", "eip-gz000001"), "", []string{"--state-dir", "control character"}},
		{"zenlayer newline in --lock", assoc(zen, "--lock", "/tmp/a\nb.lock", "--eip", "eip-ae0001", "--target", "nat-ae0001"), "", []string{"--lock", "control character"}},
		{"zenlayer list with a tab in --profile", list("zenlayer", "asia-east-1", "--profile", "ops\tlab"), "", []string{"--profile", "control character"}},

		// One EIP named twice, whatever its spelling.
		{"zenlayer case variants of one EIP", assoc(zen, "--eip", "eip-ae0001,EIP-AE0001", "--target", "nat-ae0001"), "", []string{"listed twice"}},
		{"tencent one EIP with a trailing space", dis(ten, "--eip", "eip-gz000001,eip-gz000001 "), "", []string{"listed twice"}},
		{"alibaba --eip lines hold one EIP twice", assoc(ali, "--eip", "eip-hz0002\neip-hz0003\neip-hz0002\n", "--target", "ngw-hz0001"), "", []string{"item 3", "listed twice"}},

		// The read-only verbs: nothing read for input no EIP could match.
		{"alibaba describe unknown region", verb("describe", at("alibaba", "cn-hongkog"), "eip-hz0001"), "", []string{"--region cn-hongkog", "cn-hongkong"}},
		{"tencent describe EIP with a semicolon", verb("describe", ten, "eip-gz000001;"), "", []string{"EIP argument", "';'"}},
		{"zenlayer describe escape in the EIP", verb("describe", zen, "eip-ae0001\x1b[1m"), "", []string{"EIP argument", "control character"}},
		{"describe everywhere an absurdly long EIP", verb("describe", ep, "eip-"+long), "", []string{"EIP argument", "characters long"}},
		{"tencent describe region with a space", verb("describe", at("tencent", "ap shanghai"), "eip-sh000001", "--allow-unknown-region"), "", []string{"--region", "not a region ID"}},
		{"alibaba wait unknown region", verb("wait", at("alibaba", "cn-shanghia"), "eip-hz0001", "--for", "associated"), "", []string{"--region cn-shanghia", "cn-shanghai"}},
		{"tencent wait EIP in capitals", verb("wait", ten, "EIP-GZ000001", "--for", "available"), "", []string{"lower case", "eip-gz000001"}},
		{"zenlayer wait EIP with a quote", verb("wait", zen, "eip-ae0001\"", "--for", "available"), "", []string{"'\"'"}},
		{"alibaba wait control character in --target", verb("wait", ali, "eip-hz0001", "--for", "associated", "--target", "i-hz0001\x07"), "", []string{"--target", "control character"}},
		{"wait everywhere an EIP with a slash", verb("wait", ep, "eip-1/x", "--for", "available"), "", []string{"EIP argument", "'/'"}},

		// Plans: nothing in them silently dropped.
		{"yaml plan with a second document", assoc(ep, "-f", plan("two.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}\n---\nbindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0002, target: i-hz0002}\n")), "", []string{"second YAML document", "line 3"}},
		{"yaml plan misspelt key inside a merge key", assoc(ep, "-f", plan("merge.yaml", "bindings:\n  - {<<: &common {provider: tencent, regoin: ap-guangzhou}, eip: eip-gz000001, target: ins-gz000001}\n")), "", []string{"item 1 (line 2)", `"regoin"`}},
		{"yaml plan key twice", assoc(ep, "-f", plan("twice.yaml", "bindings:\n  - provider: zenlayer\n    region: asia-east-1\n    eip: eip-ae0001\n    eip: eip-ae0002\n    target: nat-ae0001\n")), "", []string{"item 1 (line 2)", `"eip" given twice`}},
		{"csv plan column twice", assoc(ep, "-f", plan("dup.csv", "provider,region,eip,target,eip\nalibaba,cn-hangzhou,eip-hz0001,i-hz0001,eip-hz0002\n")), "", []string{"line 1", `column "eip" appears twice`}},
		{"csv plan row wider than the header", assoc(ep, "-f", plan("wide.csv", "provider,region,eip,target\ntencent,ap-guangzhou,eip-gz000001,ins-gz000001,ins-gz000002\n")), "", []string{"item 1 (line 2)", "5 values"}},
		{"json plan unknown key", assoc(ep, "-f", plan("plan.json", `{"bindings": [{"provider": "zenlayer", "region": "asia-east-1", "eip": "eip-ae0001", "tagret": "nat-ae0001"}]}`)), "", []string{"item 1 (line 1)", `"tagret"`}},
		{"json plan key twice", assoc(ep, "-f", plan("dup.json", "{\"bindings\": [\n  {\"provider\": \"alibaba\", \"region\": \"cn-hangzhou\", \"eip\": \"eip-hz0001\", \"target\": \"i-hz0001\", \"target\": \"i-hz0002\"}\n]}")), "", []string{"line 2", `"target" given twice`}},
		{"json plan not JSON", assoc(ep, "-f", plan("bad.json", "{\"bindings\": [\n  {\"eip\": \"eip-hz0001\",}\n]}")), "", []string{"line 2", "not valid JSON"}},
		{"stdin plan in an unknown region", assoc(ep, "-f", "-"), "bindings:\n  - {provider: tencent, region: ap-gaungzhou, eip: eip-gz000001, target: ins-gz000001}\n", []string{"item 1 (line 2)", "ap-gaungzhou"}},
		{"stdin csv plan with a bad target", assoc(ep, "-f", "-"), "provider,region,eip,target\nzenlayer,asia-east-1,eip-ae0001,nat-ae0001!\n", []string{"item 1 (line 2)", "--target"}},
		{"plan force not a boolean", assoc(ep, "-f", plan("force.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001, force: yes}\n")), "", []string{"item 1 (line 2)", "force"}},
		{"plan with a control character", assoc(ep, "-f", plan("ctl.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, eip: \"eip-hz0001\\u001b[31m\", target: i-hz0001}\n")), "", []string{"item 1 (line 2)", "control character"}},
		{"disassociate plan with a malformed EIP", dis(ep, "-f", plan("unbind.csv", "provider,region,eip\ntencent,ap-guangzhou,eip_gz000001\n")), "", []string{"item 1 (line 2)", "--eip"}},
		{"plan with an unknown extension", assoc(ep, "-f", plan("plan.txt", "provider,region,eip,target\n")), "", []string{".yaml, .yml, .json or .csv"}},
	}
	before, start := s.inventory(t), rc.count()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := rc.count()
			r := e.runIn(c.stdin, c.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r)
			}
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			if len(lines) != 1 || lines[0] == "" {
				t.Errorf("stderr has %d lines, want exactly one:\n%s", len(lines), r.stderr)
			}
			if strings.ContainsAny(r.stderr, "\x1b\r\t\a\u202e") {
				t.Errorf("stderr echoes a control character: %q", r.stderr)
			}
			for _, m := range c.mentions {
				if !strings.Contains(r.stderr, m) {
					t.Errorf("stderr does not mention %q:\n%s", m, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout holds %q, want nothing", r.stdout)
			}
			if sent := rc.count() - n; sent != 0 {
				t.Errorf("%d requests reached the emulator, want 0", sent)
			}
		})
	}
	if after := s.inventory(t); after != before {
		t.Errorf("the emulator's inventory changed")
	}
	// A line written late (after its case was checked) still counts.
	if rc.grows(start) {
		t.Errorf("%d requests were logged during the bad cases, want 0", rc.count()-start)
	}
	if len(cases) < 60 {
		t.Errorf("%d cases, want at least 60", len(cases))
	}
	// The log does count: a valid (lock-free) list is logged.
	n := rc.count()
	mustExit(t, e.run(list("alibaba", "cn-hangzhou", "-o", "json")...), 0)
	if !rc.grows(n) {
		t.Errorf("a valid list is not in the request log: the counts above prove nothing")
	}
}

// TestBadPlanReportsEveryItem: several bad items are reported at once, one
// line each with its item number and line, and nothing is sent.
func TestBadPlanReportsEveryItem(t *testing.T) {
	t.Parallel()
	rc := serveLogged(t)
	e := rc.server.clientEnv(t)
	p := writeFile(t, "plan.yaml", `bindings:
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0002, tagret: i-hz0002}
  - {provider: tencent, region: ap-guangzhou, eip: eip-gz000001, target: ins-gz000001, mode: bridge}
  - {provider: zenlayer, region: asia-east-1, eip: eip-ae0001, target: nat-ae0001, force: maybe}
`, 0o600)
	r := e.run("eip", "associate", "--endpoint", rc.URL, "-f", p)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\n%s", r.code, r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	want := []string{"item 2 (line 3)", "item 3 (line 4)", "item 4 (line 5)"}
	if len(lines) != len(want) {
		t.Fatalf("%d lines on stderr, want one per bad item (%d):\n%s", len(lines), len(want), r.stderr)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) || !strings.HasPrefix(lines[i], "eipctl: ") {
			t.Errorf("line %d %q: want it to start eipctl: and name %q", i+1, lines[i], w)
		}
	}
	if rc.count() != 0 {
		t.Errorf("%d requests sent, want 0", rc.count())
	}
}

// TestEIPLinesAreEveryOneUsed: --eip "$(cat eips.txt)" takes every line
// (before, pflag's comma list kept the first line and dropped the rest).
func TestEIPLinesAreEveryOneUsed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--dry-run", "-o", "json",
		"--eip", "eip-hz0002\neip-hz0003\n\n eip-hz0004 \n", "--target", "ngw-hz0001")
	d := decodeRun(t, r, 0)
	d.wantRows(t, map[string]string{"eip-hz0002": "planned", "eip-hz0003": "planned", "eip-hz0004": "planned"})
}

// TestUnknownRegionAllowedIsNotRetried: a region let through with
// --allow-unknown-region that the cloud does not serve fails at once with
// the cloud's answer; it is not taken for a network fault and sent again.
func TestUnknownRegionAllowedIsNotRetried(t *testing.T) {
	t.Parallel()
	rc := serveLogged(t)
	e := rc.server.clientEnv(t)
	for _, c := range []struct{ provider, region, eip, target string }{
		{"alibaba", "cn-newtown-1", "eip-hz0001", "i-hz0001"},
		{"tencent", "ap-newtown", "eip-gz000001", "ins-gz000001"},
		{"zenlayer", "asia-newtown-1", "eip-ae0001", "nat-ae0001"},
	} {
		n := rc.count()
		r := e.run("eip", "associate", "--endpoint", rc.URL, "--provider", c.provider, "--region", c.region, "--allow-unknown-region",
			"--eip", c.eip, "--target", c.target, "--no-lock", "-o", "json", "--timeout", "30s")
		d := decodeRun(t, r, 1)
		if row := d.row(t, c.eip); row.Status != "failed" || row.Error == nil || row.Error.Class == "transient" || row.Error.Class == "throttled" {
			t.Errorf("%s: row %+v, want failed with the cloud's region error, not a transient one", c.provider, row)
		}
		rc.grows(n)
		if sent := rc.count() - n; sent != 1 {
			t.Errorf("%s: %d requests logged, want 1 (one read, refused, not retried)", c.provider, sent)
		}
	}
}
