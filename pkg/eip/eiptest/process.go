package eiptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A Role is a part a test binary plays when a test starts it again as a
// process of its own: a lock holder another process must run into, a second
// writer appending to one journal, eipctl itself for a shell script to call.
// The test binary is already built and already holds the code, so no second
// program is written or built for it. The Role is the name of the
// environment variable that picks the part; its value is the part's
// argument (a path, or "1").
type Role string

// Main is the TestMain of a package whose test binary plays r: started
// with r's variable set (by Command, or with Environ), it runs act with the
// variable's value and exits with act's code; otherwise it runs the tests.
func (r Role) Main(m *testing.M, act func(value string) int) {
	if v := os.Getenv(string(r)); v != "" {
		os.Exit(act(v))
	}
	os.Exit(m.Run())
}

// Environ is this process's environment with r's variable set to value,
// then extra (KEY=VALUE): the test binary, started with it by any program,
// plays r.
func (r Role) Environ(value string, extra ...string) []string {
	return append(append(os.Environ(), string(r)+"="+value), extra...)
}

// Command is the test binary started with args to play r with value.
func (r Role) Command(t testing.TB, value string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(Self(t), args...)
	cmd.Env = r.Environ(value)
	return cmd
}

// Self is the path of the running test binary, for a program that is to
// start it (a script given it as $EIPCTL, a shell finding it on PATH).
func Self(t testing.TB) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatalf("the test binary's own path: %v", err)
	}
	return self
}

// BuildEipctl builds cmd/eipctl into dir, with the go command's build flags
// (-ldflags, -tags) when given, and returns the binary's path. It is for
// the tests that are about the binary itself (release ldflags, a build tag,
// the e2e run of the real program); a test that only needs eipctl in another
// process has the test binary play it (Role), which costs no build. A failed
// build's error names the command and carries its output. It takes no
// testing.TB, so a TestMain can build once for a whole package.
func BuildEipctl(dir string, flags ...string) (string, error) {
	bin := filepath.Join(dir, "eipctl")
	args := append(append([]string{"build"}, flags...), "-o", bin, "github.com/eipctl/eipctl/cmd/eipctl")
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin, nil
}

// Eipctl is BuildEipctl into a temporary directory of t's; a failed build
// fails t.
func Eipctl(t testing.TB, flags ...string) string {
	t.Helper()
	bin, err := BuildEipctl(t.TempDir(), flags...)
	if err != nil {
		t.Fatalf("building eipctl: %v", err)
	}
	return bin
}
