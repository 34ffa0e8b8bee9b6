package e2e_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// metricsStatuses are the row statuses the file lists, zero or not
// (docs/recipes.md#metrics-for-prometheus).
var metricsStatuses = []string{"associated", "moved", "disassociated", "unchanged", "pending", "planned", "failed", "timeout"}

// --metrics-file writes Prometheus text exposition that a strict reader
// takes, and its counts are the report's: eipctl_last_run_rows{status} the
// last run's rows by status, eipctl_rows_total{status} and
// eipctl_runs_total{code} summed over both runs, eipctl_moves_total the
// rows moved, eipctl_last_run_exit_code the exit status, and a request
// counted for each cloud the plan touched.
func TestMetricsFileParsesAndMatchesTheReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	metrics := filepath.Join(t.TempDir(), "eipctl.prom")
	plan := writeFile(t, "plan.yaml", `bindings:
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0001}
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0002, target: ngw-hz0001}
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0024, target: i-hz0008}
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0023, target: i-hz0002}
  - {provider: zenlayer, region: asia-east-1, eip: eip-ae0024, target: nat-ae0001, force: true}
  - {provider: tencent, region: ap-guangzhou, eip: eip-gz000001, target: nat-gz000001}
`, 0o600)
	args := []string{"eip", "associate", "--sim", "-f", plan, "--metrics-file", metrics, "-o", "json"}
	first := decodeRun(t, e.run(args...), 3)
	// eip-hz0024 is on i-hz0008 already; eip-hz0023 is bound elsewhere and
	// the row has no force: one of each besides the binds and the move.
	first.wantRows(t, map[string]string{"eip-hz0001": "associated", "eip-hz0002": "associated", "eip-hz0024": "unchanged",
		"eip-hz0023": "failed", "eip-ae0024": "moved", "eip-gz000001": "associated"})
	f := readProm(t, metrics)
	checkRunMetrics(t, f, "first run", 3, []runDoc{first})

	// A second run adds to the counters and replaces the gauges.
	second := decodeRun(t, e.run(args...), 3)
	f = readProm(t, metrics)
	checkRunMetrics(t, f, "second run", 3, []runDoc{first, second})
	for _, p := range []string{"alibaba", "tencent", "zenlayer"} {
		n := 0.0
		for key, v := range f.values {
			if strings.HasPrefix(key, "eipctl_requests_total{") && strings.Contains(key, `provider="`+p+`"`) {
				n += v
			}
		}
		if n == 0 {
			t.Errorf("eipctl_requests_total counts no request of %s, which the plan reads and binds", p)
		}
	}
}

// checkRunMetrics compares the file with the reports of every run so far,
// the last one last, each of which exited code.
func checkRunMetrics(t *testing.T, f promFile, what string, code int, runs []runDoc) {
	t.Helper()
	last := runs[len(runs)-1]
	total, lastRows, moved := map[string]float64{}, map[string]float64{}, 0.0
	for i, r := range runs {
		for _, row := range r.Results {
			total[row.Status]++
			if i == len(runs)-1 {
				lastRows[row.Status]++
			}
			if row.Status == "moved" {
				moved++
			}
		}
	}
	for _, s := range metricsStatuses {
		want(t, f, what, lastRows[s], "eipctl_last_run_rows", "status", s)
		want(t, f, what, total[s], "eipctl_rows_total", "status", s)
	}
	if n := float64(len(last.Results)); lastRows["associated"]+lastRows["unchanged"]+lastRows["moved"]+lastRows["failed"] != n {
		t.Errorf("%s: the report has rows of statuses the test does not count: %+v", what, last.Summary)
	}
	want(t, f, what, float64(len(runs)), "eipctl_runs_total", "code", strconv.Itoa(code))
	want(t, f, what, float64(code), "eipctl_last_run_exit_code")
	want(t, f, what, moved, "eipctl_moves_total", "provider", "zenlayer")
	for _, typed := range [][2]string{{"eipctl_last_run_rows", "gauge"}, {"eipctl_rows_total", "counter"}, {"eipctl_requests_total", "counter"}} {
		if f.types[typed[0]] != typed[1] {
			t.Errorf("%s: %s is of TYPE %q, want %s", what, typed[0], f.types[typed[0]], typed[1])
		}
	}
}

func want(t *testing.T, f promFile, what string, v float64, name string, labels ...string) {
	t.Helper()
	got, ok := f.get(name, labels...)
	if !ok || got != v {
		t.Errorf("%s: %s%v is %v (present %v), want %v as the report says", what, name, labels, got, ok, v)
	}
}

func readProm(t *testing.T, path string) promFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("--metrics-file: %v", err)
	}
	f, err := parseProm(string(b))
	if err != nil {
		t.Fatalf("%s is not Prometheus text format: %v\n%s", path, err, b)
	}
	return f
}
