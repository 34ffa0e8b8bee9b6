package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/providers/all"
)

// profileLimits is what the limits of a config file holding yaml become.
func profileLimits(t *testing.T, yaml string) (map[string]map[string]eip.Limit, error) {
	t.Helper()
	path := writeConfig(t, t.TempDir(), yaml)
	cfg, err := config.Load(pflag.NewFlagSet("x", pflag.ContinueOnError), path, "")
	if err != nil {
		t.Fatal(err)
	}
	return (&Factory{Clouds: all.Clouds}).limits(cfg)
}

func TestProfileLimitsReachTheEngineUnderTheCloudsOwnNames(t *testing.T) {
	isolate(t)
	got, err := profileLimits(t, "profiles:\n  default:\n    limits:\n      alibaba:\n        AssociateEipAddressBatch: 10/60s\n        default: 2/s\n      tencent: {associateaddress: 5/1s}\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]eip.Limit{
		"alibaba": {"AssociateEipAddressBatch": {Count: 10, Per: time.Minute}, "default": {Count: 2, Per: time.Second}},
		"tencent": {"AssociateAddress": {Count: 5, Per: time.Second}},
	}
	for p, as := range want {
		for a, l := range as {
			if got[p][a] != l {
				t.Errorf("%s %s: %s, want %s (all: %v)", p, a, got[p][a], l, got)
			}
		}
	}
	none, err := profileLimits(t, "profiles:\n  default:\n    region: cn-hangzhou\n")
	if err != nil || none != nil {
		t.Errorf("no limits: %v, %v", none, err)
	}
}

func TestBadProfileLimitsAreUsageErrorsNamingTheKey(t *testing.T) {
	isolate(t)
	for yaml, want := range map[string]string{
		"profiles:\n  default:\n    limits:\n      alibaba: {AssociateEipAdress: 10/60s}\n": "limits.alibaba.associateeipadress: alibaba calls no such action: use one of AssociateEipAddress,",
		"profiles:\n  default:\n    limits:\n      alibaba: {AssociateEipAddress: fast}\n":  `limits.alibaba.AssociateEipAddress: rate limit "fast": write it as COUNT/DURATION`,
		"profiles:\n  default:\n    limits:\n      aws: {RunInstances: 1/s}\n":              "limits.aws: --provider \"aws\" is not known",
	} {
		_, err := profileLimits(t, yaml)
		if err == nil || !strings.Contains(err.Error(), want) || exitCode(err, true) != ExitUsage {
			t.Errorf("%q: %v, want exit 2 and %q", yaml, err, want)
		}
	}
}
