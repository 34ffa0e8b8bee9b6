package e2e_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/internal/workload"
)

// The soak and kill-and-rerun tests run short in `go test ./...` (CI) and in
// full with flags: `make soak`, or
//
//	go test ./e2e -run 'Soak|Kill' -count=1 -v -soak
var soakSeed = flag.Int64("soak-seed", 0, "the soak's fault seed (default: a new one each run, logged)")

var soakFull = flag.Bool("soak", false, "run the soak and kill-and-rerun tests at full size (1,000 bindings; 20 kills of each kind)")

// faultMix is the soak's weather: throttling 10%, server errors 5%, resets
// 2%, conflicts 2% and answers lost after the change was made 1%, on every
// action of every cloud, reproducible by seed.
var faultMix = []string{
	"--fault", "throttle,p=0.10",
	"--fault", "unavailable,p=0.05",
	"--fault", "reset,p=0.02",
	"--fault", "conflict,p=0.02",
	"--fault", "drop-after-commit,p=0.01",
}

// TestSoak binds many EIPs across the three clouds under every kind of fault
// and checks that the report tells the truth: every EIP ends on its
// requested target, no row disagrees with the emulator's final state, and
// the run exits 0.
func TestSoak(t *testing.T) {
	n, seed := 90, time.Now().UnixNano()%1000
	if *soakSeed != 0 {
		seed = *soakSeed
	}
	if *soakFull {
		n = 1000
	}
	logFile := filepath.Join(t.TempDir(), "requests.jsonl")
	args := append([]string{"--seed-eips", fmt.Sprint(n/4 + 60), "--request-log", logFile,
		"--fault-seed", fmt.Sprint(seed)}, faultMix...)
	s := serve(t, args...)
	inv := s.parsedInventory(t)
	want, _ := inv.Spread(n, nil)
	plan, _, err := workload.Make(inv, want, false)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := workload.Write(path, plan); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	t.Logf("soak: %d bindings, fault seed %d (rerun the same with -soak-seed %d)", len(plan), seed, seed)
	r := s.clientEnv(t).runWithin(11*time.Minute, "", "eip", "associate", "-f", path, "-o", "json", "--endpoint", s.Endpoint, "--timeout", "10m")
	wall := time.Since(t0)
	rows := resultRows(t, r)
	final := s.parsedInventory(t).Holders()
	checkTruth(t, plan, rows, final)
	if r.code != 0 {
		t.Errorf("exit %d, want 0\n%s", r.code, tailString(r.stderr))
	}
	kinds := formatCounts(answers(t, logFile, 0))
	t.Logf("soak: %d bindings across three clouds, fault seed %d, %s wall; answers by code: %s",
		len(plan), seed, wall.Round(time.Millisecond), kinds)
}

// checkTruth compares every row with the emulator's final state: the EIP is
// on its requested target, and its row says so.
func checkTruth(t *testing.T, plan []workload.Item, rows map[string]resultRow, final map[string]string) {
	t.Helper()
	wrong, lies := 0, 0
	for _, it := range plan {
		key := it.Provider + "/" + it.Region + "/" + it.EIP
		holder := final[key]
		row, ok := rows[key]
		switch {
		case !ok:
			t.Errorf("%s: no row in the report", key)
		case holder != it.Target:
			wrong++
			t.Errorf("%s: on %q, want %q (row says %s %v)", key, holder, it.Target, row.Status, row.Error)
		case row.Status != "associated" && row.Status != "unchanged" && row.Status != "moved":
			lies++
			t.Errorf("%s: row says %s (%v) but the EIP is on %s as asked", key, row.Status, row.Error, holder)
		}
		if ok && row.Current != nil && *row.Current != holder {
			lies++
			t.Errorf("%s: row says currentTargetId %q, the emulator says %q", key, *row.Current, holder)
		}
	}
	if wrong+lies > 0 {
		t.Errorf("%d EIPs on a wrong target, %d rows that disagree with the emulator", wrong, lies)
	}
}

// resultRows reads a report's rows by provider/region/eipId, whatever the
// exit code; a report that is not JSON fails the test.
func resultRows(t *testing.T, r result) map[string]resultRow {
	t.Helper()
	var doc struct {
		Results []resultRow `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("no JSON report: %v\n%s", err, r)
	}
	out := map[string]resultRow{}
	for _, row := range doc.Results {
		out[row.Provider+"/"+row.Region+"/"+row.EIPID] = row
	}
	return out
}

// parsedInventory is the server's state, decoded.
func (s *server) parsedInventory(t *testing.T) *workload.Inventory {
	t.Helper()
	inv, err := workload.ParseInventory([]byte(s.inventory(t)))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// answers counts the request log's answers from line `from` on, by error
// code and action ("ok" for a success).
func answers(t *testing.T, path string, from int) map[string]int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("request log: %v", err)
	}
	n := map[string]int{}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	for _, line := range lines[min(from, len(lines)):] {
		if len(line) == 0 {
			continue
		}
		var e struct {
			Action string `json:"action"`
			Code   string `json:"code"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("request log line %q: %v", line, err)
		}
		switch {
		case e.Code != "":
			n[e.Code+"@"+e.Action]++
		case e.Status == 0 || e.Status >= 400:
			n[fmt.Sprintf("status-%d@%s", e.Status, e.Action)]++
		default:
			n["ok"]++
		}
	}
	return n
}

func formatCounts(n map[string]int) string {
	var parts []string
	for k, v := range n {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func tailString(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
