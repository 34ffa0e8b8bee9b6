package tencent_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/tencent"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

// harness is the adapter against its own emulator, for the shared suite,
// its benchmark and the response fuzzer.
var harness = conformance.Harness{Spec: tencent.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "ap-guangzhou"}

func TestConformance(t *testing.T) { conformance.Run(t, harness) }

func BenchmarkAssociate1000(b *testing.B) { conformance.Benchmark(b, harness, 1000) }

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID.
func FuzzResponses(f *testing.F) { conformance.FuzzResponses(f, harness) }
