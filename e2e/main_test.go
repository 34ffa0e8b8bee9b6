// Package e2e_test drives the built eipctl binary the way a user or a script
// does: real processes, real exit codes, real stdout and stderr, against the
// emulator (`--sim`, or `sim serve` on a loopback port with `--endpoint`).
package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// eipctl is the binary under test, built once by TestMain.
var eipctl string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "eipctl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if eipctl, err = eiptest.BuildEipctl(dir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building eipctl:", err)
		return 1
	}
	return m.Run()
}

// runTimeout bounds one eipctl process, so a hang fails the test instead of
// stalling the whole run.
const runTimeout = 60 * time.Second

// result is what one eipctl process left behind.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("eipctl %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// env is the environment of eipctl processes. It starts empty apart from
// PATH and fresh home, config and state directories, so nothing from the
// developer's machine (real credentials, EIPCTL_* settings, ~/.config) leaks
// in, and nothing a test does reaches the real home.
type env struct {
	t    *testing.T
	vars map[string]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, vars: map[string]string{
		"PATH":                  os.Getenv("PATH"),
		"HOME":                  t.TempDir(),
		"XDG_CONFIG_HOME":       t.TempDir(),
		"XDG_STATE_HOME":        t.TempDir(),
		"EIPCTL_SIM_BIND_DELAY": "200ms",
		"EIPCTL_SIM_READABLE":   "1", // the tests name Zenlayer IDs like eip-ae0001
	}}
	return e
}

// with returns a copy of e with the given KEY=VALUE pairs set.
func (e *env) with(kv ...string) *env {
	c := &env{t: e.t, vars: map[string]string{}}
	for k, v := range e.vars {
		c.vars[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		c.vars[kv[i]] = kv[i+1]
	}
	return c
}

// stateDir is where eipctl keeps its lock and the embedded emulator's state.
func (e *env) stateDir() string { return filepath.Join(e.vars["XDG_STATE_HOME"], "eipctl") }

func (e *env) environ() []string {
	out := make([]string, 0, len(e.vars))
	for k, v := range e.vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func (e *env) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, eipctl, args...)
	cmd.Env = e.environ()
	cmd.Stdin = strings.NewReader("")
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs eipctl to completion and captures its streams and exit code.
func (e *env) run(args ...string) result {
	e.t.Helper()
	return e.runIn("", args...)
}

// runIn is run with stdin as the process's standard input.
func (e *env) runIn(stdin string, args ...string) result {
	e.t.Helper()
	return e.runWithin(runTimeout, stdin, args...)
}

// runWithin is runIn with another bound on the process, for the long soak.
func (e *env) runWithin(bound time.Duration, stdin string, args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	cmd := e.command(ctx, args...)
	// A run that hangs is asked for its goroutines (SIGQUIT) before it is
	// killed, so the failure shows where it was stuck.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		e.t.Fatalf("eipctl %s did not finish within %s (its goroutines are in stderr)\n%s", strings.Join(args, " "), bound, r)
	case err == nil:
	case errors.As(err, &ee) && ee.Exited():
		r.code = ee.ExitCode()
	default:
		e.t.Fatalf("eipctl %s did not finish: %v\n%s", strings.Join(args, " "), err, r)
	}
	return r
}

// background is an eipctl process still running, whose stderr is watched.
type background struct {
	cmd  *exec.Cmd
	args []string
	out  bytes.Buffer
	mu   sync.Mutex
	errb strings.Builder
	seen chan struct{} // closed when a stderr line matched
	done chan struct{}
	err  error
}

// start runs eipctl in the background; the returned process signals seen
// once a stderr line contains marker.
func (e *env) start(marker string, args ...string) *background {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	b := &background{args: args, seen: make(chan struct{}), done: make(chan struct{})}
	b.cmd = e.command(ctx, args...)
	b.cmd.Stdout = &b.out
	pipe, err := b.cmd.StderrPipe()
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	if err := b.cmd.Start(); err != nil {
		cancel()
		e.t.Fatal(err)
	}
	go func() {
		defer close(b.done)
		defer cancel()
		sc := bufio.NewScanner(pipe)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			b.mu.Lock()
			b.errb.WriteString(line + "\n")
			b.mu.Unlock()
			if strings.Contains(line, marker) {
				once.Do(func() { close(b.seen) })
			}
		}
		b.err = b.cmd.Wait()
	}()
	e.t.Cleanup(func() {
		_ = b.cmd.Process.Kill()
		<-b.done
	})
	return b
}

// waitSeen blocks until the marker was printed, or fails the test.
func (b *background) waitSeen(t *testing.T) {
	t.Helper()
	select {
	case <-b.seen:
	case <-b.done:
		t.Fatalf("eipctl %s ended before printing what the test waits for:\n%s", strings.Join(b.args, " "), b.stderr())
	case <-time.After(runTimeout):
		t.Fatalf("eipctl %s: timed out waiting for its stderr:\n%s", strings.Join(b.args, " "), b.stderr())
	}
}

func (b *background) stderr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.errb.String()
}

// wait returns the finished process's result.
func (b *background) wait(t *testing.T) result {
	t.Helper()
	<-b.done
	r := result{args: b.args, stdout: b.out.String(), stderr: b.stderr()}
	var ee *exec.ExitError
	switch {
	case b.err == nil:
	case errors.As(b.err, &ee) && ee.Exited():
		r.code = ee.ExitCode()
	default:
		t.Fatalf("eipctl %s did not finish: %v\n%s", strings.Join(b.args, " "), b.err, r)
	}
	return r
}

// server is a `sim serve` process on a loopback port.
type server struct {
	Endpoint    string                       `json:"endpoint"`
	Credentials map[string]map[string]string `json:"credentials"`
	line        string                       // the JSON line it printed
	dir         string                       // its --state-dir
	env         *env
}

// serve starts `eipctl sim serve` and reads the JSON line it prints first.
// extra flags (--fault, --bind-delay) are appended.
func serve(t *testing.T, extra ...string) *server {
	t.Helper()
	e := newEnv(t)
	s := &server{dir: t.TempDir(), env: e}
	args := append([]string{"sim", "serve", "--listen", "127.0.0.1:0", "-o", "json", "--state-dir", s.dir, "--bind-delay", "200ms"}, extra...)
	cmd := exec.Command(eipctl, args...)
	cmd.Env = e.environ()
	var errb eiptest.SyncBuffer
	cmd.Stderr = &errb
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		// It stops on SIGINT like on Ctrl-C; a kill is the fallback.
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pipe).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, pipe)
		exited <- cmd.Wait()
	}()
	select {
	case s.line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("sim serve printed nothing in 30s; stderr:\n%s", errb.String())
	}
	if err := json.Unmarshal([]byte(s.line), s); err != nil || s.Endpoint == "" {
		t.Fatalf("sim serve -o json printed %q (%v); stderr:\n%s", s.line, err, errb.String())
	}
	return s
}

// clientEnv is an environment holding the credentials the server accepts,
// in each cloud's own environment variables.
func (s *server) clientEnv(t *testing.T) *env {
	creds := map[string]sim.Credential{}
	for name, c := range s.Credentials {
		creds[name] = sim.Credential{ID: c["id"], Secret: c["secret"]}
	}
	return newEnv(t).with(all.CredentialVars(creds)...)
}

// secretVar is the variable eipctl reads a cloud's secret from first, as the
// registry has it.
func secretVar(t *testing.T, provider string) string {
	t.Helper()
	c, err := all.Find(provider)
	if err != nil {
		t.Fatal(err)
	}
	return c.Spec.Env.Secret[0]
}

// inventory reads the server's state through `sim inventory`.
func (s *server) inventory(t *testing.T) string {
	t.Helper()
	r := s.env.run("sim", "inventory", "-o", "json", "--state-dir", s.dir)
	mustExit(t, r, 0)
	return r.stdout
}

// holdLock takes the run lock in dir the way a running eipctl holds it.
func holdLock(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	fh, err := os.OpenFile(filepath.Join(dir, "eipctl.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(fh.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
}
