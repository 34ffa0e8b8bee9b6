package zenlayer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

func TestZenoProfiles(t *testing.T) {
	home := eiptest.EmptyHome(t, "ZENLAYER_PROFILE")
	ctx := context.Background()
	if src, err := credentialChain(eip.CredentialOptions{}); src != nil || err != nil {
		t.Fatalf("no zeno files: %v, %v", src, err)
	}
	dir := filepath.Join(home, ".zenlayer")
	creds := filepath.Join(dir, "credentials.json")
	eiptest.WriteFile(t, creds, `{"default": {"access_key_id": "ZLdefault", "access_key_secret": "default-secret"},
		"ops": {"access_key_id": " ZLops ", "access_key_secret": "ops-secret"},
		"ci": {"token": "bearer-token-value"}, "empty": {}}`)

	src, err := credentialChain(eip.CredentialOptions{})
	if c, _ := src.Get(ctx); err != nil || c.ID != "ZLdefault" || src.Describe != "file "+creds+" profile default" {
		t.Fatalf("default profile: %+v from %v, %v", c, src, err)
	}
	eiptest.WriteFile(t, filepath.Join(dir, "config.json"), `{"current_profile": "ops", "profiles": {"ops": {"output": "json"}}}`)
	if src, err = credentialChain(eip.CredentialOptions{}); err != nil || !strings.HasSuffix(src.Describe, "profile ops") {
		t.Fatalf("current_profile ops: %v, %v", src, err)
	}
	if c, _ := src.Get(ctx); c.ID != "ZLops" {
		t.Fatalf("id %q: want it trimmed as zeno's users paste it", c.ID)
	}
	t.Setenv("ZENLAYER_PROFILE", "ci")
	src, err = credentialChain(eip.CredentialOptions{})
	if c, _ := src.Get(ctx); err != nil || c.Token != "bearer-token-value" || c.ID != "" || !strings.Contains(src.Describe, "bearer token") {
		t.Fatalf("ZENLAYER_PROFILE=ci: %+v from %v, %v", c, src, err)
	}
	if src, err = credentialChain(eip.CredentialOptions{Profile: "default", ProfileFromFlag: true}); err != nil || !strings.HasSuffix(src.Describe, "profile default") {
		t.Fatalf("--profile wins over ZENLAYER_PROFILE: %v, %v", src, err)
	}
	if src, err = credentialChain(eip.CredentialOptions{Profile: "prod", ProfileFromFlag: true}); src != nil || err != nil {
		t.Fatalf("--profile zeno lacks: %v, %v; want it passed over", src, err)
	}
	for profile, want := range map[string]string{"nope": `no profile "nope"`, "empty": "neither access_key_id"} {
		t.Setenv("ZENLAYER_PROFILE", profile)
		_, err := credentialChain(eip.CredentialOptions{})
		eiptest.AssertClass(t, err, eip.ClassAuth, creds, want)
	}
	eiptest.WriteFile(t, creds, `{"default": `)
	t.Setenv("ZENLAYER_PROFILE", "")
	if _, err := credentialChain(eip.CredentialOptions{}); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("malformed credentials.json: %v", err)
	}
}
