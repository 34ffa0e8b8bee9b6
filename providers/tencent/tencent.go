// Package tencent binds EIPs on Tencent Cloud VPC (API 2017-03-12) through
// the official tencentcloud-sdk-go.
package tencent

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Spec registers Tencent Cloud with eipctl.
var Spec = eip.Spec{
	Name:  "tencent",
	Title: "Tencent Cloud",
	New:   New,
	Env: eip.CredentialEnv{
		ID:     []string{"TENCENTCLOUD_SECRET_ID"},
		Secret: []string{"TENCENTCLOUD_SECRET_KEY"},
		Token:  []string{"TENCENTCLOUD_SECURITY_TOKEN"},
	},
	DefaultEndpoint: "https://vpc.tencentcloudapi.com (vpc.<region>.tencentcloudapi.com for the finance regions ap-shanghai-fsi and ap-shenzhen-fsi)",
	EndpointFor:     endpointFor,
	Credentials:     credentialChain,
	CredentialFiles: credentialFiles,
}

// capabilities:
//   - AssociateAddress binds one EIP per call (instance, ENI private IP, CLB);
//     HaVipAssociateAddressIp one per HAVIP.
//   - AssociateNatGatewayAddress takes a list of addresses. Its maximum per call
//     is undocumented, but a NAT gateway holds at most 10 EIPs (NAT Gateway
//     usage limits, "Number of EIPs per NAT Gateway: 10"), so 10 is the most one
//     call can usefully carry.
//   - DescribeAddresses returns at most 100 per page (Limit <= 100), so 100 IDs
//     are read at once.
//   - Limits are each action's documented "A maximum of N requests can be
//     initiated per second" (docs/rate-limits.md has the sources).
//   - None of these requests has a ClientToken field.
var capabilities = eip.Capabilities{
	TargetTypes: []eip.TargetType{eip.Instance, eip.ENI, eip.NAT, eip.LB, eip.HaVip},
	Modes: map[eip.TargetType][]eip.Mode{
		// EipDirectConnection is only accepted when binding to a CVM instance.
		eip.Instance: {eip.ModeNAT, eip.ModePassthrough},
	},
	BatchSize:       map[eip.TargetType]int{eip.NAT: 10},
	UnbindBatchSize: map[eip.TargetType]int{eip.NAT: 10}, // DisassociateNatGatewayAddress takes several IPs
	DescribeBatch:   100,
	Limits: map[string]eip.Limit{
		"AssociateAddress":              {Count: 10, Per: time.Second},
		"DisassociateAddress":           {Count: 10, Per: time.Second},
		"DescribeAddresses":             {Count: 20, Per: time.Second},
		"DescribeTaskResult":            {Count: 20, Per: time.Second},
		"DescribeVpcTaskResult":         {Count: 20, Per: time.Second},
		"AssociateNatGatewayAddress":    {Count: 100, Per: time.Second},
		"DisassociateNatGatewayAddress": {Count: 100, Per: time.Second},
		"HaVipAssociateAddressIp":       {Count: 20, Per: time.Second},
		"HaVipDisassociateAddressIp":    {Count: 20, Per: time.Second},
	},
	// Any other VPC action: the lowest documented limit.
	DefaultLimit: eip.Limit{Count: 10, Per: time.Second},
	Actions: map[string]string{eip.ActionDescribe: "DescribeAddresses", eip.ActionList: "DescribeAddresses",
		eip.ActionCheckTasks: "DescribeTaskResult"},
	ClientToken: false,
	Syntax:      &syntax,
}

// defaultTimeout bounds one request when the caller gives no timeout.
const defaultTimeout = 30 * time.Second

// Provider is the Tencent adapter.
type Provider struct {
	cfg      eip.ProviderConfig
	scheme   string // HTTP only for a loopback --endpoint
	endpoint string // host[:port][/path] for HttpProfile.Endpoint; empty means vpc.tencentcloudapi.com

	mu      sync.Mutex
	clients map[string]*vpc.Client // one per region; safe for concurrent use
}

var (
	_ eip.Provider    = (*Provider)(nil)
	_ eip.TaskWatcher = (*Provider)(nil)
)

// New builds the adapter. An empty endpoint means the real cloud over HTTPS.
func New(cfg eip.ProviderConfig) (eip.Provider, error) {
	p := &Provider{cfg: cfg, scheme: "HTTPS", clients: map[string]*vpc.Client{}}
	if cfg.Endpoint != "" {
		u, err := eip.ParseEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		if u.Scheme == "http" {
			p.scheme = "HTTP"
		}
		// The SDK wants host[:port] without a scheme; anything after the first
		// "/" becomes the request path.
		p.endpoint = u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	if cfg.Source == nil && (cfg.Credentials.ID == "" || cfg.Credentials.Secret == "") {
		return nil, eip.Usagef("tencent credentials are missing: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN for temporary keys), or add them to your profile")
	}
	if p.cfg.Timeout <= 0 {
		p.cfg.Timeout = defaultTimeout
	}
	return p, nil
}

// Capabilities describes Tencent Cloud to the engine.
func (p *Provider) Capabilities() eip.Capabilities { return capabilities }

// clientProfile is the SDK profile every client uses. It starts from
// NewClientProfile so the region breaker stays disabled: enabled, it sends
// signed traffic to the real ap-guangzhou endpoint after five failures, even
// when eipctl points at an emulator.
func (p *Provider) clientProfile(region string) *profile.ClientProfile {
	cpf := profile.NewClientProfile()
	cpf.DisableRegionBreaker = true
	cpf.HttpProfile.Scheme = p.scheme
	cpf.HttpProfile.Endpoint = p.endpoint
	if p.endpoint == "" {
		cpf.HttpProfile.Endpoint = defaultHost(region)
	}
	// Whole seconds; each call also carries a context deadline of exactly cfg.Timeout.
	cpf.HttpProfile.ReqTimeout = int((p.cfg.Timeout + time.Second - 1) / time.Second)
	cpf.Language = "en-US"
	// The engine owns retries: keep the SDK's own off so they never stack.
	cpf.RateLimitExceededMaxRetries = 0
	cpf.NetworkFailureMaxRetries = 0
	return cpf
}

func (p *Provider) client(region string) (*vpc.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[region]; ok {
		return c, nil
	}
	var cred common.CredentialIface = common.NewTokenCredential(p.cfg.Credentials.ID, p.cfg.Credentials.Secret, p.cfg.Credentials.Token)
	if p.cfg.Source != nil { // asked before every request, so temporary keys stay fresh
		cred = sourceCredential{p.cfg.Source}
	}
	c, err := vpc.NewClient(cred, region, p.clientProfile(region))
	if err != nil {
		return nil, err
	}
	if p.cfg.Transport != nil {
		c.WithHttpTransport(p.cfg.Transport)
	}
	p.clients[region] = c
	return c, nil
}

// do runs one SDK call on the region's client with the per-request timeout.
func (p *Provider) do(ctx context.Context, region string, fn func(ctx context.Context, c *vpc.Client) error) error {
	c, err := p.client(region)
	if err != nil {
		return err
	}
	if p.cfg.Source != nil {
		if _, err := p.cfg.Source.Get(ctx); err != nil { // the SDK's credential cannot say why it has none
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	return fn(ctx, c)
}
