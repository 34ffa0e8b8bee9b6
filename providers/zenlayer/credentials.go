package zenlayer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/eip"
)

// probeRegion is where `config doctor` reads when no region is configured.
const probeRegion = "asia-east-1"

// zenoProfile is one profile of the zeno CLI's ~/.zenlayer/credentials.json:
// an access key pair, or a bearer token instead.
type zenoProfile struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	Token           string `json:"token"`
}

// credentialChain is Zenlayer's own chain after eipctl's environment and
// profile: the zeno CLI's files. The Zenlayer SDK has no credential provider
// of its own, so eipctl reads zeno's files the way zeno does
// (internal/config in zenlayercloud-cli): ~/.zenlayer/config.json names the
// current profile, ~/.zenlayer/credentials.json holds each profile's keys.
func credentialChain(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	if o.Base != nil {
		return o.Base, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, nil
	}
	dir := filepath.Join(home, ".zenlayer")
	credPath := filepath.Join(dir, "credentials.json")
	data, err := os.ReadFile(credPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsUnavailable", "file %s: %v", credPath, err)
	}
	var profiles map[string]zenoProfile
	if err := json.Unmarshal(data, &profiles); err != nil {
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsMalformed", "file %s is not valid JSON (%v): fix it, or run `zeno configure`", credPath, err)
	}
	name, how := eip.CLIProfileName(o.Profile, "ZENLAYER_PROFILE", func() string { return currentProfile(filepath.Join(dir, "config.json")) })
	p, ok := profiles[name]
	if !ok {
		if o.ProfileFromFlag && how == "--profile" {
			return nil, nil // eipctl's profile, not necessarily zeno's
		}
		names := make([]string, 0, len(profiles))
		for n := range profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsMissing", "file %s has no profile %q (chosen by %s; it has %s): run `zeno configure --profile %s`, or choose another",
			credPath, name, how, strings.Join(names, ", "), name)
	}
	describe := fmt.Sprintf("file %s profile %s", credPath, name)
	switch {
	case p.AccessKeyID != "" && p.AccessKeySecret != "":
		return eip.StaticSource(describe, eip.Credentials{ID: strings.TrimSpace(p.AccessKeyID), Secret: strings.TrimSpace(p.AccessKeySecret)}), nil
	case p.Token != "":
		return eip.StaticSource(describe+" (bearer token)", eip.Credentials{Token: strings.TrimSpace(p.Token)}), nil
	}
	return nil, eip.Errorf(eip.ClassAuth, "CredentialsMalformed", "file %s profile %s has neither access_key_id and access_key_secret nor token: run `zeno configure --profile %s`", credPath, name, name)
}

// currentProfile is config.json's current_profile, "default" when unset.
func currentProfile(path string) string {
	var conf struct {
		Current string `json:"current_profile"`
	}
	if data, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(data, &conf) // zeno itself falls back to default
	}
	if conf.Current == "" {
		return "default"
	}
	return conf.Current
}

// sourceCredential is a source seen as the SDK's credential: the client
// asks it for every request it signs. A token alone means Bearer auth.
type sourceCredential struct{ src *eip.CredentialSource }

func (s sourceCredential) get() eip.Credentials {
	c, _ := s.src.Get(context.Background()) // errors are caught first in Provider.send
	return c
}
func (s sourceCredential) GetSecretKeyId() string       { return s.get().ID }
func (s sourceCredential) GetSecretKeyPassword() string { return s.get().Secret }
func (s sourceCredential) GetToken() string {
	if c := s.get(); c.ID == "" {
		return c.Token
	}
	return ""
}

// CheckCredentials sends one signed read: the first EIP of a region.
func (p *Provider) CheckCredentials(ctx context.Context, region string) (string, error) {
	if region == "" {
		region = probeRegion
	}
	r := zec.NewDescribeEipsRequest()
	size, page := 1, 1
	r.RegionId, r.PageSize, r.PageNum = &region, &size, &page
	_, err := send(ctx, p, r, p.client.DescribeEips)
	return region, err
}
