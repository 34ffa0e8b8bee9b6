package zenlayer_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID.
func FuzzResponses(f *testing.F) {
	conformance.FuzzResponses(f, conformance.Harness{Spec: zenlayer.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "asia-east-1"})
}
