package sim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

// BenchmarkPersistedBind measures one persisted mutation (a bind or an
// unbind of one EIP) and one persisted read, in worlds of growing size. The
// state file's size is reported as state-MB so figures can be compared per MB.
func BenchmarkPersistedBind(b *testing.B) {
	for _, eips := range []int{100, 2000, 20000} {
		b.Run(fmt.Sprintf("eips=%d", eips), func(b *testing.B) {
			s, dir := persisted(b, eips)
			for i := 0; i < b.N; i++ {
				err := s.Update("fake", func(c *sim.Cloud) error {
					if i%2 == 0 {
						return c.Bind("r1", "eip-a0001", "ngw-a0001", sim.BindOptions{})
					}
					return c.Unbind("r1", "eip-a0001")
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(dirMB(b, dir), "state-MB")
		})
	}
}

// BenchmarkPersistedView is a read of persisted state another process may
// have changed.
func BenchmarkPersistedView(b *testing.B) {
	for _, eips := range []int{100, 20000} {
		b.Run(fmt.Sprintf("eips=%d", eips), func(b *testing.B) {
			s, _ := persisted(b, eips)
			for i := 0; i < b.N; i++ {
				if err := s.View("fake", func(c *sim.Cloud) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// persisted returns a world of eips EIPs persisted in a fresh folder, and the
// folder, with the benchmark's timer reset.
func persisted(b *testing.B, eips int) (*sim.Sim, string) {
	b.Helper()
	dir := b.TempDir()
	s, err := sim.New(sim.Options{Clock: clock.NewFake(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)), Dir: dir, Profiles: []sim.Profile{profile}, SeedEIPs: eips})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	return s, dir
}

func dirMB(b *testing.B, dir string) float64 {
	var n int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return float64(n) / (1 << 20)
}
