package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
)

func TestValidationIsUsageErrorAndSendsNothing(t *testing.T) {
	noHaVip := func(c *eip.Capabilities) { c.TargetTypes = []eip.TargetType{eip.Instance, eip.NAT} }
	tokens := func(c *eip.Capabilities) { c.Syntax = &eip.Syntax{ClientTokenMax: 64, ClientTokenASCII: true} }
	withToken := func(b eip.Binding, tok string) eip.Binding { b.ClientToken = tok; return b }
	cases := []struct {
		name  string
		items []eip.Binding
		caps  func(*eip.Capabilities)
		valid func(eip.Binding) error
		want  []string // every one must appear in the message
	}{
		{name: "nothing", items: nil, want: []string{"--eip", "-f plan.yaml"}},
		{name: "no provider", items: []eip.Binding{{Region: region, EIP: "eip-0001", Target: "i-1"}},
			want: []string{"--provider is required", "pass one of fake, fourth"}},
		{name: "unknown provider", items: []eip.Binding{{Provider: "nope", Region: region, EIP: "eip-0001", Target: "i-1"}},
			want: []string{"--provider nope", "use fake"}},
		{name: "no region", items: []eip.Binding{{Provider: "fake", EIP: "eip-0001", Target: "i-1"}},
			want: []string{"--region is required", "region the EIP lives in"}},
		{name: "empty eip", items: []eip.Binding{{Provider: "fake", Region: region, Target: "i-1"}},
			want: []string{"--eip is empty", "EIP ID or address"}},
		{name: "no target", items: []eip.Binding{{Provider: "fake", Region: region, EIP: "eip-0001"}},
			want: []string{"--target is required"}},
		{name: "unknown prefix", items: []eip.Binding{bind("eip-0001", "vm-123")},
			want: []string{`"vm-123"`, "pass --target-type", "instance, eni, nat, lb, havip"}},
		{name: "unsupported target type", caps: noHaVip,
			items: []eip.Binding{{Provider: "fake", Region: region, EIP: "eip-0001", Target: "x-1", TargetType: eip.HaVip}},
			want:  []string{"--target-type havip is not supported by fake", "use one of instance, nat"}},
		{name: "inferred type unsupported", caps: noHaVip, items: []eip.Binding{bind("eip-0001", "havip-1")},
			want: []string{"--target-type havip is not supported"}},
		{name: "mode not for target",
			items: []eip.Binding{{Provider: "fake", Region: region, EIP: "eip-0001", Target: "ngw-1", Mode: eip.ModePassthrough}},
			want:  []string{"--mode passthrough", "nat target", "use one of nat"}},
		{name: "duplicate", items: []eip.Binding{bind("eip-0001", "i-1"), bind("eip-0002", "i-2"), bind("eip-0001", "i-3")},
			want: []string{"item 3:", "eip-0001 is listed twice", "item 1", "list each EIP once"}},
		{name: "provider refuses", items: []eip.Binding{bind("eip-0001", "i-1"), bind("eip-0002", "eni-1")},
			valid: func(b eip.Binding) error {
				if b.TargetType == eip.ENI && b.PrivateIP == "" {
					return eip.Usagef("--private-ip is required for an ENI: pass one of its private addresses")
				}
				return nil
			},
			want: []string{"item 2:", "--private-ip is required", "pass one of"}},
		{name: "client token too long", caps: tokens, items: []eip.Binding{withToken(bind("eip-0001", "i-1"), strings.Repeat("x", 200))},
			want: []string{"--client-token is 200 bytes long: this cloud takes a client token of at most 64: use a shorter token"}},
		{name: "client token not ASCII", caps: tokens, items: []eip.Binding{bind("eip-0002", "i-1"), withToken(bind("eip-0001", "i-1"), "tök")},
			want: []string{"item 2: --client-token holds 'ö': this cloud takes only printable ASCII"}},
		{name: "client token with a space", caps: tokens, items: []eip.Binding{withToken(bind("eip-0001", "i-1"), "a b")},
			want: []string{"--client-token holds ' '"}},
		{name: "second item bad", items: []eip.Binding{bind("eip-0001", "i-1"), {Provider: "fake", EIP: "eip-0002", Target: "i-2"}},
			want: []string{"item 2:", "--region is required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, time.Second)
			if c.caps != nil {
				c.caps(&f.caps)
			}
			p := f.cloud.Provider(f.caps)
			p.ValidateFunc = c.valid
			f.prov = p
			rep, err := f.engine().Associate(context.Background(), c.items)
			var ue *eip.UsageError
			if !errors.As(err, &ue) || rep != nil {
				t.Fatalf("got report %v, error %v (%T), want a *eip.UsageError and no report", rep, err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if n, d, l := len(f.cloud.Sent()), len(f.cloud.Describes()), f.cloud.Lists(); n+d+l != 0 {
				t.Fatalf("after a usage error: %d sends, %d describes, %d lists, want none", n, d, l)
			}
		})
	}
}

func TestLookupFailureKeepsItsKind(t *testing.T) {
	f := newFixture(t, time.Second)
	eng := f.engine()
	missing := errors.New("no credentials for fake: set FAKE_KEY")
	eng.Lookup = func(string) (eip.Provider, error) { return nil, missing }
	_, err := eng.Associate(context.Background(), []eip.Binding{bind("eip-0001", "i-1")})
	if err == nil || eip.IsUsage(err) || !errors.Is(err, missing) {
		t.Fatalf("error %v: want the lookup's own error, not a usage error", err)
	}
}

func TestDisassociateValidation(t *testing.T) {
	cases := map[string]struct {
		items []eip.Unbinding
		want  string
	}{
		"nothing":   {nil, "--eip"},
		"no region": {[]eip.Unbinding{{Provider: "fake", EIP: "eip-0001"}}, "--region is required"},
		"duplicate": {[]eip.Unbinding{{Provider: "fake", Region: region, EIP: "eip-0001"}, {Provider: "fake", Region: region, EIP: "eip-0001"}}, "item 2: EIP eip-0001 is listed twice"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, time.Second)
			_, err := f.engine().Disassociate(context.Background(), c.items)
			if !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want a usage error mentioning %q", err, c.want)
			}
			if len(f.cloud.Describes())+len(f.cloud.Sent()) != 0 {
				t.Fatal("the cloud was called despite a usage error")
			}
		})
	}
}
