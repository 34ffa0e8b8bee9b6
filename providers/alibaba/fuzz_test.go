package alibaba_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/alibaba"
	"github.com/eipctl/eipctl/providers/alibaba/emulator"
	"github.com/eipctl/eipctl/providers/conformance"
)

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID.
func FuzzResponses(f *testing.F) {
	conformance.FuzzResponses(f, conformance.Harness{Spec: alibaba.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "cn-hangzhou"})
}
