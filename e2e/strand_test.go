package e2e_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eipctl/eipctl/internal/workload"
)

// TestKillDuringTheUnbindOntoAFullTarget moves EIPs with --force from
// load balancers onto a HaVip that is already full, on every cloud, and cuts the
// run short while the unbinds are under way: by SIGKILL, SIGINT, SIGTERM,
// and by a --timeout shorter than the unbind. The rerun finds each move in
// the journal; its bind is refused, and it puts the EIP back. Every EIP ends
// on its old holder or its new target, none unbound, and every row of the
// rerun names the holder the emulator shows.
func TestKillDuringTheUnbindOntoAFullTarget(t *testing.T) {
	rounds, k := 1, 2
	if *soakFull {
		rounds, k = 5, 3 // three load balancers a region hold the EIPs to move
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 18))
	for i := 0; i < rounds; i++ {
		for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM} {
			after := time.Duration(rng.IntN(400)) * time.Millisecond
			t.Run(fmt.Sprintf("%s-%d-after-%s", sig, i, after), func(t *testing.T) {
				t.Parallel()
				strandAndRerun(t, k, sig, after)
			})
		}
		t.Run(fmt.Sprintf("timeout-%d", i), func(t *testing.T) {
			t.Parallel()
			strandAndRerun(t, k, 0, 0)
		})
	}
}

// unbindDelay is how long the emulator takes to unbind: longer than the
// --timeout of the timed-out run, and than the time to the signal.
const unbindDelay = 1500 * time.Millisecond

// strandAndRerun runs one case: sig 0 is a run whose --timeout ends during
// the unbind.
func strandAndRerun(t *testing.T, k int, sig syscall.Signal, after time.Duration) {
	logFile := filepath.Join(t.TempDir(), "requests.jsonl")
	s := serve(t, "--bind-delay", unbindDelay.String(), "--request-log", logFile)
	plan, before, err := ontoFullTarget(s.parsedInventory(t), k)
	if err != nil {
		t.Fatal(err)
	}
	client := s.clientEnv(t)
	args := writePlans(t, client, s, plan, before, "--timeout", "1m")
	old := s.parsedInventory(t).Holders()
	if sig == 0 {
		first := client.run(append(args, "--timeout", "1s")...)
		mustExit(t, first, 4)
		for key, row := range resultRows(t, first) {
			if row.Status != "timeout" || row.Error == nil || !strings.Contains(row.Error.Message, "UNBOUND") {
				t.Errorf("%s: %s %+v, want timeout saying it is or will be UNBOUND", key, row.Status, row.Error)
			}
		}
	} else {
		first, early := signalRun(t, client, args, sig, func() {
			waitForUnbinds(t, logFile, len(plan))
			time.Sleep(after)
		})
		if sig != syscall.SIGKILL && !early {
			checkCutShortRows(t, first)
		}
	}
	rerun := client.run(args...)
	if rerun.code != 1 && rerun.code != 3 {
		t.Fatalf("rerun: exit %d, want 1 (the full target refused the binds)\n%s", rerun.code, rerun)
	}
	rows := resultRows(t, rerun)
	now := s.parsedInventory(t).Holders()
	for _, it := range plan {
		key := it.Provider + "/" + it.Region + "/" + it.EIP
		row, holder := rows[key], now[key]
		switch {
		case holder == "":
			t.Errorf("%s is UNBOUND after the rerun (row %s %+v)", key, row.Status, row.Error)
		case holder != old[key] && holder != it.Target:
			t.Errorf("%s is on %s: neither its old holder %s nor its target %s", key, holder, old[key], it.Target)
		}
		if cur := deref(row.Current); cur != holder {
			t.Errorf("%s: the rerun's row says currentTargetId %q, the emulator shows %q (%s %+v)", key, cur, holder, row.Status, row.Error)
		}
	}
}

// checkCutShortRows: a run stopped by a signal in the middle of its moves
// says of each EIP still moving that it is or may be UNBOUND, with a way
// back; one whose bind was refused before the signal was put back.
func checkCutShortRows(t *testing.T, first result) {
	t.Helper()
	for key, row := range resultRows(t, first) {
		switch {
		case row.Status == "pending" && row.Error != nil && strings.Contains(row.Error.Message, "UNBOUND") &&
			strings.Contains(row.Error.Message, "eipctl eip associate"):
		case row.Status == "failed" && row.Error != nil && strings.Contains(row.Error.Message, "put it back"):
		default:
			t.Errorf("the interrupted run says %s %s %+v", key, row.Status, row.Error)
		}
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// waitForUnbinds returns once n unbinds are in the emulator's request log:
// the run is in its unbind phase.
func waitForUnbinds(t *testing.T, logFile string, n int) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(logFile)
		seen := 0
		for _, line := range strings.Split(string(b), "\n") {
			var q struct {
				Action string `json:"action"`
				Status int    `json:"status"`
			}
			if json.Unmarshal([]byte(line), &q) == nil && q.Status == 200 &&
				(strings.Contains(q.Action, "Disassociate") || strings.Contains(q.Action, "Unassociate")) {
				seen++
			}
		}
		if seen >= n {
			return
		}
	}
	t.Fatalf("no %d unbinds in the request log within 30s", n)
}

// ontoFullTarget puts k EIPs of each cloud's first region on load balancers and
// fills that region's first HaVip, and plans the k moved onto the HaVip with
// --force: binds the cloud refuses as over the target's capacity.
func ontoFullTarget(inv *workload.Inventory, k int) (plan, before []workload.Item, err error) {
	for _, p := range firstRegions(inv) {
		var holders []workload.Target
		var havip *workload.Target
		for _, tg := range p.Targets {
			switch {
			case tg.Type == "lb":
				holders = append(holders, tg)
			case tg.Type == "havip" && havip == nil:
				havip = &tg
			}
		}
		var free []string
		for _, e := range p.EIPs {
			if e.TargetID == "" {
				free = append(free, e.ID)
			}
		}
		sort.Strings(free)
		fill := 1
		if havip != nil {
			fill = max(havip.Capacity, 1)
		}
		if havip == nil || len(holders) < k || len(free) < k+fill {
			return nil, nil, fmt.Errorf("%s %s: %d load balancers, %d free EIPs, havip %v: seed more", p.Provider, p.Region, len(holders), len(free), havip)
		}
		for i, id := range free[:k] {
			before = append(before, workload.Item{Provider: p.Provider, Region: p.Region, EIP: id, Target: holders[i].ID, TargetType: "lb"})
			plan = append(plan, workload.Item{Provider: p.Provider, Region: p.Region, EIP: id, Target: havip.ID, TargetType: "havip", Force: true})
		}
		for _, id := range free[k : k+fill] {
			before = append(before, workload.Item{Provider: p.Provider, Region: p.Region, EIP: id, Target: havip.ID, TargetType: "havip"})
		}
	}
	return plan, before, nil
}
