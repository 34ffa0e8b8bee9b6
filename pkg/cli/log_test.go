package cli

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/engine"
)

var bindOne = []string{"eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001", "--target", "i-hz0001", "-o", "json"}

// A run that goes well writes nothing on stderr by default: cron mails only
// when something needs a person.
func TestLogsAreQuietByDefault(t *testing.T) {
	isolate(t)
	code, _, stderr := run(t, bindOne...)
	if code != 0 || stderr != "" {
		t.Errorf("exit %d, stderr %q; want 0 and nothing on stderr", code, stderr)
	}
}

func TestLogFormatJSON(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, append(bindOne, "--log-level", "debug", "--log-format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Errorf("stdout is not only the report:\n%s", stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	settled := false
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("stderr line is not a JSON record: %q", l)
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("record %q has no %q", l, k)
			}
		}
		if rec["msg"] == "eip settled" && rec["eip"] == "eip-hz0001" && rec["status"] == "associated" && rec["level"] == "INFO" {
			settled = true
		}
	}
	if !settled {
		t.Errorf("no INFO record of eip-hz0001 settling as associated:\n%s", stderr)
	}
	if strings.Contains(stderr, "eipctl-emulator-alibaba-secret") {
		t.Error("a log record holds the secret")
	}

	// The error a run ends with is a record too, with its exit status.
	code, _, stderr = run(t, "eip", "describe", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "eip-nope", "--log-format", "json")
	var rec map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(stderr)), &rec); code != 1 || err != nil || rec["level"] != "ERROR" ||
		!strings.Contains(rec["msg"].(string), "eip-nope") {
		t.Errorf("exit %d, stderr %q; want 1 and one ERROR record naming eip-nope", code, stderr)
	}
}

func TestLogFormatText(t *testing.T) {
	isolate(t)
	t.Setenv("EIPCTL_LOG_LEVEL", "info") // the environment works as the flag does
	code, _, stderr := run(t, bindOne...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, `level=INFO msg="eip settled" provider=alibaba region=cn-hangzhou eip=eip-hz0001 status=associated`) {
		t.Errorf("no key=value record of the row settling:\n%s", stderr)
	}
	if strings.Contains(stderr, "status read") {
		t.Errorf("info level shows debug records:\n%s", stderr)
	}
	// Problems stay one plain line each for people.
	_, _, stderr = run(t, "eip", "describe", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "eip-nope")
	if !strings.HasPrefix(stderr, "eipctl: describe: no EIP has ID eip-nope") {
		t.Errorf("text error line: %q", stderr)
	}
}

func TestBadLogFlagsAreUsageErrors(t *testing.T) {
	isolate(t)
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--log-format", "xml"}, "--log-format"},
	} {
		code, stdout, stderr := run(t, append(bindOne, c.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, c.flag) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 naming %s", c.args, code, stdout, stderr, c.flag)
		}
	}
}

// A retry that succeeds is routine: it is logged at info, so a healthy cron
// job that was throttled mails nothing. A failed row is a warning, which
// --quiet keeps off stderr (the report and the exit status say it).
func TestRetriesAreInfoAndQuietHidesWarnings(t *testing.T) {
	if lv := eventLevel(engine.Event{Kind: engine.EventRetry}); lv != slog.LevelInfo {
		t.Errorf("a retry logs at %s, want INFO", lv)
	}
	isolate(t)
	if code, _, stderr := run(t, bindOne...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	elsewhere := []string{"eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou", "--eip", "eip-hz0001", "--target", "i-hz0002", "-o", "json"}
	code, _, stderr := run(t, elsewhere...)
	if code != 1 || !strings.Contains(stderr, "level=WARN") {
		t.Fatalf("bound elsewhere: exit %d, stderr %q; want 1 and a warning", code, stderr)
	}
	code, _, stderr = run(t, append(elsewhere, "--quiet")...)
	if code != 1 || strings.Contains(stderr, "level=WARN") {
		t.Errorf("with --quiet: exit %d, stderr %q; want 1 and no warning records", code, stderr)
	}
}
