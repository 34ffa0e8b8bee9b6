package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"
	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

const bindDelay = 3 * time.Second

type world struct {
	t     *testing.T
	s     *sim.Sim
	clock *clock.Fake
	url   string
	host  string
}

// newWorld is the account with readable IDs, which most cases name.
func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, ProfileWith(Options{Readable: true}))
}

func newWorldWith(t *testing.T, p sim.Profile) *world {
	t.Helper()
	fc := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s, err := sim.New(sim.Options{Clock: fc, BindDelay: bindDelay, Profiles: []sim.Profile{p}, NoLimits: true /* many calls at one fake instant; TestZenlayerRateLimit checks the limit */})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(New(s)))
	t.Cleanup(srv.Close)
	return &world{t: t, s: s, clock: fc, url: srv.URL, host: strings.TrimPrefix(srv.URL, "http://")}
}

// sdk is the official client pointed at the emulator, with its own retries
// off so each call is one request.
func (w *world) sdk(secret string) *zec.Client {
	w.t.Helper()
	cfg := common.NewConfig().WithScheme("http").WithRateLimitRetry(0, nil)
	cfg.Domain = w.host
	c, err := zec.NewClient(cfg, Profile.Credentials.ID, secret)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// associate sends one AssociateEipAddress through the account's official
// client and returns the EIPs the answer lists as failed; a refused call
// ends the test.
func (w *world) associate(req *zec.AssociateEipAddressRequest) []string {
	w.t.Helper()
	resp, err := w.sdk(Profile.Credentials.Secret).AssociateEipAddress(req)
	if err != nil {
		w.t.Fatal(err)
	}
	return resp.Response.FailedEipIds
}

// signed builds a signed request by hand, to see status codes and
// envelopes the SDK hides.
func (w *world) signed(action string, body any) *http.Request {
	w.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		w.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, w.url+Path, bytes.NewReader(b))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-ZC-Action", action)
	req.Header.Set("X-ZC-Version", Version)
	req.Header.Set("X-ZC-Timestamp", ts)
	req.Header.Set("X-ZC-Signature-Method", Algorithm)
	req.Header.Set("Authorization", Authorization(Profile.Credentials.ID, Profile.Credentials.Secret, "application/json", w.host, ts, b))
	return req
}

// raw posts a signed request and returns the status and the envelope.
func (w *world) raw(action string, body any) (int, map[string]any) {
	w.t.Helper()
	resp, err := http.DefaultClient.Do(w.signed(action, body))
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		w.t.Fatal(err)
	}
	return resp.StatusCode, env
}

// eip reads one EIP through the official SDK.
func (w *world) eip(id string) *zec.EipInfo {
	w.t.Helper()
	req := zec.NewDescribeEipsRequest()
	req.EipIds = []string{id}
	resp, err := w.sdk(Profile.Credentials.Secret).DescribeEips(req)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(resp.Response.DataSet) != 1 {
		w.t.Fatalf("DescribeEips %s returned %d EIPs", id, len(resp.Response.DataSet))
	}
	return resp.Response.DataSet[0]
}

func (w *world) status(id string) string { return *w.eip(id).Status }

// target returns the first seeded target of a kind in a region, with its IPs.
func (w *world) target(region, kind string) sim.InventoryTarget {
	w.t.Helper()
	inv, err := w.s.Inventory()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range inv {
		if r.Region != region {
			continue
		}
		for _, t := range r.Targets {
			if t.Type == kind {
				return t
			}
		}
	}
	w.t.Fatalf("no %s in %s", kind, region)
	return sim.InventoryTarget{}
}

func str(s string) *string { return &s }

func sdkCode(err error) string {
	var se *common.ZenlayerCloudSdkError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

func TestOfficialSDKIsAcceptedAndPagesEips(t *testing.T) {
	w := newWorld(t)
	c := w.sdk(Profile.Credentials.Secret)

	resp, err := c.DescribeEips(zec.NewDescribeEipsRequest())
	if err != nil {
		t.Fatalf("the official SDK was refused: %v", err)
	}
	if got := *resp.Response.TotalCount; got != 2*sim.DefaultSeedEIPs {
		t.Errorf("totalCount = %d, want %d (both regions)", got, 2*sim.DefaultSeedEIPs)
	}
	if got := len(resp.Response.DataSet); got != defaultPageSize {
		t.Errorf("first page holds %d EIPs, want the default page size %d", got, defaultPageSize)
	}
	if *resp.RequestId == "" || *resp.RequestId != *resp.Response.RequestId {
		t.Errorf("requestId outside %q and inside %q must be equal and set", *resp.RequestId, *resp.Response.RequestId)
	}

	req := zec.NewDescribeEipsRequest()
	req.RegionId, req.PageSize, req.PageNum = str("asia-north-1"), new(int), new(int)
	*req.PageSize, *req.PageNum = 10, 3
	resp, err = c.DescribeEips(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Response.DataSet) != 4 || *resp.Response.TotalCount != 24 {
		t.Fatalf("page 3 of 10 in asia-north-1: %d EIPs of %d, want 4 of 24", len(resp.Response.DataSet), *resp.Response.TotalCount)
	}
	e := resp.Response.DataSet[0]
	if *e.EipId != "eip-an0021" || *e.RegionId != "asia-north-1" || *e.Status != StatusUnbind || e.AssociatedId != nil || len(e.PublicIpAddresses) != 1 {
		t.Fatalf("first EIP of page 3 = %+v", e)
	}
}

func TestWrongSecretIsSignatureFailure(t *testing.T) {
	w := newWorld(t)
	req := zec.NewAssociateEipAddressRequest()
	req.NatId, req.EipIds = str("nat-ae0001"), []string{"eip-ae0001"}
	_, err := w.sdk("not-the-secret").AssociateEipAddress(req)
	if code := sdkCode(err); code != "AUTHFAILURE_SIGNATURE_FAILURE" {
		t.Fatalf("error = %v, want AUTHFAILURE_SIGNATURE_FAILURE", err)
	}
	if got := w.status("eip-ae0001"); got != StatusUnbind {
		t.Fatalf("a refused request changed the EIP to %s", got)
	}
	if w.s.Mutations(Provider) != 1 {
		t.Fatalf("the refused AssociateEipAddress was not journaled as a mutating request: %+v", w.s.Journal())
	}
}

func TestEnvelopes(t *testing.T) {
	w := newWorld(t)
	status, env := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{"eip-ae0001"}})
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, env)
	}
	inner, ok := env["response"].(map[string]any)
	if !ok || env["requestId"] == "" || inner["requestId"] != env["requestId"] || !strings.HasPrefix(env["requestId"].(string), "T") {
		t.Fatalf("success envelope = %v", env)
	}
	if f, ok := inner["failedEipIds"].([]any); !ok || len(f) != 0 {
		t.Fatalf("unbinding an unbound EIP must not fail (ZEC documents it as safe to repeat): %v", env)
	}

	status, env = w.raw("AssociateEipAddress", map[string]any{"natId": "nat-ae0001", "eipIds": []string{"eip-nope"}})
	if status != http.StatusNotFound || env["code"] != "INVALID_EIP_NOT_FOUND" {
		t.Fatalf("status %d, %v; want 404 INVALID_EIP_NOT_FOUND", status, env)
	}
	keys := slices.Sorted(maps.Keys(env))
	if !slices.Equal(keys, []string{"code", "message", "requestId"}) {
		t.Fatalf("error envelope keys = %v, want exactly code, message, requestId", keys)
	}
}

func TestAssociateWaitsThroughAssigningAndUnassociateShowsNoProgress(t *testing.T) {
	w := newWorld(t)
	c := w.sdk(Profile.Credentials.Secret)
	nic := w.target("asia-east-1", "eni")

	req := zec.NewAssociateEipAddressRequest()
	req.NicId, req.LanIp, req.EipIds = str(nic.ID), str(nic.PrivateIPs[1]), []string{"eip-ae0001", "eip-ae0002"}
	req.BindType = str(BindPassthrough)
	if failed := w.associate(req); len(failed) != 0 {
		t.Fatalf("failedEipIds = %v", failed)
	}
	e := w.eip("eip-ae0002")
	if *e.Status != StatusAssigning || *e.AssociatedId != nic.ID || *e.AssociatedType != "NIC" || *e.PrivateIpAddress != nic.PrivateIPs[1] || *e.BindType != BindPassthrough {
		t.Fatalf("right after AssociateEipAddress: %+v", e)
	}
	w.clock.Advance(bindDelay)
	if got := w.status("eip-ae0001"); got != StatusBinded {
		t.Fatalf("after the bind delay the status is %s, want BINDED", got)
	}

	ureq := zec.NewUnassociateEipAddressRequest()
	ureq.EipIds = []string{"eip-ae0001"}
	if _, err := c.UnassociateEipAddress(ureq); err != nil {
		t.Fatal(err)
	}
	// ZEC documents no unbinding status: the EIP reads BINDED, still on
	// its vNIC, until the unbind is done.
	if e := w.eip("eip-ae0001"); *e.Status != StatusBinded || e.AssociatedId == nil || *e.AssociatedId != nic.ID {
		t.Fatalf("right after UnassociateEipAddress: %+v, want BINDED on %s", e, nic.ID)
	}
	w.clock.Advance(bindDelay)
	e = w.eip("eip-ae0001")
	if *e.Status != StatusUnbind || e.AssociatedId != nil || e.AssociatedType != nil {
		t.Fatalf("after unbinding: %+v", e)
	}
	if got := w.status("eip-ae0002"); got != StatusBinded {
		t.Fatalf("the other EIP moved to %s", got)
	}
}

func TestEipNotUnbindFailsAloneWhileTheRestBind(t *testing.T) {
	w := newWorld(t)
	nat := w.target("asia-east-1", "nat")

	first := zec.NewAssociateEipAddressRequest()
	first.NatId, first.EipIds = str(nat.ID), []string{"eip-ae0003"}
	w.associate(first)
	// eip-ae0003 is ASSIGNING now; once bound it must still be refused.
	for i, advance := range []time.Duration{0, bindDelay} {
		w.clock.Advance(advance)
		other := []string{"eip-ae0004", "eip-ae0005"}[i]
		req := zec.NewAssociateEipAddressRequest()
		req.NatId, req.EipIds = str(nat.ID), []string{"eip-ae0003", other}
		if failed := w.associate(req); !slices.Equal(failed, []string{"eip-ae0003"}) {
			t.Fatalf("failedEipIds = %v, want [eip-ae0003]", failed)
		}
		if got := w.status(other); got != StatusAssigning {
			t.Fatalf("%s is %s, want ASSIGNING: it was UNBIND and should have been bound", other, got)
		}
	}
}

func TestTargetFieldsFollowPriorityAndEmptyMeansAbsent(t *testing.T) {
	w := newWorld(t)
	nic, nat, lb, hv := w.target("asia-east-1", "eni"), w.target("asia-east-1", "nat"), w.target("asia-east-1", "lb"), w.target("asia-east-1", "havip")
	cases := []struct {
		body     map[string]any
		wantID   string
		wantType string
	}{
		// Terraform sends every unused field as "".
		{map[string]any{"loadBalancerId": "", "nicId": nic.ID, "lanIp": nic.PrivateIPs[0], "natId": "", "eipIds": []string{"eip-ae0005"}, "haVipId": "", "bindType": ""}, nic.ID, "NIC"},
		{map[string]any{"natId": nat.ID, "haVipId": hv.ID, "eipIds": []string{"eip-ae0006"}}, nat.ID, "NAT"},
		{map[string]any{"loadBalancerId": lb.ID, "nicId": nic.ID, "eipIds": []string{"eip-ae0007"}}, lb.ID, "LB"},
		{map[string]any{"nicId": "", "haVipId": hv.ID, "eipIds": []string{"eip-ae0008"}}, hv.ID, "HAVIP"},
	}
	for _, c := range cases {
		status, env := w.raw("AssociateEipAddress", c.body)
		if status != http.StatusOK {
			t.Fatalf("%v: status %d %v", c.body, status, env)
		}
		id := c.body["eipIds"].([]string)[0]
		e := w.eip(id)
		if *e.AssociatedId != c.wantID || *e.AssociatedType != c.wantType {
			t.Errorf("%v bound to %s %s, want %s %s", c.body, *e.AssociatedType, *e.AssociatedId, c.wantType, c.wantID)
		}
	}
	if e := w.eip("eip-ae0005"); *e.BindType != BindFullNat {
		t.Errorf("an empty bindType must default to FullNat, got %s", *e.BindType)
	}
}

func TestInventoryShowsRegionsEipsAndEveryTargetType(t *testing.T) {
	w := newWorld(t)
	inv, err := w.s.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	var regions []string
	for _, r := range inv {
		if r.Provider != Provider {
			continue
		}
		regions = append(regions, r.Region)
		kinds := map[string]int{}
		for _, tg := range r.Targets {
			kinds[tg.Type]++
			if !strings.HasPrefix(tg.ID, Readable.Prefix[tg.Type]) {
				t.Errorf("target %s (%s) lacks prefix %s", tg.ID, tg.Type, Readable.Prefix[tg.Type])
			}
		}
		for _, k := range []string{"eni", "nat", "lb", "havip"} {
			if kinds[k] == 0 {
				t.Errorf("%s has no %s target", r.Region, k)
			}
		}
		if kinds["instance"] != 0 {
			t.Errorf("%s seeds instances, which ZEC cannot bind to", r.Region)
		}
		if len(r.EIPs) != sim.DefaultSeedEIPs || r.EIPs[0].Status != StatusUnbind {
			t.Errorf("%s: %d EIPs, first %+v", r.Region, len(r.EIPs), r.EIPs[0])
		}
	}
	if !slices.Equal(regions, []string{"asia-east-1", "asia-north-1"}) {
		t.Fatalf("regions = %v", regions)
	}
}

func TestSeededBindingsAreMadeOnceAndNeverRedone(t *testing.T) {
	w := newWorld(t)
	for id, target := range map[string]string{"eip-ae0024": "nat-ae0002", "eip-ae0023": "lb-ae0003", "eip-an0024": "nat-an0002"} {
		if e := w.eip(id); *e.Status != StatusBinded || *e.AssociatedId != target {
			t.Fatalf("%s starts %s on %v, want BINDED on %s", id, *e.Status, e.AssociatedId, target)
		}
	}
	if status, env := w.raw("UnassociateEipAddress", map[string]any{"eipIds": []string{"eip-ae0024"}}); status != 200 {
		t.Fatalf("%d %v", status, env)
	}
	w.clock.Advance(bindDelay)
	New(w.s) // a second front over the same world, as each eipctl process makes
	if got := w.status("eip-ae0024"); got != StatusUnbind {
		t.Fatalf("a new front rebound a released seed EIP: %s", got)
	}
}
