package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eipctl/eipctl/internal/workload"
)

// boundWord is each cloud's own status word for an EIP fully bound.
var boundWord = map[string]string{"alibaba": "InUse", "tencent": "BIND", "zenlayer": "BINDED"}

// TestKillAndRerun interrupts a 60-EIP three-cloud batch at random points,
// with SIGINT and with SIGKILL, and reruns it: the interrupted run's report
// (when it has one) tells the truth, the rerun exits 0 with every EIP on its
// target, and nothing is sent again for an EIP already in place.
func TestKillAndRerun(t *testing.T) {
	rounds := 3
	if *soakFull {
		rounds = 20
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		for i := 0; i < rounds; i++ {
			after := time.Duration(rng.IntN(1500)) * time.Millisecond
			t.Run(fmt.Sprintf("%s-%02d-after-%s", sig, i, after), func(t *testing.T) {
				t.Parallel()
				killAndRerun(t, sig, after, false)
			})
		}
	}
}

// TestForceMoveKillRerun moves EIPs off one NAT gateway onto another with
// --force while the emulator throttles, kills eipctl with SIGKILL in the
// middle, and reruns: every EIP ends on the new gateway and the rerun's
// report accounts for every one of them.
func TestForceMoveKillRerun(t *testing.T) {
	for _, after := range []time.Duration{400 * time.Millisecond, 900 * time.Millisecond} {
		t.Run(fmt.Sprint(after), func(t *testing.T) {
			t.Parallel()
			killAndRerun(t, syscall.SIGKILL, after, true)
		})
	}
}

func killAndRerun(t *testing.T, sig syscall.Signal, after time.Duration, move bool) {
	logFile := filepath.Join(t.TempDir(), "requests.jsonl")
	extra := []string{"--bind-delay", "300ms", "--request-log", logFile, "--seed-eips", "120"}
	if move {
		extra = append(extra, "--fault", "throttle,p=0.1", "--fault-seed", "11")
	}
	s := serve(t, extra...)
	inv := s.parsedInventory(t)
	var plan, before []workload.Item
	var err error
	if move {
		plan, before, err = natToNAT(inv, 60)
	} else {
		want, _ := inv.Spread(60, nil)
		plan, _, err = workload.Make(inv, want, false)
	}
	if err != nil {
		t.Fatal(err)
	}
	client := s.clientEnv(t)
	args := writePlans(t, client, s, plan, before, "--timeout", "2m")
	first, early := signalRun(t, client, args, sig, func() { time.Sleep(after) })
	if sig == syscall.SIGINT && !early {
		checkInterruptedReport(t, s, first, after)
	}
	checkRerun(t, s, client, args, plan, logFile, move, fmt.Sprintf("%s at %s", sig, after))
}

// writePlans binds before (when given) and writes plan: it returns the
// arguments of the run of plan.
func writePlans(t *testing.T, client *env, s *server, plan, before []workload.Item, flags ...string) []string {
	t.Helper()
	conn := append([]string{"--endpoint", s.Endpoint, "-o", "json"}, flags...)
	dir := t.TempDir()
	if before != nil {
		p := filepath.Join(dir, "before.json")
		if err := workload.Write(p, before); err != nil {
			t.Fatal(err)
		}
		decodeRunLenient(t, client.run(append([]string{"eip", "associate", "-f", p}, conn...)...), 0)
	}
	path := filepath.Join(dir, "plan.json")
	if err := workload.Write(path, plan); err != nil {
		t.Fatal(err)
	}
	return append([]string{"eip", "associate", "-f", path}, conn...)
}

// signalRun starts a run, waits for when to return, and sends it sig. early
// says the signal landed before eipctl set up its handler: the process ended
// the default way, with no report.
func signalRun(t *testing.T, client *env, args []string, sig syscall.Signal, when func()) (first result, early bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := client.command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	when()
	_ = cmd.Process.Signal(sig)
	t0 := time.Now()
	werr := cmd.Wait()
	t.Logf("%s: exit %v, %s after the signal", sig, werr, time.Since(t0).Round(time.Millisecond))
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	}
	early = ee != nil && ee.Sys().(syscall.WaitStatus).Signaled()
	return result{args: args, stdout: out.String(), stderr: errb.String(), code: code}, early
}

// checkInterruptedReport: a run that handled SIGINT was done before it (0)
// or interrupted (130), never "failed", and every row it calls done is so.
func checkInterruptedReport(t *testing.T, s *server, first result, after time.Duration) {
	t.Helper()
	if first.code != 0 && first.code != 130 {
		t.Fatalf("SIGINT after %s: exit %d, want 0 or 130\n%s", after, first.code, first)
	}
	rows := resultRows(t, first)
	now := s.parsedInventory(t).Holders()
	for key, row := range rows {
		switch row.Status {
		case "associated", "unchanged", "moved":
			if now[key] != row.TargetID {
				t.Errorf("interrupted run says %s %s on %s, the emulator has it on %q", key, row.Status, row.TargetID, now[key])
			}
		case "pending":
		default:
			t.Errorf("interrupted run reports %s %s %v: a row must say pending when its outcome is not known", key, row.Status, row.Error)
		}
	}
}

// checkRerun: the rerun converges, and leaves alone what is already in place.
func checkRerun(t *testing.T, s *server, client *env, args []string, plan []workload.Item, logFile string, move bool, what string) {
	t.Helper()
	inPlace := map[string]bool{}
	for _, p := range s.parsedInventory(t).Providers {
		for _, e := range p.EIPs {
			if e.TargetID != "" && e.Status == boundWord[p.Provider] {
				inPlace[p.Provider+"/"+p.Region+"/"+e.ID+"@"+e.TargetID] = true
			}
		}
	}
	mark := logLines(t, logFile)
	rerun := client.run(args...)
	rows := resultRows(t, rerun)
	if rerun.code != 0 {
		t.Fatalf("rerun after %s: exit %d\n%s", what, rerun.code, rerun)
	}
	checkTruth(t, plan, rows, s.parsedInventory(t).Holders())
	for _, it := range plan {
		key := it.Provider + "/" + it.Region + "/" + it.EIP
		if inPlace[key+"@"+it.Target] && rows[key].Status != "unchanged" {
			t.Errorf("%s was already on %s before the rerun, which reports it %s", key, it.Target, rows[key].Status)
		}
		if r := rows[key]; move && r.Status == "moved" && (r.Previous == nil || *r.Previous == it.Target) {
			t.Errorf("%s moved, previousTargetId %v", key, r.Previous)
		}
	}
	if len(rows) != len(plan) {
		t.Errorf("rerun reports %d rows for %d EIPs", len(rows), len(plan))
	}
	refused := answers(t, logFile, mark)
	for k := range refused {
		// The killed run's last requests still count in the cloud's rate
		// window when the rerun starts: a throttle then is fair, not a resend.
		if k == "ok" || strings.HasPrefix(k, "REQUEST_LIMIT_EXCEEDED@") || strings.HasPrefix(k, "RequestLimitExceeded@") || strings.HasPrefix(k, "Throttling") {
			delete(refused, k)
		}
	}
	if !move && len(refused) > 0 {
		t.Errorf("the rerun sent requests the emulator refused (a resend for an EIP in place?): %s", formatCounts(refused))
	}
}

// natToNAT puts n EIPs of every cloud's first region on one NAT gateway
// (as many as it holds), to move them all to another.
func natToNAT(inv *workload.Inventory, n int) (plan, before []workload.Item, err error) {
	for _, p := range firstRegions(inv) {
		var nats []workload.Target
		for _, tg := range p.Targets {
			if tg.Type == "nat" {
				nats = append(nats, tg)
			}
		}
		if len(nats) < 2 {
			return nil, nil, fmt.Errorf("%s %s has %d NAT gateways, need 2", p.Provider, p.Region, len(nats))
		}
		k := n
		if c := min(nats[0].Capacity, nats[1].Capacity); c > 0 {
			k = min(k, c)
		}
		i := 0
		for _, e := range p.EIPs {
			if e.TargetID != "" || i == k {
				continue
			}
			i++
			before = append(before, workload.Item{Provider: p.Provider, Region: p.Region, EIP: e.ID, Target: nats[0].ID, TargetType: "nat"})
			plan = append(plan, workload.Item{Provider: p.Provider, Region: p.Region, EIP: e.ID, Target: nats[1].ID, TargetType: "nat", Force: true})
		}
	}
	return plan, before, nil
}

// firstRegions is each cloud's first region of the inventory.
func firstRegions(inv *workload.Inventory) []workload.Region {
	seen := map[string]bool{}
	var out []workload.Region
	for _, p := range inv.Providers {
		if !seen[p.Provider] {
			seen[p.Provider] = true
			out = append(out, p)
		}
	}
	return out
}

// logLines counts the request log's lines so far.
func logLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("request log: %v", err)
	}
	return bytes.Count(b, []byte("\n"))
}

// decodeRunLenient checks the exit code and returns the rows.
func decodeRunLenient(t *testing.T, r result, code int) map[string]resultRow {
	t.Helper()
	mustExit(t, r, code)
	return resultRows(t, r)
}
