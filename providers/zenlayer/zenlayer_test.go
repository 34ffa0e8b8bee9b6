package zenlayer_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// harness is the adapter against its own emulator, for the shared suite,
// its benchmark and the response fuzzer. Its account is the default one, as
// the public record shows ZEC: numeric IDs, and an EIP that reads BINDED
// until its unbind is done (no transitional status; the engine waits,
// Capabilities.UnbindShowsNoProgress).
var harness = conformance.Harness{Spec: zenlayer.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "asia-east-1"}

func TestConformance(t *testing.T) { conformance.Run(t, harness) }

func BenchmarkAssociate1000(b *testing.B) { conformance.Benchmark(b, harness, 1000) }

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID.
func FuzzResponses(f *testing.F) { conformance.FuzzResponses(f, harness) }
