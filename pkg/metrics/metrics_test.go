package metrics_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/metrics"
)

var t0 = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)

func parse(t *testing.T, path string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ss, err := metrics.Parse(f)
	if err != nil {
		b, _ := os.ReadFile(path)
		t.Fatalf("the metrics file is not valid text exposition: %v\n%s", err, b)
	}
	out := map[string]float64{}
	for _, s := range ss {
		k := s.Name
		for _, l := range s.LabelNames {
			k += "," + l + "=" + s.Labels[l]
		}
		out[k] = s.Value
	}
	return out
}

// one is a run of a 3-EIP failover: two moved (one throttled and retried),
// one put back.
func one(start time.Time, code int) *metrics.Run {
	r := metrics.New(start)
	var wg sync.WaitGroup
	for range 2 { // lanes count at once
		wg.Go(func() {
			r.Request("alibaba", "UnassociateEipAddress")
			r.Request("alibaba", "AssociateEipAddress")
			r.Move("alibaba")
			r.Row(eip.StatusMoved)
		})
	}
	wg.Wait()
	r.Request("alibaba", "AssociateEipAddress")
	r.Throttle("alibaba", "AssociateEipAddress")
	r.Rollback("alibaba")
	r.Row(eip.StatusFailed)
	r.Request("tencent", "DescribeAddresses")
	r.Finish(start.Add(4500*time.Millisecond), code)
	return r
}

// The file parses as Prometheus text format and says what the run did.
func TestWriteParsesAndCounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "eipctl.prom")
	if err := one(t0, 3).Write(path); err != nil {
		t.Fatal(err)
	}
	got := parse(t, path)
	for k, want := range map[string]float64{
		"eipctl_last_run_timestamp_seconds":                                   float64(t0.Unix()) + 4.5,
		"eipctl_last_run_duration_seconds":                                    4.5,
		"eipctl_last_run_exit_code":                                           3,
		"eipctl_last_success_timestamp_seconds":                               0,
		"eipctl_last_run_rows,status=moved":                                   2,
		"eipctl_last_run_rows,status=failed":                                  1,
		"eipctl_last_run_rows,status=timeout":                                 0,
		"eipctl_rows_total,status=moved":                                      2,
		"eipctl_runs_total,code=3":                                            1,
		"eipctl_requests_total,provider=alibaba,action=AssociateEipAddress":   3,
		"eipctl_requests_total,provider=alibaba,action=UnassociateEipAddress": 2,
		"eipctl_requests_total,provider=tencent,action=DescribeAddresses":     1,
		"eipctl_throttles_total,provider=alibaba,action=AssociateEipAddress":  1,
		"eipctl_moves_total,provider=alibaba":                                 2,
		"eipctl_rollbacks_total,provider=alibaba":                             1,
	} {
		if v, ok := got[k]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644 so node_exporter can read it", st.Mode().Perm(), err)
	}
}

// A second run replaces the gauges and adds to the counters; the time of the
// last success survives a failed run; no temporary file is left behind.
func TestWriteAddsCountersAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "eipctl.prom")
	if err := one(t0, 0).Write(path); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Minute)
	if err := one(later, 1).Write(path); err != nil {
		t.Fatal(err)
	}
	got := parse(t, path)
	for k, want := range map[string]float64{
		"eipctl_last_run_exit_code":                                          1,
		"eipctl_last_run_rows,status=moved":                                  2,
		"eipctl_rows_total,status=moved":                                     4,
		"eipctl_runs_total,code=0":                                           1,
		"eipctl_runs_total,code=1":                                           1,
		"eipctl_throttles_total,provider=alibaba,action=AssociateEipAddress": 2,
		"eipctl_moves_total,provider=alibaba":                                4,
		"eipctl_last_success_timestamp_seconds":                              float64(t0.Unix()) + 4.5,
	} {
		if got[k] != want {
			t.Errorf("after two runs %s = %v, want %v", k, got[k], want)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".prom") && e.Name() != "eipctl.prom" || strings.Contains(e.Name(), "tmp") {
			t.Errorf("left behind %s (the textfile collector reads every *.prom)", e.Name())
		}
	}
}

// A damaged file restarts the counters instead of failing the run.
func TestWriteOverDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "eipctl.prom")
	os.WriteFile(path, []byte("eipctl_runs_total{code=\"0\" 7\n"), 0o644)
	if err := one(t0, 0).Write(path); err != nil {
		t.Fatal(err)
	}
	if got := parse(t, path); got["eipctl_runs_total,code=0"] != 1 {
		t.Errorf("runs_total = %v after a damaged file, want 1 (restarted)", got["eipctl_runs_total,code=0"])
	}
}

// Without --metrics-file the run is nil and every call is a no-op.
func TestNilRunWritesNothing(t *testing.T) {
	var r *metrics.Run
	r.Row(eip.StatusMoved)
	r.Request("alibaba", "X")
	r.Finish(t0, 0)
	path := filepath.Join(t.TempDir(), "eipctl.prom")
	if err := r.Write(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a nil run wrote a file")
	}
}

// The parser is strict: what Prometheus would refuse, it refuses.
func TestParseRefusesBadExposition(t *testing.T) {
	for name, text := range map[string]string{
		"no type":          "eipctl_x 1\n",
		"no newline":       "# TYPE eipctl_x gauge\neipctl_x 1",
		"bad value":        "# TYPE eipctl_x gauge\neipctl_x one\n",
		"unquoted label":   "# TYPE eipctl_x gauge\neipctl_x{a=b} 1\n",
		"duplicate series": "# TYPE eipctl_x gauge\neipctl_x{a=\"b\"} 1\neipctl_x{a=\"b\"} 2\n",
		"split family":     "# TYPE eipctl_x gauge\n# TYPE eipctl_y gauge\neipctl_x 1\neipctl_y 1\neipctl_x{a=\"c\"} 1\n",
		"counter name":     "# TYPE eipctl_x counter\neipctl_x 1\n",
		"bad escape":       "# TYPE eipctl_x gauge\neipctl_x{a=\"\\t\"} 1\n",
		"type twice":       "# TYPE eipctl_x gauge\n# TYPE eipctl_x counter\n",
	} {
		if _, err := metrics.Parse(strings.NewReader(text)); err == nil {
			t.Errorf("%s: accepted %q", name, text)
		}
	}
	ss, err := metrics.Parse(strings.NewReader("# HELP eipctl_x a \"help\"\n# TYPE eipctl_x gauge\neipctl_x{a=\"q\\\"\\\\\\n\"} 1.5e3\n"))
	if err != nil || len(ss) != 1 || ss[0].Labels["a"] != "q\"\\\n" || ss[0].Value != 1500 {
		t.Errorf("a valid line with escapes: %+v %v", ss, err)
	}
}
