package emulator

import (
	"encoding/json"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// maxLimit is DescribeAddresses' documented page size ceiling.
const maxLimit = 100

// maxNATAddresses is the documented number of EIPs per NAT gateway; one call
// can never carry more.
const maxNATAddresses = 10

// address is one entry of DescribeAddresses' AddressSet, in the cloud's field
// order. Unbound fields are null, as the cloud sends them.
type address struct {
	AddressId               string     `json:"AddressId"`
	AddressName             *string    `json:"AddressName"`
	AddressStatus           string     `json:"AddressStatus"`
	AddressIp               string     `json:"AddressIp"`
	InstanceId              *string    `json:"InstanceId"`
	CreatedTime             string     `json:"CreatedTime"`
	NetworkInterfaceId      *string    `json:"NetworkInterfaceId"`
	PrivateAddressIp        *string    `json:"PrivateAddressIp"`
	IsArrears               bool       `json:"IsArrears"`
	IsBlocked               bool       `json:"IsBlocked"`
	IsEipDirectConnection   bool       `json:"IsEipDirectConnection"`
	AddressType             string     `json:"AddressType"`
	CascadeRelease          bool       `json:"CascadeRelease"`
	EipAlgType              algType    `json:"EipAlgType"`
	InternetServiceProvider string     `json:"InternetServiceProvider"`
	LocalBgp                bool       `json:"LocalBgp"`
	Bandwidth               uint64     `json:"Bandwidth"`
	InternetChargeType      string     `json:"InternetChargeType"`
	TagSet                  []struct{} `json:"TagSet"`
	InstanceType            *string    `json:"InstanceType"`
}

type algType struct {
	Ftp bool `json:"Ftp"`
	Sip bool `json:"Sip"`
}

// instanceTypes is the InstanceType word per target type.
var instanceTypes = map[string]string{
	"instance": "CVM",
	"eni":      "ENI",
	"nat":      "NAT",
	"lb":       "CLB",
	"havip":    "HAVIP",
}

// modeDirect marks a binding made with EipDirectConnection=true.
const modeDirect = "direct"

func toAddress(e *sim.EIP) address {
	a := address{
		AddressId:               e.ID,
		AddressStatus:           status(e),
		AddressIp:               e.IP,
		CreatedTime:             "2024-01-01T00:00:00Z",
		IsEipDirectConnection:   e.Mode == modeDirect,
		AddressType:             "EIP",
		InternetServiceProvider: "BGP",
		Bandwidth:               100,
		InternetChargeType:      "TRAFFIC_POSTPAID_BY_HOUR",
		TagSet:                  []struct{}{},
	}
	if e.TargetID == "" {
		return a
	}
	id, it := e.TargetID, instanceTypes[e.TargetType]
	a.InstanceType = &it
	if e.TargetType == "eni" {
		a.NetworkInterfaceId = &id
	} else {
		a.InstanceId = &id
	}
	if e.PrivateIP != "" {
		ip := e.PrivateIP
		a.PrivateAddressIp = &ip
	}
	return a
}

// filterFields gives each supported DescribeAddresses filter the EIP field it
// matches.
var filterFields = map[string]func(e *sim.EIP) string{
	"address-id":     func(e *sim.EIP) string { return e.ID },
	"address-ip":     func(e *sim.EIP) string { return e.IP },
	"address-status": status,
	"instance-id": func(e *sim.EIP) string {
		if e.TargetType == "eni" {
			return ""
		}
		return e.TargetID
	},
	"network-interface-id": func(e *sim.EIP) string {
		if e.TargetType == "eni" {
			return e.TargetID
		}
		return ""
	},
	"private-ip-address": func(e *sim.EIP) string { return e.PrivateIP },
	"address-name":       func(*sim.EIP) string { return "" },
	"address-type":       func(*sim.EIP) string { return "EIP" },
	"address-isp":        func(*sim.EIP) string { return "BGP" },
	"is-arrears":         func(*sim.EIP) string { return "FALSE" },
}

func (f *front) describeAddresses(c *call) (map[string]any, *apiError) {
	ids, err := c.params.strs("AddressIds")
	if err != nil {
		return nil, err
	}
	filters, err := c.params.filters()
	if err != nil {
		return nil, err
	}
	offset, err := c.params.int("Offset", 0)
	if err != nil {
		return nil, err
	}
	limit, err := c.params.int("Limit", 20)
	if err != nil {
		return nil, err
	}
	if limit < 0 || limit > maxLimit {
		return nil, errorf(codeLimitValue, "The parameter Limit=%d is out of range: use 0 to %d.", limit, maxLimit)
	}
	if offset < 0 {
		return nil, errorf(codeInvalidValue, "The parameter Offset=%d must not be negative.", offset)
	}
	if len(filters) > 10 {
		return nil, errorf(codeFilters, "At most 10 Filters are allowed, got %d.", len(filters))
	}
	for _, fl := range filters {
		if _, ok := filterFields[fl.name]; !ok {
			return nil, errorf(codeInvalidFilter, "The filter %q is not supported.", fl.name)
		}
		if fl.name == "address-id" && len(ids) > 0 {
			return nil, errorf(codeParamConflict, "AddressIds and the address-id filter cannot be given together.")
		}
	}
	for _, id := range ids {
		if !wellFormed(id, "eip-") {
			return nil, errorf(codeAddressMalformed, "The AddressId %q is malformed: it looks like eip-xxxxxxxx.", id)
		}
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	matches := []address{}
	_ = f.s.View(provider, func(cl *sim.Cloud) {
		r, _ := cl.Region(c.region)
		for _, e := range r.EIPs {
			if len(ids) > 0 && !want[e.ID] {
				continue
			}
			if !matchAll(filters, e) {
				continue
			}
			matches = append(matches, toAddress(e))
		}
	})
	total := len(matches)
	page := []address{}
	if int(offset) < total {
		end := min(total, int(offset+limit))
		page = matches[int(offset):end]
	}
	return map[string]any{"TotalCount": total, "AddressSet": page}, nil
}

func matchAll(filters []filter, e *sim.EIP) bool {
	for _, fl := range filters {
		v := filterFields[fl.name](e)
		ok := false
		for _, w := range fl.values {
			if v == w || (strings.EqualFold(v, w) && (w == "TRUE" || w == "FALSE")) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// wellFormed tells whether id is prefix followed by lower-case letters and digits.
func wellFormed(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || rest == "" {
		return false
	}
	for _, ch := range rest {
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9') {
			return false
		}
	}
	return true
}

func (f *front) associateAddress(c *call) (map[string]any, *apiError) {
	eipID, _ := c.params.str("AddressId")
	instanceID, _ := c.params.str("InstanceId")
	eniID, _ := c.params.str("NetworkInterfaceId")
	privateIP, _ := c.params.str("PrivateIpAddress")
	direct, err := c.params.bool("EipDirectConnection")
	if err != nil {
		return nil, err
	}
	switch {
	case eipID == "":
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter AddressId.")
	case !wellFormed(eipID, "eip-"):
		return nil, errorf(codeAddressMalformed, "The AddressId %q is malformed: it looks like eip-xxxxxxxx.", eipID)
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

	var taskID uint64
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		t, ok := r.Target(targetID)
		if ok && !contains(wantTypes, t.Type) {
			return errorf(codeNotApplicable, "An EIP cannot be bound to %s with AssociateAddress: use AssociateNatGatewayAddress for NAT gateways and HaVipAssociateAddressIp for HAVIPs.", targetID)
		}
		if direct && ok && t.Type != "instance" {
			return errorf(codeCombination, "EipDirectConnection=true is only allowed when binding to a CVM instance.")
		}
		if _, ok := r.EIP(eipID); !ok {
			return errorf(codeAddressNotFound, "The specified AddressId %s is not found.", eipID)
		}
		if !ok {
			if eniID != "" {
				return errorf(codeENINotFound, "The specified NetworkInterfaceId %s is not found.", eniID)
			}
			return errorf(codeInstanceNotFound, "The specified instance %s is not found.", instanceID)
		}
		opts := sim.BindOptions{PrivateIP: privateIP}
		if direct {
			opts.Mode = modeDirect
		}
		e, _, err := cl.CheckBind(c.region, eipID, targetID, opts)
		if err != nil {
			return fromCore(err, t)
		}
		if eniID != "" && privateIPTaken(r, eniID, privateIP) {
			return errorf(codePrivateIPHasEIP, "The private IP %s of %s is already bound to an EIP.", privateIP, eniID)
		}
		e.FailBinding = c.failBinding()
		if err := cl.Bind(c.region, eipID, targetID, opts); err != nil {
			return fromCore(err, t)
		}
		taskID = f.addTask(&task{eips: []string{eipID}, until: untilOf(e, cl.Now()), fail: c.failBinding()})
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	// TaskId is a string here and a number in DescribeTaskResult, as the SDK expects.
	return map[string]any{"TaskId": strconv.FormatUint(taskID, 10)}, nil
}

func privateIPTaken(r *sim.Region, eniID, ip string) bool {
	for _, e := range r.EIPs {
		if e.TargetID == eniID && e.PrivateIP == ip && (e.Phase == sim.Associating || e.Phase == sim.Bound) {
			return true
		}
	}
	return false
}

// untilOf is when an EIP's current transition ends (now if it already has).
func untilOf(e *sim.EIP, now time.Time) time.Time {
	if e.Until.IsZero() {
		return now
	}
	return e.Until
}

func (f *front) disassociateAddress(c *call) (map[string]any, *apiError) {
	eipID, _ := c.params.str("AddressId")
	if _, err := c.params.bool("ReallocateNormalPublicIp"); err != nil {
		return nil, err
	}
	switch {
	case eipID == "":
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter AddressId.")
	case !wellFormed(eipID, "eip-"):
		return nil, errorf(codeAddressMalformed, "The AddressId %q is malformed: it looks like eip-xxxxxxxx.", eipID)
	}
	var taskID uint64
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		e, err := cl.CheckUnbind(c.region, eipID)
		if err != nil {
			return fromCore(err, nil)
		}
		switch e.TargetType {
		case "nat":
			return errorf(codeWrongResourceType, "The address %s is bound to a NAT gateway: use DisassociateNatGatewayAddress.", eipID)
		case "havip":
			return errorf(codeWrongResourceType, "The address %s is bound to a HAVIP: use HaVipDisassociateAddressIp.", eipID)
		}
		if err := cl.Unbind(c.region, eipID); err != nil {
			return fromCore(err, nil)
		}
		taskID = f.addTask(&task{eips: []string{eipID}, until: untilOf(e, cl.Now())})
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	return map[string]any{"TaskId": strconv.FormatUint(taskID, 10)}, nil
}

func (f *front) describeTaskResult(c *call) (map[string]any, *apiError) {
	id, present, err := c.params.uint("TaskId")
	if err != nil {
		return nil, err
	}
	if !present {
		if _, ok := c.params.str("DealName"); ok {
			return nil, errorf(codeInvalidParameter, "The emulator tracks tasks by TaskId only; DealName is not supported.")
		}
		return nil, errorf(codeMissingParameter, "The request is missing TaskId (or DealName).")
	}
	f.mu.Lock()
	t, ok := f.tasks[id]
	f.mu.Unlock()
	if !ok {
		return nil, errorf(codeInvalidParameter, "The task %d does not exist.", id)
	}
	return map[string]any{"TaskId": id, "Result": t.result(f.s.Clock().Now())}, nil
}

func (f *front) describeVpcTaskResult(c *call) (map[string]any, *apiError) {
	id, _ := c.params.str("TaskId")
	if id == "" {
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter TaskId.")
	}
	f.mu.Lock()
	t, ok := f.vpcTasks[id]
	f.mu.Unlock()
	if !ok {
		return nil, errorf(codeResourceNotFound, "The task %s does not exist: TaskId is the RequestId of the asynchronous call.", id)
	}
	st := t.result(f.s.Clock().Now())
	details := []map[string]string{}
	for _, e := range t.eips {
		details = append(details, map[string]string{"ResourceId": e, "Status": st})
	}
	return map[string]any{"Status": st, "Output": "", "Result": details}, nil
}

func (f *front) associateNatGatewayAddress(c *call) (map[string]any, *apiError) {
	natID, _ := c.params.str("NatGatewayId")
	ips, err := c.params.strs("PublicIpAddresses")
	if err != nil {
		return nil, err
	}
	switch {
	case natID == "":
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter NatGatewayId.")
	case len(ips) == 0:
		if _, ok := c.params["AddressCount"]; ok {
			return nil, errorf(codeUnsupportedOp, "The emulator does not allocate new addresses: pass PublicIpAddresses instead of AddressCount.")
		}
		return nil, errorf(codeMissingParameter, "The request is missing PublicIpAddresses (or AddressCount).")
	case len(ips) > maxNATAddresses:
		return nil, errorf(codeNATQuota, "A NAT gateway holds at most %d EIPs; this request carries %d.", maxNATAddresses, len(ips))
	}
	if d := duplicate(ips); d != "" {
		return nil, errorf(codeDuplicate, "The address %s appears more than once in PublicIpAddresses.", d)
	}
	t := &task{}
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		nat, ok := r.Target(natID)
		if !ok || nat.Type != "nat" {
			return errorf(codeResourceNotFound, "The NAT gateway %s is not found.", natID)
		}
		if r.Holding(natID)+len(ips) > nat.Capacity {
			return errorf(codeNATQuota, "The NAT gateway %s cannot hold %d more EIPs.", natID, len(ips))
		}
		var eips []*sim.EIP
		for _, ip := range ips {
			e, ok := r.EIPByIP(ip)
			if !ok {
				return errorf(codeIPNotExisted, "The public IP %s does not exist.", ip)
			}
			switch e.Phase {
			case sim.Associating, sim.Unassociating:
				return errorf(codeVPCMutexTask, "A mutually exclusive task is running on %s (%s): wait for it to finish.", e.ID, ip)
			case sim.Bound:
				return errorf(codeResourceInUse, "The address %s (%s) is already bound.", e.ID, ip)
			}
			eips = append(eips, e)
		}
		// Everything was checked above, so every Bind below succeeds.
		for _, e := range eips {
			e.FailBinding = c.failBinding()
			if err := cl.Bind(c.region, e.ID, natID, sim.BindOptions{}); err != nil {
				return fromCore(err, nat)
			}
			t.track(e, cl.Now())
		}
		t.fail = c.failBinding()
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	f.addVpcTask(c.requestID, t)
	return map[string]any{}, nil
}

func (f *front) disassociateNatGatewayAddress(c *call) (map[string]any, *apiError) {
	natID, _ := c.params.str("NatGatewayId")
	ips, err := c.params.strs("PublicIpAddresses")
	if err != nil {
		return nil, err
	}
	switch {
	case natID == "":
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter NatGatewayId.")
	case len(ips) == 0:
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter PublicIpAddresses.")
	}
	if d := duplicate(ips); d != "" {
		return nil, errorf(codeDuplicate, "The address %s appears more than once in PublicIpAddresses.", d)
	}
	t := &task{}
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		if nat, ok := r.Target(natID); !ok || nat.Type != "nat" {
			return errorf(codeResourceNotFound, "The NAT gateway %s is not found.", natID)
		}
		var eips []*sim.EIP
		for _, ip := range ips {
			e, ok := r.EIPByIP(ip)
			switch {
			case !ok:
				return errorf(codeIPNotExisted, "The public IP %s does not exist.", ip)
			case e.TargetID != natID:
				return errorf(codeIPNotOnNAT, "The public IP %s is not bound to %s.", ip, natID)
			case e.Phase != sim.Bound:
				return errorf(codeVPCMutexTask, "A mutually exclusive task is running on %s (%s): wait for it to finish.", e.ID, ip)
			}
			eips = append(eips, e)
		}
		for _, e := range eips {
			if err := cl.Unbind(c.region, e.ID); err != nil {
				return fromCore(err, nil)
			}
			t.track(e, cl.Now())
		}
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	f.addVpcTask(c.requestID, t)
	return map[string]any{}, nil
}

func (f *front) haVipAssociateAddressIp(c *call) (map[string]any, *apiError) {
	haVipID, _ := c.params.str("HaVipId")
	ip, _ := c.params.str("AddressIp")
	switch {
	case haVipID == "":
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter HaVipId.")
	case ip == "":
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter AddressIp.")
	case net.ParseIP(ip) == nil:
		return nil, errorf("InvalidParameterValue.Malformed", "The AddressIp %q is not an IP address.", ip)
	}
	t := &task{}
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		hv, ok := r.Target(haVipID)
		if !ok || hv.Type != "havip" {
			return errorf(codeResourceNotFound, "The HAVIP %s is not found.", haVipID)
		}
		e, ok := r.EIPByIP(ip)
		if !ok {
			return errorf(codeResourceNotFound, "The address %s is not found.", ip)
		}
		switch e.Phase {
		case sim.Associating, sim.Unassociating:
			return errorf(codeVPCMutexTask, "A mutually exclusive task is running on %s: wait for it to finish.", e.ID)
		case sim.Bound:
			return errorf(codeHaVipBindEIP, "The address %s is already bound: only an unbound EIP can be bound to a HAVIP.", ip)
		}
		if r.Holding(haVipID) >= hv.Capacity {
			return errorf(codeHaVipBindEIP, "The HAVIP %s is already bound to an EIP.", haVipID)
		}
		e.FailBinding = c.failBinding()
		if err := cl.Bind(c.region, e.ID, haVipID, sim.BindOptions{}); err != nil {
			return fromCore(err, hv)
		}
		t.eips, t.until, t.fail = []string{e.ID}, untilOf(e, cl.Now()), c.failBinding()
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	f.addVpcTask(c.requestID, t)
	return map[string]any{}, nil
}

func (f *front) haVipDisassociateAddressIp(c *call) (map[string]any, *apiError) {
	haVipID, _ := c.params.str("HaVipId")
	if haVipID == "" {
		return nil, errorf(codeMissingParameter, "The request is missing the required parameter HaVipId.")
	}
	t := &task{}
	aerr := f.update(func(cl *sim.Cloud) *apiError {
		r, _ := cl.Region(c.region)
		if hv, ok := r.Target(haVipID); !ok || hv.Type != "havip" {
			return errorf(codeResourceNotFound, "The HAVIP %s is not found.", haVipID)
		}
		var held *sim.EIP
		for _, e := range r.EIPs {
			if e.TargetID == haVipID {
				held = e
			}
		}
		switch {
		case held == nil:
			return errorf(codeHaVipUnbindEIP, "The HAVIP %s is not bound to an EIP.", haVipID)
		case held.Phase != sim.Bound:
			return errorf(codeVPCMutexTask, "A mutually exclusive task is running on %s: wait for it to finish.", held.ID)
		}
		if err := cl.Unbind(c.region, held.ID); err != nil {
			return fromCore(err, nil)
		}
		t.eips, t.until = []string{held.ID}, untilOf(held, cl.Now())
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	f.addVpcTask(c.requestID, t)
	return map[string]any{}, nil
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

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
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

// params are a request's business parameters, from JSON or from a flattened
// query. Accessors accept both a JSON value and its string form, because GET
// carries every value as a string.
type params map[string]any

func (p params) str(k string) (string, bool) {
	switch v := p[k].(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

func (p params) strs(k string) ([]string, *apiError) {
	v, ok := p[k]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errorf(codeInvalidParameter, "The parameter %s must be an array of strings.", k)
	}
	out := make([]string, 0, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, errorf(codeInvalidParameter, "The parameter %s.%d must be a string.", k, i)
		}
		out = append(out, s)
	}
	return out, nil
}

func (p params) int(k string, def int64) (int64, *apiError) {
	v, ok := p[k]
	if !ok || v == nil {
		return def, nil
	}
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	default:
		return 0, errorf(codeInvalidParameter, "The parameter %s must be an integer.", k)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errorf(codeInvalidParameter, "The parameter %s must be an integer, got %q.", k, s)
	}
	return n, nil
}

func (p params) uint(k string) (uint64, bool, *apiError) {
	v, ok := p[k]
	if !ok || v == nil {
		return 0, false, nil
	}
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	default:
		return 0, true, errorf(codeInvalidParameter, "The parameter %s must be an unsigned integer.", k)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, true, errorf(codeInvalidParameter, "The parameter %s must be an unsigned integer, got %q.", k, s)
	}
	return n, true, nil
}

func (p params) bool(k string) (bool, *apiError) {
	switch v := p[k].(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case string:
		if b, err := strconv.ParseBool(v); err == nil {
			return b, nil
		}
	}
	return false, errorf(codeInvalidParameter, "The parameter %s must be true or false.", k)
}

type filter struct {
	name   string
	values []string
}

func (p params) filters() ([]filter, *apiError) {
	v, ok := p["Filters"]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errorf(codeInvalidParameter, "The parameter Filters must be an array of {Name, Values}.")
	}
	var out []filter
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, errorf(codeInvalidParameter, "The parameter Filters.%d must be an object {Name, Values}.", i)
		}
		name, _ := params(m).str("Name")
		values, err := params(m).strs("Values")
		if err != nil {
			return nil, err
		}
		out = append(out, filter{name, values})
	}
	return out, nil
}

// unflatten turns 0-based flattened query parameters (Filters.0.Values.1=x)
// back into the JSON shape the body would have had.
func unflatten(q url.Values) params {
	root := map[string]any{}
	for k, vs := range q {
		if len(vs) == 0 {
			continue
		}
		node := root
		parts := strings.Split(k, ".")
		for i, part := range parts {
			if i == len(parts)-1 {
				node[part] = vs[0]
				break
			}
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
	}
	return params(listify(root).(map[string]any))
}

// listify turns every map whose keys are all indexes into a list.
func listify(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, x := range m {
		m[k] = listify(x)
	}
	idx := make([]int, 0, len(m))
	for k := range m {
		n, err := strconv.Atoi(k)
		if err != nil || n < 0 {
			return m
		}
		idx = append(idx, n)
	}
	if len(idx) == 0 {
		return m
	}
	sort.Ints(idx)
	list := make([]any, len(idx))
	for i, n := range idx {
		list[i] = m[strconv.Itoa(n)]
	}
	return list
}
