package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
)

// checkEngine is an engine over a fake cloud with eiptest.Syntax whose every
// read fails the test: validation must decide without the cloud.
func checkEngine(t *testing.T) *engine.Engine {
	caps := eiptest.DefaultCaps()
	caps.Syntax = eiptest.Syntax
	p := &eiptest.Provider{Caps: caps,
		DescribeFunc: func(context.Context, string, []string) ([]eip.Address, error) {
			t.Error("Describe called during validation")
			return nil, errors.New("no")
		},
		ListFunc: func(context.Context, string) ([]eip.Address, error) {
			t.Error("List called during validation")
			return nil, errors.New("no")
		},
	}
	return &engine.Engine{Lookup: func(string) (eip.Provider, error) { return p, nil }}
}

func TestCheckRefusesBeforeAnyRead(t *testing.T) {
	ok := eip.Binding{Provider: "fake", Region: "cn-hangzhou", EIP: "eip-1", Target: "i-1"}
	with := func(f func(*eip.Binding)) []eip.Binding { b := ok; f(&b); return []eip.Binding{b} }
	for name, c := range map[string]struct {
		items []eip.Binding
		want  string
	}{
		"unknown region":            {with(func(b *eip.Binding) { b.Region = "cn-nowhere" }), "--region cn-nowhere"},
		"bad EIP ID":                {with(func(b *eip.Binding) { b.EIP = "eip_1" }), "--eip"},
		"bad target ID":             {with(func(b *eip.Binding) { b.Target = "i-1;rm" }), "--target"},
		"bad private IP":            {with(func(b *eip.Binding) { b.Target, b.TargetType, b.PrivateIP = "eni-1", eip.ENI, "10.0.0.256" }), "--private-ip"},
		"bad instance region":       {with(func(b *eip.Binding) { b.InstanceRegion = "hangzhou" }), "--instance-region hangzhou"},
		"control character":         {with(func(b *eip.Binding) { b.ClientToken = "a\x07" }), "--client-token"},
		"case variants are one EIP": {[]eip.Binding{ok, func() eip.Binding { b := ok; b.EIP = "EIP-1"; return b }()}, "item 2"},
		"line named":                {[]eip.Binding{ok, func() eip.Binding { b := ok; b.Region, b.Line = "x-1", 7; return b }()}, "item 2 (line 7)"},
	} {
		err := checkEngine(t).CheckAssociate(c.items)
		if !eip.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a usage error naming %q", name, err, c.want)
		}
	}
	two := []eip.Binding{ok, ok, ok}
	two[0].Region, two[0].Line = "nowhere-1", 3
	two[2].EIP, two[2].Line = "eip_3", 5
	two[1].Line = 4
	err := checkEngine(t).CheckAssociate(two)
	if lines := strings.Split(fmt.Sprint(err), "\n"); !eip.IsUsage(err) || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "item 1 (line 3): --region") || !strings.HasPrefix(lines[1], "item 3 (line 5): --eip") {
		t.Errorf("two bad items: %v, want one line for each, in order", err)
	}
	if err := checkEngine(t).CheckAwait([]eip.Expectation{{Provider: "fake", Region: "cn-hangzhou", EIP: "eip-1", For: eip.StateAssociated, Target: "i-1\x1b"}}); !eip.IsUsage(err) {
		t.Errorf("wait with a control character in --target: %v", err)
	}
	if err := checkEngine(t).CheckAssociate([]eip.Binding{ok}); err != nil {
		t.Errorf("a good binding refused: %v", err)
	}
	u := eip.Unbinding{Provider: "fake", Region: "cn-hangzhou", EIP: "eip-1"}
	bad := u
	bad.Region = "nowhere-1"
	if err := checkEngine(t).CheckDisassociate([]eip.Unbinding{u, bad}); !eip.IsUsage(err) || !strings.Contains(err.Error(), "nowhere-1") {
		t.Errorf("disassociate in an unknown region: %v", err)
	}
	e := checkEngine(t)
	e.AllowUnknownRegion = true
	if err := e.CheckDisassociate([]eip.Unbinding{bad}); err != nil {
		t.Errorf("an unknown region refused although allowed: %v", err)
	}
}
