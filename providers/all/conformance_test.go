package all_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/all"
	"github.com/eipctl/eipctl/providers/all/alltest"
	"github.com/eipctl/eipctl/providers/conformance"
)

// TestConformance runs the shared suite for every registered cloud, against
// its own emulator: registering a cloud (one line in all.go, or fourth.go
// under -tags eipctl_fourth) is all it takes for the suite to hold it.
func TestConformance(t *testing.T) {
	for _, c := range all.Clouds() {
		t.Run(c.Spec.Name, func(t *testing.T) {
			t.Parallel() // each case has its own emulator, clock and server
			conformance.Run(t, alltest.Harness(c))
		})
	}
}

// BenchmarkAssociate1000 binds 1000 EIPs on each registered cloud
// (BenchmarkAssociate1000/<cloud>), as conformance.Benchmark measures it.
func BenchmarkAssociate1000(b *testing.B) {
	for _, c := range all.Clouds() {
		b.Run(c.Spec.Name, func(b *testing.B) { conformance.Benchmark(b, alltest.Harness(c), 1000) })
	}
}
