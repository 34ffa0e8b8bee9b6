package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/config"
)

var credVars = config.CredentialVars{ID: []string{"FAKE_KEY_ID", "FAKE_ACCESS_KEY"}, Secret: []string{"FAKE_SECRET"}, Token: []string{"FAKE_TOKEN"}}

// isolate points every location and variable config reads at nothing, so
// the developer's own settings never leak into a test.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	for _, k := range []string{"PROVIDER", "REGION", "ENDPOINT", "TIMEOUT", "OUTPUT", "STATE_DIR", "PROFILE", "CONFIG"} {
		t.Setenv("EIPCTL_"+k, "")
	}
	for _, v := range [][]string{credVars.ID, credVars.Secret, credVars.Token} {
		for _, n := range v {
			t.Setenv(n, "")
		}
	}
	return home
}

// writeConfig writes $XDG_CONFIG_HOME/eipctl/config.yaml with mode perm.
func writeConfig(t *testing.T, body string, perm os.FileMode) string {
	t.Helper()
	dir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "eipctl")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(body), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil { // WriteFile's mode is filtered by the umask
		t.Fatal(err)
	}
	return p
}

func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("eipctl", pflag.ContinueOnError)
	for _, k := range config.Keys {
		fs.String(k, "", "")
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func load(t *testing.T, fs *pflag.FlagSet, file, profile string) *config.Config {
	t.Helper()
	c, err := config.Load(fs, file, profile)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

const profiles = `
default-profile: staging
profiles:
  staging:
    provider: alibaba
    region: cn-hangzhou
    timeout: 2m
  prod:
    provider: tencent
    region: ap-guangzhou
    output: yaml
`

func TestPrecedenceFlagEnvProfile(t *testing.T) {
	isolate(t)
	writeConfig(t, profiles, 0o600)

	c := load(t, flags(t), "", "")
	if c.Profile() != "staging" || c.String("region") != "cn-hangzhou" || c.String("provider") != "alibaba" {
		t.Fatalf("profile %s region %q provider %q: want default-profile staging's values", c.Profile(), c.String("region"), c.String("provider"))
	}

	t.Setenv("EIPCTL_REGION", "cn-shanghai")
	if c := load(t, flags(t), "", ""); c.String("region") != "cn-shanghai" || c.String("provider") != "alibaba" {
		t.Fatalf("region %q provider %q: want the environment over the profile, the profile for the rest", c.String("region"), c.String("provider"))
	}

	if c := load(t, flags(t, "--region", "cn-beijing"), "", ""); c.String("region") != "cn-beijing" {
		t.Fatalf("region %q: want the flag over the environment", c.String("region"))
	}

	if c := load(t, flags(t), "", "prod"); c.String("provider") != "tencent" || c.String("output") != "yaml" || c.String("region") != "cn-shanghai" {
		t.Fatalf("--profile prod: provider %q output %q region %q", c.String("provider"), c.String("output"), c.String("region"))
	}
	t.Setenv("EIPCTL_PROFILE", "prod")
	if c := load(t, flags(t), "", ""); c.Profile() != "prod" {
		t.Fatalf("EIPCTL_PROFILE=prod chose %s", c.Profile())
	}
}

func TestMissingProfileListsTheOthers(t *testing.T) {
	isolate(t)
	p := writeConfig(t, profiles, 0o600)
	c, err := config.Load(flags(t), "", "qa")
	if err != nil {
		t.Fatalf("Load refused --profile qa at once (the clouds' own files may define it): %v", err)
	}
	if err = c.CheckProfile(""); err == nil {
		t.Fatal("an unknown --profile was accepted")
	}
	for _, w := range []string{"--profile qa", p, "use one of prod, staging"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// A file that does not exist has no profiles to offer: the message says it
// does not exist and how to make the profile, not "use one of []".
func TestMissingProfileWithoutAFile(t *testing.T) {
	isolate(t)
	c, err := config.Load(flags(t), "", "nosuch")
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckProfile("")
	if err == nil || strings.Contains(err.Error(), "one of") || !strings.Contains(err.Error(), "does not exist") ||
		!strings.Contains(err.Error(), "eipctl config set region REGION --profile nosuch") {
		t.Fatalf("error %v; want it to say the file does not exist and how to create the profile", err)
	}
	t.Setenv("EIPCTL_PROFILE", "envonly")
	c, _ = config.Load(flags(t), "", "")
	if err := c.CheckProfile(""); err == nil || !strings.HasPrefix(err.Error(), "EIPCTL_PROFILE=envonly:") || !strings.Contains(err.Error(), "unset EIPCTL_PROFILE") {
		t.Fatalf("EIPCTL_PROFILE: %v; want the variable named", err)
	}
}

// The XDG spec: a relative XDG_STATE_HOME or XDG_CONFIG_HOME is invalid and
// ignored, so the defaults under HOME apply.
func TestRelativeXDGDirsAreIgnored(t *testing.T) {
	dir := isolate(t)
	t.Setenv("HOME", dir)
	t.Setenv("XDG_STATE_HOME", "relative/state")
	t.Setenv("XDG_CONFIG_HOME", "relative/config")
	c := load(t, flags(t), "", "")
	if want := filepath.Join(dir, ".local", "state", "eipctl"); c.StateDir() != want {
		t.Errorf("state dir %q, want %q", c.StateDir(), want)
	}
	if want := filepath.Join(dir, ".config", "eipctl", "config.yaml"); config.Path("") != want {
		t.Errorf("config file %q, want %q", config.Path(""), want)
	}
}

func TestNoConfigFileIsFine(t *testing.T) {
	isolate(t)
	c := load(t, flags(t, "--provider", "zenlayer"), "", "")
	if c.File() != "" || c.Profile() != "default" || c.String("provider") != "zenlayer" {
		t.Fatalf("file %q profile %q provider %q", c.File(), c.Profile(), c.String("provider"))
	}
	cr, err := c.Credentials("zenlayer", credVars)
	if err != nil || cr != (config.Credentials{}) {
		t.Fatalf("credentials %+v, %v: want none and no error", cr, err)
	}
}

func TestConfigFileErrors(t *testing.T) {
	home := isolate(t)
	missing := filepath.Join(home, "nope.yaml")
	if _, err := config.Load(flags(t), missing, ""); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("--config naming a missing file: %v, want an error naming it", err)
	}
	t.Setenv("EIPCTL_CONFIG", missing)
	if _, err := config.Load(flags(t), "", ""); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("EIPCTL_CONFIG naming a missing file: %v, want an error naming it", err)
	}
	t.Setenv("EIPCTL_CONFIG", "")
	p := writeConfig(t, "profiles: [\n", 0o600)
	if _, err := config.Load(flags(t), "", ""); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "fix the YAML") {
		t.Fatalf("broken YAML: %v, want an error naming the file and saying to fix it", err)
	}
}

func TestExplicitConfigFile(t *testing.T) {
	home := isolate(t)
	p := filepath.Join(home, "other.yaml")
	if err := os.WriteFile(p, []byte("profiles:\n  default:\n    region: eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c := load(t, flags(t), p, ""); c.File() != p || c.String("region") != "eu-west-1" {
		t.Fatalf("--config %s: file %q region %q", p, c.File(), c.String("region"))
	}
}

const withCreds = `
profiles:
  default:
    credentials:
      fake:
        id: file-id
        secret: file-secret
        token: file-token
`

func TestCredentialsFromEnvironmentThenProfile(t *testing.T) {
	isolate(t)
	writeConfig(t, withCreds, 0o600)
	c := load(t, flags(t), "", "")

	cr, err := c.Credentials("fake", credVars)
	if err != nil || cr != (config.Credentials{ID: "file-id", Secret: "file-secret", Token: "file-token", Source: "profile default in " + c.File()}) {
		t.Fatalf("from the profile: %+v, %v", cr, err)
	}

	t.Setenv("FAKE_ACCESS_KEY", "env-id-2")
	t.Setenv("FAKE_SECRET", "env-secret")
	cr, err = c.Credentials("fake", credVars)
	if err != nil || cr != (config.Credentials{ID: "env-id-2", Secret: "env-secret", Source: "environment FAKE_ACCESS_KEY, FAKE_SECRET"}) {
		t.Fatalf("from the environment: %+v, %v: want the environment whole, nothing mixed in from the file", cr, err)
	}
	t.Setenv("FAKE_KEY_ID", "env-id-1")
	t.Setenv("FAKE_TOKEN", "env-token")
	if cr, _ := c.Credentials("fake", credVars); cr.ID != "env-id-1" || cr.Source != "environment FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN" {
		t.Fatalf("id %q from %q: want the first variable in the list that is set, and its name", cr.ID, cr.Source)
	}
	if cr, err := c.Credentials("other", config.CredentialVars{ID: []string{"OTHER_ID"}}); err != nil || cr != (config.Credentials{}) {
		t.Fatalf("a cloud with nothing configured: %+v, %v", cr, err)
	}
}

func TestCredentialsInAReadableFileAreRefused(t *testing.T) {
	isolate(t)
	p := writeConfig(t, withCreds, 0o644)
	c := load(t, flags(t), "", "")
	_, err := c.Credentials("fake", credVars)
	if err == nil || !strings.Contains(err.Error(), "chmod 600 "+p) || !strings.Contains(err.Error(), "0644") {
		t.Fatalf("credentials in a 0644 file: %v, want an error saying chmod 600 %s", err, p)
	}
	// Credentials from the environment do not read the file's secrets, so
	// its mode does not matter then.
	t.Setenv("FAKE_KEY_ID", "env-id")
	t.Setenv("FAKE_SECRET", "env-secret")
	if _, err := c.Credentials("fake", credVars); err != nil {
		t.Fatalf("credentials from the environment with a 0644 file: %v", err)
	}
}

func TestReadableFileWithoutCredentialsIsFine(t *testing.T) {
	isolate(t)
	writeConfig(t, profiles, 0o644)
	c := load(t, flags(t), "", "")
	if cr, err := c.Credentials("fake", credVars); err != nil || cr.ID != "" {
		t.Fatalf("a 0644 file without secrets: %+v, %v", cr, err)
	}
}

func TestDuration(t *testing.T) {
	isolate(t)
	writeConfig(t, profiles, 0o600)
	c := load(t, flags(t), "", "")
	if d, err := c.Duration("timeout", time.Minute); err != nil || d != 2*time.Minute {
		t.Fatalf("timeout from the profile: %s, %v; want 2m", d, err)
	}
	if d, err := load(t, flags(t), "", "prod").Duration("timeout", 90*time.Second); err != nil || d != 90*time.Second {
		t.Fatalf("unset timeout: %s, %v; want the default 90s", d, err)
	}
	for _, bad := range []string{"soon", "5", "-1s", "0s"} {
		_, err := load(t, flags(t, "--timeout", bad), "", "").Duration("timeout", time.Minute)
		if err == nil || !strings.Contains(err.Error(), "--timeout") || !strings.Contains(err.Error(), `"`+bad+`"`) || !strings.Contains(err.Error(), "90s or 5m") {
			t.Errorf("--timeout %s: %v, want an error naming the flag, the value and an example", bad, err)
		}
	}
}

func TestStateDir(t *testing.T) {
	home := isolate(t)
	if got, want := load(t, flags(t), "", "").StateDir(), filepath.Join(home, "state", "eipctl"); got != want {
		t.Fatalf("StateDir() = %s, want %s ($XDG_STATE_HOME/eipctl)", got, want)
	}
	t.Setenv("EIPCTL_STATE_DIR", "/tmp/from-env")
	if got := load(t, flags(t), "", "").StateDir(); got != "/tmp/from-env" {
		t.Fatalf("StateDir() = %s, want EIPCTL_STATE_DIR", got)
	}
	if got := load(t, flags(t, "--state-dir", "/tmp/from-flag"), "", "").StateDir(); got != "/tmp/from-flag" {
		t.Fatalf("StateDir() = %s, want --state-dir", got)
	}
	t.Setenv("EIPCTL_STATE_DIR", "")
	t.Setenv("XDG_STATE_HOME", "")
	if got, want := load(t, flags(t), "", "").StateDir(), filepath.Join(home, ".local", "state", "eipctl"); got != want {
		t.Fatalf("StateDir() = %s, want %s", got, want)
	}
}
