package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/eipctl/eipctl/internal/workload"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// emulator is one `eipctl sim serve` on a loopback port, with its own state
// directory and request log, started afresh for each scenario.
type emulator struct {
	bin      string
	dir      string
	endpoint string
	env      []string
	cmd      *exec.Cmd
	logFile  string
	keep     bool
}

type serveInfo struct {
	Endpoint    string                    `json:"endpoint"`
	Credentials map[string]sim.Credential `json:"credentials"`
}

func startEmulator(bin string, o options, seedEIPs int) (*emulator, error) {
	dir, err := os.MkdirTemp("", "eipctl-bench-")
	if err != nil {
		return nil, err
	}
	e := &emulator{bin: bin, dir: dir, logFile: filepath.Join(dir, "requests.jsonl"), keep: o.keep}
	e.env = append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(dir, "state"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	args := []string{"sim", "serve", "--listen", "127.0.0.1:0", "--reset", "-o", "json",
		"--bind-delay", o.bindDelay.String(), "--seed-eips", strconv.Itoa(seedEIPs)}
	args = append(args, "--latency", o.latency.String(), "--request-log", e.logFile)
	e.cmd = exec.Command(bin, args...)
	e.cmd.Env = e.env
	e.cmd.Stderr = os.Stderr
	out, err := e.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := e.cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		e.stop()
		return nil, fmt.Errorf("sim serve printed no endpoint: %v", err)
	}
	var info serveInfo
	if err := json.Unmarshal(line, &info); err != nil {
		e.stop()
		return nil, fmt.Errorf("sim serve's first line %q: %v", line, err)
	}
	e.endpoint = info.Endpoint
	kv := all.CredentialVars(info.Credentials)
	for i := 0; i+1 < len(kv); i += 2 {
		e.env = append(e.env, kv[i]+"="+kv[i+1])
	}
	return e, nil
}

// eipctl runs one eipctl command against the emulator and returns its stdout,
// stderr, wall time and exit code.
func (e *emulator) eipctl(args ...string) (run, error) { return e.runEipctl(false, args...) }

// measured is eipctl with its peak RSS too, taken through a small spawner
// process (see spawn): the kernel carries a child's high-water RSS across
// exec, and Go starts children sharing the parent's memory until they exec,
// so a child started by the bench itself would report the bench's peak
// whenever that is the larger.
func (e *emulator) measured(args ...string) (run, error) { return e.runEipctl(true, args...) }

func (e *emulator) runEipctl(rss bool, args ...string) (run, error) {
	if e.endpoint != "" {
		args = append(args, "--endpoint", e.endpoint)
	}
	cmd := exec.Command(e.bin, args...)
	var rssFile string
	if rss {
		self, err := os.Executable()
		if err != nil {
			return run{}, err
		}
		f, err := os.CreateTemp("", "eipctl-bench-rss-")
		if err != nil {
			return run{}, err
		}
		rssFile = f.Name()
		f.Close()
		defer os.Remove(rssFile)
		cmd = exec.Command(self, append([]string{spawnFlag, rssFile, e.bin}, args...)...)
	}
	cmd.Env = e.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	r := run{wall: time.Since(t0), stdout: out.Bytes(), stderr: errb.Bytes()}
	if rss {
		// -1 says the spawner left no figure (it could not read or write it).
		r.rss = -1
		if b, rerr := os.ReadFile(rssFile); rerr == nil {
			if n, perr := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); perr == nil {
				r.rss = n
			}
		}
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
		err = nil
	}
	return r, err
}

// spawnFlag, as the bench's first argument, makes it the spawner: run the
// rest as a command, write the command's peak RSS in bytes to the named
// file, and exit with its code. The spawner is a small new process, so the
// child's high-water mark starts from its few MB, not from the bench's.
const spawnFlag = "-spawn-measuring-rss"

func spawn(rssFile string, argv []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "bench spawner:", err)
		return 1
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		_ = os.WriteFile(rssFile, []byte(strconv.FormatInt(ru.Maxrss*1024, 10)), 0o600)
	}
	return cmd.ProcessState.ExitCode()
}

type run struct {
	wall           time.Duration
	rss            int64 // measured runs only
	code           int
	stdout, stderr []byte
}

// requests counts the lines of the request log: one per request the
// emulator answered, reads included.
func (e *emulator) requests() int {
	b, err := os.ReadFile(e.logFile)
	if err != nil {
		return -1
	}
	return bytes.Count(b, []byte("\n"))
}

// peakRSS is the emulator's high-water resident set so far, in bytes.
func (e *emulator) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return -1
}

func (e *emulator) stop() {
	if e.cmd != nil && e.cmd.Process != nil {
		_ = e.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = e.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = e.cmd.Process.Kill()
		}
	}
	if e.keep {
		fmt.Fprintf(os.Stderr, "bench: kept %s (requests.jsonl is the emulator's request log)\n", e.dir)
		return
	}
	_ = os.RemoveAll(e.dir)
}

// startWithInventory starts an emulator seeded for seedEIPs per region and
// reads its inventory; on an error nothing is left running.
func startWithInventory(bin string, o options, seedEIPs int) (*emulator, *workload.Inventory, error) {
	emu, err := startEmulator(bin, o, seedEIPs)
	if err != nil {
		return nil, nil, err
	}
	inv, err := emu.inventory()
	if err != nil {
		emu.stop()
		return nil, nil, err
	}
	return emu, inv, nil
}

func (e *emulator) inventory() (*workload.Inventory, error) {
	r, err := e.eipctl("sim", "inventory", "-o", "json")
	if err != nil || r.code != 0 {
		return nil, fmt.Errorf("sim inventory: exit %d: %v %s", r.code, err, r.stderr)
	}
	return workload.ParseInventory(r.stdout)
}
