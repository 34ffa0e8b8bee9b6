package examples_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eipctl/eipctl/cmd/eipctl-docs/docgen"
	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/output"
)

// asCLI makes this test binary act as eipctl itself, so the shell examples
// run the real command tree without a separate `go build` (which, on a cold
// cache on a small CI machine, takes longer than every test here together).
const asCLI = "EIPCTL_EXAMPLES_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		os.Exit(cli.Main(os.Args[1:], output.System(), cli.BuildInfo{Version: "examples"}))
	}
	os.Exit(m.Run())
}

// isolate gives the test its own state and config directories and clears the
// settings a developer's shell might carry, so nothing reads or writes home.
func isolate(t *testing.T) (stateHome string) {
	t.Helper()
	stateHome = t.TempDir()
	t.Setenv("XDG_STATE_HOME", stateHome)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, k := range []string{"PROVIDER", "REGION", "ENDPOINT", "TIMEOUT", "OUTPUT", "STATE_DIR", "PROFILE", "CONFIG"} {
		t.Setenv("EIPCTL_"+k, "")
	}
	t.Setenv("EIPCTL_SIM_BIND_DELAY", "0s")
	t.Setenv("EIPCTL_SIM_READABLE", "1") // the example plans name Zenlayer IDs like eip-ae0001
	return stateHome
}

// eipctl runs one command line in-process and returns its exit code and streams.
func eipctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	streams, out, errb := output.Test()
	f := cli.NewFactory(streams, "test")
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := cli.Run(ctx, f, args)
	return code, out.String(), errb.String()
}

type report struct {
	Results []struct {
		Provider, Region, EIPID, IP, TargetID, Status string
		Error                                         *struct{ Code, Message, Class string }
	}
	Summary map[string]int
}

func decodeReport(t *testing.T, stdout string) report {
	t.Helper()
	var r report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	return r
}

// planTargets reads the targets a plan asks for, in order, with the plan
// format's own rules kept deliberately simple: the example files set every
// target explicitly.
func planTargets(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	switch filepath.Ext(path) {
	case ".yaml", ".json": // a JSON plan is also YAML
		var p struct{ Bindings []struct{ Target string } }
		if err := yaml.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		for _, b := range p.Bindings {
			targets = append(targets, b.Target)
		}
	case ".csv":
		r := csv.NewReader(bytes.NewReader(b))
		r.Comment = '#'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if h == "target" {
				col = i
			}
		}
		for _, rec := range recs[1:] {
			targets = append(targets, rec[col])
		}
	}
	if len(targets) == 0 {
		t.Fatalf("%s has no bindings", path)
	}
	return targets
}

// Every plan binds every row on a fresh emulator, across more than one
// cloud, and a second run changes nothing (what cron and systemd rely on).
func TestPlansBindEveryRow(t *testing.T) {
	for _, plan := range []string{"plan.yaml", "plan.csv", "plan.json"} {
		t.Run(plan, func(t *testing.T) {
			isolate(t)
			targets := planTargets(t, plan)

			code, stdout, stderr := eipctl(t, "eip", "associate", "--sim", "-f", plan, "-o", "json")
			if code != 0 {
				t.Fatalf("exit %d, want 0\nstderr: %s\nstdout: %s", code, stderr, stdout)
			}
			r := decodeReport(t, stdout)
			if len(r.Results) != len(targets) {
				t.Fatalf("%d rows for %d bindings", len(r.Results), len(targets))
			}
			providers := map[string]bool{}
			for i, row := range r.Results {
				providers[row.Provider] = true
				if row.Status != "associated" || row.TargetID != targets[i] || row.Error != nil {
					t.Errorf("row %d: %s %s -> %s is %s (error %+v), want associated to %s",
						i+1, row.Provider, row.EIPID, row.TargetID, row.Status, row.Error, targets[i])
				}
			}
			if len(providers) < 2 {
				t.Errorf("plan covers %d provider(s), want at least 2", len(providers))
			}
			if r.Summary["associated"] != len(targets) || r.Summary["total"] != len(targets) {
				t.Errorf("summary %v, want %d associated of %d", r.Summary, len(targets), len(targets))
			}

			code, stdout, stderr = eipctl(t, "eip", "associate", "--sim", "-f", plan, "-o", "json")
			if code != 0 {
				t.Fatalf("second run: exit %d, want 0\nstderr: %s", code, stderr)
			}
			if again := decodeReport(t, stdout); again.Summary["unchanged"] != len(targets) {
				t.Errorf("second run summary %v, want all %d unchanged", again.Summary, len(targets))
			}
		})
	}
}

// scheduledCommand returns the eipctl arguments of a cron line or a systemd
// ExecStart line, with the installed plan path pointed at the example plan.
func scheduledCommand(t *testing.T, path, marker string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") || !strings.Contains(line, marker) {
			continue
		}
		line, _, _ = strings.Cut(line, ">") // the cron line's redirection
		_, cmd, _ := strings.Cut(line, "eipctl ")
		args := strings.Fields(cmd)
		for i, a := range args {
			if a == "/etc/eipctl/plan.yaml" {
				args[i] = "plan.yaml"
			}
		}
		return args
	}
	t.Fatalf("%s has no line with %q", path, marker)
	return nil
}

// The command lines in the cron and systemd examples are valid and do their
// job: run against the emulator, they bind the plan and exit 0.
func TestScheduledCommandsRun(t *testing.T) {
	for _, c := range []struct{ file, marker string }{
		{"cron/eipctl-failover.cron", "* * * * *"},
		{"systemd/eipctl-rebind.service", "ExecStart="},
	} {
		t.Run(c.file, func(t *testing.T) {
			isolate(t)
			args := append(scheduledCommand(t, c.file, c.marker), "--sim")
			code, stdout, stderr := eipctl(t, args...)
			if code != 0 {
				t.Fatalf("eipctl %s: exit %d\nstderr: %s", strings.Join(args, " "), code, stderr)
			}
			if r := decodeReport(t, stdout); r.Summary["associated"] != r.Summary["total"] {
				t.Errorf("summary %v, want every row associated", r.Summary)
			}
		})
	}
}

// The cron example runs every minute: its --timeout, the second a run may
// take past it to settle and report, and room to start and take the lock
// (10s) stay inside the minute, so one run never overlaps the next.
func TestCronTimeoutFitsTheMinute(t *testing.T) {
	args := scheduledCommand(t, "cron/eipctl-failover.cron", "* * * * *")
	for i, a := range args {
		if a == "--timeout" && i+1 < len(args) {
			d, err := time.ParseDuration(args[i+1])
			if err != nil {
				t.Fatal(err)
			}
			if d+time.Second+10*time.Second > time.Minute {
				t.Errorf("--timeout %s: a run can outlast the minute and overlap the next one; keep it at 49s or less", d)
			}
			return
		}
	}
	t.Fatal("the cron line has no --timeout: a run against an endpoint that hangs would overlap the next")
}

// script runs a shell example with this test binary standing in for eipctl.
func script(t *testing.T, path string, env ...string) (int, string) {
	t.Helper()
	return scriptArgs(t, path, nil, env...)
}

// scriptArgs is script with arguments after the script's path.
func scriptArgs(t *testing.T, path string, args []string, env ...string) (int, string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("the shell examples need bash: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, append([]string{path}, args...)...)
	cmd.Env = append(os.Environ(), append([]string{"EIPCTL=" + self, asCLI + "=1"}, env...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", path, err)
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// The CI smoke script starts `eipctl sim serve`, runs the plan twice over
// --endpoint and checks the JSON; it must pass and leave no server behind.
func TestEmulatorSmokeScript(t *testing.T) {
	isolate(t)
	code, out := script(t, "ci/emulator-smoke.sh")
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "ok") {
		t.Fatalf("emulator-smoke.sh: exit %d, want 0 ending in ok\n%s", code, out)
	}
	if !strings.Contains(out, "9 of 9 associated") {
		t.Errorf("smoke output does not report the plan's 9 bindings:\n%s", out)
	}
}

// needFlags skips a test whose example uses flags this eipctl does not have
// yet (--from, --min-interval: issue 16, added with the engine's fencing), so
// the test runs, and must pass, as soon as they exist.
func needFlags(t *testing.T, verb string, flags ...string) {
	t.Helper()
	_, out, _ := eipctl(t, "eip", verb, "--help")
	for _, f := range flags {
		if !strings.Contains(out, f+" ") {
			t.Skipf("eipctl eip %s has no %s yet (issue 16); this test runs once it does", verb, f)
		}
	}
}

// holder is what eip list says holds one EIP of the emulator's cn-hangzhou.
func holder(t *testing.T, id string) string {
	t.Helper()
	_, stdout, _ := eipctl(t, "eip", "list", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json")
	var list struct {
		EIPs []struct{ EIPID, Status, TargetID string }
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	for _, e := range list.EIPs {
		if e.EIPID == id {
			if e.Status != "associated" {
				return ""
			}
			return e.TargetID
		}
	}
	t.Fatalf("%s missing from eip list", id)
	return ""
}

var hookEnv = []string{"FAILOVER_ENV=/nonexistent", "FAILOVER_SYSLOG=0", "FAILOVER_EIPCTL_FLAGS=--sim",
	"EIPCTL_PROVIDER=alibaba", "EIPCTL_REGION=cn-hangzhou", "FAILOVER_TARGET=i-hz0001"}

// The keepalived hook moves an EIP from the old MASTER (its peer) to this
// node, is a no-op when run again, and stops at once on an EIP that does
// not exist.
func TestKeepalivedHookMovesEIPHere(t *testing.T) {
	isolate(t)
	needFlags(t, "associate", "--from")
	hook := "keepalived/notify-master.sh"
	env := append(hookEnv, "FAILOVER_PEERS=i-hz0008")

	// The emulator seeds eip-hz0024 bound to i-hz0008: the old MASTER.
	code, out := script(t, hook, append(env, "FAILOVER_EIPS=eip-hz0024")...)
	if code != 0 || !strings.Contains(out, `"status":"moved"`) || !strings.Contains(out, `"previousTargetId":"i-hz0008"`) {
		t.Fatalf("first run: exit %d, want 0 with eip-hz0024 moved from the old node i-hz0008\n%s", code, out)
	}
	if h := holder(t, "eip-hz0024"); h != "i-hz0001" {
		t.Errorf("eip-hz0024 is on %q, want i-hz0001", h)
	}

	code, out = script(t, hook, append(env, "FAILOVER_EIPS=eip-hz0024")...)
	if code != 0 || !strings.Contains(out, `"status":"unchanged"`) {
		t.Errorf("second run: exit %d, want 0 with eip-hz0024 unchanged\n%s", code, out)
	}

	start := time.Now()
	code, out = script(t, hook, append(env, "FAILOVER_EIPS=eip-hz0099")...)
	if code != 1 || !strings.Contains(out, "not found") {
		t.Errorf("unknown EIP: exit %d, want 1 naming it not found\n%s", code, out)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("unknown EIP took %s: a not-found error must not be retried", took)
	}
}

// Fencing: an EIP held by a node that is not this hook's peer is refused
// (UnexpectedHolder), tried once, and left where it is; today's hook retried
// exit 3 three times and force-unbound the holder each time.
func TestKeepalivedHookNeverTakesFromAStranger(t *testing.T) {
	isolate(t)
	needFlags(t, "associate", "--from")
	// A third node, i-hz0002, holds eip-hz0024 now.
	if code, _, stderr := eipctl(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0024", "--target", "i-hz0002", "--force", "-o", "json"); code != 0 {
		t.Fatalf("setup: exit %d\n%s", code, stderr)
	}
	code, out := script(t, "keepalived/notify-master.sh", append(hookEnv, "FAILOVER_PEERS=i-hz0008", "FAILOVER_EIPS=eip-hz0024")...)
	if code == 0 || !strings.Contains(out, "UnexpectedHolder") {
		t.Errorf("EIP held by a stranger: exit %d, want a failure naming UnexpectedHolder\n%s", code, out)
	}
	if n := strings.Count(out, `"summary"`); n != 1 {
		t.Errorf("eipctl ran %d times, want once: a refused move is not retried\n%s", n, out)
	}
	if h := holder(t, "eip-hz0024"); h != "i-hz0002" {
		t.Errorf("eip-hz0024 is on %q after the refused move, want still i-hz0002", h)
	}
	// No peers: only a free EIP is taken.
	code, out = script(t, "keepalived/notify-master.sh", append(hookEnv, "FAILOVER_EIPS=eip-hz0024")...)
	if code == 0 || holder(t, "eip-hz0024") != "i-hz0002" {
		t.Errorf("no peers (--from none) on a held EIP: exit %d, holder %s; want refused, still i-hz0002\n%s", code, holder(t, "eip-hz0024"), out)
	}
}

// --min-interval: an EIP this host moved a moment ago is not moved again
// (TooSoon), so two nodes that flap do not bounce the address.
func TestKeepalivedHookDampsFlapping(t *testing.T) {
	isolate(t)
	needFlags(t, "associate", "--from", "--min-interval", "--journal")
	env := append(hookEnv, "FAILOVER_PEERS=i-hz0008", "FAILOVER_EIPS=eip-hz0024", "FAILOVER_MIN_INTERVAL=1h")
	if code, out := script(t, "keepalived/notify-master.sh", env...); code != 0 {
		t.Fatalf("first move: exit %d\n%s", code, out)
	}
	// The peer takes it back (another host: no journal entry here).
	if code, _, stderr := eipctl(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0024", "--target", "i-hz0008", "--force", "--journal", "", "-o", "json"); code != 0 {
		t.Fatalf("peer's move: exit %d\n%s", code, stderr)
	}
	code, out := script(t, "keepalived/notify-master.sh", env...)
	if code != 1 || !strings.Contains(out, "TooSoon") || holder(t, "eip-hz0024") != "i-hz0008" {
		t.Errorf("moved again within --min-interval: exit %d, holder %s; want 1 TooSoon, still i-hz0008\n%s", code, holder(t, "eip-hz0024"), out)
	}
}

// serve starts `eipctl sim serve` on a free loopback port, for tests where
// several "nodes" (each its own state directory) share one cloud, and
// returns the environment that points eipctl at it.
func serve(t *testing.T) []string {
	t.Helper()
	self, _ := os.Executable()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, self, "sim", "serve", "--listen", "127.0.0.1:0", "--bind-delay", "0s", "--reset", "-o", "json")
	cmd.Env = append(os.Environ(), asCLI+"=1", "EIPCTL_STATE_DIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	var hello struct {
		Endpoint    string
		Credentials map[string]struct{ ID, Secret string }
	}
	if err := json.NewDecoder(out).Decode(&hello); err != nil || hello.Endpoint == "" {
		t.Fatalf("sim serve printed no endpoint: %v", err)
	}
	a := hello.Credentials["alibaba"]
	return []string{"EIPCTL_ENDPOINT=" + hello.Endpoint, "ALIBABA_CLOUD_ACCESS_KEY_ID=" + a.ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + a.Secret}
}

// Two nodes (two state directories, one cloud) fail over with the hook: B
// takes the EIP from its peer A; a third node C takes it over; then A's
// late, stale hook (its peer is B, not C) loses: refused with
// UnexpectedHolder, tried once, and the EIP stays on C. Each node's journal
// records its own moves.
func TestKeepalivedTwoNodesStaleCallLoses(t *testing.T) {
	isolate(t)
	needFlags(t, "associate", "--from", "--journal")
	cloud := serve(t)
	node := func(target, peers string) []string {
		return append([]string{"FAILOVER_ENV=/nonexistent", "FAILOVER_SYSLOG=0", "EIPCTL_PROVIDER=alibaba",
			"EIPCTL_REGION=cn-hangzhou", "FAILOVER_EIPS=eip-hz0024", "FAILOVER_TARGET=" + target, "FAILOVER_PEERS=" + peers,
			"XDG_STATE_HOME=" + t.TempDir()}, cloud...)
	}
	a, b, c := node("i-hz0008", "i-hz0001"), node("i-hz0001", "i-hz0008"), node("i-hz0002", "i-hz0001 i-hz0008")
	holderVia := func(env []string) string {
		code, out := runCLI(t, env, "eip", "describe", "eip-hz0024", "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "jsonl")
		if code != 0 {
			t.Fatalf("describe: exit %d\n%s", code, out)
		}
		var d struct {
			EIPs []struct{ Status, TargetID string }
		}
		json.Unmarshal([]byte(out), &d)
		if len(d.EIPs) != 1 || d.EIPs[0].Status != "associated" {
			return ""
		}
		return d.EIPs[0].TargetID
	}
	for _, step := range []struct {
		who    string
		env    []string
		code   int
		holder string
	}{
		{"B takes over from A", b, 0, "i-hz0001"},
		{"C takes over from B", c, 0, "i-hz0002"},
		{"A's stale hook", a, 1, "i-hz0002"},
	} {
		code, out := script(t, "keepalived/notify-master.sh", step.env...)
		if code != step.code {
			t.Errorf("%s: exit %d, want %d\n%s", step.who, code, step.code, out)
		}
		if step.code != 0 && (!strings.Contains(out, "UnexpectedHolder") || strings.Count(out, `"summary"`) != 1) {
			t.Errorf("%s: want one refused try naming UnexpectedHolder\n%s", step.who, out)
		}
		if h := holderVia(step.env); h != step.holder {
			t.Fatalf("after %s eip-hz0024 is on %q, want %s", step.who, h, step.holder)
		}
	}
	code, out := runCLI(t, b, "eip", "history", "--eip", "eip-hz0024", "-o", "json")
	if code != 0 || !strings.Contains(out, `"outcome": "moved"`) || !strings.Contains(out, `"targetId": "i-hz0008"`) {
		t.Errorf("B's journal does not show its move from i-hz0008: exit %d\n%s", code, out)
	}
}

// runCLI runs this test binary as eipctl in a child process with env, for
// commands that must see a node's own environment.
func runCLI(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	self, _ := os.Executable()
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), append([]string{asCLI + "=1"}, env...)...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// A hook that runs late, after this node was demoted again, sends nothing:
// FAILOVER_STILL_MASTER fails, and the EIP stays on the node that has it.
func TestKeepalivedStaleHookSendsNothing(t *testing.T) {
	isolate(t)
	code, out := script(t, "keepalived/notify-master.sh", append(hookEnv, "FAILOVER_PEERS=i-hz0008",
		"FAILOVER_EIPS=eip-hz0024", "FAILOVER_STILL_MASTER=exit 1")...)
	if code != 1 || !strings.Contains(out, "no longer MASTER") {
		t.Errorf("stale hook: exit %d, want 1 saying it is no longer MASTER\n%s", code, out)
	}
	if h := holder(t, "eip-hz0024"); h != "i-hz0008" {
		t.Errorf("eip-hz0024 is on %q after a stale hook, want still i-hz0008", h)
	}
}

// agent runs the Pacemaker OCF agent for one action as node target, with
// the emulator behind it.
func agent(t *testing.T, action, target string, env ...string) (int, string) {
	t.Helper()
	self, _ := os.Executable()
	base := []string{"OCF_RESKEY_eipctl=" + self, "OCF_RESKEY_flags=--sim", "EIPCTL_OCF_ENV=/nonexistent",
		"OCF_RESKEY_provider=alibaba", "OCF_RESKEY_region=cn-hangzhou", "OCF_RESKEY_eip=eip-hz0024",
		"OCF_RESKEY_target=" + target, "OCF_RESKEY_peers=i-hz0008", "OCF_RESKEY_timeout=30s"}
	return scriptArgs(t, "pacemaker/eipctl", []string{action}, append(base, env...)...)
}

// The OCF exit codes (OCF Resource Agent API 1.1): monitor 0 when the EIP is
// bound here and 7 when not; stop of a resource that is not here is 0 and
// touches nothing; stop where it is releases it; bad settings are 6, an
// unknown action 3; meta-data is valid XML naming every parameter.
func TestPacemakerAgentMonitorStopAndMetadata(t *testing.T) {
	isolate(t)
	// eip-hz0024 starts on i-hz0008 (the emulator's seed).
	for _, c := range []struct {
		action, node string
		env          []string
		want         int
	}{
		{"monitor", "i-hz0001", nil, 7},
		{"monitor", "i-hz0008", nil, 0},
		{"stop", "i-hz0001", nil, 0},
		{"monitor", "i-hz0008", nil, 0}, // the stop elsewhere left it alone
		{"validate-all", "i-hz0001", nil, 0},
		{"validate-all", "i-hz0001", []string{"OCF_RESKEY_eip="}, 6},
		{"validate-all", "i-hz0001", []string{"OCF_RESKEY_eipctl=/nonexistent/eipctl"}, 5},
		{"monitor", "i-hz0001", []string{"OCF_RESKEY_eip=eip-hz0099"}, 6},
		{"promote", "i-hz0001", nil, 3},
		{"stop", "i-hz0008", nil, 0},
		{"monitor", "i-hz0008", nil, 7}, // released
		{"stop", "i-hz0008", nil, 0},    // stopping a stopped resource succeeds
	} {
		if code, out := agent(t, c.action, c.node, c.env...); code != c.want {
			t.Errorf("%s on %s %v: exit %d, want %d\n%s", c.action, c.node, c.env, code, c.want, out)
		}
	}
	if h := holder(t, "eip-hz0024"); h != "" {
		t.Errorf("after stop on its holder eip-hz0024 is on %q, want free", h)
	}

	code, out := agent(t, "meta-data", "")
	var md struct {
		Name       string `xml:"name,attr"`
		Parameters []struct {
			Name     string `xml:"name,attr"`
			Required string `xml:"required,attr"`
		} `xml:"parameters>parameter"`
		Actions []struct {
			Name string `xml:"name,attr"`
		} `xml:"actions>action"`
	}
	if code != 0 {
		t.Fatalf("meta-data: exit %d\n%s", code, out)
	}
	if err := xml.Unmarshal([]byte(out), &md); err != nil {
		t.Fatalf("meta-data is not XML: %v\n%s", err, out)
	}
	params, actions := map[string]string{}, map[string]bool{}
	for _, p := range md.Parameters {
		params[p.Name] = p.Required
	}
	for _, a := range md.Actions {
		actions[a.Name] = true
	}
	for _, p := range []string{"eip", "provider", "region", "target"} {
		if params[p] != "1" {
			t.Errorf("meta-data: parameter %s missing or not required (%v)", p, params)
		}
	}
	for _, p := range []string{"peers", "private_ip", "timeout", "flags", "eipctl"} {
		if _, ok := params[p]; !ok {
			t.Errorf("meta-data: parameter %s missing", p)
		}
	}
	for _, a := range []string{"start", "stop", "monitor", "meta-data", "validate-all"} {
		if !actions[a] {
			t.Errorf("meta-data: action %s missing", a)
		}
	}
}

// start is a fenced move here: from the peer it succeeds (and again is a
// no-op); from a node that is not a peer it fails with OCF_ERR_GENERIC and
// leaves the EIP where it is.
func TestPacemakerAgentFencedStart(t *testing.T) {
	isolate(t)
	needFlags(t, "associate", "--from")
	if code, out := agent(t, "start", "i-hz0001"); code != 0 {
		t.Fatalf("start from the peer i-hz0008: exit %d, want 0\n%s", code, out)
	}
	if code, out := agent(t, "monitor", "i-hz0001"); code != 0 {
		t.Errorf("monitor after start: exit %d, want 0\n%s", code, out)
	}
	if code, out := agent(t, "start", "i-hz0001"); code != 0 {
		t.Errorf("start again: exit %d, want 0\n%s", code, out)
	}
	// i-hz0002's peers are i-hz0008 only: i-hz0001 is a stranger to it.
	if code, out := agent(t, "start", "i-hz0002"); code != 1 || !strings.Contains(out, "UnexpectedHolder") {
		t.Errorf("start on i-hz0002 while i-hz0001 holds it: exit %d, want 1 (OCF_ERR_GENERIC) naming UnexpectedHolder\n%s", code, out)
	}
	if h := holder(t, "eip-hz0024"); h != "i-hz0001" {
		t.Errorf("eip-hz0024 is on %q, want still i-hz0001", h)
	}
}

// The systemd units start the binary where the deb and rpm put it
// (.goreleaser.yaml's nfpms bindir); systemd refuses a unit whose
// ExecStart does not exist.
func TestSystemdUnitsUsePackagedPath(t *testing.T) {
	b, err := os.ReadFile("../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*bindir:\s*(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal(".goreleaser.yaml has no nfpms bindir")
	}
	bin := string(m[1]) + "/eipctl"
	units, _ := filepath.Glob("systemd/*.service")
	if len(units) == 0 {
		t.Fatal("no systemd units")
	}
	for _, u := range units {
		b, _ := os.ReadFile(u)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "ExecStart=") && !strings.HasPrefix(line, "ExecStart="+bin+" ") {
				t.Errorf("%s: %s, want ExecStart=%s (what the packages install)", u, line, bin)
			}
		}
	}
}

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
	unit, err := os.ReadFile("pool/eipctl-pool-claim.service")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unit), "ExecStart=/usr/local/lib/eipctl/claim-on-boot.sh") ||
		!strings.Contains(string(unit), "EnvironmentFile=/etc/eipctl/pool.env") {
		t.Errorf("eipctl-pool-claim.service does not run the installed claim-on-boot.sh with pool.env")
	}
	var ci struct {
		WriteFiles []struct{ Path, Content string } `yaml:"write_files"`
		Runcmd     []string
	}
	b, err := os.ReadFile("pool/cloud-init.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &ci); err != nil {
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

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestShellExamplesParse(t *testing.T) {
	var scripts []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".sh") {
			scripts = append(scripts, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	scripts = append(scripts, "pacemaker/eipctl") // an OCF agent is named without .sh
	if len(scripts) < 2 {
		t.Fatalf("found %d shell examples, want the CI and keepalived ones", len(scripts))
	}
	for _, s := range scripts {
		if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "set -euo pipefail") {
			t.Errorf("%s does not set -euo pipefail", s)
		}
	}
}

// docs/reference and docs/man must be what cmd/eipctl-docs writes from
// today's command tree; the same generator (docgen) writes them here. Man
// pages are compared without their date line, which names the month they
// were made in.
func TestReferenceIsUpToDate(t *testing.T) {
	const fix = "run `go generate ./cmd/eipctl-docs` and commit docs/reference and docs/man"
	for _, c := range []struct {
		dir, pattern string
		gen          func(string) error
	}{
		{"reference", "eipctl*.md", docgen.Markdown},
		{"man", "eipctl*.1", func(dir string) error { return docgen.Man(dir, time.Now()) }},
	} {
		dir := t.TempDir()
		if err := c.gen(dir); err != nil {
			t.Fatal(err)
		}
		committed := filepath.Join("..", "docs", c.dir)
		want, err := filepath.Glob(filepath.Join(dir, c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		have, err := filepath.Glob(filepath.Join(committed, c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 10 {
			t.Fatalf("the generator wrote %d pages into %s; is the tree still there?", len(want), c.dir)
		}
		names := map[string]bool{}
		for _, p := range have {
			names[filepath.Base(p)] = true
		}
		for _, p := range want {
			name := filepath.Base(p)
			if !names[name] {
				t.Errorf("docs/%s/%s is missing: %s", c.dir, name, fix)
				continue
			}
			delete(names, name)
			gen, _ := os.ReadFile(p)
			old, _ := os.ReadFile(filepath.Join(committed, name))
			undated := func(b []byte) []byte { return docgen.ManDate.ReplaceAll(b, []byte("$1")) }
			if !bytes.Equal(undated(gen), undated(old)) {
				t.Errorf("docs/%s/%s is stale: %s", c.dir, name, fix)
			}
		}
		for name := range names {
			t.Errorf("docs/%s/%s documents a command that no longer exists: %s", c.dir, name, fix)
		}
	}
}

// mdLink finds Markdown links; the first group is the target.
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// slug is the anchor GitHub gives a heading: lower case, spaces to hyphens,
// other punctuation dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fenced := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "#") {
			out[slug(strings.TrimLeft(line, "#"))] = true
		}
	}
	return out
}

// Every relative link in the documentation (and the top-level README) points
// at a file that exists and, with #anchor, at a heading it has: pages that
// name examples and each other must not rot when files move.
func TestDocsLinksResolve(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join("..", "docs", "providers", "*.md"))
	pages = append(pages, more...)
	if _, err := os.Stat(filepath.Join("..", "README.md")); err == nil {
		pages = append(pages, filepath.Join("..", "README.md"))
	}
	checked := 0
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := page
			if file != "" {
				dest = filepath.Join(filepath.Dir(page), file)
			}
			if _, err := os.Stat(dest); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, target)
				continue
			}
			if anchor != "" && strings.HasSuffix(dest, ".md") && !anchors(t, dest)[anchor] {
				t.Errorf("%s links to %s, but %s has no heading with anchor #%s", page, target, dest, anchor)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d links: is the link pattern still right?", checked)
	}
}
