package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/eipctl/eipctl/pkg/sim"
)

// Bind types, ZEC's words for how an EIP reaches a vNIC.
const (
	BindFullNat     = "FullNat"
	BindPassthrough = "Passthrough"
)

// associatedTypes are ZEC's words for what an EIP is bound to, by sim kind.
var associatedTypes = map[string]string{"eni": "NIC", "nat": "NAT", "lb": "LB", "havip": "HAVIP"}

// describeRequest holds the DescribeEips filters the emulator models; the
// others (tags, CIDRs, resource groups) are accepted and ignored.
type describeRequest struct {
	EipIDs           []string `json:"eipIds"`
	RegionID         *string  `json:"regionId"`
	Name             *string  `json:"name"`
	Status           *string  `json:"status"`
	IsDefault        *bool    `json:"isDefault"`
	PageSize         *int     `json:"pageSize"`
	PageNum          *int     `json:"pageNum"`
	PrivateIPAddress *string  `json:"privateIpAddress"`
	IPAddress        *string  `json:"ipAddress"`
	IPAddresses      []string `json:"ipAddresses"`
	AssociatedID     *string  `json:"associatedId"`
}

// eipInfo is the part of ZEC's EipInfo the emulator fills in.
type eipInfo struct {
	EipID              string   `json:"eipId"`
	Name               string   `json:"name"`
	RegionID           string   `json:"regionId"`
	IsDefault          bool     `json:"isDefault"`
	Status             string   `json:"status"`
	PublicIPAddresses  []string `json:"publicIpAddresses"`
	PrivateIPAddress   *string  `json:"privateIpAddress"`
	NetworkLineType    string   `json:"networkLineType"`
	InternetChargeType string   `json:"internetChargeType"`
	NicID              *string  `json:"nicId"`
	AssociatedID       *string  `json:"associatedId"`
	AssociatedType     *string  `json:"associatedType"`
	InstanceID         *string  `json:"instanceId"`
	BindType           *string  `json:"bindType"`
	Bandwidth          int      `json:"bandwidth"`
	CreateTime         string   `json:"createTime"`
}

const (
	defaultPageSize = 20
	maxPageSize     = 1000
)

func (f *front) describeEips(req describeRequest) (any, *apiError) {
	size, num := defaultPageSize, 1
	if req.PageSize != nil {
		size = *req.PageSize
	}
	if req.PageNum != nil {
		num = *req.PageNum
	}
	if size < 1 || size > maxPageSize {
		return nil, errInvalidParameter("pageSize %d is out of range: use 1 to %d", size, maxPageSize)
	}
	if num < 1 {
		return nil, errInvalidParameter("pageNum %d is out of range: pages start at 1", num)
	}
	var all []eipInfo
	var aerr *apiError
	err := f.s.View(Provider, func(c *sim.Cloud) {
		if req.RegionID != nil && *req.RegionID != "" {
			if _, ok := c.Region(*req.RegionID); !ok {
				aerr = &apiError{http.StatusNotFound, "INVALID_REGION_NOT_FOUND", fmt.Sprintf("The specified regionId `%s` is not found.", *req.RegionID)}
				return
			}
		}
		for _, r := range c.Regions {
			for _, e := range r.EIPs {
				info := toInfo(r, e, f.status(e))
				if req.matches(info) {
					all = append(all, info)
				}
			}
		}
	})
	if err != nil {
		return nil, &apiError{http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", err.Error()}
	}
	if aerr != nil {
		return nil, aerr
	}
	page := []eipInfo{}
	if from := (num - 1) * size; from < len(all) {
		page = all[from:min(from+size, len(all))]
	}
	return map[string]any{"totalCount": len(all), "dataSet": page}, nil
}

func (q describeRequest) matches(e eipInfo) bool {
	eq := func(filter, v *string) bool {
		return filter == nil || *filter == "" || (v != nil && *v == *filter)
	}
	ip := e.PublicIPAddresses[0]
	return (len(q.EipIDs) == 0 || slices.Contains(q.EipIDs, e.EipID)) &&
		eq(q.RegionID, &e.RegionID) &&
		eq(q.Name, &e.Name) &&
		eq(q.Status, &e.Status) &&
		(q.IsDefault == nil || *q.IsDefault == e.IsDefault) &&
		eq(q.PrivateIPAddress, e.PrivateIPAddress) &&
		eq(q.IPAddress, &ip) &&
		(len(q.IPAddresses) == 0 || slices.Contains(q.IPAddresses, ip)) &&
		eq(q.AssociatedID, e.AssociatedID)
}

func toInfo(r *sim.Region, e *sim.EIP, status string) eipInfo {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	info := eipInfo{
		EipID:              e.ID,
		Name:               e.ID,
		RegionID:           r.Name,
		Status:             status,
		PublicIPAddresses:  []string{e.IP},
		NetworkLineType:    "PremiumBGP",
		InternetChargeType: "ByBandwidth",
		Bandwidth:          10,
		CreateTime:         "2025-09-01T00:00:00Z",
	}
	if e.TargetID != "" {
		info.AssociatedID = str(e.TargetID)
		info.AssociatedType = str(associatedTypes[e.TargetType])
		info.PrivateIPAddress = str(e.PrivateIP)
		info.BindType = str(e.Mode)
		if e.TargetType == "eni" {
			info.NicID = str(e.TargetID)
		}
	}
	return info
}

type associateRequest struct {
	LoadBalancerID string   `json:"loadBalancerId"`
	NicID          string   `json:"nicId"`
	LanIP          string   `json:"lanIp"`
	NatID          string   `json:"natId"`
	EipIDs         []string `json:"eipIds"`
	HaVipID        string   `json:"haVipId"`
	BindType       string   `json:"bindType"`
}

// target picks the one target field ZEC uses, in its documented priority
// order loadBalancerId > nicId > natId > haVipId. An empty string counts as
// absent: the Terraform provider sends every unused field as "".
func (q associateRequest) target() (kind, id string) {
	for _, c := range []struct{ kind, id string }{{"lb", q.LoadBalancerID}, {"eni", q.NicID}, {"nat", q.NatID}, {"havip", q.HaVipID}} {
		if c.id != "" {
			return c.kind, c.id
		}
	}
	return "", ""
}

// bindRequest is an AssociateEipAddress request that has passed the checks
// that need no state: one target, some EIPs, a known bindType.
type bindRequest struct {
	kind, target string
	ids          []string
	bindType     string
	opts         sim.BindOptions
}

func (q associateRequest) check() (bindRequest, *apiError) {
	kind, targetID := q.target()
	b := bindRequest{kind: kind, target: targetID, ids: unique(q.EipIDs), bindType: q.BindType}
	if b.bindType == "" {
		b.bindType = BindFullNat
	}
	switch {
	case kind == "":
		return b, errInvalidParameter("one of loadBalancerId, nicId, natId or haVipId is required")
	case len(b.ids) == 0:
		return b, errInvalidParameter("eipIds is required")
	case kind == "eni" && q.LanIP == "":
		return b, errInvalidParameter("lanIp is required when nicId is given")
	case b.bindType != BindFullNat && b.bindType != BindPassthrough:
		return b, errInvalidParameter("bindType %q is not one of %s, %s", b.bindType, BindFullNat, BindPassthrough)
	}
	switch kind {
	case "eni":
		b.opts = sim.BindOptions{PrivateIP: q.LanIP, Mode: b.bindType}
	case "havip":
		b.opts.Mode = BindFullNat
	}
	return b, nil
}

func (f *front) associate(req associateRequest, failBinding bool) (any, *apiError) {
	b, aerr := req.check()
	if aerr != nil {
		return nil, aerr
	}
	var failed []string
	err := f.s.Update(Provider, func(c *sim.Cloud) error {
		failed, aerr = f.bind(c, b, failBinding)
		return nil
	})
	return answer(failed, aerr, err)
}

// bind binds the EIPs that can be bound and returns the ones it could not.
// Everything that refuses the whole request is checked before the first EIP
// changes, so a refused request leaves no trace. That includes the target's
// limit: ZEC documents OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED as an
// HTTP 400 error of the call ("Elastic IP binding exceeds the allowed
// limit"), not as a failedEipIds row, so a request that would take the
// target over binds none of its EIPs, even when some would fit.
func (f *front) bind(c *sim.Cloud, b bindRequest, failBinding bool) ([]string, *apiError) {
	region, t := findTarget(c, b.kind, b.target)
	if t == nil {
		return nil, errTargetNotFound(b.kind, b.target)
	}
	if b.opts.PrivateIP != "" && !slices.Contains(t.PrivateIPs, b.opts.PrivateIP) {
		return nil, fromSim(&sim.Error{Kind: sim.ErrPrivateIP, ID: b.opts.PrivateIP}, b.kind)
	}
	ready, failed, aerr := f.sortEIPs(c, region, b)
	if aerr != nil {
		return nil, aerr
	}
	if held := region.Holding(t.ID); held+len(ready) > t.Capacity {
		return nil, errTargetFull(b.kind, t.ID, held, t.Capacity, len(ready))
	}
	for _, id := range ready {
		if err := c.Bind(region.Name, id, t.ID, b.opts); err != nil {
			failed = append(failed, id)
			continue
		}
		if failBinding {
			c.FailBinding(region.Name, id)
		}
	}
	return failed, nil
}

// sortEIPs splits a bind's EIPs into those it can bind and those ZEC lists
// in failedEipIds, or refuses the request for an EIP that is missing or in
// another region.
func (f *front) sortEIPs(c *sim.Cloud, region *sim.Region, b bindRequest) (ready, failed []string, aerr *apiError) {
	failed = []string{}
	for _, id := range b.ids {
		r, e := findEIP(c, id)
		switch {
		case e == nil:
			return nil, nil, errEIPNotFound(id)
		case r != region:
			return nil, nil, &apiError{http.StatusBadRequest, "INVALID_REGION_MISMATCH", fmt.Sprintf("The elastic IP `%s` is in %s and the %s `%s` is in %s: they must be in the same region.", id, r.Name, nouns[b.kind], b.target, region.Name)}
		case b.kind == "havip" && b.bindType != BindFullNat:
			// ZEC fails every EIP of a HaVip request whose bindType is not FullNat.
			failed = append(failed, id)
		case e.Phase != sim.Available || !binding(f.status(e)):
			// ZEC binds only UNBIND EIPs ("EIP must be in the unbound state").
			failed = append(failed, id)
		default:
			ready = append(ready, id)
		}
	}
	return ready, failed, nil
}

// answer is a bind's or unbind's reply: the refusal, or failedEipIds.
func answer(failed []string, aerr *apiError, err error) (any, *apiError) {
	if aerr = refusal(aerr, err); aerr != nil {
		return nil, aerr
	}
	if failed == nil {
		failed = []string{}
	}
	return map[string]any{"failedEipIds": failed}, nil
}

// refusal is what refuses a mutation: the store's failure, or the action's
// own refusal.
func refusal(aerr *apiError, err error) *apiError {
	if err != nil {
		return &apiError{http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", err.Error()}
	}
	return aerr
}

type unassociateRequest struct {
	EipIDs []string `json:"eipIds"`
}

// unassociate releases each bound EIP. ZEC documents that repeating it on an
// unbound EIP is not an error; the emulator takes an EIP already being
// unbound the same way (its status reads BINDED, as if untouched, so a
// resend after a lost answer must not fail: the record is silent here). An
// EIP being bound is listed as failed, and one in a lifecycle status
// (RECYCLED, DELETING, ...) refuses the whole request with ZEC's documented
// OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT (HTTP 500).
func (f *front) unassociate(req unassociateRequest) (any, *apiError) {
	ids := unique(req.EipIDs)
	if len(ids) == 0 {
		return nil, errInvalidParameter("eipIds is required")
	}
	var failed []string
	var aerr *apiError
	err := f.s.Update(Provider, func(c *sim.Cloud) error {
		failed, aerr = f.unbind(c, ids)
		return nil
	})
	return answer(failed, aerr, err)
}

func (f *front) unbind(c *sim.Cloud, ids []string) ([]string, *apiError) {
	regions := map[string]*sim.Region{}
	for _, id := range ids {
		r, e := findEIP(c, id)
		if e == nil {
			return nil, errEIPNotFound(id)
		}
		if !binding(f.status(e)) {
			return nil, &apiError{http.StatusInternalServerError, "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT", fmt.Sprintf("The operation is not supported in the current status (%s) of the elastic IP `%s`.", f.status(e), id)}
		}
		regions[id] = r
	}
	failed := []string{}
	for _, id := range ids {
		e, err := c.CheckUnbind(regions[id].Name, id)
		var se *sim.Error
		switch {
		case err == nil:
			if err := c.Unbind(regions[id].Name, id); err != nil {
				failed = append(failed, id)
			}
		case errors.As(err, &se) && se.Kind == sim.ErrNotBound:
		case e != nil && e.Phase == sim.Unassociating:
		default:
			failed = append(failed, id)
		}
	}
	return failed, nil
}

// findEIP looks in every region: ZEC EIP IDs are global and its bind
// requests carry no region.
func findEIP(c *sim.Cloud, id string) (*sim.Region, *sim.EIP) {
	for _, r := range c.Regions {
		if e, ok := r.EIP(id); ok {
			return r, e
		}
	}
	return nil, nil
}

// findTarget finds a target of the given kind: a nicId naming a NAT gateway
// does not name a vNIC.
func findTarget(c *sim.Cloud, kind, id string) (*sim.Region, *sim.Target) {
	for _, r := range c.Regions {
		if t, ok := r.Target(id); ok && t.Type == kind {
			return r, t
		}
	}
	return nil, nil
}

func unique(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
