package tencent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/metadata"
	"github.com/eipctl/eipctl/pkg/reroute"
)

// EnvMetadataEndpoint is a test-only override: a fake CVM metadata service
// on loopback stands in for the real one (see pkg/reroute, docs/security.md).
const EnvMetadataEndpoint = "EIPCTL_TENCENT_METADATA_ENDPOINT"

// metadataHost is the CVM metadata service the SDK hard-codes.
const metadataHost = "metadata.tencentyun.com"

// probeRegion is where `config doctor` reads when no region is configured.
const probeRegion = "ap-guangzhou"

// metadataTimeout bounds the first metadata read: the SDK's own client has none.
const metadataTimeout = 5 * time.Second

// credentialChain is Tencent's own chain after eipctl's environment and
// profile: the SDKs' credentials file, tccli's profile, then the instance's
// CAM role. The SDK's own providers read and refresh every credential.
func credentialChain(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	if _, err := reroute.FromEnv(EnvMetadataEndpoint, reroute.Host(metadataHost)); err != nil {
		return nil, eip.Usagef("%v", err)
	}
	if o.Base != nil {
		return o.Base, nil
	}
	for _, try := range []func(eip.CredentialOptions) (*eip.CredentialSource, error){profileFile, tccliProfile, cvmRole} {
		if src, err := try(o); src != nil || err != nil {
			return src, err
		}
	}
	return nil, nil
}

// profileFile is ~/.tencentcloud/credentials (or TENCENTCLOUD_CREDENTIALS_FILE),
// read by the SDK's ProfileProvider. The SDK reads only its [default] section,
// so a profile of any other name is looked for in tccli's files instead.
func profileFile(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	if o.Profile != "" && o.Profile != "default" {
		return nil, nil
	}
	path, set := os.LookupEnv(common.EnvCredentialFile)
	if !set {
		home := os.Getenv("HOME")
		if home == "" {
			return nil, nil
		}
		path = filepath.Join(home, ".tencentcloud", "credentials")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	describe := fmt.Sprintf("file %s profile default", path)
	if set {
		describe = fmt.Sprintf("file %s (%s) profile default", path, common.EnvCredentialFile)
	}
	cred, err := common.DefaultProfileProvider().GetCredential()
	if err != nil {
		return nil, refused(describe, err, "give it a [default] section with secret_id and secret_key")
	}
	return static(describe, cred), nil
}

// tccliProfile is tccli's ~/.tccli/<profile>.credential: eipctl's --profile
// name, else TCCLI_PROFILE, else default.
func tccliProfile(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	name, strict := o.Profile, !o.ProfileFromFlag && o.Profile != ""
	if name == "" {
		var set bool
		name, set = os.LookupEnv(common.EnvTCCLIProfile)
		strict = set
	}
	if name == "" {
		name = "default"
	}
	home := os.Getenv("HOME")
	if home == "" {
		return nil, nil
	}
	path := filepath.Join(home, ".tccli", name+".credential")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if strict {
			return nil, eip.Errorf(eip.ClassAuth, "CredentialsMissing", "tccli profile %s: %s does not exist: run `tccli configure --profile %s`, or choose another profile", name, path, name)
		}
		return nil, nil
	}
	describe := fmt.Sprintf("file %s profile %s", path, name)
	cred, err := common.NewTccliProfileProvider(name).GetCredential()
	if err != nil {
		return nil, refused(describe, err, "it must be JSON with secretId and secretKey (run `tccli configure`)")
	}
	return static(describe, cred), nil
}

// cvmRole is the instance's CAM role through the metadata service. It is
// tried only when asked for (the profile's instance-role) or on a CVM
// instance, so nothing else ever sends a request to the metadata address.
func cvmRole(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	role, err := metadata.Role(o.InstanceRole, "", metadataHost, "Tencent Cloud", discoverRole)
	if err != nil {
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsUnavailable", "instance CAM role (metadata service): %v", err)
	}
	if role == "" {
		return nil, nil
	}
	describe := "instance role " + role
	type got struct {
		c   common.CredentialIface
		err error
	}
	ch := make(chan got, 1)
	go func() { c, err := common.NewCvmRoleProvider(role).GetCredential(); ch <- got{c, err} }()
	select {
	case g := <-ch:
		if g.err != nil {
			return nil, refused(describe, g.err, "check that the role is attached to this instance")
		}
		// The SDK's CvmRoleCredential refreshes itself 300s before it expires.
		return &eip.CredentialSource{Describe: describe, Get: func(context.Context) (eip.Credentials, error) {
			id, key, token := g.c.GetCredential()
			return eip.Credentials{ID: id, Secret: key, Token: token}, nil
		}}, nil
	case <-time.After(metadataTimeout):
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsUnavailable", "credentials from %s: the metadata service did not answer within %s", describe, metadataTimeout)
	}
}

// discoverRole asks the metadata service for the instance's role name.
func discoverRole() (string, error) {
	req, _ := http.NewRequest(http.MethodGet, "http://"+metadataHost+"/latest/meta-data/cam/security-credentials/", nil)
	role, err := metadata.Do(req)
	if err != nil {
		return "", fmt.Errorf("the instance has no CAM role (%v): bind one, or set instance-role in the profile", err)
	}
	return role, nil
}

func static(describe string, c common.CredentialIface) *eip.CredentialSource {
	id, key, token := c.GetCredential()
	return eip.StaticSource(describe, eip.Credentials{ID: id, Secret: key, Token: token})
}

// refused is a credential failure in eipctl's words, naming the source.
func refused(describe string, err error, fix string) error {
	return eip.Errorf(eip.ClassAuth, "CredentialsMalformed", "credentials from %s: %v: %s", describe, err, fix)
}

// sourceCredential is a source seen as the SDK's credential: the client
// asks it for every request it signs.
type sourceCredential struct{ src *eip.CredentialSource }

func (s sourceCredential) GetCredential() (string, string, string) {
	c, _ := s.src.Get(context.Background()) // errors are caught first in Provider.do
	return c.ID, c.Secret, c.Token
}
func (s sourceCredential) GetSecretId() string  { id, _, _ := s.GetCredential(); return id }
func (s sourceCredential) GetSecretKey() string { _, k, _ := s.GetCredential(); return k }
func (s sourceCredential) GetToken() string     { _, _, t := s.GetCredential(); return t }

// CheckCredentials sends one signed read: the first EIP of a region.
func (p *Provider) CheckCredentials(ctx context.Context, region string) (string, error) {
	if region == "" {
		region = probeRegion
	}
	req := vpc.NewDescribeAddressesRequest()
	req.Limit = common.Int64Ptr(1)
	return region, p.do(ctx, region, func(ctx context.Context, c *vpc.Client) error {
		_, err := c.DescribeAddressesWithContext(ctx, req)
		return err
	})
}
