package zenlayer_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// conformanceProfile is the account the suite runs on: numeric IDs, as the
// real cloud has. It still shows eipctl's UNBINDING word while an unbind
// runs, until the engine honours Capabilities.UnbindShowsNoProgress (issue
// 15, wired by the lead); then it is emulator.Profile, which shows BINDED
// until the unbind is done, as the record says.
var conformanceProfile = emulator.ProfileWith(emulator.Options{UnbindingStatus: true})

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
