package emulator

import (
	"strings"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
)

// maxLimit is DescribeAddresses' documented page size ceiling.
const maxLimit = 100

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

func toAddress(e *sim.EIP, now time.Time) address {
	a := address{
		AddressId:               e.ID,
		AddressStatus:           statusAt(e, now),
		AddressIp:               e.IP,
		CreatedTime:             "2024-01-01T00:00:00Z",
		IsEipDirectConnection:   e.Mode == modeDirect,
		AddressType:             addressType(e),
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
	"address-type":       addressType,
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
	filters = withDefaultType(filters, len(ids) > 0)
	matches := []address{}
	_ = f.s.View(provider, func(cl *sim.Cloud) {
		r, _ := cl.Region(c.region)
		for _, e := range r.EIPs {
			if len(ids) > 0 && !want[e.ID] {
				continue
			}
			if !matchAll(filters, e, cl.Now()) {
				continue
			}
			matches = append(matches, toAddress(e, cl.Now()))
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

// addressTypes are the AddressType words of the seeded EIPs: every region's
// 20th, 21st and 22nd EIP are an Anycast, a high-quality and an Anti-DDoS EIP
// (our choice of which), the rest plain EIPs.
var addressTypes = map[string]string{"000020": "AnycastEIP", "000021": "HighQualityEIP", "000022": "AntiDDoSEIP"}

func addressType(e *sim.EIP) string {
	if n := len(e.ID); n > 6 {
		if t, ok := addressTypes[e.ID[n-6:]]; ok {
			return t
		}
	}
	return "EIP"
}

// withDefaultType applies address-type's documented default: a listing
// without an address-type filter shows plain EIPs only ("默认值是'EIP'",
// tencentcloud-sdk-go vpc v1.0.1100 models.go; the API page until June 2026).
// Newer pages say the default is every EIP kind but WanIP; the stricter
// reading is played, since eipctl's explicit filter is right under both.
// Terraform reads every kind of EIP by AddressIds alone
// (service_tencentcloud_vpc.go DescribeEipById), so a read by ID is not
// filtered.
func withDefaultType(filters []filter, byID bool) []filter {
	if byID {
		return filters
	}
	for _, fl := range filters {
		if fl.name == "address-type" {
			return filters
		}
	}
	return append(filters, filter{name: "address-type", values: []string{"EIP"}})
}

func matchAll(filters []filter, e *sim.EIP, now time.Time) bool {
	for _, fl := range filters {
		v := filterFields[fl.name](e)
		if fl.name == "address-status" {
			v = statusAt(e, now)
		}
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
