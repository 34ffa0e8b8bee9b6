package examples_test

import (
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

var hookEnv = []string{"FAILOVER_ENV=/nonexistent", "FAILOVER_SYSLOG=0", "FAILOVER_EIPCTL_FLAGS=--sim",
	"EIPCTL_PROVIDER=alibaba", "EIPCTL_REGION=cn-hangzhou", "FAILOVER_TARGET=i-hz0001"}

// The keepalived hook moves an EIP from the old MASTER (its peer) to this
// node, is a no-op when run again, and stops at once on an EIP that does
// not exist.
func TestKeepalivedHookMovesEIPHere(t *testing.T) {
	isolate(t)
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

// Two nodes (two state directories, one cloud) fail over with the hook: B
// takes the EIP from its peer A; a third node C takes it over; then A's
// late, stale hook (its peer is B, not C) loses: refused with
// UnexpectedHolder, tried once, and the EIP stays on C. Each node's journal
// records its own moves.
func TestKeepalivedTwoNodesStaleCallLoses(t *testing.T) {
	isolate(t)
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
		d := eiptest.DecodeJSON[struct {
			EIPs []struct{ Status, TargetID string }
		}](t, out, "the eip describe document")
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
