package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/eipctl/eipctl/pkg/sim"
)

type request struct {
	params      url.Values
	failBinding bool
}

func (q request) get(k string) string { return q.params.Get(k) }

type handler struct {
	fn func(f *Front, q request) (map[string]any, *apiError)
}

// handlers serve the actions Profile.Actions lists.
var handlers = map[string]handler{
	"AssociateEipAddress":      {(*Front).associate},
	"AssociateEipAddressBatch": {(*Front).associateBatch},
	"UnassociateEipAddress":    {(*Front).unassociate},
	"DescribeEipAddresses":     {(*Front).describe},
	"ReleaseEipAddress":        {(*Front).release},
}

// errNATFull is the documented refusal of a NAT gateway at its EIP quota
// (AssociateEipAddress and AssociateEipAddressBatch pages: the code is
// QuotaExceeded.NumberOfEip, its message "Binded eip Quota exceed on this
// NatGw.").
func errNATFull(id string, capacity int) *apiError {
	return &apiError{400, "QuotaExceeded.NumberOfEip", fmt.Sprintf("Binded eip Quota exceed on this NatGw: %s holds at most %d EIPs.", id, capacity)}
}

// instanceTypes maps Alibaba's InstanceType words to the core's target types.
var instanceTypes = map[string]string{
	"EcsInstance":      "instance",
	"NetworkInterface": "eni",
	"Nat":              "nat",
	"SlbInstance":      "lb",
	"HaVip":            "havip",
}

var typeWords = func() map[string]string {
	m := map[string]string{}
	for w, t := range instanceTypes {
		m[t] = w
	}
	return m
}()

// fingerprint identifies a request's business content for ClientToken reuse.
func fingerprint(action string, p url.Values) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		switch k {
		case "Signature", "SignatureNonce", "Timestamp", "AccessKeyId", "SecurityToken", "ClientToken":
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(action)
	for _, k := range keys {
		b.WriteString("&" + k + "=" + p.Get(k))
	}
	return b.String()
}

// replay answers a request whose ClientToken was seen: the same request is a
// no-op success, a different one is refused.
func replay(c *sim.Cloud, token, fp string) (bool, *apiError) {
	if token == "" {
		return false, nil
	}
	if prev, ok := c.Tokens[token]; ok {
		if prev == fp {
			return true, nil
		}
		return true, &apiError{400, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request."}
	}
	return false, nil
}

func (f *Front) associate(q request) (map[string]any, *apiError) {
	region, eipID, target := q.get("RegionId"), q.get("AllocationId"), q.get("InstanceId")
	switch {
	case region == "":
		return nil, errMissing("RegionId")
	case eipID == "":
		return nil, errMissing("AllocationId")
	case target == "":
		return nil, errMissing("InstanceId")
	}
	typeWord := q.get("InstanceType")
	if typeWord == "" {
		typeWord = "EcsInstance"
	}
	kind, ok := instanceTypes[typeWord]
	if !ok {
		return nil, &apiError{400, "InvalidInstanceType.ValueNotSupported", "The specified value of InstanceType is not supported."}
	}
	if ir := q.get("InstanceRegionId"); ir != "" && ir != region {
		return nil, &apiError{400, "InvalidParameter.Mismatch", "Specified elastic IP address and ECS instance are not in the same region."}
	}
	mode := q.get("Mode")
	switch mode {
	case "", "NAT":
	case "MULTI_BINDED", "BINDED":
		if kind != "eni" {
			return nil, &apiError{400, "InvalidParameter", "Mode " + mode + " is only supported for NetworkInterface."}
		}
	default:
		return nil, &apiError{400, "InvalidParameter", "The specified Mode is not valid: use NAT, MULTI_BINDED or BINDED."}
	}
	var out *apiError
	err := f.s.Update(provider, func(c *sim.Cloud) error {
		fp := fingerprint("AssociateEipAddress", q.params)
		if done, e := replay(c, q.get("ClientToken"), fp); done {
			out = e
			return nil
		}
		if e := checkKind(c, region, target, kind); e != nil {
			out = e
			return nil
		}
		if e := releasing(c, region, eipID); e != nil {
			out = e
			return nil
		}
		o := sim.BindOptions{PrivateIP: q.get("PrivateIpAddress"), Mode: mode}
		if _, t, err := c.CheckBind(region, eipID, target, o); err != nil {
			out = coreError(err)
			if se, ok := err.(*sim.Error); ok && se.Kind == sim.ErrTargetFull && kind == "nat" {
				out = errNATFull(target, t.Capacity)
			}
			return nil
		}
		c.UseToken(q.get("ClientToken"), fp)
		if err := c.Bind(region, eipID, target, o); err != nil {
			return err
		}
		f.markFailure(c, region, q.failBinding, eipID)
		return nil
	})
	if err != nil {
		return nil, coreError(err)
	}
	return map[string]any{}, out
}

func (f *Front) associateBatch(q request) (map[string]any, *apiError) {
	region, target, typeWord := q.get("RegionId"), q.get("BindedInstanceId"), q.get("BindedInstanceType")
	switch {
	case region == "":
		return nil, errMissing("RegionId")
	case target == "":
		return nil, errMissing("BindedInstanceId")
	case typeWord == "":
		return nil, errMissing("BindedInstanceType")
	}
	if typeWord != "Nat" && typeWord != "NetworkInterface" {
		return nil, &apiError{400, "InvalidInstanceType.ValueNotSupported", "BindedInstanceType must be Nat or NetworkInterface."}
	}
	var ids []string
	for n := 1; ; n++ {
		id := q.get("InstanceIds." + strconv.Itoa(n))
		if id == "" {
			break
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, errMissing("InstanceIds.1")
	}
	if len(ids) > 50 {
		return nil, &apiError{400, "InvalidParameter", fmt.Sprintf("InstanceIds accepts 1 to 50 EIPs; %d were given.", len(ids))}
	}
	mode := q.get("Mode")
	var out *apiError
	err := f.s.Update(provider, func(c *sim.Cloud) error {
		fp := fingerprint("AssociateEipAddressBatch", q.params)
		if done, e := replay(c, q.get("ClientToken"), fp); done {
			out = e
			return nil
		}
		if e := checkKind(c, region, target, instanceTypes[typeWord]); e != nil {
			out = e
			return nil
		}
		r, _ := c.Region(region)
		t, _ := r.Target(target)
		if r.Holding(target)+len(ids) > t.Capacity {
			out = coreError(&sim.Error{Kind: sim.ErrTargetFull, ID: target})
			if t.Type == "nat" {
				out = errNATFull(target, t.Capacity)
			}
			return nil
		}
		// The batch is all or nothing: check every EIP before binding any.
		for _, id := range ids {
			if e := releasing(c, region, id); e != nil {
				out = e
				return nil
			}
			if _, _, err := c.CheckBind(region, id, target, sim.BindOptions{Mode: mode}); err != nil {
				out = coreError(err)
				return nil
			}
		}
		c.UseToken(q.get("ClientToken"), fp)
		for _, id := range ids {
			if err := c.Bind(region, id, target, sim.BindOptions{Mode: mode}); err != nil {
				return err
			}
		}
		f.markFailure(c, region, q.failBinding, ids...)
		return nil
	})
	if err != nil {
		return nil, coreError(err)
	}
	return map[string]any{}, out
}

func (f *Front) unassociate(q request) (map[string]any, *apiError) {
	region, eipID := q.get("RegionId"), q.get("AllocationId")
	switch {
	case region == "":
		return nil, errMissing("RegionId")
	case eipID == "":
		return nil, errMissing("AllocationId")
	}
	var out *apiError
	err := f.s.Update(provider, func(c *sim.Cloud) error {
		fp := fingerprint("UnassociateEipAddress", q.params)
		if done, e := replay(c, q.get("ClientToken"), fp); done {
			out = e
			return nil
		}
		if e := releasing(c, region, eipID); e != nil {
			out = e
			return nil
		}
		e, err := c.CheckUnbind(region, eipID)
		if err != nil {
			out = coreError(err)
			return nil
		}
		if inst := q.get("InstanceId"); inst != "" && inst != e.TargetID {
			out = &apiError{400, "InvalidInstanceId.MisMatch", "The EIP " + eipID + " is not associated with instance " + inst + "."}
			return nil
		}
		c.UseToken(q.get("ClientToken"), fp)
		return c.Unbind(region, eipID)
	})
	if err != nil {
		return nil, coreError(err)
	}
	return map[string]any{}, out
}

// checkKind refuses a target whose kind is not what InstanceType says: to the
// cloud, an EcsInstance with a NAT gateway's ID does not exist.
func checkKind(c *sim.Cloud, region, target, kind string) *apiError {
	r, ok := c.Region(region)
	if !ok {
		return coreError(&sim.Error{Kind: sim.ErrRegionNotFound, ID: region})
	}
	if t, ok := r.Target(target); !ok || t.Type != kind {
		return coreError(&sim.Error{Kind: sim.ErrTargetNotFound, ID: target})
	}
	return nil
}

// markFailure makes accepted bindings fail later, for the fail-binding fault.
func (f *Front) markFailure(c *sim.Cloud, region string, fail bool, ids ...string) {
	if !fail {
		return
	}
	for _, id := range ids {
		c.FailBinding(region, id)
	}
}

func (f *Front) describe(q request) (map[string]any, *apiError) {
	region := q.get("RegionId")
	if region == "" {
		return nil, errMissing("RegionId")
	}
	page, size := 1, 10
	if v := q.get("PageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, &apiError{400, "InvalidParameter", "PageNumber must be a positive integer."}
		}
		page = n
	}
	if v := q.get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, &apiError{400, "InvalidParameter", "PageSize must be between 1 and 100."}
		}
		size = n
	}
	ids := splitList(q.get("AllocationId"))
	ips := splitList(q.get("EipAddress"))
	if len(ids) > 50 || len(ips) > 50 {
		return nil, &apiError{400, "InvalidParameter", "AllocationId and EipAddress accept at most 50 values each."}
	}
	status, assocID, assocType := q.get("Status"), q.get("AssociatedInstanceId"), q.get("AssociatedInstanceType")
	var items []map[string]any
	var missing *apiError
	err := f.s.View(provider, func(c *sim.Cloud) {
		r, ok := c.Region(region)
		if !ok {
			missing = coreError(&sim.Error{Kind: sim.ErrRegionNotFound, ID: region})
			return
		}
		for _, e := range r.EIPs {
			word := statusWords[e.Phase]
			switch {
			case len(ids) > 0 && !contains(ids, e.ID),
				len(ips) > 0 && !contains(ips, e.IP),
				status != "" && status != word,
				assocID != "" && assocID != e.TargetID,
				assocType != "" && assocType != typeWords[e.TargetType]:
				continue
			}
			items = append(items, eipItem(region, e, word))
		}
	})
	if err != nil {
		return nil, coreError(err)
	}
	if missing != nil {
		return nil, missing
	}
	total := len(items)
	from := min((page-1)*size, total)
	to := min(from+size, total)
	return map[string]any{
		"TotalCount": total, "PageNumber": page, "PageSize": size,
		"EipAddresses": map[string]any{"EipAddress": append([]map[string]any{}, items[from:to]...)},
	}, nil
}

func eipItem(region string, e *sim.EIP, status string) map[string]any {
	return map[string]any{
		"AllocationId": e.ID, "IpAddress": e.IP, "Status": status, "RegionId": region,
		"InstanceId": e.TargetID, "InstanceType": typeWords[e.TargetType], "InstanceRegionId": regionIf(e, region),
		"PrivateIpAddress": e.PrivateIP, "Mode": modeWord(e), "Bandwidth": "5", "InternetChargeType": "PayByTraffic",
		"ChargeType": "PostPaid", "AllocationTime": "2024-01-01T00:00:00Z", "ISP": "BGP",
		"OperationLocks": map[string]any{"LockReason": []any{}}, "Tags": map[string]any{"Tag": []any{}},
		"AvailableRegions":        map[string]any{"AvailableRegion": []string{region}},
		"SecurityProtectionTypes": map[string]any{"SecurityProtectionType": []string{}},
	}
}

func regionIf(e *sim.EIP, region string) string {
	if e.TargetID == "" {
		return ""
	}
	return region
}

func modeWord(e *sim.EIP) string {
	if e.Mode != "" {
		return e.Mode
	}
	return "NAT"
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
