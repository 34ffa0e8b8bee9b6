// Package alltest hands the shared suite (providers/conformance) the clouds
// of the registry, so that no test writes a cloud's harness by hand: the
// registry line of a cloud is its harness. Only tests import it (it links
// package testing); a cloud's own fuzz targets, which must live in the
// cloud's package beside their seed corpora, take their harness from For.
package alltest

import (
	"testing"

	"github.com/eipctl/eipctl/providers/all"
	"github.com/eipctl/eipctl/providers/conformance"
)

// Harness is c as the conformance suite takes it: its own account
// (Profile), never the Readable one, so the suite meets the IDs and statuses
// the public record shows (Zenlayer's numeric IDs, and an EIP that reads
// BINDED until its unbind is done: Capabilities.UnbindShowsNoProgress).
func Harness(c all.Cloud) conformance.Harness {
	return conformance.Harness{Spec: c.Spec, Profile: c.Profile, NewFront: c.NewFront}
}

// For is the harness of the registered cloud called name (its Spec.Name, which
// is its emulator's Profile.Provider): an emulator's test names only its
// emulator, and the registry pairs it with its adapter. It fails tb when no
// cloud is called name.
func For(tb testing.TB, name string) conformance.Harness {
	tb.Helper()
	c, err := all.Find(name)
	if err != nil {
		tb.Fatal(err)
	}
	return Harness(c)
}
