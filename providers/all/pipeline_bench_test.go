package all_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/engine"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// BenchmarkThreeClouds300 binds 100 EIPs on each cloud's NAT gateways of one
// region, through the emulators on the wall clock (bind delay 2s, 20ms per
// request), the three clouds in one run ("together") and one cloud after
// another ("sequential"), and the same 300 bound elsewhere first and moved
// with Force to a second gateway ("force-move"). With lanes, together takes about as long as the
// slowest cloud alone, not the sum.
func BenchmarkThreeClouds300(b *testing.B) {
	for _, mode := range []string{"together", "sequential", "force-move"} {
		b.Run(mode, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runs := setup(b, 100)
				var items []eip.Binding
				for _, r := range runs {
					items = append(items, r.items...)
				}
				if mode == "force-move" {
					associate(b, runs, items, eip.StatusAssociated) // all bound elsewhere first
					for i := range items {
						items[i].Target, items[i].Force = runs[items[i].Provider].other, true
					}
				}
				b.StartTimer()
				began := time.Now()
				switch mode {
				case "together":
					associate(b, runs, items, eip.StatusAssociated)
				case "force-move":
					associate(b, runs, items, eip.StatusMoved)
				default:
					for _, r := range runs {
						associate(b, runs, r.items, eip.StatusAssociated)
					}
				}
				b.ReportMetric(time.Since(began).Seconds(), "wall-s")
			}
		})
	}
}

type cloudRun struct {
	prov  eip.Provider
	items []eip.Binding
	other string // a second free NAT gateway, for the move
}

func associate(b *testing.B, runs map[string]*cloudRun, items []eip.Binding, want eip.Status) {
	eng := &engine.Engine{Lookup: func(name string) (eip.Provider, error) { return runs[name].prov, nil }, Wait: true, Timeout: 5 * time.Minute}
	rep, err := eng.Associate(context.Background(), items)
	if err != nil {
		b.Fatal(err)
	}
	eiptest.WantRows(b, rep, want)
}

func setup(b *testing.B, n int) map[string]*cloudRun {
	runs := map[string]*cloudRun{}
	for _, c := range all.Clouds() {
		prof := c.Profile
		prof.Capacity = map[string]int{"nat": n + 2}
		for k, v := range c.Profile.Capacity {
			if k != "nat" {
				prof.Capacity[k] = v
			}
		}
		s, err := sim.New(sim.Options{BindDelay: 2 * time.Second, Latency: 20 * time.Millisecond, Profiles: []sim.Profile{prof}, SeedEIPs: n + 2})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(sim.Handler(c.NewFront(s)))
		b.Cleanup(srv.Close)
		p, err := c.Spec.New(eip.ProviderConfig{Endpoint: srv.URL, Timeout: 10 * time.Second,
			Credentials: eip.Credentials{ID: prof.Credentials.ID, Secret: prof.Credentials.Secret}})
		if err != nil {
			b.Fatal(err)
		}
		r := &cloudRun{prov: p}
		var region string
		_ = s.View(prof.Provider, func(cl *sim.Cloud) {
			for _, reg := range cl.Regions {
				if region != "" {
					return
				}
				region = reg.Name
				var nat string
				for _, t := range reg.Targets {
					switch {
					case t.Type != "nat":
					case nat == "" && reg.Holding(t.ID) == 0:
						nat = t.ID
					case r.other == "" && reg.Holding(t.ID) <= 2: // some clouds seed a bound EIP on a gateway
						r.other = t.ID
					}
				}
				for _, x := range reg.EIPs {
					if x.Phase == sim.Available && len(r.items) < n {
						r.items = append(r.items, eip.Binding{Provider: c.Spec.Name, Region: reg.Name, EIP: x.ID, Target: nat, TargetType: eip.NAT})
					}
				}
			}
		})
		runs[c.Spec.Name] = r
	}
	return runs
}
