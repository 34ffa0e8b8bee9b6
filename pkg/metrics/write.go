package metrics

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/eipctl/eipctl/pkg/flock"
)

// family is one metric's name, type and help line.
type family struct{ name, kind, help string }

// The metric names are a public contract (docs/recipes.md#metrics-for-prometheus).
var families = []family{
	{"eipctl_last_run_timestamp_seconds", "gauge", "When the last eipctl run ended, in Unix seconds."},
	{"eipctl_last_run_duration_seconds", "gauge", "How long the last eipctl run took."},
	{"eipctl_last_run_exit_code", "gauge", "Exit status of the last eipctl run (docs/exit-codes.md)."},
	{"eipctl_last_success_timestamp_seconds", "gauge", "When an eipctl run last ended with exit status 0, in Unix seconds (0: never)."},
	{"eipctl_last_run_rows", "gauge", "Rows of the last eipctl run by final status."},
	{"eipctl_runs_total", "counter", "eipctl runs by exit status."},
	{"eipctl_rows_total", "counter", "Rows of every eipctl run by final status."},
	{"eipctl_requests_total", "counter", "Native requests sent, by provider and action (retries included)."},
	{"eipctl_throttles_total", "counter", "Requests the cloud refused as throttled, by provider and action."},
	{"eipctl_moves_total", "counter", "EIPs moved off another holder (--force), by provider."},
	{"eipctl_rollbacks_total", "counter", "EIPs put back on their old holder after a failed bind, by provider."},
}

// Write replaces the file at path with this run's metrics. It holds an
// flock on PATH.lock while it reads the counters the file held, adds this
// run's, and renames a fully written and fsynced temporary file (in the
// same directory, named so the textfile collector ignores it) over path:
// a scrape sees the old file or the new one, never half of one, and two
// runs finishing at once both count. A file that cannot be parsed (not
// ours, or damaged) restarts the counters, which Prometheus reads as a
// counter reset.
func (r *Run) Write(path string) error {
	if r == nil || path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("--metrics-file %s: %w: give a file in a directory that exists and is writable", path, err)
	}
	defer lock.Close()
	if err := flock.Lock(lock, true, true); err != nil {
		return fmt.Errorf("--metrics-file %s: %w", path, err)
	}
	defer flock.Unlock(lock)

	var prev []Sample
	if b, err := os.ReadFile(path); err == nil {
		prev, _ = Parse(bytes.NewReader(b)) // unparsable: counters restart
	}
	body := r.render(prev)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("--metrics-file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	_, err = tmp.Write(body)
	if err == nil {
		err = tmp.Chmod(0o644) // node_exporter usually runs as its own user
	}
	if err == nil {
		err = tmp.Sync()
	}
	if e := tmp.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil && runtime.GOOS != "windows" {
		if d, e := os.Open(dir); e == nil {
			err = d.Sync()
			d.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("--metrics-file %s: %w", path, err)
	}
	return nil
}

// render is the exposition text: this run's gauges, and counters that add
// this run's counts to prev's.
func (r *Run) render(prev []Sample) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	end := r.end
	if end.IsZero() {
		end = r.start
	}
	lastOK := 0.0
	for _, s := range prev {
		if s.Name == "eipctl_last_success_timestamp_seconds" {
			lastOK = s.Value
		}
	}
	if r.exitCode == 0 {
		lastOK = unix(end)
	}
	by := map[string][]series{
		"eipctl_last_run_timestamp_seconds":     {{"eipctl_last_run_timestamp_seconds", nil, unix(end)}},
		"eipctl_last_run_duration_seconds":      {{"eipctl_last_run_duration_seconds", nil, end.Sub(r.start).Seconds()}},
		"eipctl_last_run_exit_code":             {{"eipctl_last_run_exit_code", nil, float64(r.exitCode)}},
		"eipctl_last_success_timestamp_seconds": {{"eipctl_last_success_timestamp_seconds", nil, lastOK}},
		"eipctl_runs_total":                     {{"eipctl_runs_total", []label{{"code", strconv.Itoa(r.exitCode)}}, 1}},
		"eipctl_requests_total":                 callSeries("eipctl_requests_total", r.requests),
		"eipctl_throttles_total":                callSeries("eipctl_throttles_total", r.throttles),
		"eipctl_moves_total":                    providerSeries("eipctl_moves_total", r.moves),
		"eipctl_rollbacks_total":                providerSeries("eipctl_rollbacks_total", r.rollbacks),
	}
	for _, s := range Statuses {
		l := []label{{"status", string(s)}}
		by["eipctl_last_run_rows"] = append(by["eipctl_last_run_rows"], series{"eipctl_last_run_rows", l, r.rows[s]})
		by["eipctl_rows_total"] = append(by["eipctl_rows_total"], series{"eipctl_rows_total", l, r.rows[s]})
	}
	addPrevious(by, prev)

	var b bytes.Buffer
	for _, f := range families {
		ss := by[f.name]
		sortSeries(ss)
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.kind)
		for _, s := range ss {
			b.WriteString(s.name)
			if len(s.labels) > 0 {
				parts := make([]string, len(s.labels))
				for i, l := range s.labels {
					parts[i] = l.name + `="` + escape(l.value) + `"`
				}
				b.WriteString("{" + strings.Join(parts, ",") + "}")
			}
			b.WriteString(" " + strconv.FormatFloat(s.value, 'g', -1, 64) + "\n")
		}
	}
	return b.Bytes()
}

// addPrevious adds the counters of the file before this run to by.
func addPrevious(by map[string][]series, prev []Sample) {
	counter := map[string]bool{}
	for _, f := range families {
		counter[f.name] = f.kind == "counter"
	}
	for _, p := range prev {
		if !counter[p.Name] {
			continue
		}
		ps := series{p.Name, nil, p.Value}
		for _, n := range p.LabelNames {
			ps.labels = append(ps.labels, label{n, p.Labels[n]})
		}
		found := false
		for i, s := range by[p.Name] {
			if s.key() == ps.key() {
				by[p.Name][i].value += p.Value
				found = true
			}
		}
		if !found {
			by[p.Name] = append(by[p.Name], ps)
		}
	}
}

func unix(t interface{ UnixNano() int64 }) float64 { return float64(t.UnixNano()) / 1e9 }

// escape writes a label value as the text format wants it.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
