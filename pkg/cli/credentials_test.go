package cli

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// emulatorServer serves every cloud's emulator on loopback, for commands
// that must sign with real credentials (not --sim's).
func emulatorServer(t *testing.T) string {
	t.Helper()
	_, url := emulatorSim(t)
	return url
}

// emulatorSim is emulatorServer with the emulator itself, for a test that
// injects faults into what the server answers.
func emulatorSim(t *testing.T) (*sim.Sim, string) {
	t.Helper()
	var profiles []sim.Profile
	var fronts []sim.Front
	for _, c := range all.Clouds() {
		profiles = append(profiles, c.Profile)
	}
	s, err := sim.New(sim.Options{Profiles: profiles})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all.Clouds() {
		fronts = append(fronts, c.NewFront(s))
	}
	srv := httptest.NewServer(sim.Handler(fronts...))
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// writeConfig writes eipctl's config file (mode 0600) in the config home of
// an isolate()d dir and returns its path.
func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "config", "eipctl", "config.yaml")
	eiptest.WriteFile(t, path, body)
	return path
}

// TestRefusedCredentialsExit5NamingTheirSource: a wrong secret from any
// source is exit 5, and the message says which variables, file and profile
// supplied it, and never the secret or the whole key ID.
func TestRefusedCredentialsExit5NamingTheirSource(t *testing.T) {
	dir := isolate(t)
	url := emulatorServer(t)
	home := filepath.Join(dir, "home")
	list := func(provider, region string) (int, string, string) {
		return run(t, "eip", "list", "--provider", provider, "--region", region, "--endpoint", url, "-o", "json")
	}
	check := func(name string, code int, stdout, stderr string, wants ...string) {
		t.Helper()
		all := stdout + stderr
		if code != ExitAuth {
			t.Errorf("%s: exit %d, want 5; stderr %q", name, code, stderr)
		}
		for _, w := range wants {
			if !strings.Contains(all, w) {
				t.Errorf("%s: output does not name %q:\n%s", name, w, all)
			}
		}
		for _, secret := range []string{"wrong-secret-value", "LTAI5tEipctlEmulator", "ZLEMULATORKEYID1"} {
			if strings.Contains(all, secret) {
				t.Errorf("%s: output holds %q:\n%s", name, secret, all)
			}
		}
	}

	acc := all.Clouds()[0].Profile.Credentials
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", acc.ID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong-secret-value")
	code, out, errs := list("alibaba", "cn-hangzhou")
	check("environment", code, out, errs, "environment ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET")

	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	aliyun := filepath.Join(home, ".aliyun", "config.json")
	eiptest.WriteFile(t, aliyun, `{"current": "main", "profiles": [{"name": "main", "mode": "AK", "access_key_id": "`+acc.ID+`", "access_key_secret": "wrong-secret-value"}]}`)
	code, out, errs = list("alibaba", "cn-hangzhou")
	check("aliyun CLI file", code, out, errs, "file "+aliyun+" profile main (mode AK)")

	// An unknown key (Tencent AuthFailure.SecretIdNotFound), from tccli's file.
	tccli := filepath.Join(home, ".tccli", "default.credential")
	eiptest.WriteFile(t, tccli, `{"secretId": "AKIDnoSuchKey0000001", "secretKey": "wrong-secret-value"}`)
	code, out, errs = list("tencent", "ap-guangzhou")
	check("tccli file, unknown key", code, out, errs, "file "+tccli+" profile default")
	if strings.Contains(out+errs, "AKIDnoSuchKey0000001") {
		t.Errorf("unknown key: the whole key ID is in the output:\n%s%s", out, errs)
	}

	zeno := filepath.Join(home, ".zenlayer", "credentials.json")
	eiptest.WriteFile(t, zeno, `{"default": {"access_key_id": "ZLEMULATORKEYID1", "access_key_secret": "wrong-secret-value"}}`)
	code, out, errs = list("zenlayer", "asia-east-1")
	check("zeno file", code, out, errs, "file "+zeno+" profile default")
}

// TestCloudCLIFilesSign: credentials found only in the clouds' own CLI
// files sign requests the emulator accepts.
func TestCloudCLIFilesSign(t *testing.T) {
	dir := isolate(t)
	url := emulatorServer(t)
	home := filepath.Join(dir, "home")
	c := all.Clouds()
	eiptest.WriteFile(t, filepath.Join(home, ".aliyun", "config.json"), `{"current": "main", "profiles": [{"name": "main", "mode": "AK", "access_key_id": "`+c[0].Profile.Credentials.ID+`", "access_key_secret": "`+c[0].Profile.Credentials.Secret+`"}]}`)
	eiptest.WriteFile(t, filepath.Join(home, ".tccli", "default.credential"), `{"secretId": "`+c[1].Profile.Credentials.ID+`", "secretKey": "`+c[1].Profile.Credentials.Secret+`"}`)
	eiptest.WriteFile(t, filepath.Join(home, ".zenlayer", "credentials.json"), `{"default": {"access_key_id": "`+c[2].Profile.Credentials.ID+`", "access_key_secret": "`+c[2].Profile.Credentials.Secret+`"}}`)
	for _, pr := range [][2]string{{"alibaba", "cn-hangzhou"}, {"tencent", "ap-guangzhou"}, {"zenlayer", "asia-east-1"}} {
		code, out, errs := run(t, "eip", "list", "--provider", pr[0], "--region", pr[1], "--endpoint", url, "-o", "json")
		if code != ExitOK || !strings.Contains(out, `"eipId"`) && !strings.Contains(out, "eip") {
			t.Errorf("%s from its CLI's file: exit %d\n%s\n%s", pr[0], code, out, errs)
		}
	}
}
