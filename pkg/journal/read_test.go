package journal_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/journal"
)

func in(run string, e journal.Entry) journal.Entry { e.Run = run; return e }

func bind(id string, o journal.Outcome) journal.Entry {
	return journal.Entry{Provider: "alibaba", Region: "cn-hangzhou", EIP: id, Action: journal.ActionBind, Outcome: o, New: holderB}
}

func ids(ms []journal.Move) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Intent.EIP+":"+string(m.Last))
	}
	return out
}

// The moves a rerun must finish are those whose intent nothing settled: cut
// off before the unbind (intent alone), mid-way (accepted, pending), or
// stranded (unbound); a later run that bound or moved the EIP settles an
// older run's move, but a failed bind of a free EIP does not.
func TestUnfinished(t *testing.T) {
	entries := []journal.Entry{
		in("r1", move("done", journal.OutcomeIntent)), in("r1", move("done", journal.OutcomeMoved)),
		in("r1", move("back", journal.OutcomeIntent)), in("r1", move("back", journal.OutcomePutBack)),
		in("r1", move("refused", journal.OutcomeIntent)), in("r1", move("refused", journal.OutcomeFailed)),
		in("r1", move("killed", journal.OutcomeIntent)),
		in("r1", move("stranded", journal.OutcomeIntent)), in("r1", move("stranded", journal.OutcomeUnbound)),
		in("r1", move("slow", journal.OutcomeIntent)), in("r1", move("slow", journal.OutcomeAccepted)), in("r1", move("slow", journal.OutcomePending)),
		in("r1", move("rebound", journal.OutcomeIntent)), in("r2", bind("rebound", journal.OutcomeAssociated)),
		in("r1", move("stillfree", journal.OutcomeIntent)), in("r2", bind("stillfree", journal.OutcomeFailed)),
	}
	got := ids(journal.Unfinished(entries))
	want := []string{"killed:intent", "stranded:unbound", "slow:pending", "stillfree:intent"}
	if len(got) != len(want) {
		t.Fatalf("Unfinished = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Unfinished[%d] = %s, want %s (all: %v)", i, got[i], want[i], got)
		}
	}
	m := journal.Unfinished(entries)[1]
	if m.Intent.Run != "r1" || *m.Intent.Previous != *holderA || *m.Intent.New != *holderB {
		t.Errorf("the stranded move lost its run or holders: %+v", m.Intent)
	}
	// A newer intent for the same EIP replaces the older one.
	again := append(entries, in("r3", move("killed", journal.OutcomeIntent)))
	for _, m := range journal.Unfinished(again) {
		if m.Intent.EIP == "killed" && m.Intent.Run != "r3" {
			t.Errorf("the older intent of run %s is still reported after run r3's", m.Intent.Run)
		}
	}
}

// Run lists what one run changed, with where each EIP was, for --undo; what
// it put back or failed to change is left out, other runs' entries too.
func TestRunChanges(t *testing.T) {
	entries := []journal.Entry{
		in("r1", move("moved", journal.OutcomeIntent)), in("r1", move("moved", journal.OutcomeMoved)),
		in("r1", move("back", journal.OutcomeIntent)), in("r1", move("back", journal.OutcomePutBack)),
		in("r1", bind("bound", journal.OutcomeAccepted)), in("r1", bind("bound", journal.OutcomeAssociated)),
		in("r1", move("stranded", journal.OutcomeIntent)), in("r1", move("stranded", journal.OutcomeUnbound)),
		in("r2", move("other", journal.OutcomeIntent)), in("r2", move("other", journal.OutcomeMoved)),
	}
	cs := journal.Run(entries, "r1")
	if len(cs) != 3 {
		t.Fatalf("Run(r1) = %+v, want moved, bound and stranded", cs)
	}
	if c := cs[0]; c.EIP != "moved" || *c.From != *holderA || *c.To != *holderB || c.Outcome != journal.OutcomeMoved {
		t.Errorf("moved: %+v, want from %v to %v", c, holderA, holderB)
	}
	if c := cs[1]; c.EIP != "bound" || c.From != nil || *c.To != *holderB {
		t.Errorf("bound: %+v, want from nowhere (free) to %v", c, holderB)
	}
	if c := cs[2]; c.EIP != "stranded" || *c.From != *holderA || c.To != nil || c.Outcome != journal.OutcomeUnbound {
		t.Errorf("stranded: %+v, want from %v to nobody", c, holderA)
	}
	if len(journal.Run(entries, "r9")) != 0 {
		t.Error("a run that is not in the journal changed something")
	}
}

// Filters pick by EIP ID or address, by time and by run.
func TestReadFilter(t *testing.T) {
	path := filepath.Join(t.TempDir(), journal.FileName)
	t0 := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	j := open(t, path, journal.Options{Run: "r1"})
	a, b := move("eip-a", journal.OutcomeMoved), move("eip-b", journal.OutcomeMoved)
	a.Time, b.Time, b.IP = t0, t0.Add(time.Hour), "47.96.0.9"
	if err := j.Append(a, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    journal.Filter
		want int
	}{
		{journal.Filter{}, 2},
		{journal.Filter{EIP: "eip-a"}, 1},
		{journal.Filter{EIP: "47.96.0.9"}, 1},
		{journal.Filter{Since: t0.Add(time.Minute)}, 1},
		{journal.Filter{Since: t0}, 2},
		{journal.Filter{Run: "r2"}, 0},
	} {
		if es := read(t, path, c.f); len(es) != c.want {
			t.Errorf("Read(%+v) = %d entries, want %d", c.f, len(es), c.want)
		}
	}
	if at, ok := journal.LastMove(read(t, path, journal.Filter{}), b.Key()); !ok || !at.Equal(b.Time) {
		t.Errorf("LastMove(eip-b) = %v %v, want %v", at, ok, b.Time)
	}
}

// Past MaxSize, opening the journal rotates it to FILE.1 (one old file is
// kept), and a move still unfinished is carried into the new file, so two
// rotations do not forget it; readers see it once.
func TestRotationKeepsUnfinishedMoves(t *testing.T) {
	path := filepath.Join(t.TempDir(), journal.FileName)
	small := journal.Options{Run: "r1", MaxSize: 2000}
	j := open(t, path, small)
	j.Append(move("stranded", journal.OutcomeIntent), move("stranded", journal.OutcomeUnbound))
	for range 10 {
		j.Append(move("done", journal.OutcomeIntent), move("done", journal.OutcomeMoved))
	}
	j.Close()
	for run := range 2 { // each Open rotates: FILE.1 is replaced the second time
		j := open(t, path, journal.Options{Run: "r" + string(rune('2'+run)), MaxSize: 2000})
		for range 10 {
			j.Append(move("done", journal.OutcomeIntent), move("done", journal.OutcomeMoved))
		}
		j.Close()
	}
	if _, err := os.Stat(path + journal.OldSuffix); err != nil {
		t.Fatalf("no rotated file: %v", err)
	}
	if _, err := os.Stat(path + ".2"); err == nil {
		t.Error("a second old file is kept; the policy is one")
	}
	es := read(t, path, journal.Filter{})
	u := ids(journal.Unfinished(es))
	if len(u) != 1 || u[0] != "stranded:unbound" {
		t.Errorf("after two rotations Unfinished = %v, want the stranded move once", u)
	}
	n := 0
	for _, e := range es {
		if e.EIP == "stranded" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("the carried move reads as %d entries, want its intent and its unbound once each", n)
	}
}

// BenchmarkReadRotated is what a run pays at start to read a journal at its
// rotation size (8 MiB, about 20,000 entries) for Unfinished and
// --min-interval.
func BenchmarkReadRotated(b *testing.B) {
	path := filepath.Join(b.TempDir(), journal.FileName)
	j := open(b, path, journal.Options{Run: "bench", MaxSize: 1 << 40})
	batch := make([]journal.Entry, 100)
	for i := range batch {
		batch[i] = move("eip-hz"+string(rune('a'+i%26))+"x", journal.OutcomeMoved)
	}
	for st, _ := os.Stat(path); st == nil || st.Size() < journal.DefaultMaxSize; st, _ = os.Stat(path) {
		j.Append(batch...)
	}
	b.ReportAllocs()
	for b.Loop() {
		es, err := journal.Read(path, journal.Filter{})
		if err != nil || len(es) < 10000 {
			b.Fatal(len(es), err)
		}
		journal.Unfinished(es)
	}
}
