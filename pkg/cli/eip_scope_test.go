package cli

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/providers/all"
)

// fakeCloud is a registered cloud whose adapter answers from a fixed
// inventory per region; a region listed in broken fails every read.
type fakeCloud struct {
	name   string
	eips   map[string][]eip.Address
	broken map[string]*eip.Error
	reads  atomic.Int64
}

func (c *fakeCloud) cloud() all.Cloud {
	up := "FAKE_" + c.name
	p := &eiptest.Provider{
		Caps: eip.Capabilities{DescribeBatch: 2},
		ListFunc: func(_ context.Context, region string) ([]eip.Address, error) {
			c.reads.Add(1)
			if err := c.broken[region]; err != nil {
				return nil, err
			}
			return c.eips[region], nil
		},
		DescribeFunc: func(_ context.Context, region string, ids []string) ([]eip.Address, error) {
			c.reads.Add(1)
			if len(ids) > 2 {
				panic("Describe given more than DescribeBatch IDs")
			}
			if err := c.broken[region]; err != nil {
				return nil, err
			}
			var out []eip.Address
			for _, a := range c.eips[region] {
				for _, id := range ids {
					if a.ID == id {
						out = append(out, a)
					}
				}
			}
			return out, nil
		},
	}
	return all.Cloud{Spec: eip.Spec{
		Name: c.name,
		New:  func(eip.ProviderConfig) (eip.Provider, error) { return p, nil },
		Env:  eip.CredentialEnv{ID: []string{up + "_ID"}, Secret: []string{up + "_SECRET"}},
	}}
}

// runClouds runs a command line against fake clouds only.
func runClouds(t *testing.T, clouds []*fakeCloud, args ...string) (int, string, string) {
	t.Helper()
	streams, out, errb := output.Test()
	f := &Factory{Streams: streams, Version: "test", Clouds: func() []all.Cloud {
		var cs []all.Cloud
		for _, c := range clouds {
			cs = append(cs, c.cloud())
		}
		return cs
	}}
	defer f.Close()
	code := Run(context.Background(), f, args)
	return code, out.String(), errb.String()
}

func addr(id, ip string, st eip.State, target string) eip.Address {
	a := eip.Address{ID: id, IP: ip, State: st, NativeStatus: string(st)}
	if target != "" {
		a.TargetID, a.TargetType = target, eip.Instance
	}
	return a
}

type eipsDoc struct {
	EIPs []map[string]string `json:"eips"`
}

func decodeEIPs(t *testing.T, stdout string) eipsDoc {
	t.Helper()
	return eiptest.DecodeJSON[eipsDoc](t, stdout, "the eips document")
}

// Two clouds, each with credentials, one region each: the same address in
// both (possible across accounts) cannot be resolved without narrowing.
func twoClouds(t *testing.T) (a, b *fakeCloud) {
	isolate(t)
	a = &fakeCloud{name: "one", eips: map[string][]eip.Address{"r1": {
		addr("eip-a1", "198.51.100.1", eip.StateAvailable, ""),
		addr("eip-a2", "198.51.100.2", eip.StateAssociated, "i-1"),
		addr("eip-a3", "198.51.100.3", eip.StateAssociated, "i-2"),
	}}}
	b = &fakeCloud{name: "two", eips: map[string][]eip.Address{"r1": {
		addr("eip-b1", "198.51.100.1", eip.StateAssociated, "i-1"),
	}}}
	for _, n := range []string{"one", "two"} {
		t.Setenv("FAKE_"+n+"_ID", "id")
		t.Setenv("FAKE_"+n+"_SECRET", "secret")
	}
	return a, b
}
