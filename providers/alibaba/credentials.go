package alibaba

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/metadata"
	"github.com/eipctl/eipctl/pkg/reroute"
)

// Test-only overrides: a fake metadata service or STS on loopback stands in
// for the real ones (see pkg/reroute and docs/security.md).
const (
	EnvMetadataEndpoint = "EIPCTL_ALIBABA_METADATA_ENDPOINT"
	EnvSTSEndpoint      = "EIPCTL_ALIBABA_STS_ENDPOINT"
)

// metadataHost is the ECS instance metadata service the SDK hard-codes.
const metadataHost = "100.100.100.200"

// probeRegion is where `config doctor` reads when no region is configured.
const probeRegion = "cn-hangzhou"

// credentialChain is Alibaba's own chain after eipctl's environment and
// profile: the aliyun CLI's profile, then the instance's RAM role; any of
// them (or eipctl's own) may then assume ALIBABA_CLOUD_ROLE_ARN. Every
// credential is fetched and refreshed by the SDK's own providers.
func credentialChain(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	if err := routeOverrides(); err != nil {
		return nil, err
	}
	src := o.Base
	var err error
	if src == nil {
		if src, err = cliProfile(o); err != nil {
			return nil, err
		}
	}
	if src == nil {
		if src, err = ecsRole(o); err != nil {
			return nil, err
		}
	}
	arn := os.Getenv("ALIBABA_CLOUD_ROLE_ARN")
	if arn == "" {
		return src, nil
	}
	if src == nil {
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsMissing", "ALIBABA_CLOUD_ROLE_ARN is set but there are no credentials to assume it with: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure the aliyun CLI")
	}
	return assumeRole(src, arn)
}

func routeOverrides() error {
	if _, err := reroute.FromEnv(EnvMetadataEndpoint, reroute.Host(metadataHost)); err != nil {
		return eip.Usagef("%v", err)
	}
	sts := func(h string) bool {
		return strings.HasSuffix(h, ".aliyuncs.com") && (h == "sts.aliyuncs.com" || strings.HasPrefix(h, "sts.") || strings.HasPrefix(h, "sts-vpc."))
	}
	if _, err := reroute.FromEnv(EnvSTSEndpoint, sts); err != nil {
		return eip.Usagef("%v", err)
	}
	return nil
}

// aliyunConfig is the part of ~/.aliyun/config.json eipctl reads itself, to
// say which profile and mode it uses; the SDK reads the credentials.
type aliyunConfig struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name     string `json:"name"`
		Mode     string `json:"mode"`
		RoleArn  string `json:"ram_role_arn"`
		RoleName string `json:"ram_role_name"`
	} `json:"profiles"`
}

var cliModes = []string{"AK", "StsToken", "RamRoleArn", "EcsRamRole", "OIDC", "ChainableRamRoleArn"}

// cliProfile uses the aliyun CLI's profile: the one eipctl's --profile
// names, else ALIBABA_CLOUD_PROFILE, else the file's current one.
func cliProfile(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	if strings.EqualFold(os.Getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true") {
		return nil, nil
	}
	home := os.Getenv("HOME") // what the SDK reads
	if home == "" {
		return nil, nil
	}
	path := filepath.Join(home, ".aliyun", "config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, refused("file "+path, err)
	}
	var conf aliyunConfig
	if err := json.Unmarshal(data, &conf); err != nil {
		return nil, eip.Errorf(eip.ClassAuth, "CredentialsMalformed", "file %s is not valid JSON (%v): fix it, or run `aliyun configure`", path, err)
	}
	name, how := eip.CLIProfileName(o.Profile, "ALIBABA_CLOUD_PROFILE", func() string { return conf.Current })
	var names []string
	for _, p := range conf.Profiles {
		names = append(names, p.Name)
		if p.Name != name || name == "" {
			continue
		}
		if !slices.Contains(cliModes, p.Mode) {
			return nil, eip.Errorf(eip.ClassAuth, "CredentialsMalformed", "file %s profile %s has mode %q: use one of %s", path, name, p.Mode, strings.Join(cliModes, ", "))
		}
		describe := fmt.Sprintf("file %s profile %s (mode %s)", path, name, p.Mode)
		switch p.Mode {
		case "RamRoleArn", "ChainableRamRoleArn":
			describe = fmt.Sprintf("file %s profile %s (mode %s, role %s)", path, name, p.Mode, p.RoleArn)
		case "EcsRamRole":
			describe = fmt.Sprintf("file %s profile %s (mode EcsRamRole, instance role %s)", path, name, p.RoleName)
		}
		prov := credentials.NewCLIProfileCredentialsProviderBuilder().WithProfileName(name).Build()
		return sdkSource(describe, prov), nil
	}
	if o.ProfileFromFlag && how == "--profile" {
		return nil, nil // eipctl's profile, not necessarily the aliyun CLI's
	}
	return nil, eip.Errorf(eip.ClassAuth, "CredentialsMissing", "file %s has no profile %q (chosen by %s; it has %s): run `aliyun configure --profile %s`, or choose another",
		path, name, how, strings.Join(names, ", "), cmp.Or(name, "default"))
}

// ecsRole uses the instance's RAM role through the metadata service. It is
// tried only when asked for (ALIBABA_CLOUD_ECS_METADATA, the profile's
// instance-role) or on an ECS instance, so nothing else ever sends a request
// to the metadata address.
func ecsRole(o eip.CredentialOptions) (*eip.CredentialSource, error) {
	if strings.EqualFold(os.Getenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED"), "true") {
		return nil, nil
	}
	role, err := metadata.Role(o.InstanceRole, os.Getenv("ALIBABA_CLOUD_ECS_METADATA"), metadataHost, "Alibaba Cloud", discoverRole)
	if err != nil {
		return nil, refused("instance RAM role (metadata service)", err)
	}
	if role == "" {
		return nil, nil
	}
	prov, err := credentials.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(role).Build()
	if err != nil {
		return nil, refused("instance role "+role, err)
	}
	return sdkSource("instance role "+role, prov), nil
}

// discoverRole asks the metadata service which RAM role the instance has,
// the way the SDK does (IMDSv2 token first).
func discoverRole() (string, error) {
	base := "http://" + metadataHost + "/latest/"
	req, _ := http.NewRequest(http.MethodPut, base+"api/token", nil)
	req.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
	token, _ := metadata.Do(req)
	if token == "" && strings.EqualFold(os.Getenv("ALIBABA_CLOUD_IMDSV1_DISABLED"), "true") {
		return "", errors.New("no IMDSv2 token from the metadata service, and ALIBABA_CLOUD_IMDSV1_DISABLED=true")
	}
	req, _ = http.NewRequest(http.MethodGet, base+"meta-data/ram/security-credentials/", nil)
	if token != "" {
		req.Header.Set("X-aliyun-ecs-metadata-token", token)
	}
	role, err := metadata.Do(req)
	if err != nil {
		return "", fmt.Errorf("the instance has no RAM role (%v): attach one, or set ALIBABA_CLOUD_ECS_METADATA=ROLE", err)
	}
	return role, nil
}

// assumeRole assumes arn with src's credentials through STS, refreshing the
// session before it expires (the SDK's RAM role ARN provider).
func assumeRole(src *eip.CredentialSource, arn string) (*eip.CredentialSource, error) {
	describe := fmt.Sprintf("role %s (ALIBABA_CLOUD_ROLE_ARN) assumed with %s", arn, src.Describe)
	prov, err := credentials.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(sdkProvider{src}).
		WithRoleArn(arn).
		Build() // reads ALIBABA_CLOUD_ROLE_SESSION_NAME, ALIBABA_CLOUD_STS_REGION itself
	if err != nil {
		return nil, refused(describe, err)
	}
	return sdkSource(describe, prov), nil
}

// sdkSource turns one of the SDK's providers into a source. The SDK's
// refreshing providers keep their session unguarded, so calls are serialized.
func sdkSource(describe string, p credentials.CredentialsProvider) *eip.CredentialSource {
	var mu sync.Mutex
	return &eip.CredentialSource{Describe: describe, Get: func(context.Context) (eip.Credentials, error) {
		mu.Lock()
		defer mu.Unlock()
		cc, err := p.GetCredentials()
		if err != nil {
			return eip.Credentials{}, refused(describe, err)
		}
		return eip.Credentials{ID: cc.AccessKeyId, Secret: cc.AccessKeySecret, Token: cc.SecurityToken}, nil
	}}
}

// sdkProvider is a source seen as the SDK's provider: how adapters sign.
type sdkProvider struct{ src *eip.CredentialSource }

func (s sdkProvider) GetCredentials() (*credentials.Credentials, error) {
	c, err := s.src.Get(context.Background()) // the SDK takes no context
	if err != nil {
		return nil, err
	}
	return &credentials.Credentials{AccessKeyId: c.ID, AccessKeySecret: c.Secret, SecurityToken: c.Token, ProviderName: "eipctl"}, nil
}

func (s sdkProvider) GetProviderName() string { return "eipctl" }

// refused is a credential failure in eipctl's words. A server's message is
// left out: STS echoes its string to sign, which holds the full key ID.
func refused(describe string, err error) error {
	var ee *eip.Error
	if errors.As(err, &ee) {
		return ee
	}
	msg := err.Error()
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		msg = fmt.Sprintf("refused with %s (HTTP %d)", se.ErrorCode(), se.HttpStatus())
	}
	return eip.Errorf(eip.ClassAuth, "CredentialsUnavailable", "credentials from %s: %s", describe, eip.RedactKeyIDs(msg))
}

// CheckCredentials sends one signed read: the first EIP of a region.
func (p *Provider) CheckCredentials(ctx context.Context, region string) (string, error) {
	if region == "" {
		region = probeRegion
	}
	req := vpc.CreateDescribeEipAddressesRequest()
	req.RegionId = region
	req.PageSize = requests.NewInteger(1)
	return region, p.do(ctx, region, func(c *vpc.Client) error {
		_, err := c.DescribeEipAddresses(req)
		return err
	})
}
