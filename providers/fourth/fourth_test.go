package fourth_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/fourth"
	"github.com/eipctl/eipctl/providers/fourth/emulator"
)

// The shared suite, unchanged: the fourth cloud is as correct as the others.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Spec: fourth.Spec, Profile: emulator.Profile, NewFront: emulator.New, Region: "north-1"})
}
