package emulator

import (
	"slices"
	"strconv"
	"strings"

	"github.com/eipctl/eipctl/pkg/sim"
)

func (f *Front) describe(q request) (map[string]any, *apiError) {
	if e := required(q, "RegionId"); e != nil {
		return nil, e
	}
	region := q.get("RegionId")
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
			case len(ids) > 0 && !slices.Contains(ids, e.ID),
				len(ips) > 0 && !slices.Contains(ips, e.IP),
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
