package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

// doctorDoc is `config doctor -o json`: its rows by provider, its files by
// path.
func doctorDoc(t *testing.T, stdout string) (map[string]doctorRow, map[string]doctorFile) {
	t.Helper()
	doc := eiptest.DecodeJSON[struct {
		Providers []doctorRow
		Files     []doctorFile
	}](t, stdout, "the doctor document")
	rows, files := map[string]doctorRow{}, map[string]doctorFile{}
	for _, r := range doc.Providers {
		rows[r.Provider] = r
	}
	for _, f := range doc.Files {
		files[f.Path] = f
	}
	return rows, files
}

func doctorRows(t *testing.T, stdout string) map[string]doctorRow {
	t.Helper()
	rows, _ := doctorDoc(t, stdout)
	return rows
}

func TestDoctorOnTheEmulator(t *testing.T) {
	isolate(t)
	code, stdout, stderr := run(t, "config", "doctor", "--sim", "-o", "json")
	rows := doctorRows(t, stdout)
	if code != ExitOK || len(rows) != 3 {
		t.Fatalf("exit %d, %d rows; stderr %q", code, len(rows), stderr)
	}
	for _, c := range all.Clouds() {
		r := rows[c.Spec.Name]
		if r.Check != "ok" || r.Region == "" || !strings.HasPrefix(r.Endpoint, "http://127.0.0.1:") || r.KeyID != c.Profile.Credentials.ID[:4]+"****" {
			t.Errorf("%s: %+v", c.Spec.Name, r)
		}
		if strings.Contains(stdout+stderr, c.Profile.Credentials.ID) || strings.Contains(stdout+stderr, c.Profile.Credentials.Secret) {
			t.Errorf("%s: the full key ID or the secret is in the output", c.Spec.Name)
		}
	}
}

// TestDoctorNamesSourcesAndRefusals: one cloud from the environment with a
// wrong secret, one from its CLI's file, one unconfigured.
func TestDoctorNamesSourcesAndRefusals(t *testing.T) {
	dir := isolate(t)
	url := emulatorServer(t)
	c := all.Clouds()
	ali, tc := c[0].Profile.Credentials, c[1].Profile.Credentials
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", ali.ID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret-0123")
	tccli := filepath.Join(dir, "home", ".tccli", "default.credential")
	eiptest.WriteFile(t, tccli, `{"secretId": "`+tc.ID+`", "secretKey": "`+tc.Secret+`"}`)

	for _, format := range []string{"json", "table", "yaml"} {
		code, stdout, stderr := run(t, "config", "doctor", "--endpoint", url, "-o", format)
		if code != ExitAuth {
			t.Errorf("-o %s: exit %d, want 5 (alibaba's secret is refused); stderr %q", format, code, stderr)
		}
		for _, s := range []string{"not-the-secret-0123", ali.ID, ali.Secret, tc.ID, tc.Secret} {
			if strings.Contains(stdout+stderr, s) {
				t.Errorf("-o %s: output holds %q:\n%s%s", format, s, stdout, stderr)
			}
		}
		if format != "json" {
			continue
		}
		rows := doctorRows(t, stdout)
		if r := rows["alibaba"]; r.Check != "refused" || r.Source != "environment ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET" || r.KeyID != "LTAI****" || !strings.Contains(r.Error, "SignatureDoesNotMatch") {
			t.Errorf("alibaba: %+v", r)
		}
		if r := rows["tencent"]; r.Check != "ok" || r.Source != "file "+tccli+" profile default" || r.Endpoint != url || r.Region != "ap-guangzhou" {
			t.Errorf("tencent: %+v", r)
		}
		if r := rows["zenlayer"]; r.Check != "not-configured" {
			t.Errorf("zenlayer: %+v", r)
		}
	}

	// Asked for by name, a cloud without credentials is refused too.
	if code, _, _ := run(t, "config", "doctor", "--provider", "zenlayer", "--endpoint", url); code != ExitAuth {
		t.Errorf("--provider zenlayer without credentials: exit %d, want 5", code)
	}
	if code, stdout, _ := run(t, "config", "doctor", "--provider", "tencent", "--endpoint", url, "-o", "json"); code != ExitOK || len(doctorRows(t, stdout)) != 1 {
		t.Errorf("--provider tencent: exit %d\n%s", code, stdout)
	}
}

const commentedConfig = `# eipctl settings, kept by hand
default-profile: lab # the local emulator

profiles:
  lab:
    # the emulator started with eipctl sim serve
    endpoint: http://127.0.0.1:8780
    region: cn-hangzhou # Hangzhou first
  prod:
    provider: tencent
`

// runIn is run with stdin.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, out, errb := output.Test()
	streams.In = strings.NewReader(stdin)
	f := &Factory{Streams: streams, Clouds: all.Clouds, Version: "test"}
	defer f.Close()
	return Run(context.Background(), f, args), out.String(), errb.String()
}

func TestConfigSetGetListUseKeepCommentsAnd0600(t *testing.T) {
	dir := isolate(t)
	path := writeConfig(t, dir, commentedConfig)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		stdin string
		args  []string
		code  int
	}{
		{"", []string{"config", "set", "region", "cn-shanghai"}, ExitOK},               // the default profile, lab
		{"", []string{"config", "set", "timeout", "10m", "--profile", "prod"}, ExitOK}, // an existing profile
		{"", []string{"config", "set", "credentials.tencent.id", "AKIDexample1234567", "--profile", "prod"}, ExitOK},
		{"tencent-secret-value\n", []string{"config", "set", "credentials.tencent.secret", "-", "--profile", "prod"}, ExitOK},
		{"", []string{"config", "set", "credentials.tencent.secret", "on-the-command-line", "--profile", "prod"}, ExitUsage},
		{"", []string{"config", "set", "credentials.tencent.password", "x"}, ExitUsage},
		{"", []string{"config", "set", "timeout", "soon"}, ExitUsage},
		{"", []string{"config", "set", "region", "ap-guangzhou", "--profile", "new"}, ExitOK}, // a new profile
		{"", []string{"config", "use", "prod"}, ExitOK},
		{"", []string{"config", "use", "nope"}, ExitUsage},
	}
	for _, s := range steps {
		if code, _, stderr := runIn(t, s.stdin, s.args...); code != s.code {
			t.Fatalf("%v: exit %d, want %d; stderr %q", s.args, code, s.code, stderr)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{"# eipctl settings, kept by hand", "# the local emulator", "# the emulator started with eipctl sim serve",
		"region: cn-shanghai # Hangzhou first", "default-profile: prod", "timeout: 10m", "secret: tencent-secret-value", "new:"} {
		if !strings.Contains(got, want) {
			t.Errorf("config file lost or lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "on-the-command-line") {
		t.Error("a secret given on the command line was written")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o after set, want 0600", fi.Mode().Perm())
	}

	// What the verbs print: no secret, the key ID as a prefix.
	if code, stdout, _ := run(t, "config", "get", "timeout", "--profile", "prod"); code != 0 || stdout != "10m\n" {
		t.Errorf("get timeout: %d %q", code, stdout)
	}
	for _, key := range []string{"credentials.tencent.secret", "credentials.tencent.id"} {
		code, stdout, stderr := run(t, "config", "get", key)
		if code != 0 || strings.Contains(stdout+stderr, "tencent-secret-value") || strings.Contains(stdout+stderr, "AKIDexample1234567") {
			t.Errorf("get %s (default profile now prod): %d %q", key, code, stdout)
		}
	}
	if code, _, _ := run(t, "config", "get", "endpoint", "--profile", "prod"); code != ExitFailure {
		t.Errorf("get of an unset key: exit %d, want 1", code)
	}
	code, stdout, _ := run(t, "config", "list", "-o", "json")
	var doc struct {
		Profiles []listedProfile
	}
	if err := json.Unmarshal([]byte(stdout), &doc); code != 0 || err != nil || len(doc.Profiles) != 3 {
		t.Fatalf("list: %d %v\n%s", code, err, stdout)
	}
	for _, p := range doc.Profiles {
		if p.Default != (p.Name == "prod") {
			t.Errorf("profile %s default=%v", p.Name, p.Default)
		}
	}
	if strings.Contains(stdout, "tencent-secret-value") || strings.Contains(stdout, "AKIDexample1234567") || !strings.Contains(stdout, "AKID****") {
		t.Errorf("list shows a secret or the whole key ID, or not the prefix:\n%s", stdout)
	}

	// The file still reads as configuration: prod is the default, its keys count.
	if code, _, stderr := run(t, "config", "doctor", "--sim", "--provider", "tencent"); code != ExitOK {
		t.Errorf("doctor after edits: exit %d %q", code, stderr)
	}
}

// TestDoctorReportsTheInstanceRole: on an "instance" whose metadata service
// is a loopback fake, doctor names the role, and its credentials sign a read
// the emulator accepts.
func TestDoctorReportsTheInstanceRole(t *testing.T) {
	isolate(t)
	url := emulatorServer(t)
	acc := all.Clouds()[0].Profile.Credentials
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/latest/api/token":
			w.Write([]byte("tok"))
		case "/latest/meta-data/ram/security-credentials/":
			w.Write([]byte("eipctl-cron"))
		case "/latest/meta-data/ram/security-credentials/eipctl-cron":
			json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": acc.ID, "AccessKeySecret": acc.Secret, "SecurityToken": "role-token",
				"Expiration": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z"), "Code": "Success"})
		default:
			http.NotFound(w, r)
		}
	}))
	defer imds.Close()
	t.Setenv("EIPCTL_ALIBABA_METADATA_ENDPOINT", imds.URL)
	code, stdout, stderr := run(t, "config", "doctor", "--provider", "alibaba", "--endpoint", url, "-o", "json")
	r := doctorRows(t, stdout)["alibaba"]
	if code != ExitOK || r.Source != "instance role eipctl-cron" || r.Check != "ok" || r.KeyID != "LTAI****" {
		t.Fatalf("exit %d row %+v stderr %q", code, r, stderr)
	}
	if strings.Contains(stdout+stderr, "role-token") || strings.Contains(stdout+stderr, acc.Secret) {
		t.Fatal("the role's token or secret is in the output")
	}
}
