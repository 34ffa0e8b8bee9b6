package journal_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/journal"
)

// writer makes the test binary a second process that appends to the
// journal at the path it is given (TestAppendTwoProcesses).
const writer eiptest.Role = "EIPCTL_JOURNAL_TEST_WRITER"

func TestMain(m *testing.M) {
	writer.Main(m, func(path string) int { return appendBatches(path, "child", 100, 10) })
}

// appendBatches appends n batches of size entries, each EIP named
// who-batch-i so a reader can tell every entry arrived once.
func appendBatches(path, who string, n, size int) int {
	j, err := journal.Open(path, journal.Options{Run: who})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer j.Close()
	for b := range n {
		batch := make([]journal.Entry, size)
		for i := range batch {
			batch[i] = move(fmt.Sprintf("%s-%d-%d", who, b, i), journal.OutcomeIntent)
		}
		if err := j.Append(batch...); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

var (
	holderA = &journal.Holder{TargetID: "i-hz0008", TargetType: eip.Instance, PrivateIP: "10.1.8.10", Mode: eip.ModeNAT}
	holderB = &journal.Holder{TargetID: "i-hz0001", TargetType: eip.Instance, Mode: eip.ModeNAT}
)

func move(id string, o journal.Outcome) journal.Entry {
	return journal.Entry{Provider: "alibaba", Region: "cn-hangzhou", EIP: id, IP: "47.96.0.25",
		Action: journal.ActionMove, Outcome: o, Previous: holderA, New: holderB}
}

func open(t testing.TB, path string, o journal.Options) *journal.Journal {
	t.Helper()
	j, err := journal.Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func read(t testing.TB, path string, f journal.Filter) []journal.Entry {
	t.Helper()
	es, err := journal.Read(path, f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// An entry comes back as written, with the run, host and time the journal
// stamps; the directory and file are created private to the user.
func TestAppendReadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "eipctl", journal.FileName)
	at := time.Date(2026, 12, 7, 3, 0, 0, 123456789, time.UTC)
	j := open(t, path, journal.Options{Run: "run-1", Host: "node-a", Now: func() time.Time { return at }})
	e := move("eip-hz0024", journal.OutcomeIntent)
	e.RequestID = "REQ-1"
	if err := j.Append(e); err != nil {
		t.Fatal(err)
	}
	es := read(t, path, journal.Filter{})
	if len(es) != 1 {
		t.Fatalf("read %d entries, want 1", len(es))
	}
	got := es[0]
	if got.Run != "run-1" || got.Host != "node-a" || !got.Time.Equal(at) || got.RequestID != "REQ-1" ||
		*got.Previous != *holderA || *got.New != *holderB || got.Outcome != journal.OutcomeIntent {
		t.Errorf("read back %+v (previous %+v new %+v), want the entry as written, stamped run-1 node-a %s", got, got.Previous, got.New, at)
	}
	for p, want := range map[string]os.FileMode{filepath.Dir(path): 0o700, path: 0o600} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, st.Mode().Perm(), err, want)
		}
	}
	b, _ := os.ReadFile(path)
	for _, key := range []string{`"time"`, `"run"`, `"host"`, `"provider"`, `"region"`, `"eipId"`, `"ip"`, `"action"`,
		`"outcome"`, `"previous"`, `"new"`, `"targetId"`, `"targetType"`, `"privateIp"`, `"mode"`, `"requestId"`, `"code"`, `"finishes"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("journal line lacks %s: %s", key, b)
		}
	}
}

// --journal ” is the journal switched off: every call works and nothing is written.
func TestOffJournalRecordsNothing(t *testing.T) {
	j, err := journal.Open("", journal.Options{})
	if err != nil || j != nil {
		t.Fatalf("Open(\"\") = %v, %v; want nil, nil", j, err)
	}
	if err := j.Append(move("eip-1", journal.OutcomeIntent)); err != nil {
		t.Errorf("Append on the off journal: %v", err)
	}
	if j.Path() != "" || j.RunID() != "" || j.Close() != nil {
		t.Error("the off journal has a path, a run ID, or fails to close")
	}
}

// A writer killed mid-line leaves a torn last line: reading skips it, and
// the next Append starts on a line of its own, so no later entry is lost.
func TestTornLastLineIsSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), journal.FileName)
	j := open(t, path, journal.Options{Run: "r"})
	if err := j.Append(move("eip-1", journal.OutcomeIntent)); err != nil {
		t.Fatal(err)
	}
	fh, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	fh.WriteString(`{"time":"2026-12-07T03:00:00Z","run":"killed","eipId":"eip-2","act`)
	fh.Close()
	es, skipped, err := journal.ReadSkipped(path, journal.Filter{})
	if err != nil || len(es) != 1 || skipped != 1 {
		t.Fatalf("with a torn last line: %d entries, %d skipped, %v; want 1 entry and 1 skipped", len(es), skipped, err)
	}
	if err := j.Append(move("eip-3", journal.OutcomeIntent)); err != nil {
		t.Fatal(err)
	}
	es, skipped, _ = journal.ReadSkipped(path, journal.Filter{})
	if len(es) != 2 || es[1].EIP != "eip-3" || skipped != 1 {
		t.Errorf("after appending past the torn line: %d entries (%v), %d skipped; want eip-1 and eip-3, 1 skipped", len(es), es, skipped)
	}
}

// count checks every entry of n×size from each writer arrived exactly once.
func count(t *testing.T, path string, writers []string, n, size int) {
	t.Helper()
	es, skipped, err := journal.ReadSkipped(path, journal.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 0 {
		t.Errorf("%d lines are not whole entries: writers interleaved", skipped)
	}
	seen := map[string]int{}
	for _, e := range es {
		seen[e.EIP]++
	}
	for _, w := range writers {
		for b := range n {
			for i := range size {
				if id := fmt.Sprintf("%s-%d-%d", w, b, i); seen[id] != 1 {
					t.Fatalf("%s appears %d times, want once", id, seen[id])
				}
			}
		}
	}
	if len(es) != len(writers)*n*size {
		t.Errorf("%d entries, want %d", len(es), len(writers)*n*size)
	}
}

// Goroutines sharing one Journal and goroutines with Journals of their own
// on the same file never interleave partial lines.
func TestAppendConcurrentGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), journal.FileName)
	shared := open(t, path, journal.Options{Run: "shared"})
	var writers []string
	var wg sync.WaitGroup
	for g := range 8 {
		who := "g" + strconv.Itoa(g)
		writers = append(writers, who)
		wg.Go(func() {
			j := shared
			if g%2 == 1 {
				j = open(t, path, journal.Options{Run: who})
			}
			for b := range 20 {
				batch := make([]journal.Entry, 25)
				for i := range batch {
					batch[i] = move(fmt.Sprintf("%s-%d-%d", who, b, i), journal.OutcomeIntent)
				}
				if err := j.Append(batch...); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	count(t, path, writers, 20, 25)
}

// Two processes appending at once never interleave partial lines.
func TestAppendTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), journal.FileName)
	cmd := writer.Command(t, path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rc := appendBatches(path, "parent", 100, 10)
	if err := cmd.Wait(); err != nil || rc != 0 {
		t.Fatalf("writers failed: child %v, parent rc %d", err, rc)
	}
	count(t, path, []string{"parent", "child"}, 100, 10)
}

// BenchmarkAppendBatch100 is the write-ahead cost of one engine chunk: the
// intents of 100 EIPs, one write and one fsync.
func BenchmarkAppendBatch100(b *testing.B) {
	path := filepath.Join(b.TempDir(), journal.FileName)
	j := open(b, path, journal.Options{Run: "bench", MaxSize: 1 << 40})
	batch := make([]journal.Entry, 100)
	for i := range batch {
		batch[i] = move(fmt.Sprintf("eip-hz%04d", i), journal.OutcomeIntent)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := j.Append(batch...); err != nil {
			b.Fatal(err)
		}
	}
}
