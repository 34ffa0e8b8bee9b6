package alibaba_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/alibaba"
	"github.com/eipctl/eipctl/providers/alibaba/emulator"
	"github.com/eipctl/eipctl/providers/conformance"
)

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Spec: alibaba.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "cn-hangzhou"})
}

func BenchmarkAssociate1000(b *testing.B) {
	conformance.Benchmark(b, conformance.Harness{Spec: alibaba.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "cn-hangzhou"}, 1000)
}
