package sim

// InventoryRegion is one region of `sim inventory`; its JSON is a public contract.
type InventoryRegion struct {
	Provider string            `json:"provider" yaml:"provider"`
	Region   string            `json:"region" yaml:"region"`
	EIPs     []InventoryEIP    `json:"eips" yaml:"eips"`
	Targets  []InventoryTarget `json:"targets" yaml:"targets"`
}

// InventoryEIP is one EIP of the inventory, with the cloud's own status word.
type InventoryEIP struct {
	ID       string `json:"id" yaml:"id"`
	IP       string `json:"ip" yaml:"ip"`
	Status   string `json:"status" yaml:"status"`
	TargetID string `json:"targetId" yaml:"targetId"`
}

// InventoryTarget is one target of the inventory.
type InventoryTarget struct {
	ID         string   `json:"id" yaml:"id"`
	Type       string   `json:"type" yaml:"type"`
	PrivateIPs []string `json:"privateIps" yaml:"privateIps"`
	Capacity   int      `json:"capacity" yaml:"capacity"` // most EIPs it holds at once
}

// Inventory lists what every cloud holds now.
func (s *Sim) Inventory() ([]InventoryRegion, error) {
	var out []InventoryRegion
	for _, p := range s.opts.Profiles {
		err := s.View(p.Provider, func(c *Cloud) {
			for _, r := range c.Regions {
				ir := InventoryRegion{Provider: p.Provider, Region: r.Name, EIPs: []InventoryEIP{}, Targets: []InventoryTarget{}}
				for _, e := range r.EIPs {
					ir.EIPs = append(ir.EIPs, InventoryEIP{e.ID, e.IP, p.Status(e), e.TargetID})
				}
				for _, t := range r.Targets {
					ips := append([]string{}, t.PrivateIPs...)
					ir.Targets = append(ir.Targets, InventoryTarget{t.ID, t.Type, ips, t.Capacity})
				}
				out = append(out, ir)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
