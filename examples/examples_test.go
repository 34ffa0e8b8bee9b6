package examples_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eipctl/eipctl/cmd/eipctl-docs/docgen"
	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/output"
)

// asCLI makes this test binary act as eipctl itself, so the shell examples
// run the real command tree without a separate `go build` (which, on a cold
// cache on a small CI machine, takes longer than every test here together).
const asCLI = "EIPCTL_EXAMPLES_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		os.Exit(cli.Main(os.Args[1:], output.System(), cli.BuildInfo{Version: "examples"}))
	}
	os.Exit(m.Run())
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
	var r report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	return r
}

// planTargets reads the targets a plan asks for, in order, with the plan
// format's own rules kept deliberately simple: the example files set every
// target explicitly.
func planTargets(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	switch filepath.Ext(path) {
	case ".yaml", ".json": // a JSON plan is also YAML
		var p struct{ Bindings []struct{ Target string } }
		if err := yaml.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		for _, b := range p.Bindings {
			targets = append(targets, b.Target)
		}
	case ".csv":
		r := csv.NewReader(bytes.NewReader(b))
		r.Comment = '#'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if h == "target" {
				col = i
			}
		}
		for _, rec := range recs[1:] {
			targets = append(targets, rec[col])
		}
	}
	if len(targets) == 0 {
		t.Fatalf("%s has no bindings", path)
	}
	return targets
}

// Every plan binds every row on a fresh emulator, across more than one
// cloud, and a second run changes nothing (what cron and systemd rely on).
func TestPlansBindEveryRow(t *testing.T) {
	for _, plan := range []string{"plan.yaml", "plan.csv", "plan.json"} {
		t.Run(plan, func(t *testing.T) {
			isolate(t)
			targets := planTargets(t, plan)

			code, stdout, stderr := eipctl(t, "eip", "associate", "--sim", "-f", plan, "-o", "json")
			if code != 0 {
				t.Fatalf("exit %d, want 0\nstderr: %s\nstdout: %s", code, stderr, stdout)
			}
			r := decodeReport(t, stdout)
			if len(r.Results) != len(targets) {
				t.Fatalf("%d rows for %d bindings", len(r.Results), len(targets))
			}
			providers := map[string]bool{}
			for i, row := range r.Results {
				providers[row.Provider] = true
				if row.Status != "associated" || row.TargetID != targets[i] || row.Error != nil {
					t.Errorf("row %d: %s %s -> %s is %s (error %+v), want associated to %s",
						i+1, row.Provider, row.EIPID, row.TargetID, row.Status, row.Error, targets[i])
				}
			}
			if len(providers) < 2 {
				t.Errorf("plan covers %d provider(s), want at least 2", len(providers))
			}
			if r.Summary["associated"] != len(targets) || r.Summary["total"] != len(targets) {
				t.Errorf("summary %v, want %d associated of %d", r.Summary, len(targets), len(targets))
			}

			code, stdout, stderr = eipctl(t, "eip", "associate", "--sim", "-f", plan, "-o", "json")
			if code != 0 {
				t.Fatalf("second run: exit %d, want 0\nstderr: %s", code, stderr)
			}
			if again := decodeReport(t, stdout); again.Summary["unchanged"] != len(targets) {
				t.Errorf("second run summary %v, want all %d unchanged", again.Summary, len(targets))
			}
		})
	}
}

// scheduledCommand returns the eipctl arguments of a cron line or a systemd
// ExecStart line, with the installed plan path pointed at the example plan.
func scheduledCommand(t *testing.T, path, marker string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
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

// script runs a shell example with this test binary standing in for eipctl.
func script(t *testing.T, path string, env ...string) (int, string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("the shell examples need bash: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, path)
	cmd.Env = append(os.Environ(), append([]string{"EIPCTL=" + self, asCLI + "=1"}, env...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", path, err)
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// The CI smoke script starts `eipctl sim serve`, runs the plan twice over
// --endpoint and checks the JSON; it must pass and leave no server behind.
func TestEmulatorSmokeScript(t *testing.T) {
	isolate(t)
	code, out := script(t, "ci/emulator-smoke.sh")
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "ok") {
		t.Fatalf("emulator-smoke.sh: exit %d, want 0 ending in ok\n%s", code, out)
	}
	if !strings.Contains(out, "9 of 9 associated") {
		t.Errorf("smoke output does not report the plan's 9 bindings:\n%s", out)
	}
}

// The keepalived hook moves an EIP from the old MASTER to this node with
// --force, is a no-op when run again, and stops at once on an EIP that does
// not exist.
func TestKeepalivedHookMovesEIPHere(t *testing.T) {
	isolate(t)
	hook := "keepalived/notify-master.sh"
	env := []string{"FAILOVER_ENV=/nonexistent", "FAILOVER_SYSLOG=0", "FAILOVER_EIPCTL_FLAGS=--sim",
		"EIPCTL_PROVIDER=alibaba", "EIPCTL_REGION=cn-hangzhou", "FAILOVER_TARGET=i-hz0001"}

	// The emulator seeds eip-hz0024 bound to i-hz0008: the old MASTER.
	code, out := script(t, hook, append(env, "FAILOVER_EIPS=eip-hz0024")...)
	if code != 0 || !strings.Contains(out, `"status":"moved"`) || !strings.Contains(out, `"previousTargetId":"i-hz0008"`) {
		t.Fatalf("first run: exit %d, want 0 with eip-hz0024 moved from the old node i-hz0008\n%s", code, out)
	}
	_, stdout, _ := eipctl(t, "eip", "list", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "-o", "json")
	var list struct {
		EIPs []struct{ EIPID, Status, TargetID string }
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range list.EIPs {
		if e.EIPID == "eip-hz0024" {
			found = true
			if e.Status != "associated" || e.TargetID != "i-hz0001" {
				t.Errorf("eip-hz0024 is %s on %q, want associated on i-hz0001", e.Status, e.TargetID)
			}
		}
	}
	if !found {
		t.Fatal("eip-hz0024 missing from eip list")
	}

	code, out = script(t, hook, append(env, "FAILOVER_EIPS=eip-hz0024")...)
	if code != 0 || !strings.Contains(out, `"status":"unchanged"`) {
		t.Errorf("second run: exit %d, want 0 with eip-hz0024 unchanged\n%s", code, out)
	}

	start := time.Now()
	code, out = script(t, hook, append(env, "FAILOVER_EIPS=eip-hz0099")...)
	if code != 1 || !strings.Contains(out, "not found") {
		t.Errorf("unknown EIP: exit %d, want 1 naming it not found\n%s", code, out)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("unknown EIP took %s: a not-found error must not be retried", took)
	}
}

// The pool recipe claims one EIP of the pool for each machine, changes
// nothing when run again, and exits 1 once the pool has nothing free; its
// systemd unit runs the installed script.
func TestPoolClaimOnBoot(t *testing.T) {
	isolate(t)
	claim := "pool/claim-on-boot.sh"
	env := func(target string) []string {
		return []string{"POOL_ENV=/nonexistent", "POOL_PROVIDER=alibaba", "POOL_REGION=cn-hangzhou",
			"POOL=eip-hz0001,47.96.0.3", "POOL_TARGET=" + target, "POOL_EIPCTL_FLAGS=--sim"}
	}
	inPool := map[string]bool{"eip-hz0001 47.96.0.2": true, "eip-hz0002 47.96.0.3": true}
	held := map[string]string{}
	for _, target := range []string{"i-hz0001", "i-hz0002"} {
		code, out := script(t, claim, env(target)...)
		line := strings.TrimSpace(out)
		if code != 0 || !inPool[line] {
			t.Fatalf("%s: exit %d, want 0 and one \"<eip-id> <ip>\" line of the pool\n%s", target, code, out)
		}
		for other, l := range held {
			if l == line {
				t.Fatalf("%s got %s, which %s holds", target, line, other)
			}
		}
		held[target] = line
	}
	if code, out := script(t, claim, env("i-hz0001")...); code != 0 || strings.TrimSpace(out) != held["i-hz0001"] {
		t.Errorf("rerun on i-hz0001: exit %d, want 0 and the same EIP %q\n%s", code, held["i-hz0001"], out)
	}
	code, out := script(t, claim, env("i-hz0003")...)
	if code != 1 || !strings.Contains(out, "PoolExhausted") && !strings.Contains(out, "no free EIP left in pool") {
		t.Errorf("third machine on a pool of two: exit %d, want 1 saying the pool is exhausted\n%s", code, out)
	}
	if code, out := script(t, claim, "POOL_ENV=/nonexistent", "POOL_PROVIDER=alibaba"); code != 2 || !strings.Contains(out, "POOL_REGION") {
		t.Errorf("missing settings: exit %d, want 2 naming POOL_REGION\n%s", code, out)
	}
	unit, err := os.ReadFile("pool/eipctl-pool-claim.service")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unit), "ExecStart=/usr/local/lib/eipctl/claim-on-boot.sh") ||
		!strings.Contains(string(unit), "EnvironmentFile=/etc/eipctl/pool.env") {
		t.Errorf("eipctl-pool-claim.service does not run the installed claim-on-boot.sh with pool.env")
	}
	var ci struct {
		WriteFiles []struct{ Path, Content string } `yaml:"write_files"`
		Runcmd     []string
	}
	b, err := os.ReadFile("pool/cloud-init.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &ci); err != nil {
		t.Fatalf("cloud-init.yaml: %v", err)
	}
	for _, f := range ci.WriteFiles {
		if f.Path == "/etc/eipctl/pool.txt" {
			lines := strings.ReplaceAll(f.Content, "\n", ",")
			code, stdout, stderr := eipctl(t, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
				"--pool-file", writeTemp(t, f.Content), "--target", "ngw-hz0001", "--dry-run", "-o", "json")
			if code == 2 {
				t.Errorf("the pool file in cloud-init.yaml (%s) is refused: exit %d\n%s%s", lines, code, stdout, stderr)
			}
		}
	}
}

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestShellExamplesParse(t *testing.T) {
	var scripts []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".sh") {
			scripts = append(scripts, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 2 {
		t.Fatalf("found %d shell examples, want the CI and keepalived ones", len(scripts))
	}
	for _, s := range scripts {
		if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "set -euo pipefail") {
			t.Errorf("%s does not set -euo pipefail", s)
		}
	}
}

// docs/reference and docs/man must be what cmd/eipctl-docs writes from
// today's command tree; the same generator (docgen) writes them here. Man
// pages are compared without their date line, which names the month they
// were made in.
func TestReferenceIsUpToDate(t *testing.T) {
	const fix = "run `go generate ./cmd/eipctl-docs` and commit docs/reference and docs/man"
	for _, c := range []struct {
		dir, pattern string
		gen          func(string) error
	}{
		{"reference", "eipctl*.md", docgen.Markdown},
		{"man", "eipctl*.1", func(dir string) error { return docgen.Man(dir, time.Now()) }},
	} {
		dir := t.TempDir()
		if err := c.gen(dir); err != nil {
			t.Fatal(err)
		}
		committed := filepath.Join("..", "docs", c.dir)
		want, err := filepath.Glob(filepath.Join(dir, c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		have, err := filepath.Glob(filepath.Join(committed, c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 10 {
			t.Fatalf("the generator wrote %d pages into %s; is the tree still there?", len(want), c.dir)
		}
		names := map[string]bool{}
		for _, p := range have {
			names[filepath.Base(p)] = true
		}
		for _, p := range want {
			name := filepath.Base(p)
			if !names[name] {
				t.Errorf("docs/%s/%s is missing: %s", c.dir, name, fix)
				continue
			}
			delete(names, name)
			gen, _ := os.ReadFile(p)
			old, _ := os.ReadFile(filepath.Join(committed, name))
			undated := func(b []byte) []byte { return docgen.ManDate.ReplaceAll(b, []byte("$1")) }
			if !bytes.Equal(undated(gen), undated(old)) {
				t.Errorf("docs/%s/%s is stale: %s", c.dir, name, fix)
			}
		}
		for name := range names {
			t.Errorf("docs/%s/%s documents a command that no longer exists: %s", c.dir, name, fix)
		}
	}
}

// mdLink finds Markdown links; the first group is the target.
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// slug is the anchor GitHub gives a heading: lower case, spaces to hyphens,
// other punctuation dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fenced := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "#") {
			out[slug(strings.TrimLeft(line, "#"))] = true
		}
	}
	return out
}

// Every relative link in the documentation (and the top-level README) points
// at a file that exists and, with #anchor, at a heading it has: pages that
// name examples and each other must not rot when files move.
func TestDocsLinksResolve(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join("..", "docs", "providers", "*.md"))
	pages = append(pages, more...)
	if _, err := os.Stat(filepath.Join("..", "README.md")); err == nil {
		pages = append(pages, filepath.Join("..", "README.md"))
	}
	checked := 0
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := page
			if file != "" {
				dest = filepath.Join(filepath.Dir(page), file)
			}
			if _, err := os.Stat(dest); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, target)
				continue
			}
			if anchor != "" && strings.HasSuffix(dest, ".md") && !anchors(t, dest)[anchor] {
				t.Errorf("%s links to %s, but %s has no heading with anchor #%s", page, target, dest, anchor)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d links: is the link pattern still right?", checked)
	}
}
