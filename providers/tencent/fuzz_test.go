package tencent_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/tencent"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID.
func FuzzResponses(f *testing.F) {
	conformance.FuzzResponses(f, conformance.Harness{Spec: tencent.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "ap-guangzhou"})
}
