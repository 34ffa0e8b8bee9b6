package examples_test

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// planTargets reads the targets a plan asks for, in order, with the plan
// format's own rules kept deliberately simple: the example files set every
// target explicitly.
func planTargets(t *testing.T, path string) []string {
	t.Helper()
	b := []byte(readFile(t, path))
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
