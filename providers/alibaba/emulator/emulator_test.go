package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/pkg/clock"
	"github.com/eipctl/eipctl/pkg/sim"
)

const region = "cn-hangzhou"

type world struct {
	sim   *sim.Sim
	clock *clock.Fake
	srv   *httptest.Server
}

func newWorld(t *testing.T) *world {
	t.Helper()
	fake := clock.NewFake(time.Now())
	s, err := sim.New(sim.Options{Clock: fake, BindDelay: 2 * time.Second, Profiles: []sim.Profile{Profile}, SeedEIPs: 60})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(New(s)))
	t.Cleanup(srv.Close)
	return &world{sim: s, clock: fake, srv: srv}
}

// sdkClient is the official Go SDK pointed at the emulator.
func (w *world) sdkClient(t *testing.T, secret string) *vpc.Client {
	t.Helper()
	c, err := vpc.NewClientWithOptions(region, sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewStaticAKCredentialsProvider(Profile.Credentials.ID, secret))
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = strings.TrimPrefix(w.srv.URL, "http://")
	return c
}

func serverCode(t *testing.T, err error) (int, string) {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want a ServerError from the SDK, got %v", err)
	}
	return se.HttpStatus(), se.ErrorCode()
}

func (w *world) phase(t *testing.T, id string) sim.Phase {
	t.Helper()
	var p sim.Phase
	w.sim.View(provider, func(c *sim.Cloud) {
		r, _ := c.Region(region)
		e, _ := r.EIP(id)
		p = e.Phase
	})
	return p
}

func associate(eipID, target, typ string) *vpc.AssociateEipAddressRequest {
	req := vpc.CreateAssociateEipAddressRequest()
	req.AllocationId, req.InstanceId, req.InstanceType = eipID, target, typ
	return req
}

func TestOfficialSDKBindsThroughTheStateMachine(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	if _, err := c.AssociateEipAddress(associate("eip-hz0001", "i-hz0001", "EcsInstance")); err != nil {
		t.Fatal(err)
	}
	d := vpc.CreateDescribeEipAddressesRequest()
	d.AllocationId = "eip-hz0001"
	resp, err := c.DescribeEipAddresses(d)
	if err != nil || len(resp.EipAddresses.EipAddress) != 1 {
		t.Fatalf("describe: %v %+v", err, resp)
	}
	if got := resp.EipAddresses.EipAddress[0]; got.Status != "Associating" || got.InstanceId != "i-hz0001" || got.InstanceType != "EcsInstance" {
		t.Fatalf("right after binding: %+v, want Associating on i-hz0001", got)
	}
	// A mutation during the transition is refused the way the cloud refuses it.
	un := vpc.CreateUnassociateEipAddressRequest()
	un.AllocationId = "eip-hz0001"
	if _, err := c.UnassociateEipAddress(un); err == nil {
		t.Fatal("unbinding while Associating succeeded")
	} else if st, code := serverCode(t, err); st != 400 || code != "TaskConflict" {
		t.Fatalf("unbind during transition: %d %s, want 400 TaskConflict", st, code)
	}
	w.clock.Advance(2 * time.Second)
	resp, _ = c.DescribeEipAddresses(d)
	if got := resp.EipAddresses.EipAddress[0].Status; got != "InUse" {
		t.Fatalf("after the bind delay: %s, want InUse", got)
	}
	if _, err := c.UnassociateEipAddress(un); err != nil {
		t.Fatal(err)
	}
	if p := w.phase(t, "eip-hz0001"); p != sim.Unassociating {
		t.Fatalf("after unbind: %s, want unassociating", p)
	}
	w.clock.Advance(2 * time.Second)
	if p := w.phase(t, "eip-hz0001"); p != sim.Available {
		t.Fatalf("after the delay: %s, want available", p)
	}
}

func TestAuthenticationFailures(t *testing.T) {
	w := newWorld(t)
	bad := w.sdkClient(t, "wrong-secret")
	_, err := bad.DescribeEipAddresses(vpc.CreateDescribeEipAddressesRequest())
	if st, code := serverCode(t, err); st != 400 || code != "SignatureDoesNotMatch" {
		t.Fatalf("wrong secret: %d %s", st, code)
	}
	var se *sdkerrors.ServerError
	errors.As(err, &se)
	if !strings.Contains(se.Recommend(), "InvalidAccessKeySecret") {
		t.Fatalf("the SDK should diagnose a wrong secret from the server's string to sign; Recommend = %q", se.Recommend())
	}
	unknown, _ := vpc.NewClientWithOptions(region, sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewStaticAKCredentialsProvider("LTAInobody", Profile.Credentials.Secret))
	unknown.Domain = strings.TrimPrefix(w.srv.URL, "http://")
	_, err = unknown.DescribeEipAddresses(vpc.CreateDescribeEipAddressesRequest())
	if _, code := serverCode(t, err); code != "InvalidAccessKeyId.NotFound" {
		t.Fatalf("unknown key: %s", code)
	}
	// The emulator's clock runs 16 minutes ahead of the SDK's signature.
	w.clock.Advance(16 * time.Minute)
	_, err = w.sdkClient(t, Profile.Credentials.Secret).DescribeEipAddresses(vpc.CreateDescribeEipAddressesRequest())
	if st, code := serverCode(t, err); st != 400 || code != "InvalidTimeStamp.Expired" {
		t.Fatalf("stale timestamp: %d %s", st, code)
	}
}

// signedV1 builds a request the way pop-core (the legacy Node SDK) does:
// GET with everything in the query, or POST with everything in a form body,
// and no SignatureType parameter.
func signedV1(t *testing.T, method, base string, business map[string]string, nonce string, secret string) *http.Request {
	t.Helper()
	p := url.Values{"AccessKeyId": {Profile.Credentials.ID}, "Format": {"JSON"}, "SignatureMethod": {"HMAC-SHA1"},
		"SignatureNonce": {nonce}, "SignatureVersion": {"1.0"}, "Version": {version},
		"Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")}, "RegionId": {region}}
	for k, v := range business {
		p.Set(k, v)
	}
	p.Set("Signature", signV1(secret, stringToSignV1(method, p)))
	if method == http.MethodGet {
		r, _ := http.NewRequest(method, base+"/?"+p.Encode(), nil)
		return r
	}
	r, _ := http.NewRequest(method, base+"/", strings.NewReader(p.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func do(t *testing.T, r *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("reply is not JSON: %s", b)
	}
	return resp.StatusCode, doc
}

func TestPopCoreGETAndFormPOSTAreAccepted(t *testing.T) {
	w := newWorld(t)
	for i, method := range []string{http.MethodGet, http.MethodPost} {
		st, doc := do(t, signedV1(t, method, w.srv.URL, map[string]string{"Action": "DescribeEipAddresses", "PageSize": "5"}, fmt.Sprintf("nonce-%d", i), Profile.Credentials.Secret))
		if st != 200 || doc["TotalCount"] != float64(60) || doc["Code"] != nil {
			t.Fatalf("%s: %d %v", method, st, doc)
		}
	}
}

func TestNonceReuseAndErrorEnvelope(t *testing.T) {
	w := newWorld(t)
	biz := map[string]string{"Action": "DescribeEipAddresses"}
	if st, _ := do(t, signedV1(t, http.MethodGet, w.srv.URL, biz, "same-nonce", Profile.Credentials.Secret)); st != 200 {
		t.Fatalf("first use: %d", st)
	}
	st, doc := do(t, signedV1(t, http.MethodGet, w.srv.URL, biz, "same-nonce", Profile.Credentials.Secret))
	if st != 400 || doc["Code"] != "SignatureNonceUsed" {
		t.Fatalf("reused nonce: %d %v", st, doc)
	}
	// Every field of an error is a string: the Go SDK panics on anything else.
	for _, k := range []string{"Code", "Message", "RequestId", "HostId", "Recommend"} {
		if _, ok := doc[k].(string); !ok {
			t.Fatalf("error field %s = %#v, want a string", k, doc[k])
		}
	}
}

// acs3Request signs a request the way the current generated SDKs do.
func acs3Request(t *testing.T, base, action string, query url.Values, secret string) *http.Request {
	t.Helper()
	r, _ := http.NewRequest(http.MethodPost, base+"/?"+query.Encode(), nil)
	sum := sha256.Sum256(nil)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", version)
	r.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	r.Header.Set("x-acs-signature-nonce", fmt.Sprintf("%064d", time.Now().UnixNano()))
	r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	canon := canonicalRequestACS3(http.MethodPost, "/", query, r.Header, r.URL.Host, signed, nil)
	h := sha256.Sum256([]byte(canon))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(h[:])))
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+Profile.Credentials.ID+",SignedHeaders="+strings.Join(signed, ";")+",Signature="+hex.EncodeToString(m.Sum(nil)))
	return r
}

func TestACS3RequestsAreVerified(t *testing.T) {
	w := newWorld(t)
	q := url.Values{"AllocationId": {"eip-hz0002"}, "InstanceId": {"i-hz0002"}, "InstanceType": {"EcsInstance"}, "RegionId": {region}}
	if st, doc := do(t, acs3Request(t, w.srv.URL, "AssociateEipAddress", q, Profile.Credentials.Secret)); st != 200 {
		t.Fatalf("ACS3 associate: %d %v", st, doc)
	}
	if p := w.phase(t, "eip-hz0002"); p != sim.Associating {
		t.Fatalf("after an ACS3 associate: %s", p)
	}
	if st, doc := do(t, acs3Request(t, w.srv.URL, "DescribeEipAddresses", url.Values{"RegionId": {region}}, "wrong")); st != 400 || doc["Code"] != "SignatureDoesNotMatch" {
		t.Fatalf("ACS3 with a wrong secret: %d %v", st, doc)
	}
}

func TestDocumentedLimitsAndCodes(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	code := func(err error) string { t.Helper(); return errCode(t, err) }
	batch := func(n int) error {
		req := vpc.CreateAssociateEipAddressBatchRequest()
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("eip-hz%04d", i+1)
		}
		req.InstanceIds, req.BindedInstanceId, req.BindedInstanceType = &ids, "ngw-hz0001", "Nat"
		_, err := c.AssociateEipAddressBatch(req)
		return err
	}
	if got := code(batch(51)); got != "InvalidParameter" {
		t.Errorf("batch of 51: %q, want InvalidParameter", got)
	}
	d := vpc.CreateDescribeEipAddressesRequest()
	d.PageSize = requests.NewInteger(101)
	if _, err := c.DescribeEipAddresses(d); code(err) != "InvalidParameter" {
		t.Errorf("PageSize 101 accepted")
	}
	d = vpc.CreateDescribeEipAddressesRequest()
	var many []string
	for i := 1; i <= 51; i++ {
		many = append(many, fmt.Sprintf("eip-hz%04d", i))
	}
	d.AllocationId = strings.Join(many, ",")
	if _, err := c.DescribeEipAddresses(d); code(err) != "InvalidParameter" {
		t.Errorf("51 AllocationIds accepted")
	}
	cases := []struct {
		req  *vpc.AssociateEipAddressRequest
		want string
	}{
		{associate("eip-hz9999", "i-hz0001", "EcsInstance"), "InvalidAllocationId.NotFound"},
		{associate("eip-hz0003", "i-hz9999", "EcsInstance"), "InvalidInstanId.NotFound"},
		{associate("eip-hz0003", "ngw-hz0001", "EcsInstance"), "InvalidInstanId.NotFound"}, // wrong kind for the ID
		{associate("eip-hz0003", "i-hz0001", "Router"), "InvalidInstanceType.ValueNotSupported"},
		{associate("eip-hz0060", "i-hz0001", "EcsInstance"), "IncorrectEipStatus"},            // seeded InUse
		{associate("eip-hz0003", "i-hz0060", "EcsInstance"), "InvalidAssociation.Duplicated"}, // seeded holder
	}
	for _, cse := range cases {
		if _, err := c.AssociateEipAddress(cse.req); code(err) != cse.want {
			t.Errorf("associate %s -> %s: %v, want %s", cse.req.AllocationId, cse.req.InstanceId, err, cse.want)
		}
	}
	mismatch := associate("eip-hz0003", "i-hz0001", "EcsInstance")
	mismatch.InstanceRegionId = "cn-beijing"
	if _, err := c.AssociateEipAddress(mismatch); code(err) != "InvalidParameter.Mismatch" {
		t.Errorf("cross-region: %v", err)
	}
	// A NAT gateway holds 20 EIPs by default: 21 in one batch are refused
	// whole with the documented quota code, 20 are bound.
	if got := code(batch(21)); got != "QuotaExceeded.NumberOfEip" {
		t.Errorf("batch of 21 to one NAT gateway: %q, want QuotaExceeded.NumberOfEip", got)
	}
	if got := code(batch(20)); got != "" {
		t.Errorf("batch of 20: %s, want success", got)
	}
}

func TestClientTokenReplayIsANoOpAndMismatchIsRefused(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	req := associate("eip-hz0004", "i-hz0004", "EcsInstance")
	req.ClientToken = "tok-1"
	for i := 0; i < 2; i++ {
		if _, err := c.AssociateEipAddress(req); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	other := associate("eip-hz0005", "i-hz0005", "EcsInstance")
	other.ClientToken = "tok-1"
	_, err := c.AssociateEipAddress(other)
	w.refused(t, err, "IdempotentParameterMismatch", "eip-hz0005", sim.Available)
}

func TestFaultsUseAlibabasCodes(t *testing.T) {
	w := newWorld(t)
	c := w.sdkClient(t, Profile.Credentials.Secret)
	w.sim.Inject(sim.Fault{Kind: sim.FaultThrottle})
	w.sim.Inject(sim.Fault{Kind: sim.FaultUnavailable})
	w.sim.Inject(sim.Fault{Kind: sim.FaultFailBinding})
	for _, want := range []struct {
		status int
		code   string
	}{{400, "Throttling.User"}, {503, "ServiceUnavailable"}} {
		_, err := c.DescribeEipAddresses(vpc.CreateDescribeEipAddressesRequest())
		if st, code := serverCode(t, err); st != want.status || code != want.code {
			t.Fatalf("fault: %d %s, want %d %s", st, code, want.status, want.code)
		}
	}
	// The fail-binding fault waited for a binding request instead of a read.
	if _, err := c.AssociateEipAddress(associate("eip-hz0006", "i-hz0006", "EcsInstance")); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Second)
	if p := w.phase(t, "eip-hz0006"); p != sim.Available {
		t.Fatalf("a failed binding should end Available, got %s", p)
	}
}
