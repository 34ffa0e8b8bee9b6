package all_test

import (
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/all"
)

// Every region and ID the emulator seeds passes its cloud's syntax: the
// checks refuse bad input, never the IDs the cloud (as emulated) hands out.
func TestSeededIDsPassEachCloudsSyntax(t *testing.T) {
	var profiles []sim.Profile
	syntax := map[string]*eip.Syntax{}
	for _, c := range all.Clouds() {
		profiles = append(profiles, c.Profile)
		p, err := c.Spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:1", Credentials: eip.Credentials{ID: "id", Secret: "secret"}})
		if err != nil {
			t.Fatal(err)
		}
		syntax[c.Spec.Name] = p.Capabilities().Syntax
		if syntax[c.Spec.Name] == nil || len(syntax[c.Spec.Name].Regions) == 0 {
			t.Errorf("%s has no region list", c.Spec.Name)
		}
	}
	s, err := sim.New(sim.Options{Profiles: profiles})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := s.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range inv {
		sx := syntax[r.Provider]
		if err := sx.CheckRegion("--region", r.Region, false); err != nil {
			t.Errorf("%s seeds region %s, refused: %v", r.Provider, r.Region, err)
		}
		for _, e := range r.EIPs {
			for _, ref := range []string{e.ID, e.IP} {
				if err := sx.CheckEIP("--eip", ref); err != nil {
					t.Errorf("%s %s: seeded EIP %s refused: %v", r.Provider, r.Region, ref, err)
				}
				checked++
			}
		}
		for _, tg := range r.Targets {
			if err := sx.CheckTarget("--target", eip.TargetType(tg.Type), tg.ID); err != nil {
				t.Errorf("%s %s: seeded %s %s refused: %v", r.Provider, r.Region, tg.Type, tg.ID, err)
			}
			for _, ip := range tg.PrivateIPs {
				if tg.Type == "eni" {
					if err := sx.CheckPrivateIP("--private-ip", eip.ENI, ip); err != nil {
						t.Errorf("%s: private IP %s of %s refused: %v", r.Provider, ip, tg.ID, err)
					}
				}
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d IDs checked: the inventory looks empty", checked)
	}
}
