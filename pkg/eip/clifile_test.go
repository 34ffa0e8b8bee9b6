package eip

import (
	"os"
	"path/filepath"
	"testing"
)

// `config doctor` lists a CLI file's profiles and flags an exposed one: a
// file it cannot decode still counts as holding secrets, and lists nothing.
func TestJSONCredentialFile(t *testing.T) {
	dir := t.TempDir()
	type file struct {
		Secret string `json:"secret"`
	}
	if f, _ := JSONCredentialFile[file](filepath.Join(dir, "none.json")); f != nil {
		t.Fatalf("no file: %+v, want nil", f)
	}
	good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	os.WriteFile(good, []byte(`{"secret":"s"}`), 0o644)
	os.WriteFile(bad, []byte(`{"secret":7}`), 0o600) // a type error decodes partly: nothing may leak through
	os.Chmod(good, 0o644)                            // whatever the umask
	f, c := JSONCredentialFile[file](good)
	if f == nil || f.Path != good || f.Mode != 0o644 || f.Secrets || c.Secret != "s" {
		t.Fatalf("good file: %+v %+v", f, c)
	}
	f, c = JSONCredentialFile[file](bad)
	if f == nil || f.Mode != 0o600 || !f.Secrets || c != (file{}) {
		t.Fatalf("undecodable file: %+v %+v, want Secrets and nothing decoded", f, c)
	}
}

// A CLI's own order: --profile, then its variable, then the file's current
// profile, which is read only when needed.
func TestCLIProfileName(t *testing.T) {
	asked := false
	current := func() string { asked = true; return "cur" }
	t.Setenv("EIPCTL_TEST_PROFILE", "env")
	if n, how := CLIProfileName("flag", "EIPCTL_TEST_PROFILE", current); n != "flag" || how != "--profile" || asked {
		t.Fatalf("flag: %s by %s (current asked: %v)", n, how, asked)
	}
	if n, how := CLIProfileName("", "EIPCTL_TEST_PROFILE", current); n != "env" || how != "EIPCTL_TEST_PROFILE" || asked {
		t.Fatalf("env: %s by %s (current asked: %v)", n, how, asked)
	}
	t.Setenv("EIPCTL_TEST_PROFILE", "")
	if n, how := CLIProfileName("", "EIPCTL_TEST_PROFILE", current); n != "cur" || how != "its current profile" {
		t.Fatalf("current: %s by %s", n, how)
	}
}
