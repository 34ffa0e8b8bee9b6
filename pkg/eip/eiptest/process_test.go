package eiptest_test

import (
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// A build that fails says which command failed and what the go command
// printed, so the test that needed the binary shows why it has none.
func TestBuildEipctlFailureSaysWhy(t *testing.T) {
	_, err := eiptest.BuildEipctl(t.TempDir(), "-tags", "eipctl_fourth", "-no-such-flag")
	if err == nil {
		t.Fatal("go build with an unknown flag succeeded")
	}
	for _, want := range []string{"go build -tags eipctl_fourth -no-such-flag -o ", "github.com/eipctl/eipctl/cmd/eipctl", "flag provided but not defined: -no-such-flag"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%v", want, err)
		}
	}
}
