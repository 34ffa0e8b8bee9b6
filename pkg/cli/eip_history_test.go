package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/journal"
)

// writeJournal appends entries to the journal a test's state directory holds.
func writeJournal(t *testing.T, path string, entries ...journal.Entry) {
	t.Helper()
	j, err := journal.Open(path, journal.Options{Run: "run-1", Host: "node-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Append(entries...); err != nil {
		t.Fatal(err)
	}
}

var historyKeys = "action,code,eipId,finishes,host,ip,new,outcome,previous,provider,region,requestId,run,time"

// `eip history` prints the journal of the state directory, filtered by EIP
// (ID or address) and by age, as the documented JSON and as a table.
func TestHistoryReadsTheJournal(t *testing.T) {
	dir := filepath.Join(isolate(t), "state", "eipctl")
	from := &journal.Holder{TargetID: "i-hz0008", TargetType: eip.Instance, PrivateIP: "10.1.8.10", Mode: eip.ModeNAT}
	to := &journal.Holder{TargetID: "i-hz0001", TargetType: eip.Instance, Mode: eip.ModeNAT}
	old := journal.Entry{Time: time.Now().Add(-48 * time.Hour), Provider: "alibaba", Region: "cn-hangzhou", EIP: "eip-hz0002",
		IP: "47.96.0.3", Action: journal.ActionBind, Outcome: journal.OutcomeAssociated, New: to}
	intent := journal.Entry{Provider: "alibaba", Region: "cn-hangzhou", EIP: "eip-hz0024", IP: "47.96.0.25",
		Action: journal.ActionMove, Outcome: journal.OutcomeIntent, Previous: from, New: to}
	done := intent
	done.Outcome, done.RequestID = journal.OutcomeMoved, "REQ-7"
	writeJournal(t, journal.DefaultPath(dir), old, intent, done)

	code, stdout, stderr := run(t, "eip", "history", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var doc struct{ Entries []map[string]any }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Entries) != 3 {
		t.Fatalf("want 3 entries: %v\n%s", err, stdout)
	}
	e := doc.Entries[2]
	if got := keySet(e); got != historyKeys {
		t.Errorf("entry keys %s, want %s", got, historyKeys)
	}
	if e["outcome"] != "moved" || e["requestId"] != "REQ-7" || e["previous"].(map[string]any)["privateIp"] != "10.1.8.10" {
		t.Errorf("last entry %v, want the move's completion with its old holder's private IP", e)
	}

	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--eip", "47.96.0.25"}, 2},
		{[]string{"--eip", "eip-hz0002"}, 1},
		{[]string{"--since", "24h"}, 2},
		{[]string{"--run", "run-2"}, 0},
	} {
		_, stdout, _ := run(t, append([]string{"eip", "history", "-o", "json"}, c.args...)...)
		var d struct{ Entries []json.RawMessage }
		if json.Unmarshal([]byte(stdout), &d); len(d.Entries) != c.want || d.Entries == nil {
			t.Errorf("history %v: %d entries, want %d (an empty list as [])\n%s", c.args, len(d.Entries), c.want, stdout)
		}
	}

	_, table, _ := run(t, "eip", "history", "-o", "table", "--eip", "eip-hz0024")
	for _, want := range []string{"OUTCOME", "intent", "moved", "i-hz0008 (10.1.8.10)", "i-hz0001"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

// A torn last line (eipctl killed mid-write) is skipped with a warning, and
// the rest is printed; a bad --since is a usage error; --journal FILE reads
// another file.
func TestHistoryTornLineAndFlags(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "j.jsonl")
	writeJournal(t, path, journal.Entry{Provider: "tencent", Region: "ap-guangzhou", EIP: "eip-gz000002",
		Action: journal.ActionUnbind, Outcome: journal.OutcomeDisassociated})
	fh, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	fh.WriteString(`{"time":"2026-12-07T03:00:00Z","eipId":"eip-`)
	fh.Close()
	code, stdout, stderr := run(t, "eip", "history", "--journal", path, "-o", "json")
	if code != 0 || !strings.Contains(stdout, "eip-gz000002") || !strings.Contains(stderr, "skipped 1 line") {
		t.Errorf("torn line: exit %d, want 0 with the whole entry and a warning\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, "eip", "history", "--since", "yesterday"); code != 2 || stdout != "" || !strings.Contains(stderr, "--since") {
		t.Errorf("--since yesterday: exit %d, want 2 naming --since\n%s", code, stderr)
	}
	if code, _, stderr := run(t, "eip", "history", "--journal", ""); code != 2 || !strings.Contains(stderr, "switched off") {
		t.Errorf("--journal '': exit %d, want 2\n%s", code, stderr)
	}
}
