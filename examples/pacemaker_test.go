package examples_test

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// agent runs the Pacemaker OCF agent for one action as node target, with
// the emulator behind it.
func agent(t *testing.T, action, target string, env ...string) (int, string) {
	t.Helper()
	base := []string{"OCF_RESKEY_eipctl=" + eiptest.Self(t), "OCF_RESKEY_flags=--sim", "EIPCTL_OCF_ENV=/nonexistent",
		"OCF_RESKEY_provider=alibaba", "OCF_RESKEY_region=cn-hangzhou", "OCF_RESKEY_eip=eip-hz0024",
		"OCF_RESKEY_target=" + target, "OCF_RESKEY_peers=i-hz0008", "OCF_RESKEY_timeout=30s"}
	return scriptArgs(t, "pacemaker/eipctl", []string{action}, append(base, env...)...)
}

// agentStep is one action of the agent run as node, with env added, and
// the OCF exit code it must end with.
type agentStep struct {
	action, node string
	env          []string
	want         int
}

// agentSteps runs the steps in order, against one emulator state.
func agentSteps(t *testing.T, steps []agentStep) {
	t.Helper()
	for _, c := range steps {
		if code, out := agent(t, c.action, c.node, c.env...); code != c.want {
			t.Errorf("%s on %s %v: exit %d, want %d\n%s", c.action, c.node, c.env, code, c.want, out)
		}
	}
}

// The OCF exit codes (OCF Resource Agent API 1.1): monitor 0 when the EIP is
// bound here and 7 when not; stop of a resource that is not here is 0 and
// touches nothing; stop where it is releases it; bad settings are 6, an
// unknown action 3; meta-data is valid XML naming every parameter.
func TestPacemakerAgentMonitorStopAndMetadata(t *testing.T) {
	isolate(t)
	// eip-hz0024 starts on i-hz0008 (the emulator's seed).
	agentSteps(t, []agentStep{
		{"monitor", "i-hz0001", nil, 7},
		{"monitor", "i-hz0008", nil, 0},
		{"stop", "i-hz0001", nil, 0},
		{"monitor", "i-hz0008", nil, 0}, // the stop elsewhere left it alone
		{"validate-all", "i-hz0001", nil, 0},
		{"validate-all", "i-hz0001", []string{"OCF_RESKEY_eip="}, 6},
		{"validate-all", "i-hz0001", []string{"OCF_RESKEY_eipctl=/nonexistent/eipctl"}, 5},
		{"monitor", "i-hz0001", []string{"OCF_RESKEY_eip=eip-hz0099"}, 6},
		{"promote", "i-hz0001", nil, 3},
		{"stop", "i-hz0008", nil, 0},
		{"monitor", "i-hz0008", nil, 7}, // released
		{"stop", "i-hz0008", nil, 0},    // stopping a stopped resource succeeds
	})
	if h := holder(t, "eip-hz0024"); h != "" {
		t.Errorf("after stop on its holder eip-hz0024 is on %q, want free", h)
	}

	code, out := agent(t, "meta-data", "")
	var md struct {
		Name       string `xml:"name,attr"`
		Parameters []struct {
			Name     string `xml:"name,attr"`
			Required string `xml:"required,attr"`
		} `xml:"parameters>parameter"`
		Actions []struct {
			Name string `xml:"name,attr"`
		} `xml:"actions>action"`
	}
	if code != 0 {
		t.Fatalf("meta-data: exit %d\n%s", code, out)
	}
	if err := xml.Unmarshal([]byte(out), &md); err != nil {
		t.Fatalf("meta-data is not XML: %v\n%s", err, out)
	}
	params, actions := map[string]string{}, map[string]bool{}
	for _, p := range md.Parameters {
		params[p.Name] = p.Required
	}
	for _, a := range md.Actions {
		actions[a.Name] = true
	}
	for _, p := range []string{"eip", "provider", "region", "target"} {
		if params[p] != "1" {
			t.Errorf("meta-data: parameter %s missing or not required (%v)", p, params)
		}
	}
	for _, p := range []string{"peers", "private_ip", "timeout", "flags", "eipctl"} {
		if _, ok := params[p]; !ok {
			t.Errorf("meta-data: parameter %s missing", p)
		}
	}
	for _, a := range []string{"start", "stop", "monitor", "meta-data", "validate-all"} {
		if !actions[a] {
			t.Errorf("meta-data: action %s missing", a)
		}
	}
}

// start is a fenced move here: from the peer it succeeds (and again is a
// no-op); from a node that is not a peer it fails with OCF_ERR_GENERIC and
// leaves the EIP where it is.
func TestPacemakerAgentFencedStart(t *testing.T) {
	isolate(t)
	if code, out := agent(t, "start", "i-hz0001"); code != 0 {
		t.Fatalf("start from the peer i-hz0008: exit %d, want 0\n%s", code, out)
	}
	if code, out := agent(t, "monitor", "i-hz0001"); code != 0 {
		t.Errorf("monitor after start: exit %d, want 0\n%s", code, out)
	}
	if code, out := agent(t, "start", "i-hz0001"); code != 0 {
		t.Errorf("start again: exit %d, want 0\n%s", code, out)
	}
	// i-hz0002's peers are i-hz0008 only: i-hz0001 is a stranger to it.
	if code, out := agent(t, "start", "i-hz0002"); code != 1 || !strings.Contains(out, "UnexpectedHolder") {
		t.Errorf("start on i-hz0002 while i-hz0001 holds it: exit %d, want 1 (OCF_ERR_GENERIC) naming UnexpectedHolder\n%s", code, out)
	}
	if h := holder(t, "eip-hz0024"); h != "i-hz0001" {
		t.Errorf("eip-hz0024 is on %q, want still i-hz0001", h)
	}
}

// The error codes the agent maps from eipctl's (docs/exit-codes.md), against
// `sim serve`: credentials refused (eipctl 5) is OCF_ERR_PERM (4) for
// monitor and start; a target eipctl refuses as invalid (2, nothing sent) is
// OCF_ERR_CONFIGURED (6). Where eipctl is not installed, a probe (a monitor
// with interval 0) is OCF_NOT_RUNNING (7) and a stop succeeds, so the cluster
// does not fence the node for a resource that cannot be running there; a
// recurring monitor is OCF_ERR_INSTALLED (5).
func TestPacemakerAgentErrorCodes(t *testing.T) {
	isolate(t)
	cloud := append(serve(t), "OCF_RESKEY_flags=")
	wrongKey := slices.Concat(cloud, []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET=not-the-secret"})
	missing := []string{"OCF_RESKEY_eipctl=/nonexistent/eipctl"}
	agentSteps(t, []agentStep{
		{"monitor", "i-hz0008", cloud, 0},
		{"monitor", "i-hz0008", wrongKey, 4},
		{"start", "i-hz0001", wrongKey, 4},
		{"start", "i-hz0001", slices.Concat(cloud, []string{"OCF_RESKEY_private_ip=not-an-ip"}), 6},
		{"monitor", "i-hz0008", missing, 7},
		{"monitor", "i-hz0008", append(missing, "OCF_RESKEY_CRM_meta_interval=10000"), 5},
		{"stop", "i-hz0008", missing, 0},
		{"monitor", "i-hz0008", cloud, 0}, // none of the above moved it
	})
}
