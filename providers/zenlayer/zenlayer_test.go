package zenlayer_test

import (
	"testing"

	"github.com/eipctl/eipctl/providers/all/alltest"
	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer"
)

// FuzzResponses: whatever the cloud answers, the adapter neither panics nor
// loops, and classifies the failure without showing the key ID. It stays in
// this package, beside its seeds (testdata/fuzz/FuzzResponses); the suite and
// the benchmark run for every cloud in providers/all (conformance_test.go).
func FuzzResponses(f *testing.F) { conformance.FuzzResponses(f, alltest.For(f, zenlayer.Spec.Name)) }
