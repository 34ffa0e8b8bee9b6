package zenlayer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
)

func TestZenoProfiles(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("ZENLAYER_PROFILE", "")
	ctx := context.Background()
	if src, err := credentialChain(eip.CredentialOptions{}); src != nil || err != nil {
		t.Fatalf("no zeno files: %v, %v", src, err)
	}
	dir := filepath.Join(home, ".zenlayer")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(dir, "credentials.json")
	write := func(p, body string) {
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(creds, `{"default": {"access_key_id": "ZLdefault", "access_key_secret": "default-secret"},
		"ops": {"access_key_id": " ZLops ", "access_key_secret": "ops-secret"},
		"ci": {"token": "bearer-token-value"}, "empty": {}}`)

	src, err := credentialChain(eip.CredentialOptions{})
	if c, _ := src.Get(ctx); err != nil || c.ID != "ZLdefault" || src.Describe != "file "+creds+" profile default" {
		t.Fatalf("default profile: %+v from %v, %v", c, src, err)
	}
	write(filepath.Join(dir, "config.json"), `{"current_profile": "ops", "profiles": {"ops": {"output": "json"}}}`)
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
		var ee *eip.Error
		if !errors.As(err, &ee) || ee.Class != eip.ClassAuth || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), creds) {
			t.Errorf("ZENLAYER_PROFILE=%s: %v, want an auth error naming %s and saying %q", profile, err, creds, want)
		}
	}
	write(creds, `{"default": `)
	t.Setenv("ZENLAYER_PROFILE", "")
	if _, err := credentialChain(eip.CredentialOptions{}); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("malformed credentials.json: %v", err)
	}
}
