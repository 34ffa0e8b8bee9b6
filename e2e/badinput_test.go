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

// badKit builds the command lines of the bad-input tables against one
// emulator: ali, ten, zen are its endpoint with each cloud's provider and
// region; ep is the endpoint alone.
type badKit struct {
	ep, ali, ten, zen []string
	long              string
	url               string
	t                 *testing.T
}

func newBadKit(t *testing.T, url string) badKit {
	k := badKit{ep: []string{"--endpoint", url}, long: strings.Repeat("a", 300), url: url, t: t}
	k.ali, k.ten, k.zen = k.at("alibaba", "cn-hangzhou"), k.at("tencent", "ap-guangzhou"), k.at("zenlayer", "asia-east-1")
	return k
}

func (k badKit) at(provider, region string) []string {
	return append(append([]string{}, k.ep...), "--provider", provider, "--region", region)
}

func (k badKit) verb(v string, where []string, extra ...string) []string {
	return append(append([]string{"eip", v}, where...), extra...)
}

func (k badKit) assoc(where []string, extra ...string) []string {
	return k.verb("associate", where, extra...)
}
func (k badKit) dis(where []string, extra ...string) []string {
	return k.verb("disassociate", where, extra...)
}

func (k badKit) list(provider, region string, extra ...string) []string {
	return append([]string{"eip", "list", "--endpoint", k.url, "--provider", provider, "--region", region}, extra...)
}

func (k badKit) plan(name, body string) string { return writeFile(k.t, name, body, 0o600) }

// badKinds are the bad-input tables, one per kind of input.
var badKinds = []struct {
	name  string
	cases func(badKit) []badCase
}{
	{"regions", badRegions},
	{"EIP IDs", badEIPIDs},
	{"target IDs", badTargetIDs},
	{"private IPs", badPrivateIPs},
	{"contradicting flags", contradictingFlags},
	{"control characters", controlCharacters},
	{"an EIP twice", eipsTwice},
	{"read-only verbs", badReadOnly},
	{"plans", badPlans},
	{"client tokens", badClientTokens},
	{"endpoints", badEndpoints},
}

// TestBadInputIsRefusedBeforeAnythingIsSent runs the bad-input tables (every
// verb, all three clouds): every case exits 2 with exactly one line on
// stderr, and sends nothing at all (not even a read), counted in the
// emulator's request log. The run lock is held by "another run" throughout:
// validation comes before the lock, so none of these may exit 6.
func TestBadInputIsRefusedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	rc := serveLogged(t)
	s := rc.server
	e := s.clientEnv(t)
	holdLock(t, e.stateDir())
	k := newBadKit(t, rc.URL)
	before, start, total := s.inventory(t), rc.count(), 0
	for _, kind := range badKinds {
		t.Run(kind.name, func(t *testing.T) {
			for _, c := range kind.cases(k) {
				total++
				t.Run(c.name, func(t *testing.T) { refusedBeforeSending(t, rc, e, c) })
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
	if total < 60 {
		t.Errorf("%d cases, want at least 60", total)
	}
	// The log does count: a valid (lock-free) list is logged.
	n := rc.count()
	mustExit(t, e.run(k.list("alibaba", "cn-hangzhou", "-o", "json")...), 0)
	if !rc.grows(n) {
		t.Errorf("a valid list is not in the request log: the counts above prove nothing")
	}
}

// refusedBeforeSending checks one bad case: exit 2, one clean line naming
// what it must, nothing on stdout, no request logged.
func refusedBeforeSending(t *testing.T, rc *requestLog, e *env, c badCase) {
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
