package cli

import (
	"slices"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/sim"
)

// inventoryFilter is what `sim inventory --provider/--region/--status`
// keep; an empty field keeps everything.
type inventoryFilter struct {
	provider, region, status string
}

// phaseStates names the emulator's phases with the unified statuses that
// `eip list --status` takes; a word no phase gives reads "other".
var phaseStates = map[sim.Phase]eip.State{
	sim.Available:     eip.StateAvailable,
	sim.Associating:   eip.StateAssociating,
	sim.Bound:         eip.StateAssociated,
	sim.Unassociating: eip.StateDisassociating,
}

// states maps each cloud's own status words to the unified statuses, as
// its emulator words each phase for each kind of target.
func (f *Factory) states() map[string]map[string]eip.State {
	out := map[string]map[string]eip.State{}
	for _, c := range f.Clouds() {
		words := map[string]eip.State{}
		for ph, st := range phaseStates {
			for _, tt := range append([]string{""}, stringsOf(eip.TargetTypes)...) {
				e := sim.EIP{Phase: ph, TargetType: tt}
				if ph != sim.Available {
					e.TargetID = "t"
				}
				if w := c.Profile.Status(&e); words[w] == "" {
					words[w] = st
				}
			}
		}
		out[c.Spec.Name] = words
	}
	return out
}

// check refuses a provider, region or status the inventory cannot hold,
// naming the nearest valid word.
func (o inventoryFilter) check(f *Factory, inv []sim.InventoryRegion) error {
	if o.provider != "" {
		if err := notOneOf("--provider", o.provider, f.cloudNames()); err != nil {
			return err
		}
	}
	if o.region != "" {
		var regions []string
		for _, r := range inv {
			if (o.provider == "" || r.Provider == o.provider) && !slices.Contains(regions, r.Region) {
				regions = append(regions, r.Region)
			}
		}
		if err := notOneOf("--region", o.region, regions); err != nil {
			return err
		}
	}
	if o.status != "" {
		return notOneOf("--status", o.status, stringsOf(listStates))
	}
	return nil
}

// apply keeps the regions and EIPs the filter asks for; --status leaves a
// region's targets out, as they have no status.
func (o inventoryFilter) apply(f *Factory, inv []sim.InventoryRegion) []sim.InventoryRegion {
	states := f.states()
	out := []sim.InventoryRegion{}
	for _, r := range inv {
		if o.provider != "" && r.Provider != o.provider || o.region != "" && r.Region != o.region {
			continue
		}
		if o.status != "" {
			eips := []sim.InventoryEIP{}
			for _, e := range r.EIPs {
				st, ok := states[r.Provider][e.Status]
				if !ok {
					st = eip.StateOther
				}
				if string(st) == o.status {
					eips = append(eips, e)
				}
			}
			r.EIPs, r.Targets = eips, []sim.InventoryTarget{}
		}
		out = append(out, r)
	}
	return out
}
