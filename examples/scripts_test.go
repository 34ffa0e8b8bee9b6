package examples_test

import (
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

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
	scripts = append(scripts, "pacemaker/eipctl") // an OCF agent is named without .sh
	if len(scripts) < 2 {
		t.Fatalf("found %d shell examples, want the CI and keepalived ones", len(scripts))
	}
	for _, s := range scripts {
		if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
		b := readFile(t, s)
		if !strings.Contains(string(b), "set -euo pipefail") {
			t.Errorf("%s does not set -euo pipefail", s)
		}
	}
}
