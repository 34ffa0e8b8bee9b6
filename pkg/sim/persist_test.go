package sim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

func TestPersistenceAcrossInstances(t *testing.T) {
	dir := t.TempDir()
	a, fc := newSim(t, sim.Options{Dir: dir, BindDelay: time.Second})
	update(t, a, func(c *sim.Cloud) error { return c.Bind("r1", "eip-a0001", "i-a0001", sim.BindOptions{}) })

	b, _ := newSim(t, sim.Options{Dir: dir, Clock: fc, BindDelay: time.Second})
	if e := eipOf(t, b, "eip-a0001"); e.Phase != sim.Associating || e.TargetID != "i-a0001" {
		t.Fatalf("a second emulator on the same directory sees %+v, want the first one's binding", e)
	}
	fc.Advance(time.Second)
	if e := eipOf(t, b, "eip-a0001"); e.Phase != sim.Bound {
		t.Fatalf("after the delay the second emulator sees %s, want bound", e.Phase)
	}
	// And back: changes made through b reach a.
	update(t, b, func(c *sim.Cloud) error { return c.Unbind("r1", "eip-a0001") })
	if e := eipOf(t, a, "eip-a0001"); e.Phase != sim.Unassociating {
		t.Fatalf("the first emulator sees %s, want the second one's unbind", e.Phase)
	}
}

// Two emulators on one directory, each change the same size as the last:
// neither may keep answering from a stale copy.
func TestPersistenceSeesSameSizeChanges(t *testing.T) {
	dir := t.TempDir()
	a, fc := newSim(t, sim.Options{Dir: dir})
	b, _ := newSim(t, sim.Options{Dir: dir, Clock: fc})
	for i := 0; i < 50; i++ {
		target := fmt.Sprintf("i-a%04d", i%2+1)
		update(t, a, func(c *sim.Cloud) error {
			if i > 0 {
				if err := c.Unbind("r1", "eip-a0001"); err != nil {
					return err
				}
			}
			return c.Bind("r1", "eip-a0001", target, sim.BindOptions{})
		})
		if e := eipOf(t, b, "eip-a0001"); e.TargetID != target {
			t.Fatalf("change %d: the other emulator reads %q, want %q", i, e.TargetID, target)
		}
	}
}

func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	const workers, each = 8, 10
	dir := t.TempDir()
	fc := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			// Each worker is its own emulator, as separate eipctl processes are.
			s, err := sim.New(sim.Options{Dir: dir, Clock: fc, Profiles: []sim.Profile{profile}})
			if err != nil {
				errs <- err
				return
			}
			for i := 0; i < each; i++ {
				key := fmt.Sprintf("w%d-%d", w, i)
				if err := s.Update("fake", func(c *sim.Cloud) error { c.UseToken(key, "fp"); return nil }); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// A fresh process reads snapshot and journal back.
	fresh, err := sim.New(sim.Options{Dir: dir, Clock: fc, Profiles: []sim.Profile{profile}})
	if err != nil {
		t.Fatal(err)
	}
	var tokens map[string]string
	if err := fresh.View("fake", func(c *sim.Cloud) { tokens = c.Tokens }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < workers; i++ {
		for j := 0; j < each; j++ {
			if _, ok := tokens[fmt.Sprintf("w%d-%d", i, j)]; !ok {
				t.Errorf("update w%d-%d was lost", i, j)
			}
		}
	}
	if len(tokens) != workers*each {
		t.Fatalf("%d tokens recorded, want %d", len(tokens), workers*each)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "state.json.*")); len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestDamagedStateSaysHowToFix(t *testing.T) {
	dir := t.TempDir()
	newSim(t, sim.Options{Dir: dir})
	path := filepath.Join(dir, "state.json")
	if err := os.WriteFile(path, []byte(`{"clouds": {`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sim.New(sim.Options{Dir: dir, Profiles: []sim.Profile{profile}})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "remove it") {
		t.Fatalf("error %v, want one naming %s as damaged and saying to remove it", err, path)
	}
}

func TestNewCloudIsAddedToAnOldStateFile(t *testing.T) {
	dir := t.TempDir()
	newSim(t, sim.Options{Dir: dir})
	other := profile
	other.Provider = "other"
	s, _ := newSim(t, sim.Options{Dir: dir, Profiles: []sim.Profile{profile, other}})
	if err := s.View("other", func(c *sim.Cloud) {
		if len(c.Regions) != 2 {
			t.Errorf("the added cloud has %d regions, want 2", len(c.Regions))
		}
	}); err != nil {
		t.Fatalf("a cloud added after the state file was written: %v", err)
	}
}
