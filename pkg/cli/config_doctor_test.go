package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/providers/all"
)

// TestDoctorReportsExposedCredentialFiles: a cloud CLI's file that holds a
// secret readable by others is listed under "files" with the fix, warned of
// on stderr under a table, and its secret is printed nowhere; the same file at 0600 is
// listed without a problem.
func TestDoctorReportsExposedCredentialFiles(t *testing.T) {
	dir := isolate(t)
	const secret = "aliyun-secret-value-0123456789"
	path := filepath.Join(dir, "home", ".aliyun", "config.json")
	eiptest.WriteFile(t, path, `{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAIabcdefgh","access_key_secret":"`+secret+`","region_id":"cn-hangzhou"}]}`)

	files := func(t *testing.T) (map[string]doctorFile, string) {
		t.Helper()
		_, stdout, stderr := run(t, "config", "doctor", "--sim", "-o", "json")
		if strings.Contains(stdout+stderr, secret) {
			t.Fatalf("the secret is in the output:\n%s%s", stdout, stderr)
		}
		_, files := doctorDoc(t, stdout)
		return files, stderr
	}

	got, stderr := files(t)
	if f, ok := got[path]; !ok || f.Problem != "" || !f.Secrets || f.Mode != "0600" {
		t.Errorf("at 0600: files[%s] = %+v, %v; want listed, holding secrets, no problem", path, f, ok)
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("at 0600 doctor warns:\n%s", stderr)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	got, stderr = files(t)
	f := got[path]
	if f.Mode != "0644" || !strings.Contains(f.Problem, "chmod 600 "+path) {
		t.Errorf("at 0644: files[%s] = %+v; want mode 0644 and a problem that says chmod 600", path, f)
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("-o json: the document carries the problem, yet stderr warns too:\n%s", stderr)
	}
	// A reader of the table is told on stderr.
	_, stdout, stderr := run(t, "config", "doctor", "--sim", "-o", "table")
	if strings.Contains(stdout+stderr, secret) {
		t.Fatalf("the secret is in the table's output:\n%s%s", stdout, stderr)
	}
	if !strings.Contains(stderr, "warning: "+path+" holds secrets but is readable by others (mode 0644): run chmod 600 "+path) {
		t.Errorf("-o table at 0644: stderr does not warn of %s:\n%s", path, stderr)
	}
}

// The doctor shows where a region's requests go: a Tencent finance region
// has its own domain (the adapter's Spec.EndpointFor), the others the
// cloud's default; --endpoint wins.
func TestDoctorShowsTheFinanceRegionsOwnDomain(t *testing.T) {
	c, err := all.Find("tencent")
	if err != nil {
		t.Fatal(err)
	}
	for region, want := range map[string]string{
		"ap-shanghai-fsi": "https://vpc.ap-shanghai-fsi.tencentcloudapi.com",
		"ap-shenzhen-fsi": "https://vpc.ap-shenzhen-fsi.tencentcloudapi.com",
		"ap-guangzhou":    "https://vpc.tencentcloudapi.com",
	} {
		if got := endpointOf(c.Spec, "", region); got != want {
			t.Errorf("%s: doctor shows %q, want %q", region, got, want)
		}
	}
	if got := endpointOf(c.Spec, "http://127.0.0.1:1", "ap-shanghai-fsi"); got != "http://127.0.0.1:1" {
		t.Errorf("with --endpoint: %q, want it", got)
	}
}

// eipctl's own config file holding credentials that others may read is
// exit 2 for doctor, as for every command that would use them, with the
// document still printed; under --sim the emulator's credentials are
// checked, so the file is only listed (exit 0).
func TestDoctorExitsTwoForAnExposedConfigFileExceptUnderSim(t *testing.T) {
	dir := isolate(t)
	t.Setenv("EIPCTL_ALIBABA_METADATA_ENDPOINT", "http://127.0.0.1:1")
	path := writeConfig(t, dir, "profiles:\n  default:\n    credentials:\n      alibaba: {id: LTAIabcdefgh, secret: TOPSECRET}\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		row  string
	}{
		{[]string{"--endpoint", "http://127.0.0.1:1"}, ExitUsage, "refused"},
		{[]string{"--sim"}, ExitOK, "ok"},
	} {
		argv := append([]string{"config", "doctor", "--provider", "alibaba", "-o", "json"}, c.args...)
		code, stdout, stderr := run(t, argv...)
		rows, files := doctorDoc(t, stdout)
		if code != c.code || rows["alibaba"].Check != c.row || !strings.Contains(files[path].Problem, "chmod 600") || strings.Contains(stdout+stderr, "TOPSECRET") {
			t.Errorf("%v: exit %d, alibaba %q, files %v; want exit %d, %s, the file's chmod fix, no secret\n%s", argv, code, rows["alibaba"].Check, files, c.code, c.row, stderr)
		}
	}
}
