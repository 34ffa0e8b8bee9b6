package cli

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

// runOn runs one command line in a fresh Factory; errTTY says whether
// stderr passes for a terminal (true: the way a person sees it).
func runOn(t *testing.T, errTTY bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, out, errb := output.Test()
	streams.ErrTTY = errTTY
	f := &Factory{Streams: streams, Clouds: all.Clouds, Version: "test"}
	defer f.Close()
	code = Run(context.Background(), f, args)
	return code, out.String(), errb.String()
}

// holdLock takes the run lock as another eipctl run would; the returned
// func releases it.
func holdLock(t *testing.T, r *runFlags) func() {
	t.Helper()
	streams, _, _ := output.Test()
	holder := &Factory{Streams: streams, Clouds: all.Clouds}
	unlock, err := holder.lock(context.Background(), NewRoot(holder), r)
	if err != nil {
		t.Fatal(err)
	}
	return unlock
}

var hz = []string{"eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou"}

func args(extra ...string) []string { return append(append([]string{}, hz...), extra...) }

func TestLockWaitWaitsForTheOtherRun(t *testing.T) {
	isolate(t)
	unlock := holdLock(t, &runFlags{})
	go func() { time.Sleep(400 * time.Millisecond); unlock() }()
	start := time.Now()
	code, _, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "--lock-wait", "20s", "-o", "json")...)
	if code != 0 || time.Since(start) < 400*time.Millisecond {
		t.Fatalf("exit %d after %s, want 0 once the other run let go of the lock\n%s", code, time.Since(start), stderr)
	}
}

func TestLockWaitGivesUpWith6(t *testing.T) {
	isolate(t)
	defer holdLock(t, &runFlags{})()
	code, stdout, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "--lock-wait", "300ms")...)
	if code != ExitLockHeld || stdout != "" || !strings.Contains(stderr, "--lock-wait 300ms") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 6 naming --lock-wait", code, stdout, stderr)
	}
}

// --lock FILE is the lock runs share: the same file excludes, another does not.
func TestLockFileChoosesTheLock(t *testing.T) {
	dir := isolate(t)
	file := dir + "/failover.lock"
	defer holdLock(t, &runFlags{lockFile: file})()
	code, _, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "--lock", file)...)
	if code != ExitLockHeld || !strings.Contains(stderr, file) {
		t.Fatalf("same --lock: exit %d %q, want 6 naming %s", code, stderr, file)
	}
	if code, _, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "json")...); code != 0 {
		t.Fatalf("the default lock is another file: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "--lock", dir+"/no/such/dir/x.lock")...); code != ExitFailure || !strings.Contains(stderr, "--lock") {
		t.Fatalf("unwritable --lock: exit %d %q", code, stderr)
	}
}

// A signal while waiting for the lock ends the wait at once: nothing sent,
// no report, 130 for SIGINT and 143 for SIGTERM.
func TestSignalWhileWaitingForTheLock(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, ExitInterrupted}, {syscall.SIGTERM, ExitTerminated}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			isolate(t)
			defer holdLock(t, &runFlags{})()
			streams, out, errb := output.Test()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := &Factory{Streams: streams, Clouds: all.Clouds, Version: "test", interrupt: newInterrupts(cancel)}
			defer f.Close()
			go func() { time.Sleep(200 * time.Millisecond); f.interrupt.receive(c.sig) }()
			start := time.Now()
			code := Run(ctx, f, args("--eip", "eip-hz0001", "--target", "i-hz0001", "--lock-wait", "30s"))
			if code != c.code || out.Len() != 0 || !strings.Contains(errb.String(), "nothing was sent") || time.Since(start) > 5*time.Second {
				t.Fatalf("exit %d after %s, stdout %q, stderr %q; want %d at once", code, time.Since(start), out, errb, c.code)
			}
		})
	}
}

// The first signal of a run drains, the second cancels; outside a run the
// first cancels (eip list, sim serve stop at once).
func TestInterruptStages(t *testing.T) {
	cancelled := 0
	in := newInterrupts(func() { cancelled++ })
	in.drain()
	if in.receive(syscall.SIGTERM) || cancelled != 0 {
		t.Fatalf("first signal of a run must only close stop")
	}
	select {
	case <-in.stopped():
	default:
		t.Fatal("stop not closed by the first signal")
	}
	if !in.receive(syscall.SIGINT) || cancelled != 1 || in.code() != ExitTerminated {
		t.Fatalf("second signal: cancelled %d, code %d; want cancel and the first signal's code 143", cancelled, in.code())
	}
	idle := newInterrupts(func() { cancelled++ })
	if !idle.receive(syscall.SIGINT) || cancelled != 2 || idle.code() != ExitInterrupted {
		t.Fatal("outside a run the first signal cancels")
	}
}

func TestConcurrencyMustBePositive(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "--concurrency", "0")...)
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "--concurrency") {
		t.Fatalf("exit %d %q %q, want 2 naming --concurrency", code, stdout, stderr)
	}
}

// -o jsonl: a line per row with exactly the keys of a results row of -o
// json, then one summary line with the same summary.
func TestJSONLRowsThenSummary(t *testing.T) {
	isolate(t)
	if code, _, stderr := run(t, args("--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "json")...); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := run(t, args("--eip", "eip-hz0001,eip-hz0002", "--target", "i-hz0001", "-o", "jsonl")...)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("exit %d: %d lines, want 2 rows and a summary:\n%s\n%s", code, len(lines), stdout, stderr)
	}
	// The keys of a results row and of the summary, as -o json prints them.
	var resultKeys, summaryKeys map[string]any
	b, _ := json.Marshal(eip.Result{})
	_ = json.Unmarshal(b, &resultKeys)
	b, _ = json.Marshal(eip.Summary{})
	_ = json.Unmarshal(b, &summaryKeys)
	rows := map[string]bool{}
	for _, l := range lines[:2] {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("row line %q: %v", l, err)
		}
		if keySet(row) != keySet(resultKeys) {
			t.Errorf("jsonl row keys %s, results row keys %s", keySet(row), keySet(resultKeys))
		}
		rows[row["eipId"].(string)+" "+row["status"].(string)] = true
	}
	if !rows["eip-hz0001 unchanged"] || len(rows) != 2 {
		t.Errorf("rows %v", rows)
	}
	var last map[string]map[string]any
	if err := json.Unmarshal([]byte(lines[2]), &last); err != nil || len(last) != 1 || keySet(last["summary"]) != keySet(summaryKeys) || last["summary"]["total"] != 2.0 {
		t.Fatalf("last line %q (%v), want {\"summary\": {%s}} with total 2", lines[2], err, keySet(summaryKeys))
	}
}

// keySet is a map's keys, sorted and comma-separated.
func keySet[V any](m map[string]V) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ",")
}

// The progress line is drawn only on a terminal, per-EIP lines only with
// --verbose or --debug, and --quiet leaves stderr empty.
func TestProgressOnlyOnATerminal(t *testing.T) {
	isolate(t)
	bind := args("--eip", "eip-hz0003,eip-hz0004", "--target", "ngw-hz0001", "-o", "json")
	code, _, stderr := runOn(t, true, bind...)
	if code != 0 || !strings.Contains(stderr, "\r") || !strings.Contains(stderr, "(2/2)") || !strings.Contains(stderr, "associate: moved 0") {
		t.Fatalf("terminal: exit %d, stderr %q; want the progress line", code, stderr)
	}
	if strings.Contains(stderr, "eip-hz0003") {
		t.Errorf("terminal without --verbose printed per-EIP lines: %q", stderr)
	}
	isolate(t)
	if code, _, stderr := run(t, bind...); code != 0 || stderr != "" {
		t.Fatalf("no terminal: exit %d, stderr %q; want nothing on stderr", code, stderr)
	}
	isolate(t)
	if code, _, stderr := run(t, append(bind, "--verbose")...); code != 0 || strings.Contains(stderr, "\r") ||
		!strings.Contains(stderr, "alibaba cn-hangzhou eip-hz0003: associated") {
		t.Fatalf("--verbose, no terminal: exit %d, stderr %q; want plain status lines", code, stderr)
	}
	isolate(t)
	if code, _, stderr := runOn(t, true, append(bind, "--quiet", "--verbose")...); code != 0 || stderr != "" {
		t.Fatalf("--quiet: exit %d, stderr %q; want only the report", code, stderr)
	}
}

// The table adds PREVIOUS for rows that came from (or stayed on) another
// target and CURRENT where a run left an EIP neither on its target nor where
// it was; neither when everything is plain.
func TestTableShowsWhereEIPsCameFromAndAre(t *testing.T) {
	s := func(v string) *string { return &v }
	plain := []eip.Result{{EIPID: "eip-1", TargetID: "i-1", Status: eip.StatusAssociated, PreviousTargetID: nil, CurrentTargetID: s("i-1")}}
	if h := strings.Join(resultRows(plain, false).Header, " "); strings.Contains(h, "PREVIOUS") || strings.Contains(h, "CURRENT") {
		t.Errorf("plain run header %q", h)
	}
	moved := append(plain, eip.Result{EIPID: "eip-2", TargetID: "i-1", Status: eip.StatusMoved, PreviousTargetID: s("i-9"), CurrentTargetID: s("i-1")},
		eip.Result{EIPID: "eip-3", TargetID: "i-1", Status: eip.StatusFailed, PreviousTargetID: s("i-8"), CurrentTargetID: s("i-8"),
			Error: &eip.Error{Code: "X", Message: "refused; eip-3 is back on i-8"}})
	if h := strings.Join(resultRows(moved, false).Header, " "); !strings.Contains(h, "STATUS PREVIOUS ERROR") {
		t.Fatalf("moved and put back: header %q, want PREVIOUS and no CURRENT", h)
	}
	moved = append(moved, eip.Result{EIPID: "eip-4", TargetID: "i-1", Status: eip.StatusFailed, PreviousTargetID: s("i-7"),
		Error: &eip.Error{Code: "Y", Message: "eip-4 is unbound"}})
	rows := resultRows(moved, false)
	if h := strings.Join(rows.Header, " "); !strings.Contains(h, "STATUS PREVIOUS CURRENT ERROR") {
		t.Fatalf("left unbound: header %q, want PREVIOUS and CURRENT", h)
	}
	if got := strings.Join(rows.Rows[0], " "); !strings.Contains(got, "associated - i-1") {
		t.Errorf("row 1 %q", got)
	}
	if got := strings.Join(rows.Rows[1], " "); !strings.Contains(got, "moved i-9 i-1") {
		t.Errorf("row 2 %q", got)
	}
	if got := strings.Join(rows.Rows[2], " "); !strings.Contains(got, "failed i-8 i-8 X") {
		t.Errorf("row 3 %q", got)
	}
	if got := strings.Join(rows.Rows[3], " "); !strings.Contains(got, "failed i-7 - Y") {
		t.Errorf("row 4 %q", got)
	}
	unbound := []eip.Result{{EIPID: "eip-1", TargetID: "i-1", Status: eip.StatusDisassociated, PreviousTargetID: s("i-1")}}
	if h := strings.Join(resultRows(unbound, true).Header, " "); strings.Contains(h, "PREVIOUS") || strings.Contains(h, "CURRENT") {
		t.Errorf("disassociate header %q", h)
	}
}
