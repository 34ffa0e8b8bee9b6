// Package metrics writes what a run did as Prometheus text exposition, for
// node_exporter's textfile collector (--metrics-file PATH). The file is
// replaced atomically at the end of each run: gauges describe the last run,
// counters (_total) add every run's counts to those the file already held,
// so rate() and increase() work across runs. A nil *Run (no --metrics-file)
// accepts every call and writes nothing.
package metrics

import (
	"sort"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Statuses are the row statuses every file lists, zero or not, so an alert
// on one never depends on a series that has not appeared yet.
var Statuses = []eip.Status{eip.StatusAssociated, eip.StatusMoved, eip.StatusDisassociated, eip.StatusUnchanged,
	eip.StatusPending, eip.StatusPlanned, eip.StatusFailed, eip.StatusTimeout}

// Call names a native action of one provider (AssociateEipAddress on alibaba).
type Call struct{ Provider, Action string }

// Run collects one run's counts. Its methods are safe for concurrent use
// (the engine's lanes run at once) and do nothing on a nil *Run.
type Run struct {
	mu        sync.Mutex
	start     time.Time
	end       time.Time
	exitCode  int
	rows      map[eip.Status]float64
	requests  map[Call]float64
	throttles map[Call]float64
	moves     map[string]float64
	rollbacks map[string]float64
}

// New starts collecting a run that started at start.
func New(start time.Time) *Run {
	return &Run{start: start, rows: map[eip.Status]float64{}, requests: map[Call]float64{},
		throttles: map[Call]float64{}, moves: map[string]float64{}, rollbacks: map[string]float64{}}
}

func (r *Run) add(fn func()) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fn()
}

// Row counts one row of the report by its final status.
func (r *Run) Row(s eip.Status) { r.add(func() { r.rows[s]++ }) }

// Request counts one native request sent (retries included: each is a call
// the cloud's rate limit counts).
func (r *Run) Request(provider, action string) {
	r.add(func() { r.requests[Call{provider, action}]++ })
}

// Requests counts n native requests answered, throttled of them refused
// as throttled (the pacers' counts, summed at the end of a run).
func (r *Run) Requests(provider, action string, n, throttled int64) {
	r.add(func() {
		r.requests[Call{provider, action}] += float64(n)
		if throttled > 0 {
			r.throttles[Call{provider, action}] += float64(throttled)
		}
	})
}

// Throttle counts one request the cloud refused as throttled.
func (r *Run) Throttle(provider, action string) {
	r.add(func() { r.throttles[Call{provider, action}]++ })
}

// Move counts one EIP moved off another holder (--force, status moved).
func (r *Run) Move(provider string) { r.add(func() { r.moves[provider]++ }) }

// Rollback counts one EIP put back on its old holder after a bind failed.
func (r *Run) Rollback(provider string) { r.add(func() { r.rollbacks[provider]++ }) }

// Finish records when the run ended and its exit status.
func (r *Run) Finish(end time.Time, exitCode int) {
	r.add(func() { r.end, r.exitCode = end, exitCode })
}

// series is one sample line: a family, its labels in order, a value.
type series struct {
	name   string
	labels []label
	value  float64
}

type label struct{ name, value string }

// key identifies a series within its family, to add counters across runs.
func (s series) key() string {
	k := s.name
	for _, l := range s.labels {
		k += "\x00" + l.name + "=" + l.value
	}
	return k
}

func callSeries(name string, m map[Call]float64) []series {
	var out []series
	for c, v := range m {
		out = append(out, series{name, []label{{"provider", c.Provider}, {"action", c.Action}}, v})
	}
	return out
}

func providerSeries(name string, m map[string]float64) []series {
	var out []series
	for p, v := range m {
		out = append(out, series{name, []label{{"provider", p}}, v})
	}
	return out
}

func sortSeries(ss []series) {
	sort.Slice(ss, func(i, j int) bool { return ss[i].key() < ss[j].key() })
}
