package zenlayer_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// conformanceProfile is the account the suite runs on: the default one, as
// the public record shows ZEC: numeric IDs, and an EIP that reads BINDED
// until its unbind is done (no transitional status; the engine waits,
// Capabilities.UnbindShowsNoProgress).
var conformanceProfile = emulator.Profile

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{
		Spec:     zenlayer.Spec,
		Profile:  conformanceProfile,
		NewFront: emulator.New,
		Region:   "asia-east-1",
	})
}

func BenchmarkAssociate1000(b *testing.B) {
	conformance.Benchmark(b, conformance.Harness{Spec: zenlayer.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "asia-east-1"}, 1000)
}
