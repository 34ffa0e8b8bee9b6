package examples_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// scheduledCommand returns the eipctl arguments of a cron line or a systemd
// ExecStart line, with the installed plan path pointed at the example plan.
func scheduledCommand(t *testing.T, path, marker string) []string {
	t.Helper()
	b := readFile(t, path)
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") || !strings.Contains(line, marker) {
			continue
		}
		line, _, _ = strings.Cut(line, ">") // the cron line's redirection
		_, cmd, _ := strings.Cut(line, "eipctl ")
		args := strings.Fields(cmd)
		for i, a := range args {
			if a == "/etc/eipctl/plan.yaml" {
				args[i] = "plan.yaml"
			}
		}
		return args
	}
	t.Fatalf("%s has no line with %q", path, marker)
	return nil
}

// The command lines in the cron and systemd examples are valid and do their
// job: run against the emulator, they bind the plan and exit 0.
func TestScheduledCommandsRun(t *testing.T) {
	for _, c := range []struct{ file, marker string }{
		{"cron/eipctl-failover.cron", "* * * * *"},
		{"systemd/eipctl-rebind.service", "ExecStart="},
	} {
		t.Run(c.file, func(t *testing.T) {
			isolate(t)
			args := append(scheduledCommand(t, c.file, c.marker), "--sim")
			code, stdout, stderr := eipctl(t, args...)
			if code != 0 {
				t.Fatalf("eipctl %s: exit %d\nstderr: %s", strings.Join(args, " "), code, stderr)
			}
			if r := decodeReport(t, stdout); r.Summary["associated"] != r.Summary["total"] {
				t.Errorf("summary %v, want every row associated", r.Summary)
			}
		})
	}
}

// The cron example runs every minute: its --timeout, the second a run may
// take past it to settle and report, and room to start and take the lock
// (10s) stay inside the minute, so one run never overlaps the next.
func TestCronTimeoutFitsTheMinute(t *testing.T) {
	args := scheduledCommand(t, "cron/eipctl-failover.cron", "* * * * *")
	for i, a := range args {
		if a == "--timeout" && i+1 < len(args) {
			d, err := time.ParseDuration(args[i+1])
			if err != nil {
				t.Fatal(err)
			}
			if d+time.Second+10*time.Second > time.Minute {
				t.Errorf("--timeout %s: a run can outlast the minute and overlap the next one; keep it at 49s or less", d)
			}
			return
		}
	}
	t.Fatal("the cron line has no --timeout: a run against an endpoint that hangs would overlap the next")
}

// The systemd units start the binary where the deb and rpm put it
// (.goreleaser.yaml's nfpms bindir); systemd refuses a unit whose
// ExecStart does not exist.
func TestSystemdUnitsUsePackagedPath(t *testing.T) {
	b := readFile(t, "../.goreleaser.yaml")
	m := regexp.MustCompile(`(?m)^\s*bindir:\s*(\S+)`).FindStringSubmatch(b)
	if m == nil {
		t.Fatal(".goreleaser.yaml has no nfpms bindir")
	}
	bin := m[1] + "/eipctl"
	units, _ := filepath.Glob("systemd/*.service")
	if len(units) == 0 {
		t.Fatal("no systemd units")
	}
	for _, u := range units {
		b := readFile(t, u)
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "ExecStart=") && !strings.HasPrefix(line, "ExecStart="+bin+" ") {
				t.Errorf("%s: %s, want ExecStart=%s (what the packages install)", u, line, bin)
			}
		}
	}
}
