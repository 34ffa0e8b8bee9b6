package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The race issue 10 is about: machines booting together each claim one EIP
// of the same pool for their own target. Each eipctl process has its own
// state directory (its own run lock, as on separate machines); the cloud they
// race on is one `sim serve`, so the race is real.

// invDoc is what `sim inventory -o json` prints.
type invDoc struct {
	Providers []struct {
		Provider string `json:"provider"`
		Region   string `json:"region"`
		EIPs     []struct {
			ID       string `json:"id"`
			IP       string `json:"ip"`
			Status   string `json:"status"`
			TargetID string `json:"targetId"`
		} `json:"eips"`
		Targets []struct {
			ID         string   `json:"id"`
			Type       string   `json:"type"`
			PrivateIPs []string `json:"privateIps"`
			Capacity   int      `json:"capacity"`
		} `json:"targets"`
	} `json:"providers"`
}

// poolTarget is one machine's target and the flags it needs.
type poolTarget struct {
	id    string
	extra []string
}

// raceSetup reads the server's inventory for one provider's first region:
// poolSize free EIPs for the pool, and n targets, one of every type in turn,
// each with room for one more EIP. It also returns every EIP's holder, to
// check afterwards that nothing outside the pool changed.
func raceSetup(t *testing.T, s *server, provider string, poolSize, n int) (region string, pool []string, targets []poolTarget, holders map[string]string) {
	t.Helper()
	var inv invDoc
	if err := json.Unmarshal([]byte(s.inventory(t)), &inv); err != nil {
		t.Fatal(err)
	}
	for _, p := range inv.Providers {
		if p.Provider != provider {
			continue
		}
		region, holders = p.Region, map[string]string{}
		held := map[string]int{}
		for _, x := range p.EIPs {
			holders[x.ID] = x.TargetID
			held[x.TargetID]++
			if x.TargetID == "" && len(pool) < poolSize {
				pool = append(pool, x.ID)
			}
		}
		byType := map[string][]poolTarget{}
		var types []string
		for _, tg := range p.Targets {
			// Without a capacity in the inventory, only NAT gateways and
			// ENIs are known to hold more than one EIP.
			room := tg.Capacity > held[tg.ID] || tg.Capacity == 0 && (held[tg.ID] == 0 || tg.Type == "nat" || tg.Type == "eni")
			if !room {
				continue
			}
			pt := poolTarget{id: tg.ID}
			if tg.Type == "eni" {
				pt.extra = []string{"--private-ip", tg.PrivateIPs[0]}
			}
			if _, ok := byType[tg.Type]; !ok {
				types = append(types, tg.Type)
			}
			byType[tg.Type] = append(byType[tg.Type], pt)
		}
		for len(targets) < n {
			before := len(targets)
			for _, ty := range types {
				if q := byType[ty]; len(q) > 0 && len(targets) < n {
					targets, byType[ty] = append(targets, q[0]), q[1:]
				}
			}
			if len(targets) == before {
				t.Fatalf("%s %s has room for %d targets, the race needs %d", provider, region, len(targets), n)
			}
		}
		if len(pool) < poolSize {
			t.Fatalf("%s %s has %d free EIPs, the pool needs %d", provider, region, len(pool), poolSize)
		}
		return region, pool, targets, holders
	}
	t.Fatalf("the inventory has no %s", provider)
	return
}

// claimTogether starts one eipctl per target at the same moment, each with
// its own state directory, and returns their results in target order.
func claimTogether(t *testing.T, s *server, provider, region string, pool []string, targets []poolTarget) []result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	type proc struct {
		cmd      *exec.Cmd
		args     []string
		out, err strings.Builder
	}
	procs := make([]*proc, len(targets))
	for i, tg := range targets {
		e := s.clientEnv(t) // a fresh XDG_STATE_HOME: its own lock
		args := append([]string{"eip", "associate", "--endpoint", s.Endpoint, "--provider", provider, "--region", region,
			"--pool", strings.Join(pool, ","), "--target", tg.id, "-o", "json", "--timeout", "40s"}, tg.extra...)
		p := &proc{cmd: e.command(ctx, args...), args: args}
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
		procs[i] = p
	}
	for _, p := range procs {
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	out := make([]result, len(procs))
	for i, p := range procs {
		err := p.cmd.Wait()
		out[i] = result{args: p.args, stdout: p.out.String(), stderr: p.err.String()}
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee) && ee.Exited():
			out[i].code = ee.ExitCode()
		default:
			t.Fatalf("eipctl %s did not finish: %v\n%s", strings.Join(p.args, " "), err, out[i])
		}
	}
	return out
}

// after reads every EIP's holder again.
func after(t *testing.T, s *server, provider, region string) map[string]string {
	t.Helper()
	var inv invDoc
	if err := json.Unmarshal([]byte(s.inventory(t)), &inv); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range inv.Providers {
		if p.Provider == provider && p.Region == region {
			for _, x := range p.EIPs {
				out[x.ID] = x.TargetID
			}
		}
	}
	return out
}

// poolRace runs the race on one cloud and checks what issue 10 promises:
// each winner's target holds exactly one EIP of the pool, the one its row
// names; no EIP is bound twice; each loser exits 1 with one PoolExhausted
// row; nothing outside the pool changed.
func poolRace(t *testing.T, provider string, poolSize, machines int) {
	reqlog := filepath.Join(t.TempDir(), "requests.jsonl")
	// The added latency keeps every machine's read of the pool in flight
	// together, as on a real cloud, so that they really race for the same EIPs.
	s := serve(t, "--request-log", reqlog, "--latency", "30ms")
	region, pool, targets, before := raceSetup(t, s, provider, poolSize, machines)
	results := claimTogether(t, s, provider, region, pool, targets)
	now := after(t, s, provider, region)
	binds, unbinds := bindRequests(t, reqlog, provider)
	want := min(poolSize, machines)
	t.Logf("%s: %d machines, pool of %d: %d bind requests for %d EIPs claimed (%d lost a race)", provider, machines, poolSize, binds, want, binds-want)
	if machines > poolSize && binds <= want {
		// Ten machines reading six free EIPs at once: some must have sent a
		// bind that lost. If none did, the processes did not overlap and this
		// test proved nothing about the race.
		t.Errorf("%d bind requests for %d EIPs: no machine lost a race, so the race did not happen", binds, want)
	}
	if unbinds != 0 {
		t.Errorf("%d unbind requests reached the cloud; a pool claim never unbinds", unbinds)
	}

	inPool := map[string]bool{}
	for _, id := range pool {
		inPool[id] = true
	}
	claimed := map[string]string{} // EIP -> the target whose row names it
	won, lost := 0, 0
	for i, r := range results {
		tg := targets[i].id
		switch r.code {
		case 0:
			d := decodeRun(t, r, 0)
			if len(d.Results) != 1 || d.Results[0].Status != "associated" || !inPool[d.Results[0].EIPID] || d.Results[0].TargetID != tg {
				t.Fatalf("winner %s: rows %+v, want one EIP of the pool associated to it\n%s", tg, d.Results, r)
			}
			id := d.Results[0].EIPID
			if other, dup := claimed[id]; dup {
				t.Fatalf("%s is reported claimed by both %s and %s", id, other, tg)
			}
			claimed[id] = tg
			won++
		case 1:
			d := decodeRun(t, r, 1)
			if len(d.Results) != 1 || d.Results[0].Status != "failed" || d.Results[0].Error == nil || d.Results[0].Error.Code != "PoolExhausted" || d.Results[0].EIPID != "" {
				t.Fatalf("loser %s: rows %+v, want one failed row with code PoolExhausted\n%s", tg, d.Results, r)
			}
			lost++
		default:
			t.Fatalf("%s: exit %d, want 0 or 1\n%s", tg, r.code, r)
		}
	}
	if won != want || lost != machines-want {
		t.Fatalf("%d won and %d lost, want %d and %d", won, lost, want, machines-want)
	}
	holds := map[string][]string{} // target -> pool EIPs it holds now
	for id, holder := range now {
		if inPool[id] && holder != "" {
			holds[holder] = append(holds[holder], id)
		}
		if !inPool[id] && holder != before[id] {
			t.Errorf("%s is outside the pool and moved from %q to %q", id, before[id], holder)
		}
	}
	for id, tg := range claimed {
		if now[id] != tg {
			t.Errorf("%s is reported claimed by %s but the cloud has it on %q", id, tg, now[id])
		}
	}
	for _, tg := range targets {
		want := 0
		for _, owner := range claimed {
			if owner == tg.id {
				want = 1
			}
		}
		if len(holds[tg.id]) != want {
			t.Errorf("%s holds pool EIPs %v, want %d", tg.id, holds[tg.id], want)
		}
	}
}

// bindRequests counts the bind and unbind requests the emulator logged.
func bindRequests(t *testing.T, path, provider string) (binds, unbinds int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var q struct{ Provider, Action string }
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatalf("request log line %q: %v", line, err)
		}
		switch {
		case q.Provider != provider:
		case strings.Contains(q.Action, "Disassociate") || strings.Contains(q.Action, "Unassociate") || strings.Contains(q.Action, "Unbind"):
			unbinds++
		case strings.Contains(q.Action, "Associate"):
			binds++
		}
	}
	return binds, unbinds
}

func TestPoolRace(t *testing.T) {
	for _, provider := range []string{"alibaba", "tencent", "zenlayer"} {
		for _, c := range []struct{ pool, machines int }{{10, 10}, {6, 10}} {
			t.Run(fmt.Sprintf("%s/pool%d-machines%d", provider, c.pool, c.machines), func(t *testing.T) {
				t.Parallel()
				poolRace(t, provider, c.pool, c.machines)
			})
		}
	}
}

// Bad pool input is refused with one line naming the flag, exit 2, and
// nothing reaches the cloud.
func TestPoolUsageSendsNothing(t *testing.T) {
	t.Parallel()
	s, rc, e := recorded(t)
	ali := []string{"eip", "associate", "--endpoint", rc.URL, "--provider", "alibaba", "--region", "cn-hangzhou"}
	assoc := func(extra ...string) []string { return append(append([]string{}, ali...), extra...) }
	twoPerLine := writeFile(t, "pool.txt", "# whitelisted\neip-hz0001\neip-hz0002 eip-hz0003\n", 0o600)
	plan := writeFile(t, "plan.yaml", "bindings:\n  - {provider: alibaba, region: cn-hangzhou, pool: [eip-hz0001, 10.0.0.0/8], target: i-hz0001}\n", 0o600)
	before := s.inventory(t)
	for _, c := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"block too wide", assoc("--pool", "47.96.0.0/16", "--target", "i-hz0001"), []string{"--pool 47.96.0.0/16", "4096"}},
		{"host bits set", assoc("--pool", "47.96.0.5/28", "--target", "i-hz0001"), []string{"47.96.0.0/28"}},
		{"private address", assoc("--pool", "eip-hz0001,192.168.0.1", "--target", "i-hz0001"), []string{"--pool 192.168.0.1", "private"}},
		{"empty entry", assoc("--pool", "eip-hz0001,,eip-hz0002", "--target", "i-hz0001"), []string{"--pool", "empty entry"}},
		{"ID of another cloud", assoc("--pool", "ins-gz000001", "--target", "i-hz0001"), []string{"--pool", "ins-gz000001"}},
		{"--eip with --pool", assoc("--pool", "eip-hz0001", "--eip", "eip-hz0002", "--target", "i-hz0001"), []string{"--eip", "--pool"}},
		{"--count without --pool", assoc("--count", "2", "--target", "i-hz0001"), []string{"--count", "--pool"}},
		{"--count 0", assoc("--pool", "eip-hz0001", "--count", "0", "--target", "i-hz0001"), []string{"--count 0"}},
		{"--client-token with --pool", assoc("--pool", "eip-hz0001", "--client-token", "t1", "--target", "i-hz0001"), []string{"--client-token"}},
		{"no --target", assoc("--pool", "eip-hz0001"), []string{"--target"}},
		{"--force with --pool", assoc("--pool", "eip-hz0001", "--force", "--target", "i-hz0001"), []string{"--force", "never unbinds"}},
		{"pool file with two on a line", assoc("--pool-file", twoPerLine, "--target", "i-hz0001"), []string{"line 3", "one EIP ID"}},
		{"pool file missing", assoc("--pool-file", filepath.Join(t.TempDir(), "nope"), "--target", "i-hz0001"), []string{"--pool-file", "nope"}},
		{"bad pool in a plan", []string{"eip", "associate", "--endpoint", rc.URL, "-f", plan}, []string{"item 1 (line 2)", "10.0.0.0/8"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := rc.count()
			usageExit(t, e.run(c.args...), c.mentions...)
			if sent := rc.count() - n; sent != 0 {
				t.Errorf("%d requests reached the emulator; a usage error must send nothing", sent)
			}
		})
	}
	if after := s.inventory(t); after != before {
		t.Errorf("the emulator's inventory changed")
	}
}

// The user's view of one claim: --pool-file, a dry run naming the first
// candidates, the claim, a rerun that sends nothing, and --count raised.
func TestPoolClaimFlow(t *testing.T) {
	t.Parallel()
	s, rc, e := recorded(t)
	file := writeFile(t, "pool.txt", "# partners whitelist these\n47.96.0.0/29   # eip-hz0001..0006\n\neip-hz0010\n", 0o600)
	base := []string{"eip", "associate", "--endpoint", rc.URL, "--provider", "alibaba", "--region", "cn-hangzhou",
		"--pool-file", file, "--target", "ngw-hz0001", "-o", "json"}
	inPool := map[string]bool{"eip-hz0001": true, "eip-hz0002": true, "eip-hz0003": true, "eip-hz0004": true, "eip-hz0005": true, "eip-hz0006": true, "eip-hz0010": true}

	before := s.inventory(t)
	dry := e.run(append(base, "--dry-run", "--count", "2")...)
	d := decodeRun(t, dry, 0)
	if len(d.Results) != 2 || d.Results[0].Status != "planned" || !inPool[d.Results[0].EIPID] || !inPool[d.Results[1].EIPID] {
		t.Fatalf("dry run rows %+v, want two planned EIPs of the pool\n%s", d.Results, dry)
	}
	if !strings.Contains(dry.stderr, "dry-run: would send alibaba cn-hangzhou AssociateEipAddressBatch") ||
		!strings.Contains(dry.stderr, d.Results[0].EIPID) {
		t.Errorf("the dry run does not show the bind it would send first\n%s", dry)
	}
	if s.inventory(t) != before {
		t.Fatal("a dry run changed the emulator")
	}

	first := decodeRun(t, e.run(base...), 0)
	if len(first.Results) != 1 || first.Results[0].Status != "associated" || !inPool[first.Results[0].EIPID] {
		t.Fatalf("claim rows %+v, want one EIP of the pool associated", first.Results)
	}
	n := rc.count()
	again := decodeRun(t, e.run(base...), 0)
	if len(again.Results) != 1 || again.Results[0].Status != "unchanged" || again.Results[0].EIPID != first.Results[0].EIPID {
		t.Fatalf("rerun rows %+v, want %s unchanged", again.Results, first.Results[0].EIPID)
	}
	if sent := rc.count() - n; sent != 1 {
		t.Errorf("the rerun sent %d requests, want only the one read of the pool", sent)
	}

	more := decodeRun(t, e.run(append(base, "--count", "3")...), 0)
	if more.Summary["unchanged"] != 1 || more.Summary["associated"] != 2 || len(more.Results) != 3 {
		t.Fatalf("--count 3 rows %+v, want the one held unchanged and two more associated", more.Results)
	}
	all := decodeRun(t, e.run(append(base, "--count", "9")...), 3)
	if all.Summary["unchanged"] != 3 || all.Summary["associated"] != 4 || all.Summary["failed"] != 2 {
		t.Fatalf("--count 9 from a pool of 7: summary %v, want 3 unchanged, 4 associated, 2 failed (PoolExhausted)", all.Summary)
	}
}
