package examples_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/output"
)

// asCLI makes this test binary act as eipctl itself, so the shell examples
// run the real command tree without a separate `go build` (which, on a cold
// cache on a small CI machine, takes longer than every test here together).
const asCLI eiptest.Role = "EIPCTL_EXAMPLES_AS_CLI"

func TestMain(m *testing.M) {
	asCLI.Main(m, func(string) int { return cli.Main(os.Args[1:], output.System(), cli.BuildInfo{Version: "examples"}) })
}

// isolate gives the test its own state and config directories and clears the
// settings a developer's shell might carry, so nothing reads or writes home.
func isolate(t *testing.T) (stateHome string) {
	t.Helper()
	stateHome = t.TempDir()
	t.Setenv("XDG_STATE_HOME", stateHome)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, k := range []string{"PROVIDER", "REGION", "ENDPOINT", "TIMEOUT", "OUTPUT", "STATE_DIR", "PROFILE", "CONFIG"} {
		t.Setenv("EIPCTL_"+k, "")
	}
	t.Setenv("EIPCTL_SIM_BIND_DELAY", "0s")
	t.Setenv("EIPCTL_SIM_READABLE", "1") // the example plans name Zenlayer IDs like eip-ae0001
	return stateHome
}

// eipctl runs one command line in-process and returns its exit code and streams.
func eipctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	streams, out, errb := output.Test()
	f := cli.NewFactory(streams, "test")
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := cli.Run(ctx, f, args)
	return code, out.String(), errb.String()
}

type report struct {
	Results []struct {
		Provider, Region, EIPID, IP, TargetID, Status string
		Error                                         *struct{ Code, Message, Class string }
	}
	Summary map[string]int
}

func decodeReport(t *testing.T, stdout string) report {
	t.Helper()
	return eiptest.DecodeJSON[report](t, stdout, "the JSON report")
}

// readFile is a file of the repository (paths are relative to examples/).
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// child is a process of name with args whose environment adds env to this
// test's, and in which this test binary acts as eipctl (as $EIPCTL too).
func child(t *testing.T, ctx context.Context, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	self := eiptest.Self(t)
	if name == "" {
		name = self
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = asCLI.Environ("1", append([]string{"EIPCTL=" + self}, env...)...)
	return cmd
}

// finished is the exit code of a child process that ran to its end.
func finished(t *testing.T, what string, err error) int {
	t.Helper()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return 0
}

// script runs a shell example with this test binary standing in for eipctl.
func script(t *testing.T, path string, env ...string) (int, string) {
	t.Helper()
	return scriptArgs(t, path, nil, env...)
}

// scriptArgs is script with arguments after the script's path; its output
// is stdout and stderr together.
func scriptArgs(t *testing.T, path string, args []string, env ...string) (int, string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("the shell examples need bash: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := child(t, ctx, env, bash, append([]string{path}, args...)...).CombinedOutput()
	return finished(t, path, err), string(out)
}

// runCLI runs this test binary as eipctl in a child process with env, for
// commands that must see a node's own environment; it returns stdout.
func runCLI(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := child(t, ctx, env, "", args...).Output()
	return finished(t, "eipctl", err), string(out)
}

// holder is what eip list says holds one EIP of the emulator's cn-hangzhou
// ("" when it is free).
func holder(t *testing.T, id string) string {
	t.Helper()
	_, stdout, _ := eipctl(t, "eip", "list", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json")
	list := eiptest.DecodeJSON[struct {
		EIPs []struct{ EIPID, Status, TargetID string }
	}](t, stdout, "the eip list document")
	for _, e := range list.EIPs {
		if e.EIPID == id {
			if e.Status != "associated" {
				return ""
			}
			return e.TargetID
		}
	}
	t.Fatalf("%s missing from eip list", id)
	return ""
}

// serve starts `eipctl sim serve` on a free loopback port, for tests where
// several "nodes" (each its own state directory) share one cloud, and
// returns the environment that points eipctl at it with alibaba's
// credentials.
func serve(t *testing.T) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := child(t, ctx, []string{"EIPCTL_STATE_DIR=" + t.TempDir()}, "", "sim", "serve", "--listen", "127.0.0.1:0", "--bind-delay", "0s", "--reset", "-o", "json")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	var hello struct {
		Endpoint    string
		Credentials map[string]struct{ ID, Secret string }
	}
	if err := json.NewDecoder(out).Decode(&hello); err != nil || hello.Endpoint == "" {
		t.Fatalf("sim serve printed no endpoint: %v", err)
	}
	a := hello.Credentials["alibaba"]
	return []string{"EIPCTL_ENDPOINT=" + hello.Endpoint, "ALIBABA_CLOUD_ACCESS_KEY_ID=" + a.ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + a.Secret}
}
