// Package alibaba binds EIPs on Alibaba Cloud VPC (API 2016-04-28) through
// the official alibaba-cloud-sdk-go.
package alibaba

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Spec registers Alibaba Cloud with eipctl.
var Spec = eip.Spec{
	Name:  "alibaba",
	Title: "Alibaba Cloud",
	New:   New,
	Env: eip.CredentialEnv{
		ID:     []string{"ALIBABA_CLOUD_ACCESS_KEY_ID"},
		Secret: []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET"},
		Token:  []string{"ALIBABA_CLOUD_SECURITY_TOKEN"},
	},
	DefaultEndpoint: "https://vpc.<region>.aliyuncs.com (resolved by the SDK per region)",
	Credentials:     credentialChain,
	CredentialFiles: credentialFiles,
}

// capabilities: AssociateEipAddressBatch takes 1..50 EIPs for a NAT gateway or
// a secondary ENI; DescribeEipAddresses takes up to 50 AllocationIds.
// Limits are the documented windows (docs/rate-limits.md has the sources):
// the EIP quotas page and each action's API page.
var capabilities = eip.Capabilities{
	TargetTypes: []eip.TargetType{eip.Instance, eip.ENI, eip.NAT, eip.LB, eip.HaVip},
	Modes: map[eip.TargetType][]eip.Mode{
		eip.ENI: {eip.ModeNAT, eip.ModeMultiBinded, eip.ModePassthrough},
	},
	BatchSize:     map[eip.TargetType]int{eip.NAT: 50, eip.ENI: 50},
	DescribeBatch: 50,
	Limits: map[string]eip.Limit{
		"AssociateEipAddress":      {Count: 120, Per: time.Minute},
		"AssociateEipAddressBatch": {Count: 30, Per: time.Minute},
		"UnassociateEipAddress":    {Count: 120, Per: time.Minute},
		"DescribeEipAddresses":     {Count: 600, Per: time.Minute},
	},
	// Any other VPC action: the lowest documented EIP window.
	DefaultLimit: eip.Limit{Count: 30, Per: time.Minute},
	// The EIP quotas page (alibabacloud.com/help/en/eip/quotas) states each
	// limit as "the maximum number of times that each Alibaba Cloud account
	// can call the operation per minute", naming no region: one pacer per
	// action for all regions, which also keeps within the per-region reading
	// of the VPC quota tables.
	AccountWide: true,
	Actions:     map[string]string{eip.ActionDescribe: "DescribeEipAddresses", eip.ActionList: "DescribeEipAddresses"},
	ClientToken: true,
	Syntax:      &syntax,
}

// Provider is the Alibaba adapter.
type Provider struct {
	cfg    eip.ProviderConfig
	scheme string
	domain string // host[:port]; empty lets the SDK resolve the real endpoint

	mu      sync.Mutex
	clients map[string]*regionClients
}

// regionClients lends a region's SDK clients out one caller at a time: one
// client is not safe for concurrent use (every call rewrites its timeout and
// its transport's dialer), so concurrent calls each take their own, and the
// engine's slots bound how many there are.
type regionClients struct {
	mu   sync.Mutex
	idle []*vpc.Client
	make func() (*vpc.Client, error)
}

func (rc *regionClients) get() (*vpc.Client, error) {
	rc.mu.Lock()
	if n := len(rc.idle); n > 0 {
		c := rc.idle[n-1]
		rc.idle = rc.idle[:n-1]
		rc.mu.Unlock()
		return c, nil
	}
	rc.mu.Unlock()
	return rc.make()
}

func (rc *regionClients) put(c *vpc.Client) {
	rc.mu.Lock()
	rc.idle = append(rc.idle, c)
	rc.mu.Unlock()
}

var _ eip.Provider = (*Provider)(nil)

// New builds the adapter. An empty endpoint means the real cloud, over HTTPS:
// the SDK's own default scheme is plain HTTP, so it is always set here.
func New(cfg eip.ProviderConfig) (eip.Provider, error) {
	p := &Provider{cfg: cfg, scheme: "HTTPS", clients: map[string]*regionClients{}}
	if cfg.Endpoint != "" {
		u, err := eip.ParseEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		p.scheme, p.domain = u.Scheme, u.Host
	}
	if cfg.Source == nil && (cfg.Credentials.ID == "" || cfg.Credentials.Secret == "") {
		return nil, eip.Usagef("alibaba credentials are missing: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or add them to your profile (see docs/configuration.md)")
	}
	if p.cfg.Timeout <= 0 {
		p.cfg.Timeout = 10 * time.Second
	}
	return p, nil
}

// Capabilities describes Alibaba Cloud to the engine.
func (p *Provider) Capabilities() eip.Capabilities { return capabilities }

func (p *Provider) client(region string) *regionClients {
	p.mu.Lock()
	defer p.mu.Unlock()
	if rc, ok := p.clients[region]; ok {
		return rc
	}
	rc := &regionClients{make: func() (*vpc.Client, error) { return p.newClient(region) }}
	p.clients[region] = rc
	return rc
}

func (p *Provider) newClient(region string) (*vpc.Client, error) {
	var cred credentials.CredentialsProvider = credentials.NewStaticAKCredentialsProvider(p.cfg.Credentials.ID, p.cfg.Credentials.Secret)
	switch {
	case p.cfg.Source != nil: // asked before every request, so temporary keys stay fresh
		cred = sdkProvider{p.cfg.Source}
	case p.cfg.Credentials.Token != "":
		cred = credentials.NewStaticSTSCredentialsProvider(p.cfg.Credentials.ID, p.cfg.Credentials.Secret, p.cfg.Credentials.Token)
	}
	conf := sdk.NewConfig().WithScheme(p.scheme).WithAutoRetry(false) // the engine owns retries
	c, err := vpc.NewClientWithOptions(region, conf, cred)
	if err != nil {
		return nil, fmt.Errorf("alibaba client for %s: %w", region, err)
	}
	c.Domain = p.domain
	// Timeouts are the client's, never a request's (a request's would stick to
	// the client and leak into later calls); do sets them before each call.
	switch t := p.cfg.Transport.(type) {
	case nil:
	case *http.Transport:
		c.SetTransport(t.Clone()) // the SDK rewrites its dialer on every call
	default:
		c.SetTransport(t)
	}
	return c, nil
}

// do runs one SDK call on a client of the region that no other call is
// using. The SDK takes no context, so the call's timeouts are set from ctx's
// deadline each time (the client is this caller's alone until it is put
// back), and do returns when ctx ends even if the SDK has not: the client
// goes back to the pool once its call is over. An answer the SDK cannot read
// without panicking (see recoverSDK) is an error, not a crash.
func (p *Provider) do(ctx context.Context, region string, fn func(c *vpc.Client) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rc := p.client(region)
	c, err := rc.get()
	if err != nil {
		return err
	}
	read := p.cfg.Timeout
	if dl, ok := ctx.Deadline(); ok {
		read = min(read, time.Until(dl))
	}
	if read <= 0 {
		rc.put(c)
		return context.DeadlineExceeded
	}
	c.SetReadTimeout(read)
	c.SetConnectTimeout(min(read, 5*time.Second))
	done := make(chan error, 1)
	go func() {
		defer rc.put(c)
		done <- func() (err error) {
			defer recoverSDK(&err)
			return fn(c)
		}()
	}()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
