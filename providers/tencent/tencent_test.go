package tencent_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/tencent"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Spec: tencent.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "ap-guangzhou"})
}

func BenchmarkAssociate1000(b *testing.B) {
	conformance.Benchmark(b, conformance.Harness{Spec: tencent.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "ap-guangzhou"}, 1000)
}
