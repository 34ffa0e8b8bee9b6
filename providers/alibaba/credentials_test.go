package alibaba

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/alibaba/emulator"
)

// credHome gives the test an empty HOME and none of the variables the
// chain or the SDK reads, so the developer's own setup never leaks in.
func credHome(t *testing.T) string {
	t.Helper()
	return eiptest.OffCloud(t, "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
		"ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "ALIBABA_CLOUD_IMDSV1_DISABLED", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", EnvMetadataEndpoint, EnvSTSEndpoint)
}

const aliyunConfig3 = `{
  "current": "work",
  "profiles": [
    {"name": "work", "mode": "AK", "access_key_id": "LTAI5tWorkKey000001", "access_key_secret": "work-secret-value"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.tempkey0001", "access_key_secret": "sts-secret-value", "sts_token": "sts-token-value"},
    {"name": "odd", "mode": "Telepathy"}
  ]
}`

func TestAliyunCLIProfile(t *testing.T) {
	home := credHome(t)
	path := filepath.Join(home, ".aliyun", "config.json")
	ctx := context.Background()

	if src, err := credentialChain(eip.CredentialOptions{}); src != nil || err != nil {
		t.Fatalf("no aliyun config: %v, %v; want nothing and no error", src, err)
	}

	eiptest.WriteFile(t, path, aliyunConfig3)
	src, err := credentialChain(eip.CredentialOptions{})
	if err != nil || src == nil {
		t.Fatalf("current profile: %v, %v", src, err)
	}
	if want := "file " + path + " profile work (mode AK)"; src.Describe != want {
		t.Errorf("describe %q, want %q", src.Describe, want)
	}
	if c, err := src.Get(ctx); err != nil || c.ID != "LTAI5tWorkKey000001" || c.Secret != "work-secret-value" {
		t.Fatalf("AK credentials %+v, %v", c, err)
	}

	t.Setenv("ALIBABA_CLOUD_PROFILE", "sts")
	src, err = credentialChain(eip.CredentialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := src.Get(ctx); err != nil || c.Token != "sts-token-value" || !strings.Contains(src.Describe, "profile sts (mode StsToken)") {
		t.Fatalf("ALIBABA_CLOUD_PROFILE=sts: %+v, %v from %s", c, err, src.Describe)
	}

	// eipctl's --profile wins over ALIBABA_CLOUD_PROFILE; one the file lacks is passed over.
	if src, err := credentialChain(eip.CredentialOptions{Profile: "work", ProfileFromFlag: true}); err != nil || !strings.Contains(src.Describe, "profile work") {
		t.Fatalf("--profile work: %v, %v", src, err)
	}
	if src, err := credentialChain(eip.CredentialOptions{Profile: "elsewhere", ProfileFromFlag: true}); src != nil || err != nil {
		t.Fatalf("--profile naming a profile the aliyun CLI lacks: %v, %v; want it passed over", src, err)
	}

	t.Setenv("ALIBABA_CLOUD_PROFILE", "nope")
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, path, `"nope"`, "ALIBABA_CLOUD_PROFILE", "work, sts, odd")

	t.Setenv("ALIBABA_CLOUD_PROFILE", "odd")
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, path, "Telepathy")

	eiptest.WriteFile(t, path, `{"current": "work", "profiles": [`)
	t.Setenv("ALIBABA_CLOUD_PROFILE", "")
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, path, "not valid JSON")

	// An environment base wins over the file (it comes first in eipctl's order).
	base := eip.StaticSource("environment X", eip.Credentials{ID: "a", Secret: "b"})
	if src, err := credentialChain(eip.CredentialOptions{Base: base}); err != nil || src != base {
		t.Fatalf("with a base: %v, %v; want the base as it is", src, err)
	}
}

// fakeIMDS is an ECS metadata service on loopback that insists on an IMDSv2
// token, then hands out the role's credentials.
type fakeIMDS struct{ eiptest.RoleService }

func newIMDS(role string, creds ...any) *fakeIMDS {
	return &fakeIMDS{eiptest.RoleService{Prefix: "/latest/meta-data/ram/security-credentials/", Role: role, Creds: creds}}
}

func (f *fakeIMDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Host != metadataHost {
		http.Error(w, "not the metadata host: "+r.Host, http.StatusBadGateway)
		return
	}
	if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
		if r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds") == "" {
			http.Error(w, "no ttl", http.StatusBadRequest)
			return
		}
		w.Write([]byte("imds-token-1"))
		return
	}
	if r.Header.Get("X-aliyun-ecs-metadata-token") != "imds-token-1" {
		http.Error(w, "IMDSv2 token required", http.StatusUnauthorized)
		return
	}
	f.RoleService.ServeHTTP(w, r)
}

func roleCreds(id, secret, token string, expires time.Time) map[string]string {
	return map[string]string{"AccessKeyId": id, "AccessKeySecret": secret, "SecurityToken": token,
		"Expiration": expires.UTC().Format("2006-01-02T15:04:05Z"), "Code": "Success", "LastUpdated": time.Now().UTC().Format("2006-01-02T15:04:05Z")}
}

func TestECSRAMRoleThroughFakeMetadata(t *testing.T) {
	credHome(t)
	ctx := context.Background()
	// Off an ECS instance and not asked for, the metadata service is never tried.
	if src, err := credentialChain(eip.CredentialOptions{}); src != nil || err != nil {
		t.Fatalf("not on ECS, not asked: %v, %v", src, err)
	}

	f := newIMDS("eipctl-cron",
		roleCreds("STS.first", "first-secret", "first-token", time.Now().Add(time.Minute)), // inside the SDK's 180s refresh margin
		roleCreds("STS.second", "second-secret", "second-token", time.Now().Add(time.Hour)),
	)
	srv := httptest.NewServer(f)
	defer srv.Close()
	t.Setenv(EnvMetadataEndpoint, srv.URL)

	src, err := credentialChain(eip.CredentialOptions{})
	if err != nil || src == nil {
		t.Fatalf("instance role: %v, %v", src, err)
	}
	if src.Describe != "instance role eipctl-cron" {
		t.Errorf("describe %q", src.Describe)
	}
	var ids []string
	for range 3 {
		c, err := src.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID+"/"+c.Token)
	}
	if want := "STS.first/first-token STS.second/second-token STS.second/second-token"; strings.Join(ids, " ") != want {
		t.Errorf("credentials over three requests: %v; want the expiring one refreshed once, then kept", ids)
	}
	if n := f.Fetches(); n != 2 {
		t.Errorf("%d credential fetches, want 2", n)
	}

	// A role named in the profile is used without asking for the name.
	if src, err := credentialChain(eip.CredentialOptions{InstanceRole: "eipctl-cron"}); err != nil || src.Describe != "instance role eipctl-cron" {
		t.Fatalf("instance-role eipctl-cron: %v, %v", src, err)
	}
	if src, err := credentialChain(eip.CredentialOptions{InstanceRole: "off"}); src != nil || err != nil {
		t.Fatalf("instance-role off: %v, %v", src, err)
	}

	// No role attached: refused, saying so.
	f.SetRole("")
	_, err = credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, "no RAM role", "404")

	// A role whose credentials the service will not give: the error names the role.
	f.SetRole("eipctl-cron")
	src, err = credentialChain(eip.CredentialOptions{InstanceRole: "other-role"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Get(ctx)
	eiptest.AssertClass(t, err, eip.ClassAuth, "instance role other-role", "404")
}

func TestMetadataOverrideMustBeLoopback(t *testing.T) {
	credHome(t)
	t.Setenv(EnvMetadataEndpoint, "http://100.100.100.200")
	_, err := credentialChain(eip.CredentialOptions{})
	if !eip.IsUsage(err) || !strings.Contains(err.Error(), EnvMetadataEndpoint) {
		t.Fatalf("a non-loopback override: %v, want a usage error naming %s", err, EnvMetadataEndpoint)
	}
}

func TestRoleARNNeedsBaseCredentials(t *testing.T) {
	credHome(t)
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123456789:role/eipctl")
	_, err := credentialChain(eip.CredentialOptions{})
	eiptest.AssertClass(t, err, eip.ClassAuth, "ALIBABA_CLOUD_ROLE_ARN", "no credentials to assume it with")
}

// TestAdapterSignsWithRefreshedCredentials runs the adapter against the
// emulator with an instance role whose first credential is about to expire:
// the second request must carry the refreshed token, not a snapshot.
func TestAdapterSignsWithRefreshedCredentials(t *testing.T) {
	credHome(t)
	acc := emulator.Profile.Credentials
	f := newIMDS("r",
		roleCreds(acc.ID, acc.Secret, "token-1", time.Now().Add(30*time.Second)),
		roleCreds(acc.ID, acc.Secret, "token-2", time.Now().Add(time.Hour)),
	)
	imds := httptest.NewServer(f)
	defer imds.Close()
	t.Setenv(EnvMetadataEndpoint, imds.URL)

	s, err := sim.New(sim.Options{Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var tokens []string
	front := sim.Handler(emulator.New(s))
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokens = append(tokens, r.FormValue("SecurityToken")) // query or form
		mu.Unlock()
		front.ServeHTTP(w, r)
	}))
	defer api.Close()

	src, err := credentialChain(eip.CredentialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(eip.ProviderConfig{Endpoint: api.URL, Source: src})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := p.(eip.CredentialChecker).CheckCredentials(context.Background(), ""); err != nil {
			t.Fatalf("signed read: %v", err)
		}
	}
	if strings.Join(tokens, ",") != "token-1,token-2" {
		t.Fatalf("security tokens sent: %v, want token-1 then the refreshed token-2", tokens)
	}
}
