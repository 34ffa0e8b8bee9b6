package e2e_test

import (
	"strings"
	"sync"
	"testing"
)

// everyTarget runs bindCycle for each binding as subtests that run all at
// once. Each cycle mostly sleeps on the engine's poll interval, so running
// them together costs no CPU; t.Parallel alone would be capped by -parallel
// (GOMAXPROCS, 2 on CI). testing allows t.Run from several goroutines.
func everyTarget(t *testing.T, provider, region string, bs []binding) {
	var wg sync.WaitGroup
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(b.name, func(t *testing.T) { bindCycle(t, provider, region, b) })
		}()
	}
	wg.Wait()
}

// binding is one associate a cloud test drives through its whole life.
type binding struct {
	name       string
	eip        string
	target     string
	targetType string   // what eipctl should infer from the target ID
	extra      []string // e.g. --private-ip
}

// bindCycle runs, against the embedded emulator in a fresh state directory:
// associate -> list shows it bound -> associate again is unchanged ->
// disassociate -> list shows it available. Each step is what a cron job or
// an operator sees.
func bindCycle(t *testing.T, provider, region string, b binding) {
	t.Helper()
	e := newEnv(t)
	where := []string{"--sim", "--provider", provider, "--region", region}
	assoc := append(append([]string{"eip", "associate", "--eip", b.eip, "--target", b.target, "-o", "json"}, where...), b.extra...)

	d := decodeRun(t, e.run(assoc...), 0)
	d.wantRows(t, map[string]string{b.eip: "associated"})
	row := d.row(t, b.eip)
	if row.Provider != provider || row.Region != region || row.TargetID != b.target || row.TargetType != b.targetType || row.IP == "" {
		t.Errorf("associate row %+v: want %s %s on %s type %s with its IP", row, provider, region, b.target, b.targetType)
	}
	if d.Summary["associated"] != 1 || d.Summary["total"] != 1 {
		t.Errorf("summary %v, want total 1 associated 1", d.Summary)
	}
	wantListed(t, list(t, e, provider, region, "--sim"), b.eip, "associated", b.target, b.targetType)

	again := decodeRun(t, e.run(assoc...), 0)
	again.wantRows(t, map[string]string{b.eip: "unchanged"})
	if again.Summary["unchanged"] != 1 || again.Summary["associated"] != 0 {
		t.Errorf("rerun summary %v, want unchanged 1", again.Summary)
	}

	un := decodeRun(t, e.run(append([]string{"eip", "disassociate", "--eip", b.eip, "-o", "json"}, where...)...), 0)
	un.wantRows(t, map[string]string{b.eip: "disassociated"})
	if r := un.row(t, b.eip); r.TargetID != b.target {
		t.Errorf("disassociate row names target %q, want the one it was released from, %s", r.TargetID, b.target)
	}
	if un.Summary["disassociated"] != 1 {
		t.Errorf("disassociate summary %v, want disassociated 1", un.Summary)
	}
	wantListed(t, list(t, e, provider, region, "--sim"), b.eip, "available", "", "")
}

// usageExit checks a run refused as bad input: exit 2, a message naming what
// to fix, and an empty stdout.
func usageExit(t *testing.T, r result, mentions ...string) {
	t.Helper()
	mustExit(t, r, 2)
	if r.stdout != "" {
		t.Errorf("a refused run printed a document on stdout\n%s", r)
	}
	for _, m := range mentions {
		if !strings.Contains(r.stderr, m) {
			t.Errorf("stderr does not mention %q\n%s", m, r)
		}
	}
}
