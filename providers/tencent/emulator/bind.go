package emulator

import (
	"net"
	"slices"
	"strconv"

	"github.com/eipctl/eipctl/pkg/sim"
)

// maxNATAddresses is the documented number of EIPs per NAT gateway; one call
// can never carry more.
const maxNATAddresses = 10

// change is what one of the six bind and unbind actions asks for, once its
// parameters are read: which EIPs, to or from what, and the checks against
// the current state that its documented error codes describe. Every action
// then runs the same way (mutate): check, bind or unbind each EIP, track the
// task, answer with it.
type change struct {
	bind bool
	opts sim.BindOptions
	// resolve finds the EIPs and the target in the region, or refuses the
	// whole request in the action's own words. Nothing may change before it
	// returns, so a refused request leaves no trace.
	resolve func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError)
	// vpcTask: the task is read with DescribeVpcTaskResult by RequestId (the
	// NAT and HaVip calls), not with DescribeTaskResult by TaskId.
	vpcTask bool
}

// mutation turns an action's parameter reader into its handler.
func mutation(read func(c *call) (*change, *apiError)) handler {
	return func(f *front, c *call) (map[string]any, *apiError) {
		ch, aerr := read(c)
		if aerr != nil {
			return nil, aerr
		}
		return f.mutate(c, ch)
	}
}

func (f *front) mutate(c *call, ch *change) (map[string]any, *apiError) {
	t := &task{}
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		settleCreating(cl, c.region)
		r, _ := cl.Region(c.region)
		eips, target, aerr := ch.resolve(cl, r)
		if aerr != nil {
			return aerr
		}
		for _, e := range eips {
			if aerr := inLifecycle(e); aerr != nil {
				return aerr
			}
		}
		for _, e := range eips {
			var err error
			if ch.bind {
				err = cl.Bind(c.region, e.ID, target.ID, ch.opts)
				if err == nil && c.failBinding {
					cl.FailBinding(c.region, e.ID)
				}
			} else {
				err = cl.Unbind(c.region, e.ID)
			}
			if err != nil {
				return fromCore(err, target)
			}
			t.track(e, cl.Now())
		}
		t.fail = ch.bind && c.failBinding
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	if ch.vpcTask {
		f.addVpcTask(c.requestID, t)
		return map[string]any{}, nil
	}
	// TaskId is a string here and a number in DescribeTaskResult, as the SDK expects.
	return map[string]any{"TaskId": strconv.FormatUint(f.addTask(t), 10)}, nil
}

func missing(name string) *apiError {
	return errorf(codeMissingParameter, "The request is missing the required parameter %s.", name)
}

func malformedAddress(id string) *apiError {
	return errorf(codeAddressMalformed, "The AddressId %q is malformed: it looks like eip-xxxxxxxx.", id)
}

func mutexRunning(e *sim.EIP) *apiError {
	return errorf(codeVPCMutexTask, "A mutually exclusive task is running on %s (%s): wait for it to finish.", e.ID, e.IP)
}

// addressID reads the AddressId that AssociateAddress and
// DisassociateAddress take.
func addressID(c *call) (string, *apiError) {
	id, _ := c.params.str("AddressId")
	switch {
	case id == "":
		return "", missing("AddressId")
	case !wellFormed(id, "eip-"):
		return "", malformedAddress(id)
	}
	return id, nil
}

func readAssociateAddress(c *call) (*change, *apiError) {
	instanceID, _ := c.params.str("InstanceId")
	eniID, _ := c.params.str("NetworkInterfaceId")
	privateIP, _ := c.params.str("PrivateIpAddress")
	direct, err := c.params.bool("EipDirectConnection")
	if err != nil {
		return nil, err
	}
	eipID, err := addressID(c)
	switch {
	case err != nil:
		return nil, err
	case instanceID != "" && eniID != "":
		return nil, errorf(codeParamConflict, "InstanceId and NetworkInterfaceId cannot be specified together: an EIP binds to an instance or to a private IP of an ENI.")
	case instanceID == "" && eniID == "":
		return nil, errorf(codeMissingParameter, "The request is missing InstanceId or NetworkInterfaceId.")
	case eniID != "" && privateIP == "":
		return nil, errorf(codeMissingParameter, "PrivateIpAddress is required with NetworkInterfaceId.")
	case instanceID != "" && privateIP != "":
		return nil, errorf(codeParamConflict, "PrivateIpAddress is only accepted with NetworkInterfaceId.")
	}
	targetID, wantTypes := instanceID, []string{"instance", "lb"}
	if eniID != "" {
		targetID, wantTypes = eniID, []string{"eni"}
	}
	opts := sim.BindOptions{PrivateIP: privateIP}
	if direct {
		opts.Mode = modeDirect
	}
	return &change{bind: true, opts: opts, resolve: func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError) {
		t, ok := r.Target(targetID)
		if ok && !slices.Contains(wantTypes, t.Type) {
			return nil, nil, errorf(codeNotApplicable, "An EIP cannot be bound to %s with AssociateAddress: use AssociateNatGatewayAddress for NAT gateways and HaVipAssociateAddressIp for HAVIPs.", targetID)
		}
		if direct && ok && t.Type != "instance" {
			return nil, nil, errorf(codeCombination, "EipDirectConnection=true is only allowed when binding to a CVM instance.")
		}
		e, found := r.EIP(eipID)
		switch {
		case !found:
			return nil, nil, errorf(codeAddressNotFound, "The specified AddressId %s is not found.", eipID)
		case !ok && eniID != "":
			return nil, nil, errorf(codeENINotFound, "The specified NetworkInterfaceId %s is not found.", eniID)
		case !ok:
			return nil, nil, errorf(codeInstanceNotFound, "The specified instance %s is not found.", instanceID)
		}
		if _, _, err := cl.CheckBind(r.Name, eipID, targetID, opts); err != nil {
			return nil, nil, fromCore(err, t)
		}
		return []*sim.EIP{e}, t, nil
	}}, nil
}

func readDisassociateAddress(c *call) (*change, *apiError) {
	if _, err := c.params.bool("ReallocateNormalPublicIp"); err != nil {
		return nil, err
	}
	eipID, err := addressID(c)
	if err != nil {
		return nil, err
	}
	return &change{resolve: func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError) {
		e, err := cl.CheckUnbind(r.Name, eipID)
		if err != nil {
			return nil, nil, fromCore(err, nil)
		}
		switch e.TargetType {
		case "nat":
			return nil, nil, errorf(codeWrongResourceType, "The address %s is bound to a NAT gateway: use DisassociateNatGatewayAddress.", eipID)
		case "havip":
			return nil, nil, errorf(codeWrongResourceType, "The address %s is bound to a HAVIP: use HaVipDisassociateAddressIp.", eipID)
		}
		return []*sim.EIP{e}, nil, nil
	}}, nil
}

// readNATAddresses reads the NatGatewayId and PublicIpAddresses both NAT calls take.
func readNATAddresses(c *call) (string, []string, *apiError) {
	natID, _ := c.params.str("NatGatewayId")
	ips, err := c.params.strs("PublicIpAddresses")
	if err != nil {
		return "", nil, err
	}
	if natID == "" {
		return "", nil, missing("NatGatewayId")
	}
	if d := duplicate(ips); d != "" {
		return "", nil, errorf(codeDuplicate, "The address %s appears more than once in PublicIpAddresses.", d)
	}
	return natID, ips, nil
}

// targetOf finds the NAT gateway or HaVip a NAT or HaVip call names; an ID
// of any other kind is not found, as nothing else answers to these calls.
func targetOf(r *sim.Region, id, typ, name string) (*sim.Target, *apiError) {
	if t, ok := r.Target(id); ok && t.Type == typ {
		return t, nil
	}
	return nil, errorf(codeResourceNotFound, "The %s %s is not found.", name, id)
}

// freeByIP finds the unbound EIP at ip for a bind by address (the NAT and
// HaVip calls): none there, or one already bound, is refused with the
// call's own code; one in transition is a mutually exclusive task.
func freeByIP(r *sim.Region, ip, notFound, bound string) (*sim.EIP, *apiError) {
	e, ok := r.EIPByIP(ip)
	switch {
	case !ok:
		return nil, errorf(notFound, "The address %s does not exist.", ip)
	case e.Phase == sim.Associating || e.Phase == sim.Unassociating:
		return nil, mutexRunning(e)
	case e.Phase == sim.Bound:
		return nil, errorf(bound, "The address %s (%s) is already bound: only an unbound EIP can be bound.", e.ID, ip)
	}
	return e, nil
}

func readAssociateNAT(c *call) (*change, *apiError) {
	natID, ips, aerr := readNATAddresses(c)
	if aerr != nil {
		return nil, aerr
	}
	switch {
	case len(ips) == 0:
		if _, ok := c.params["AddressCount"]; ok {
			return nil, errorf(codeUnsupportedOp, "The emulator does not allocate new addresses: pass PublicIpAddresses instead of AddressCount.")
		}
		return nil, errorf(codeMissingParameter, "The request is missing PublicIpAddresses (or AddressCount).")
	case len(ips) > maxNATAddresses:
		return nil, errorf(codeNATQuota, "A NAT gateway holds at most %d EIPs; this request carries %d.", maxNATAddresses, len(ips))
	}
	return &change{bind: true, vpcTask: true, resolve: func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError) {
		nat, aerr := targetOf(r, natID, "nat", "NAT gateway")
		if aerr != nil {
			return nil, nil, aerr
		}
		if r.Holding(natID)+len(ips) > nat.Capacity {
			return nil, nil, errorf(codeNATQuota, "The NAT gateway %s holds at most %d EIPs: it cannot take %d more.", natID, nat.Capacity, len(ips))
		}
		var eips []*sim.EIP
		for _, ip := range ips {
			e, aerr := freeByIP(r, ip, codeIPNotExisted, codeResourceInUse)
			if aerr != nil {
				return nil, nil, aerr
			}
			eips = append(eips, e)
		}
		return eips, nat, nil
	}}, nil
}

func readDisassociateNAT(c *call) (*change, *apiError) {
	natID, ips, aerr := readNATAddresses(c)
	if aerr != nil {
		return nil, aerr
	}
	if len(ips) == 0 {
		return nil, missing("PublicIpAddresses")
	}
	return &change{vpcTask: true, resolve: func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError) {
		nat, aerr := targetOf(r, natID, "nat", "NAT gateway")
		if aerr != nil {
			return nil, nil, aerr
		}
		var eips []*sim.EIP
		for _, ip := range ips {
			e, ok := r.EIPByIP(ip)
			switch {
			case !ok:
				return nil, nil, errorf(codeIPNotExisted, "The public IP %s does not exist.", ip)
			case e.TargetID != natID:
				// Not documented; PublicIpAddressDisassociate, used here before,
				// means the gateway's last EIP ("Nat网关至少存在一个弹性IP").
				return nil, nil, errorf(codeResourceNotFound, "The public IP %s is not bound to %s.", ip, natID)
			case e.Phase != sim.Bound:
				return nil, nil, mutexRunning(e)
			}
			eips = append(eips, e)
		}
		return eips, nat, nil
	}}, nil
}

func readHaVipAssociate(c *call) (*change, *apiError) {
	haVipID, _ := c.params.str("HaVipId")
	ip, _ := c.params.str("AddressIp")
	switch {
	case haVipID == "":
		return nil, missing("HaVipId")
	case ip == "":
		return nil, missing("AddressIp")
	case net.ParseIP(ip) == nil:
		return nil, errorf("InvalidParameterValue.Malformed", "The AddressIp %q is not an IP address.", ip)
	}
	return &change{bind: true, vpcTask: true, resolve: func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError) {
		hv, aerr := targetOf(r, haVipID, "havip", "HAVIP")
		if aerr != nil {
			return nil, nil, aerr
		}
		e, aerr := freeByIP(r, ip, codeResourceNotFound, codeHaVipBindEIP)
		switch {
		case aerr != nil:
			return nil, nil, aerr
		case r.Holding(haVipID) >= hv.Capacity:
			return nil, nil, errorf(codeHaVipBindEIP, "The HAVIP %s is already bound to an EIP.", haVipID)
		}
		return []*sim.EIP{e}, hv, nil
	}}, nil
}

func readHaVipDisassociate(c *call) (*change, *apiError) {
	haVipID, _ := c.params.str("HaVipId")
	if haVipID == "" {
		return nil, missing("HaVipId")
	}
	return &change{vpcTask: true, resolve: func(cl *sim.Cloud, r *sim.Region) ([]*sim.EIP, *sim.Target, *apiError) {
		hv, aerr := targetOf(r, haVipID, "havip", "HAVIP")
		if aerr != nil {
			return nil, nil, aerr
		}
		var held *sim.EIP
		for _, e := range r.EIPs {
			if e.TargetID == haVipID {
				held = e
			}
		}
		switch {
		case held == nil:
			return nil, nil, errorf(codeHaVipUnbindEIP, "The HAVIP %s is not bound to an EIP.", haVipID)
		case held.Phase != sim.Bound:
			return nil, nil, mutexRunning(held)
		}
		return []*sim.EIP{held}, hv, nil
	}}, nil
}

func duplicate(xs []string) string {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			return x
		}
		seen[x] = true
	}
	return ""
}

// update runs fn on the Tencent cloud's state, keeping fn's refusal typed.
func (f *front) update(fn func(cl *sim.Cloud) *apiError) *apiError {
	var refused *apiError
	err := f.s.Update(provider, func(cl *sim.Cloud) error {
		if refused = fn(cl); refused != nil {
			return refused
		}
		return nil
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return errorf(codeInternalError, "An internal error has occurred: %v", err)
	}
	return nil
}
