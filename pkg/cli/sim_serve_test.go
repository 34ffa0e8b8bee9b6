package cli

import (
	"strings"
	"testing"
)

// --seed-eips is bounded: beyond the documented most it is one usage line
// and exit 2 before anything is seeded, instead of a hang.
func TestSeedEIPsIsBounded(t *testing.T) {
	isolate(t)
	for _, c := range []struct {
		n    string
		want string
	}{
		{"1000000000", "--seed-eips 1000000000: use a count from 0 to 10000"},
		{"10001", "--seed-eips 10001: use a count from 0 to 10000"},
		{"-1", "--seed-eips -1: use a count from 0 to 10000"},
	} {
		code, out, stderr := run(t, "sim", "serve", "--listen", "127.0.0.1:0", "--seed-eips", c.n, "--reset")
		if code != ExitUsage || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("--seed-eips %s: exit %d, stdout %q, stderr %q; want 2 and %q", c.n, code, out, stderr, c.want)
		}
	}
}
