package e2e_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// batch60 is a plan of 60 EIPs across the three clouds, each onto a NAT
// gateway (batched calls), and the target each EIP must end on.
func batch60(t *testing.T) (plan string, want map[string]string) {
	t.Helper()
	want = map[string]string{}
	var b strings.Builder
	b.WriteString("bindings:\n")
	add := func(provider, region, eip, target string) {
		fmt.Fprintf(&b, "  - {provider: %s, region: %s, eip: %s, target: %s}\n", provider, region, eip, target)
		want[eip] = target
	}
	for i := 1; i <= 20; i++ {
		half := 1 + (i-1)/10 // ten EIPs per gateway: within every cloud's NAT capacity
		add("alibaba", "cn-hangzhou", fmt.Sprintf("eip-hz%04d", i), fmt.Sprintf("ngw-hz%04d", half))
		add("tencent", "ap-guangzhou", fmt.Sprintf("eip-gz%06d", i), fmt.Sprintf("nat-gz%06d", half))
		add("zenlayer", "asia-east-1", fmt.Sprintf("eip-ae%04d", i), fmt.Sprintf("nat-ae%04d", half))
	}
	return writeFile(t, "plan.yaml", b.String(), 0o600), want
}

// wantAllOnTarget checks through `eip list` that every EIP is bound to its target.
func wantAllOnTarget(t *testing.T, e *env, want map[string]string) {
	t.Helper()
	got := map[string]listedEIP{}
	for _, pr := range [][2]string{{"alibaba", "cn-hangzhou"}, {"tencent", "ap-guangzhou"}, {"zenlayer", "asia-east-1"}} {
		for id, x := range list(t, e, pr[0], pr[1], "--sim") {
			got[id] = x
		}
	}
	for id, target := range want {
		if x := got[id]; x.Status != "associated" || x.TargetID != target {
			t.Errorf("%s is %s on %q, want associated on %s", id, x.Status, x.TargetID, target)
		}
	}
}

// interrupt runs the 60-EIP batch, sends sigs once it is binding (the first
// status line of --verbose), and returns what it reported.
func interrupt(t *testing.T, e *env, plan string, sigs ...syscall.Signal) (result, runDoc) {
	t.Helper()
	b := e.start("alibaba cn-hangzhou eip-hz", "eip", "associate", "--sim", "-f", plan, "-o", "json", "--verbose")
	b.waitSeen(t)
	for i, s := range sigs {
		if i > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		if err := b.cmd.Process.Signal(s); err != nil {
			t.Fatal(err)
		}
	}
	r := b.wait(t)
	var d runDoc
	decodeOnly(t, r, &d)
	return r, d
}

// SIGINT twice: the second stops at once. The report is printed with every
// unconfirmed row pending (none failed), the exit is 130, and
// running the same plan again converges: every EIP on its target, exit 0.
func TestSecondSIGINTStopsAtOnceAndRerunConverges(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "3s")
	plan, want := batch60(t)
	r, d := interrupt(t, e, plan, syscall.SIGINT, syscall.SIGINT)
	mustExit(t, r, 130)
	if len(d.Results) != len(want) {
		t.Fatalf("%d rows, want %d\n%s", len(d.Results), len(want), r)
	}
	pending := 0
	for _, row := range d.Results {
		switch row.Status {
		case "pending":
			pending++
			// The row says why it is not confirmed, and that it is not a failure.
			if row.Error == nil || row.Error.Code != "Interrupted" || row.Error.Class != "transient" {
				t.Errorf("%s: pending with error %+v, want code Interrupted, class transient", row.EIPID, row.Error)
			}
		case "associated":
		default:
			t.Errorf("%s: status %s (%+v), want pending or associated after an interruption", row.EIPID, row.Status, row.Error)
		}
	}
	if pending == 0 || !strings.Contains(r.stderr, "interrupted by SIGINT") || !strings.Contains(r.stderr, "pending") {
		t.Errorf("%d rows pending; stderr should say the run was interrupted and what is pending\n%s", pending, r)
	}
	if d.Summary["pending"] != pending {
		t.Errorf("summary pending %d, rows pending %d", d.Summary["pending"], pending)
	}

	again := decodeRun(t, e.run("eip", "associate", "--sim", "-f", plan, "-o", "json"), 0)
	for _, row := range again.Results {
		if row.Status != "associated" && row.Status != "unchanged" {
			t.Errorf("rerun: %s is %s (%+v)", row.EIPID, row.Status, row.Error)
		}
	}
	wantAllOnTarget(t, e, want)
}

// One SIGTERM: nothing new is sent, what the cloud accepted is confirmed
// (the binds take 1s, well within the 10s drain), exit 143 and never 1.
func TestSIGTERMConfirmsWhatWasSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "1s")
	plan, want := batch60(t)
	start := time.Now()
	r, d := interrupt(t, e, plan, syscall.SIGTERM)
	mustExit(t, r, 143)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %s: the drain after the first signal is at most 10s", took)
	}
	done := 0
	for _, row := range d.Results {
		switch row.Status {
		case "associated":
			done++
		case "pending":
		default:
			t.Errorf("%s: status %s (%+v) after SIGTERM", row.EIPID, row.Status, row.Error)
		}
	}
	if done == 0 || !strings.Contains(r.stderr, "interrupted by SIGTERM") {
		t.Errorf("%d rows confirmed; the drain should confirm what was sent\n%s", done, r)
	}
	decodeRun(t, e.run("eip", "associate", "--sim", "-f", plan, "-o", "json"), 0)
	wantAllOnTarget(t, e, want)
}

// -o jsonl: the first row can be read from the pipe while eipctl is still
// waiting for the others; every line has the keys of a results row, and the
// last is the summary.
func TestJSONLFirstRowBeforeTheRunEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "0s")
	mustExit(t, e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "json"), 0)
	// The already-bound EIP settles after the first read; the others take 4s.
	e = e.with("EIPCTL_SIM_BIND_DELAY", "4s")
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := e.command(ctx, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"-f", writeFile(t, "plan.yaml", `bindings:
  - {eip: eip-hz0001, target: i-hz0001}
  - {eip: eip-hz0002, target: ngw-hz0001}
  - {eip: eip-hz0003, target: ngw-hz0001}
`, 0o600), "-o", "jsonl")
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb eiptest.SyncBuffer
	cmd.Stderr = &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	rd := bufio.NewReader(pipe)
	first, err := rd.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v; stderr:\n%s", err, errb.String())
	}
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
		t.Fatalf("eipctl had ended by the time the first row was read (%s): the rows are not streamed", time.Since(start))
	case <-time.After(100 * time.Millisecond):
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(first), &row); err != nil || row["eipId"] != "eip-hz0001" || row["status"] != "unchanged" {
		t.Fatalf("first line %q (%v), want the unchanged eip-hz0001 row", first, err)
	}
	rowKeys := keys(t, row)
	var rest []string
	for {
		l, err := rd.ReadString('\n')
		if err != nil {
			break
		}
		rest = append(rest, l)
	}
	if err := <-exited; err != nil {
		t.Fatalf("eipctl: %v\n%s", err, errb.String())
	}
	if len(rest) != 3 {
		t.Fatalf("after the first row, %d lines, want 2 rows and the summary: %q", len(rest), rest)
	}
	for _, l := range rest[:2] {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil || keys(t, r) != rowKeys || r["status"] != "associated" {
			t.Errorf("row line %q (%v): want an associated row with keys %s", l, err, rowKeys)
		}
	}
	var last map[string]map[string]any
	if err := json.Unmarshal([]byte(rest[2]), &last); err != nil || last["summary"]["total"] != 3.0 || last["summary"]["associated"] != 2.0 {
		t.Errorf("last line %q (%v), want the summary of 3 rows", rest[2], err)
	}
}

// loggedRequest is one line of `sim serve --request-log`.
type loggedRequest struct {
	Time     time.Time `json:"time"`
	Provider string    `json:"provider"`
	Action   string    `json:"action"`
	Status   int       `json:"status"`
}

func readRequestLog(t *testing.T, path string) []loggedRequest {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []loggedRequest
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var q loggedRequest
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatalf("request log line %q: %v", line, err)
		}
		out = append(out, q)
	}
	return out
}

// Nothing is sent after the first signal: with one call in flight per lane
// and every call slowed to 300ms, the batch is still sending when SIGINT
// comes. The emulator's request log shows no bind arriving after the
// signal (beyond the one call per lane already on the wire), the rows never
// sent are pending, the confirmed ones associated, and a rerun binds exactly
// the rest: one accepted bind per EIP over both runs, every EIP on its target.
func TestNothingSentAfterTheSignal(t *testing.T) {
	t.Parallel()
	const latency = 300 * time.Millisecond
	reqLog := t.TempDir() + "/requests.jsonl"
	s := serve(t, "--latency", latency.String(), "--bind-delay", "1s", "--request-log", reqLog)
	e := s.clientEnv(t)
	plan, want := sixPerRegion(t)
	args := []string{"eip", "associate", "--endpoint", s.Endpoint, "-f", plan, "-o", "json", "--concurrency", "1"}

	// The first accepted call's log record: binds are going out.
	bg := e.start("request accepted", append(args, "--log-level", "info")...)
	bg.waitSeen(t)
	signalled := time.Now()
	if err := bg.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	r := bg.wait(t)
	mustExit(t, r, 130)
	var d runDoc
	decodeOnly(t, r, &d)
	count := map[string]int{}
	for _, row := range d.Results {
		count[row.Status]++
		if row.Status != "associated" && row.Status != "pending" {
			t.Errorf("%s: %s (%+v), want associated or pending", row.EIPID, row.Status, row.Error)
		}
	}
	if count["pending"] == 0 || count["associated"] == 0 {
		t.Fatalf("rows %v: the signal should come while binds are still going out (some confirmed, some never sent)\n%s", count, r)
	}
	// A call on the wire when the signal came arrives within its latency.
	late, first := bindsAfter(t, reqLog, signalled.Add(latency+700*time.Millisecond))
	if late != 0 {
		t.Errorf("%d binds reached the emulator after the signal; nothing new may be sent", late)
	}
	if first >= len(want) {
		t.Errorf("%d binds accepted in the interrupted run: it sent everything", first)
	}

	again := decodeRun(t, e.run(args...), 0)
	for _, row := range again.Results {
		if row.Status != "associated" && row.Status != "unchanged" {
			t.Errorf("rerun: %s is %s (%+v)", row.EIPID, row.Status, row.Error)
		}
	}
	if _, total := bindsAfter(t, reqLog, time.Now().Add(time.Hour)); total != len(want) {
		t.Errorf("%d binds accepted over both runs, want exactly one per EIP (%d)", total, len(want))
	}
	for _, pr := range sixRegions {
		l := list(t, e, pr.provider, pr.region, "--endpoint", s.Endpoint)
		for id, target := range want {
			if x, ok := l[id]; ok && (x.Status != "associated" || x.TargetID != target) {
				t.Errorf("%s is %s on %q, want associated on %s", id, x.Status, x.TargetID, target)
			}
		}
	}
}

// sixRegions are the regions sixPerRegion binds in, with their IDs' forms.
var sixRegions = []struct{ provider, region, eip, target string }{
	{"alibaba", "cn-hangzhou", "eip-hz%04d", "i-hz%04d"}, {"alibaba", "cn-shanghai", "eip-sh%04d", "i-sh%04d"},
	{"tencent", "ap-guangzhou", "eip-gz%06d", "ins-gz%06d"}, {"tencent", "ap-shanghai", "eip-sh%06d", "ins-sh%06d"},
	{"tencent", "ap-beijing", "eip-bj%06d", "ins-bj%06d"},
}

// sixPerRegion writes a plan binding six EIPs to six instances in each of
// sixRegions, and returns it with each EIP's target.
func sixPerRegion(t *testing.T) (plan string, want map[string]string) {
	want = map[string]string{}
	var b strings.Builder
	b.WriteString("bindings:\n")
	for _, r := range sixRegions {
		for i := 1; i <= 6; i++ { // instances 7 and 8 hold the seeded bound EIPs
			id, target := fmt.Sprintf(r.eip, i), fmt.Sprintf(r.target, i)
			fmt.Fprintf(&b, "  - {provider: %s, region: %s, eip: %s, target: %s}\n", r.provider, r.region, id, target)
			want[id] = target
		}
	}
	return writeFile(t, "plan.yaml", b.String(), 0o600), want
}

// bindsAfter counts the binds in the request log that arrived after t0, and
// those accepted.
func bindsAfter(t *testing.T, reqLog string, t0 time.Time) (late, ok int) {
	for _, q := range readRequestLog(t, reqLog) {
		if !strings.HasPrefix(q.Action, "Associate") {
			continue
		}
		if q.Status == 200 {
			ok++
		}
		if q.Time.After(t0) {
			late++
		}
	}
	return late, ok
}
