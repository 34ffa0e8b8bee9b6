package e2e_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestHAUndoRestoresInventory: a run that force-moves one EIP, binds a free
// one and binds a third to an ENI's second private IP is undone with
// `eip associate --undo RUN_ID`, and the emulator's inventory is then
// exactly what it was before the run.
func TestHAUndoRestoresInventory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	journal := filepath.Join(t.TempDir(), "journal.jsonl")
	before := e.run("sim", "inventory", "-o", "json")
	mustExit(t, before, 0)
	plan := writeFile(t, "plan.yaml", `bindings:
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0023, target: i-hz0002, force: true}
  - {provider: alibaba, region: cn-hangzhou, eip: eip-hz0001, target: i-hz0003}
  - {provider: zenlayer, region: asia-east-1, eip: eip-ae0001, target: nic-ae0001, privateIp: 10.1.1.11}
`, 0o600)
	run := decodeRun(t, e.run("eip", "associate", "--sim", "-f", plan, "--journal", journal, "-o", "json"), 0)
	run.wantRows(t, map[string]string{"eip-hz0023": "moved", "eip-hz0001": "associated", "eip-ae0001": "associated"})
	if e.run("sim", "inventory", "-o", "json").stdout == before.stdout {
		t.Fatal("the run changed nothing in the inventory")
	}

	id := onlyRun(t, e, journal)
	undo := decodeRun(t, e.run("eip", "associate", "--sim", "--undo", id, "--journal", journal, "-o", "json"), 0)
	if len(undo.Results) != 3 {
		t.Fatalf("undo has %d rows, want one per EIP the run changed\n%+v", len(undo.Results), undo.Results)
	}
	after := e.run("sim", "inventory", "-o", "json")
	mustExit(t, after, 0)
	if after.stdout != before.stdout {
		t.Fatalf("after --undo the inventory differs from before the run:\nbefore %s\nafter  %s", before.stdout, after.stdout)
	}
}

// onlyRun is the run ID of every entry of the journal, which must be one.
func onlyRun(t *testing.T, e *env, journal string) string {
	t.Helper()
	r := e.run("eip", "history", "--journal", journal, "-o", "json")
	mustExit(t, r, 0)
	var doc struct {
		Entries []struct {
			Run string `json:"run"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Entries) == 0 {
		t.Fatalf("eip history -o json: %v\n%s", err, r)
	}
	for _, x := range doc.Entries {
		if x.Run != doc.Entries[0].Run {
			t.Fatalf("the journal holds runs %s and %s, want one", x.Run, doc.Entries[0].Run)
		}
	}
	return doc.Entries[0].Run
}
