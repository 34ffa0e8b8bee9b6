//go:build eipctl_fourth

package all

import (
	"github.com/eipctl/eipctl/providers/fourth"
	fourthemu "github.com/eipctl/eipctl/providers/fourth/emulator"
)

// testClouds registers the test-only fourth cloud: this line is all a cloud
// needs beyond its folder. With -tags eipctl_fourth, conformance_test.go runs
// the suite for it (TestConformance/fourth), and
// providers/fourth/binary_test.go builds eipctl with the tag and binds an EIP
// through it.
var testClouds = []Cloud{{Spec: fourth.Spec, Profile: fourthemu.Profile, NewFront: fourthemu.New}}
