// Package fourth is a test-only cloud: an adapter for the invented protocol
// its emulator (./emulator) plays. It is registered only in binaries built
// with -tags eipctl_fourth (providers/all/fourth.go), and exists to prove that
// a cloud is this one folder plus one registry line: the conformance suite
// and a binary-level `eip associate` pass without any other file naming it.
// Real clouds go through their official SDKs; this one has none, so the
// adapter speaks plain net/http.
package fourth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Spec registers the fourth cloud.
var Spec = eip.Spec{
	Name:  "fourth",
	Title: "Fourth (a test-only cloud)",
	New:   New,
	Env: eip.CredentialEnv{
		ID:     []string{envID},
		Secret: []string{envSecret},
	},
	DefaultEndpoint: "none: the fourth cloud exists only in its emulator",
}

// The credential variables, also named in New's message.
const (
	envID     = "FOURTH_ACCESS_KEY_ID"
	envSecret = "FOURTH_ACCESS_KEY_SECRET"
)

var capabilities = eip.Capabilities{
	TargetTypes:     []eip.TargetType{eip.Instance, eip.NAT},
	BatchSize:       map[eip.TargetType]int{eip.NAT: 10},
	UnbindBatchSize: map[eip.TargetType]int{eip.NAT: 10},
	DescribeBatch:   20,
	DefaultLimit:    eip.Limit{Count: 10, Per: time.Second},
	Actions:         map[string]string{eip.ActionDescribe: "DescribeAddresses", eip.ActionList: "DescribeAddresses"},
	Syntax: &eip.Syntax{
		Regions: []string{"north-1", "south-1"},
		EIP:     eip.IDRule{Prefix: "fip-"},
		Targets: map[eip.TargetType]eip.IDRule{eip.Instance: {Prefix: "vm-"}, eip.NAT: {Prefix: "gw-"}},
	},
}

// Provider is the fourth cloud's adapter.
type Provider struct {
	eip.ReadFunc // Describe and List: describe (calls.go)
	cfg          eip.ProviderConfig
	url          string
	client       *http.Client
}

// New builds the adapter. Without an endpoint it can describe itself but not
// call: no real cloud exists.
func New(cfg eip.ProviderConfig) (eip.Provider, error) {
	url := "" // no real cloud: call refuses to run without an endpoint
	if cfg.Endpoint != "" {
		u, err := eip.ParseEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		url = strings.TrimSuffix(u.String(), "/") + "/fourth/v1"
	}
	if cfg.Source == nil && (cfg.Credentials.ID == "" || cfg.Credentials.Secret == "") {
		return nil, eip.Usagef("fourth credentials are missing: set %s and %s", envID, envSecret)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	tr := cfg.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	p := &Provider{cfg: cfg, url: url, client: &http.Client{Transport: tr, Timeout: cfg.Timeout}}
	p.ReadFunc = p.describe
	return p, nil
}

func (p *Provider) Capabilities() eip.Capabilities { return capabilities }

// Validate refuses what the capabilities cannot express: nothing but the
// default mode, no private IP, no instance region.
func (p *Provider) Validate(b eip.Binding) error {
	switch {
	case b.Mode != "" && b.Mode != eip.ModeNAT:
		return eip.Usagef("--mode %s is not supported by fourth: remove --mode", b.Mode)
	case b.PrivateIP != "":
		return eip.Usagef("--private-ip is not supported by fourth: remove it")
	case b.InstanceRegion != "":
		return eip.Usagef("--instance-region is not supported by fourth: remove it")
	}
	return nil
}

// apiError is a refusal in the cloud's own words.
type apiError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// call signs and sends one action and decodes its result into out.
func (p *Provider) call(ctx context.Context, action string, in, out any) error {
	if p.url == "" {
		return eip.Usagef("--endpoint is required for fourth: it is a test-only cloud served by `eipctl sim serve`")
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	creds := p.cfg.Credentials
	if p.cfg.Source != nil {
		if creds, err = p.cfg.Source.Get(ctx); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(creds.Secret))
	m.Write([]byte(action + "\n" + ts + "\n" + string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Fourth-Action", action)
	req.Header.Set("X-Fourth-Key", creds.ID)
	req.Header.Set("X-Fourth-Time", ts)
	req.Header.Set("X-Fourth-Signature", hex.EncodeToString(m.Sum(nil)))
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		ae := &apiError{Status: resp.StatusCode}
		if json.Unmarshal(data, ae) != nil || ae.Code == "" {
			ae.Code, ae.Message = "HTTP"+strconv.Itoa(resp.StatusCode), "the answer is not the cloud's error document"
		}
		return ae
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return &apiError{Status: resp.StatusCode, Code: "UnreadableAnswer", Message: err.Error()}
	}
	if out == nil || len(env.Result) == 0 || string(env.Result) == "null" {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return &apiError{Status: resp.StatusCode, Code: "UnreadableAnswer", Message: err.Error()}
	}
	return nil
}

// rules classify the cloud's codes.
var rules = map[string]eip.Rule{
	"AuthFailure":      eip.ClassAuth.With("check FOURTH_ACCESS_KEY_ID and FOURTH_ACCESS_KEY_SECRET"),
	"Throttled":        {Class: eip.ClassThrottled},
	"Unavailable":      {Class: eip.ClassTransient},
	"InternalError":    {Class: eip.ClassTransient},
	"NotFound.Address": {Class: eip.ClassNotFound},
	"NotFound.Target":  {Class: eip.ClassNotFound},
	"NotFound.Region":  eip.ClassInvalid.With("use north-1 or south-1"),
	"AddressBusy":      {Class: eip.ClassConflict},
	"AddressInUse":     {Class: eip.ClassConflict},
	"AddressNotBound":  {Class: eip.ClassConflict},
	"TargetFull":       eip.Rule{Class: eip.ClassConflict}.Full(),
	"InvalidRequest":   {Class: eip.ClassInvalid},
	"InvalidAction":    {Class: eip.ClassInvalid},
}

// Classify turns any error of this adapter into the unified error.
func (p *Provider) Classify(err error) *eip.Error { return eip.Classify(err, "", classify) }

func classify(err error) *eip.Error {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		r, ok := rules[ae.Code]
		if !ok {
			r = eip.Rule{Class: eip.ClassInvalid}
			if ae.Status >= 500 {
				r.Class = eip.ClassTransient
			}
		}
		return eip.CloudError(ae.Code, ae.Message, r)
	}
	return eip.Errorf(eip.ClassTransient, "Transport", "%s", eip.TransportMessage(err))
}

var _ eip.Provider = (*Provider)(nil)
