package cli

import (
	"strings"
	"testing"
)

// The message asking for --provider names the registered clouds, whatever
// they are: a cloud added to the registry is named without editing the
// engine (issue 14).
func TestMissingProviderNamesTheRegisteredClouds(t *testing.T) {
	isolate(t)
	clouds := []*fakeCloud{{name: "one"}, {name: "two"}, {name: "fourth"}}
	code, _, stderr := runClouds(t, clouds, "eip", "associate", "--region", "r1", "--eip", "eip-1", "--target", "i-1")
	if code != ExitUsage || !strings.Contains(stderr, "--provider is required: pass one of one, two, fourth") {
		t.Fatalf("exit %d, stderr %q: want 2 naming one, two, fourth", code, stderr)
	}
	if strings.Contains(stderr, "alibaba") {
		t.Errorf("stderr names a cloud that is not registered: %q", stderr)
	}
}
