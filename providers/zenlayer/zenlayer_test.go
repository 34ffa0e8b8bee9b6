package zenlayer_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{
		Spec:     zenlayer.Spec,
		Profile:  emulator.Profile,
		NewFront: emulator.New,
		Region:   "asia-east-1",
	})
}

func BenchmarkAssociate1000(b *testing.B) {
	conformance.Benchmark(b, conformance.Harness{Spec: zenlayer.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "asia-east-1"}, 1000)
}
