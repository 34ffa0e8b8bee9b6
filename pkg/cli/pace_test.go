package cli

import (
	"encoding/json"
	"testing"

	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// A throttled read is paced and retried by every command, as the engine's
// reads are: `eip list` and `eip describe` wait out two throttled answers
// instead of failing on the first.
func TestReadsAreRetriedWhenThrottled(t *testing.T) {
	isolate(t)
	s, url := emulatorSim(t)
	acc := all.Clouds()[0].Profile.Credentials
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", acc.ID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", acc.Secret)
	for _, args := range [][]string{
		{"eip", "list", "--provider", "alibaba", "--region", "cn-hangzhou"},
		{"eip", "describe", "--provider", "alibaba", "--region", "cn-hangzhou", "eip-hz0001"},
	} {
		s.Inject(sim.Fault{Kind: sim.FaultThrottle, Provider: "alibaba", Times: 2})
		code, stdout, stderr := run(t, append(args, "--endpoint", url, "-o", "json")...)
		if code != ExitOK || !json.Valid([]byte(stdout)) {
			t.Fatalf("%v: exit %d after two throttled answers\nstdout %s\nstderr %s", args[1], code, stdout, stderr)
		}
	}
}
