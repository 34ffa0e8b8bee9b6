package tencent

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// credHome gives the test an empty HOME and none of the variables the
// chain or the SDK reads, so the developer's own setup never leaks in.
func credHome(t *testing.T) string {
	t.Helper()
	return eiptest.OffCloud(t, EnvMetadataEndpoint, "TENCENTCLOUD_CREDENTIALS_FILE", "TCCLI_PROFILE")
}

func TestCredentialsFileThenTccli(t *testing.T) {
	home := credHome(t)
	ctx := context.Background()
	if src, err := credentialChain(eip.CredentialOptions{}); src != nil || err != nil {
		t.Fatalf("nothing configured: %v, %v", src, err)
	}

	tccli := filepath.Join(home, ".tccli", "default.credential")
	eiptest.WriteFile(t, tccli, `{"secretId": "AKIDtccliDefault", "secretKey": "tccli-secret", "token": ""}`)
	src, err := credentialChain(eip.CredentialOptions{})
	if err != nil || src.Describe != "file "+tccli+" profile default" {
		t.Fatalf("tccli default: %v, %v", src, err)
	}

	ini := filepath.Join(home, ".tencentcloud", "credentials")
	eiptest.WriteFile(t, ini, "[default]\nsecret_id = AKIDiniDefault\nsecret_key = ini-secret\n")
	src, err = credentialChain(eip.CredentialOptions{})
	if err != nil || src.Describe != "file "+ini+" profile default" {
		t.Fatalf("the SDKs' file comes before tccli's: %v, %v", src, err)
	}
	if c, _ := src.Get(ctx); c.ID != "AKIDiniDefault" || c.Secret != "ini-secret" {
		t.Fatalf("ini credentials %+v", c)
	}

	// Another profile: the SDK reads only [default], so tccli's file of that name.
	eiptest.WriteFile(t, filepath.Join(home, ".tccli", "prod.credential"), `{"secretId": "AKIDtccliProd", "secretKey": "prod-secret", "token": "prod-token"}`)
	src, err = credentialChain(eip.CredentialOptions{Profile: "prod", ProfileFromFlag: true})
	if c, _ := src.Get(ctx); err != nil || c.ID != "AKIDtccliProd" || c.Token != "prod-token" {
		t.Fatalf("--profile prod: %+v, %v", c, err)
	}
	if src, err := credentialChain(eip.CredentialOptions{Profile: "qa", ProfileFromFlag: true}); src != nil || err != nil {
		t.Fatalf("--profile qa that tccli lacks: %v, %v; want it passed over", src, err)
	}
	t.Setenv("TCCLI_PROFILE", "qa")
	os.Remove(ini)
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, "tccli profile qa", "qa.credential")

	// Malformed files are refused, naming them.
	os.Unsetenv("TCCLI_PROFILE")
	eiptest.WriteFile(t, tccli, `{"secretId": `)
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, tccli)
	eiptest.WriteFile(t, ini, "[default]\nsecret_id = only-an-id\n")
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, ini, "secret_key")
}

// fakeCVM is a CVM metadata service on loopback that hands out the role's
// credentials.
type fakeCVM struct{ eiptest.RoleService }

func (f *fakeCVM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Host != metadataHost {
		http.Error(w, "not the metadata host", http.StatusBadGateway)
		return
	}
	f.RoleService.ServeHTTP(w, r)
}

func camCreds(id, token string, expires time.Time) map[string]any {
	return map[string]any{"TmpSecretId": id, "TmpSecretKey": id + "-key", "Token": token, "ExpiredTime": expires.Unix(),
		"Expiration": expires.UTC().Format(time.RFC3339), "Code": "Success"}
}

func TestCVMRoleThroughFakeMetadata(t *testing.T) {
	credHome(t)
	if src, err := credentialChain(eip.CredentialOptions{}); src != nil || err != nil {
		t.Fatalf("not on CVM, not asked: %v, %v", src, err)
	}
	f := &fakeCVM{eiptest.RoleService{Prefix: "/latest/meta-data/cam/security-credentials/", Role: "eipctl-cvm", Creds: []any{
		camCreds("AKIDfirst", "first-token", time.Now().Add(time.Minute)), // inside the SDK's 300s margin
		camCreds("AKIDsecond", "second-token", time.Now().Add(time.Hour)),
	}}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	t.Setenv(EnvMetadataEndpoint, srv.URL)

	src, err := credentialChain(eip.CredentialOptions{})
	if err != nil || src == nil || src.Describe != "instance role eipctl-cvm" {
		t.Fatalf("instance role: %v, %v", src, err)
	}
	for i := range 2 {
		c, err := src.Get(context.Background())
		if err != nil || c.ID != "AKIDsecond" || c.Token != "second-token" {
			t.Fatalf("request %d signed with %+v, %v: want the expiring credential refreshed", i, c, err)
		}
	}
	if n := f.Fetches(); n != 2 {
		t.Errorf("%d credential fetches, want 2 (the first, then one refresh)", n)
	}

	f.SetRole("")
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, "no CAM role", "404")
	_, err = credentialChain(eip.CredentialOptions{InstanceRole: "missing-role"})
	eiptest.AssertClass(t, err, eip.ClassAuth, "instance role missing-role")
}
