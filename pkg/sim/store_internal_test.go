package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
)

var storeProfile = Profile{
	Provider: "fake",
	Regions:  []RegionSpec{{Name: "r1", Code: "a", IPPrefix: "47.1."}},
	Prefix:   map[string]string{"eip": "eip-", "nat": "ngw-"},
	Status:   func(e *EIP) string { return string(e.Phase) },
}

func openAt(t *testing.T, dir string, fc clock.Clock) *Sim {
	t.Helper()
	s, err := New(Options{Dir: dir, Clock: fc, Profiles: []Profile{storeProfile}, SeedEIPs: 10})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func target(t *testing.T, s *Sim, id string) string {
	t.Helper()
	var got string
	if err := s.View("fake", func(c *Cloud) { r, _ := c.Region("r1"); e, _ := r.EIP(id); got = e.TargetID }); err != nil {
		t.Fatal(err)
	}
	return got
}

func bind(t *testing.T, s *Sim, id string) {
	t.Helper()
	if err := s.Update("fake", func(c *Cloud) error { return c.Bind("r1", id, "ngw-a0001", BindOptions{}) }); err != nil {
		t.Fatal(err)
	}
}

func unbind(t *testing.T, s *Sim, id string) {
	t.Helper()
	if err := s.Update("fake", func(c *Cloud) error { return c.Unbind("r1", id) }); err != nil {
		t.Fatal(err)
	}
}

// A mutation appends a line or two to the journal; the snapshot is not rewritten.
func TestMutationAppendsInsteadOfRewriting(t *testing.T) {
	dir := t.TempDir()
	fc := clock.NewFake(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	s := openAt(t, dir, fc)
	snap, _ := os.Stat(filepath.Join(dir, stateFile))
	bind(t, s, "eip-a0001")
	after, _ := os.Stat(filepath.Join(dir, stateFile))
	if !after.ModTime().Equal(snap.ModTime()) || after.Size() != snap.Size() {
		t.Fatal("a bind rewrote state.json")
	}
	j, err := os.ReadFile(s.store.journalPath(s.store.world.Gen))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(j), "\n"); n != 1 || !strings.Contains(string(j), `"eip-a0001"`) {
		t.Fatalf("journal after one bind: %q", j)
	}
}

// Another process's compaction (a new snapshot generation) is noticed, and
// nothing either wrote is lost.
func TestCompactionByAnotherProcess(t *testing.T) {
	old := minCompact
	minCompact = 1
	defer func() { minCompact = old }()
	dir := t.TempDir()
	fc := clock.NewFake(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	a, b := openAt(t, dir, fc), openAt(t, dir, fc)
	gen := a.store.world.Gen
	bind(t, a, "eip-a0001")
	// The journal outgrows the snapshot (a few KB) after some changes: a compacts.
	for i := 0; i < 500 && a.store.world.Gen == gen; i++ {
		bind(t, a, "eip-a0003")
		unbind(t, a, "eip-a0003")
	}
	if a.store.world.Gen == gen {
		t.Fatal("no compaction happened")
	}
	if got := target(t, b, "eip-a0001"); got != "ngw-a0001" {
		t.Fatalf("b reads %q after a's compaction, want ngw-a0001", got)
	}
	bind(t, b, "eip-a0002")
	unbind(t, a, "eip-a0001")
	fresh := openAt(t, dir, fc)
	if x, y := target(t, fresh, "eip-a0001"), target(t, fresh, "eip-a0002"); x != "" || y != "ngw-a0001" {
		t.Fatalf("a fresh process reads %q %q, want unbound and ngw-a0001", x, y)
	}
	left, _ := filepath.Glob(filepath.Join(dir, journalPrefix+"*"))
	if len(left) > 1 {
		t.Fatalf("old journals left behind: %v", left)
	}
}

// A process killed in the middle of writing leaves a torn journal line or a
// temporary snapshot; the next start ignores the one and removes the other.
func TestKilledWriterLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	fc := clock.NewFake(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	s := openAt(t, dir, fc)
	bind(t, s, "eip-a0001")
	jpath := s.store.journalPath(s.store.world.Gen)
	f, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"c":"fake","r":"r1","e":{"id":"eip-a00`) // torn
	f.Close()
	tmp := filepath.Join(dir, stateFile+".12345")
	if err := os.WriteFile(tmp, []byte(`{"gen":`), 0o600); err != nil {
		t.Fatal(err)
	}

	next := openAt(t, dir, fc)
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("temporary snapshot %s survived the next start", tmp)
	}
	if got := target(t, next, "eip-a0001"); got != "ngw-a0001" {
		t.Fatalf("the whole line before the torn one was lost: %q", got)
	}
	bind(t, next, "eip-a0002") // cuts the torn tail, then appends
	j, _ := os.ReadFile(jpath)
	if strings.Contains(string(j), `"eip-a00"`) || strings.Count(string(j), "\n") != 2 {
		t.Fatalf("journal after the next write: %q", j)
	}
	if got := target(t, openAt(t, dir, fc), "eip-a0002"); got != "ngw-a0001" {
		t.Fatalf("the write after a torn line is lost: %q", got)
	}
}
