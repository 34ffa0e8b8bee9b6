package alibaba_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/alibaba"
	"github.com/eipctl/eipctl/providers/alibaba/emulator"
	"github.com/eipctl/eipctl/providers/conformance"
)

// harness is the adapter against its own emulator, for the shared suite,
// its benchmark and the response fuzzer.
var harness = conformance.Harness{Spec: alibaba.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "cn-hangzhou"}

func TestConformance(t *testing.T) { conformance.Run(t, harness) }

func BenchmarkAssociate1000(b *testing.B) { conformance.Benchmark(b, harness, 1000) }

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID.
func FuzzResponses(f *testing.F) { conformance.FuzzResponses(f, harness) }
