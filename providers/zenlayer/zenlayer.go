// Package zenlayer binds EIPs on Zenlayer Elastic Compute (ZEC, API
// 2025-09-01) through the official zenlayercloud-sdk-go.
package zenlayer

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"
	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/eip"
)

// defaultDomain is where the SDK posts ZEC calls, at /api/v2/zec.
const defaultDomain = "console.zenlayer.com"

// Spec registers Zenlayer with eipctl. Both credential spellings in use are
// read: the Terraform provider's and the zeno CLI's.
var Spec = eip.Spec{
	Name:  "zenlayer",
	Title: "Zenlayer",
	New:   New,
	Env: eip.CredentialEnv{
		ID:     []string{"ZENLAYERCLOUD_ACCESS_KEY_ID", "ZENLAYER_ACCESS_KEY_ID"},
		Secret: []string{"ZENLAYERCLOUD_ACCESS_KEY_PASSWORD", "ZENLAYER_ACCESS_KEY_SECRET"},
	},
	DefaultEndpoint: "https://" + defaultDomain + "/api/v2/zec",
	Credentials:     credentialChain,
	CredentialFiles: credentialFiles,
}

// capabilities: every ZEC target takes a list of eipIds in one call, but
// Zenlayer publishes no maximum, so 50 per call keeps one refused request
// small. DescribeEips pages up to 1000; its eipIds filter has no published
// limit for ZEC (the bare-metal twin allows 100), so 100 IDs per read.
// Zenlayer publishes no rate limit. eipctl's default is 10 requests per
// second per action, the pace of Tencent's equivalent bind calls (and the
// emulator's stated default): each call carries up to 50 EIPs, so that is more than
// a run needs, and REQUEST_LIMIT_EXCEEDED (429) slows the pacer down and is
// retried by the engine. Overridable in the profile (docs/rate-limits.md).
var capabilities = eip.Capabilities{
	// NAT first: it needs nothing but its ID, so it is the plain default
	// wherever a caller takes the first type.
	TargetTypes:    []eip.TargetType{eip.NAT, eip.ENI, eip.LB, eip.HaVip},
	TargetPrefixes: targetPrefixes,
	Modes: map[eip.TargetType][]eip.Mode{
		eip.ENI:   {eip.ModeNAT, eip.ModeFullNAT, eip.ModePassthrough},
		eip.NAT:   {eip.ModeNAT, eip.ModeFullNAT},
		eip.LB:    {eip.ModeNAT, eip.ModeFullNAT},
		eip.HaVip: {eip.ModeNAT, eip.ModeFullNAT},
	},
	BatchSize:       map[eip.TargetType]int{eip.ENI: 50, eip.NAT: 50, eip.LB: 50, eip.HaVip: 50},
	UnbindBatchSize: map[eip.TargetType]int{eip.ENI: 50, eip.NAT: 50, eip.LB: 50, eip.HaVip: 50}, // UnassociateEipAddress takes eipIds
	DescribeBatch:   100,
	Limits: map[string]eip.Limit{
		"AssociateEipAddress":   {Count: 10, Per: time.Second},
		"UnassociateEipAddress": {Count: 10, Per: time.Second},
		"DescribeEips":          {Count: 10, Per: time.Second},
	},
	DefaultLimit: eip.Limit{Count: 10, Per: time.Second},
	// One global endpoint, and binds that carry eipIds but no regionId: the
	// limits can only be the account's (the emulator counts them so too).
	AccountWide: true,
	Actions:     map[string]string{eip.ActionDescribe: "DescribeEips", eip.ActionList: "DescribeEips"},
	ClientToken: false, // no ZEC EIP action takes an idempotency token
	Syntax:      &syntax,
	// ZEC documents no unbinding status (CREATING, ASSIGNING, BINDED, UNBIND,
	// DELETING, RECYCLING, RECYCLED, CREATE_FAILED): an EIP being unbound
	// reads BINDED on its target until it reads UNBIND. A refused unbind is
	// told at once (failedEipIds or an error), so waiting loses nothing.
	UnbindShowsNoProgress: true,
}

// Provider is the Zenlayer adapter. One SDK client serves every call: the
// client keeps no per-call state (each request carries its own headers and
// context), so it is safe for concurrent use.
type Provider struct {
	eip.ReadFunc // Describe and List: describe (status.go)
	client       *zec.Client
	source       *eip.CredentialSource
	timeout      time.Duration
	pageSize     int    // DescribeEips page size; smaller in tests to exercise paging
	keyID        string // masked wherever an error message echoes it
}

var _ eip.Provider = (*Provider)(nil)

// New builds the adapter. An empty endpoint means the real cloud over HTTPS.
func New(cfg eip.ProviderConfig) (eip.Provider, error) {
	scheme, domain := "https", defaultDomain
	if cfg.Endpoint != "" {
		u, err := eip.ParseEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		// The SDK always posts to /api/v2/zec on the configured host, so a
		// path can only be that one.
		if p := strings.TrimSuffix(u.Path, "/"); p != "" && p != "/api/v2/zec" {
			return nil, eip.Usagef("--endpoint %q has path %q: Zenlayer calls always go to /api/v2/zec, so give https://host[:port] or https://host[:port]/api/v2/zec", cfg.Endpoint, u.Path)
		}
		scheme, domain = u.Scheme, u.Host
	}
	if cfg.Source == nil && (cfg.Credentials.ID == "" || cfg.Credentials.Secret == "") {
		return nil, eip.Usagef("zenlayer credentials are missing: set ZENLAYERCLOUD_ACCESS_KEY_ID and ZENLAYERCLOUD_ACCESS_KEY_PASSWORD (or ZENLAYER_ACCESS_KEY_ID and ZENLAYER_ACCESS_KEY_SECRET), or add them to your profile")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}

	conf := common.NewConfig().WithScheme(scheme)
	conf.Domain = domain
	// The engine owns every retry. The SDK's rate-limit retry (on by default
	// since v0.2.43: 3 more sends after 1s, 2s, 4s) would stack under the
	// engine's backoff and hide REQUEST_LIMIT_EXCEEDED from it, so it is
	// off, and so is its network-failure retry.
	conf.WithRateLimitRetry(0, nil).WithAutoRetry(false).WithMaxRetryTime(0)
	// Per-call deadlines come from the context (see send); the SDK's own
	// whole-second client timeout (300s by default) is not used.
	conf.Timeout = 0
	// Never let DEBUG=on in the environment dump signed requests to stderr:
	// --debug goes through cfg.Transport instead.
	conf.Debug = new(bool)
	// Every request goes through quietTransport (sdklog.go), which keeps the
	// SDK's own [WARN] lines off stderr; --debug's transport sits inside it.
	conf.Transport = quietTransport{next: cfg.Transport}
	src := cfg.Source
	if src == nil {
		src = eip.StaticSource("", cfg.Credentials)
	}
	// zec.NewClient with the source as the credential: the client asks it
	// before every request, so it signs with the current keys.
	client := &zec.Client{}
	client.WithCredential(sourceCredential{src})
	if err := client.WithConfig(conf); err != nil {
		return nil, classify(err)
	}
	client.WithRequestClient("eipctl")
	first, _ := src.Get(context.Background()) // Zenlayer's sources are fixed keys: this one is the one signed with
	p := &Provider{client: client, source: src, timeout: timeout, pageSize: maxPageSize, keyID: first.ID}
	p.ReadFunc = p.describe
	return p, nil
}

// Capabilities describes ZEC to the engine.
func (p *Provider) Capabilities() eip.Capabilities { return capabilities }

// contextual is every SDK request: each carries its own context.
type contextual interface{ SetContext(context.Context) }

// send runs one SDK call (call, a method of the client, given req) under
// its own deadline. A deadline that passes while the caller's context is
// still live is reported as eipctl's own transient timeout, so the engine
// retries it and the user sees why.
func send[R contextual, A any](ctx context.Context, p *Provider, req R, call func(R) (A, error)) (A, error) {
	var resp A
	if _, err := p.source.Get(ctx); err != nil { // the SDK's credential cannot say why it has none
		return resp, err
	}
	cctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	wctx, f := watch(cctx, cancel)
	req.SetContext(wctx)
	resp, err := call(req)
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		return resp, eip.Errorf(eip.ClassTransient, "REQUEST_TIMEOUT", "Zenlayer did not answer within %s: check the network, or raise the request timeout", p.timeout)
	}
	if terr := f.transportError(); err != nil && terr != nil && ctx.Err() == nil {
		return resp, terr
	}
	return resp, err
}
