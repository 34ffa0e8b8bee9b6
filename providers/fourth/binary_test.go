package fourth_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/providers/fourth"
)

// TestBinaryAssociate builds eipctl with the fourth cloud registered (its one
// registry line, providers/all/fourth.go) and drives it as a user would:
// help text, `sim serve`, `eip associate --endpoint` with the cloud's own
// credential variables, and bad input. Nothing outside this folder and that
// line names the cloud, so every word of it here came from the registry.
func TestBinaryAssociate(t *testing.T) {
	bin := eiptest.Eipctl(t, "-tags", "eipctl_fourth")
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}
	run := func(extra []string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append([]string{}, env...), extra...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), e.String(), code
	}

	help, _, _ := run(nil, "eip", "associate", "--help")
	for _, want := range []string{"  fourth    vm- instance, gw- nat\n", " or fourth (env EIPCTL_PROVIDER)"} {
		if !strings.Contains(help, want) {
			t.Errorf("eip associate --help lacks %q:\n%s", want, help)
		}
	}

	endpoint, creds := serve(t, bin, env, filepath.Join(home, "sim"))
	keys := []string{fourth.Spec.Env.ID[0] + "=" + creds.ID, fourth.Spec.Env.Secret[0] + "=" + creds.Secret}
	conn := []string{"--endpoint", endpoint, "--provider", "fourth", "--region", "north-1", "-o", "json"}

	// One EIP to an instance (type inferred from vm-), two in one batch to a NAT gateway.
	for _, c := range []struct {
		target, wantType string
		eips             []string
	}{{"vm-n10001", "instance", []string{"fip-n10001"}}, {"gw-n10001", "nat", []string{"fip-n10002", "fip-n10003"}}} {
		out, errs, code := run(keys, append([]string{"eip", "associate", "--eip", strings.Join(c.eips, ","), "--target", c.target}, conn...)...)
		var doc struct {
			Results []struct{ EIPID, TargetType, Status string }
		}
		if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Results) != len(c.eips) {
			t.Fatalf("associate to %s: exit %d\n%s\n%s", c.target, code, out, errs)
		}
		for _, r := range doc.Results {
			if r.Status != "associated" || r.TargetType != c.wantType {
				t.Errorf("associate to %s: row %+v, want associated %s", c.target, r, c.wantType)
			}
		}
	}

	// A wrong secret is refused by the emulator's signature check: exit 5.
	wrong := []string{keys[0], fourth.Spec.Env.Secret[0] + "=not-the-secret"}
	if _, errs, code := run(wrong, append([]string{"eip", "associate", "--eip", "fip-n10004", "--target", "vm-n10002"}, conn...)...); code != 5 {
		t.Errorf("wrong secret: exit %d, want 5\n%s", code, errs)
	}
	// An unknown provider is refused naming every registered one: exit 2.
	if _, errs, code := run(keys, "eip", "associate", "--endpoint", endpoint, "--provider", "fifth", "--region", "north-1", "--eip", "fip-n10004", "--target", "vm-n10002"); code != 2 || !strings.Contains(errs, "fourth") {
		t.Errorf("unknown provider: exit %d, want 2 and a message naming fourth\n%s", code, errs)
	}
}

type credential struct{ ID, Secret string }

// serve starts `eipctl sim serve` on a free loopback port and reads the JSON
// line it prints first.
func serve(t *testing.T, bin string, env []string, dir string) (string, credential) {
	t.Helper()
	cmd := exec.Command(bin, "sim", "serve", "--listen", "127.0.0.1:0", "--bind-delay", "100ms", "--state-dir", dir, "-o", "json")
	cmd.Env = env
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
	}()
	var info struct {
		Endpoint    string
		Credentials map[string]credential
	}
	select {
	case l := <-line:
		if err := json.Unmarshal([]byte(l), &info); err != nil || info.Endpoint == "" {
			t.Fatalf("sim serve printed %q: %v", l, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("sim serve printed nothing in 60s")
	}
	c, ok := info.Credentials["fourth"]
	if !ok {
		t.Fatalf("sim serve does not serve the fourth cloud: %+v", info)
	}
	return info.Endpoint, c
}
