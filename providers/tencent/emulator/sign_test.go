package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
)

// The worked vector from the protocol notes (PART B2), produced by the Go SDK
// with its clock pinned and cross-checked with Python.
const (
	vecID        = "AKIDtestSecretId"
	vecKey       = "testSecretKey"
	vecTimestamp = 1704067200
	vecHost      = "127.0.0.1:8080"
	vecBody      = `{"AddressId":"eip-hxlqja90","InstanceId":"ins-m2j0hhgo"}`
	vecPayload   = "01b70276040c80d68a989805dfbfc8ace4c7a85c6d06212befd2864a06f01851"
	vecCRHash    = "ecc2322b78aeefc18746f4156cb11522170731138bccc013ff1e22ce98464b3c"
	vecSignature = "2134142d9bc9a9d6a4555511d629160e13d4a6ff7e17ad464e317bef60c72bbc"
)

func vectorRequest(sig string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://"+vecHost+"/", strings.NewReader(vecBody))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-TC-Action", "AssociateAddress")
	r.Header.Set("X-TC-Timestamp", strconv.Itoa(vecTimestamp))
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+vecID+"/2024-01-01/vpc/tc3_request, SignedHeaders=content-type;host, Signature="+sig)
	return r
}

func TestWorkedVectorSteps(t *testing.T) {
	if got := hashHex([]byte(vecBody)); got != vecPayload {
		t.Fatalf("payload hash = %s, want %s", got, vecPayload)
	}
	cr := canonicalRequest("POST", "/", "", []string{"content-type", "host"}, []string{"application/json", vecHost}, vecPayload)
	wantCR := "POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1:8080\n\ncontent-type;host\n" + vecPayload
	if cr != wantCR {
		t.Fatalf("canonical request:\n%q\nwant\n%q", cr, wantCR)
	}
	if got := hashHex([]byte(cr)); got != vecCRHash {
		t.Fatalf("canonical request hash = %s, want %s", got, vecCRHash)
	}
	sts := stringToSign(vecTimestamp, "2024-01-01", "vpc", cr)
	if want := "TC3-HMAC-SHA256\n1704067200\n2024-01-01/vpc/tc3_request\n" + vecCRHash; sts != want {
		t.Fatalf("string to sign = %q, want %q", sts, want)
	}
	if got := signature(vecKey, "2024-01-01", "vpc", sts); got != vecSignature {
		t.Fatalf("signature = %s, want %s", got, vecSignature)
	}
}

func TestVerifyWorkedVector(t *testing.T) {
	now := time.Unix(vecTimestamp, 0)
	id, err := verify(vectorRequest(vecSignature), []byte(vecBody), vecID, vecKey, now.Add(4*time.Minute))
	if err != nil || id != vecID {
		t.Fatalf("verify(vector) = %q, %v; want accepted", id, err)
	}
	// Accepted again: the Go SDK's rate-limit retry re-sends identical requests.
	if _, err := verify(vectorRequest(vecSignature), []byte(vecBody), vecID, vecKey, now); err != nil {
		t.Fatalf("replayed vector refused: %v", err)
	}
	cases := []struct {
		name string
		req  *http.Request
		body string
		key  string
		now  time.Time
		want string
	}{
		{"one hex digit off", vectorRequest(vecSignature[:63] + "d"), vecBody, vecKey, now, codeSignatureFailure},
		{"wrong secret key", vectorRequest(vecSignature), vecBody, "otherKey", now, codeSignatureFailure},
		{"body changed after signing", vectorRequest(vecSignature), strings.Replace(vecBody, "ins-", "lb-", 1), vecKey, now, codeSignatureFailure},
		{"six minutes late", vectorRequest(vecSignature), vecBody, vecKey, now.Add(6 * time.Minute), codeSignatureExpire},
		{"six minutes early", vectorRequest(vecSignature), vecBody, vecKey, now.Add(-6 * time.Minute), codeSignatureExpire},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := verify(c.req, []byte(c.body), vecID, c.key, c.now)
			if err == nil || err.Code != c.want {
				t.Fatalf("verify = %v, want %s", err, c.want)
			}
		})
	}
	if _, err := verify(vectorRequest(vecSignature), []byte(vecBody), "AKIDsomeoneElse", vecKey, now); err == nil || err.Code != codeSecretIDNotFound {
		t.Fatalf("unknown SecretId: got %v, want %s", err, codeSecretIDNotFound)
	}
}

// TestVerifyNodeStyle signs the way the Node SDK does: the host without its
// port, the real path, and the first host label as the service.
func TestVerifyNodeStyle(t *testing.T) {
	ts := int64(vecTimestamp)
	r := httptest.NewRequest(http.MethodPost, "http://"+vecHost+"/prefix", strings.NewReader(vecBody))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	cr := canonicalRequest("POST", "/prefix", "", []string{"content-type", "host"}, []string{"application/json", "127.0.0.1"}, vecPayload)
	sig := signature(vecKey, "2024-01-01", "127", stringToSign(ts, "2024-01-01", "127", cr))
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+vecID+"/2024-01-01/127/tc3_request, SignedHeaders=content-type;host, Signature="+sig)
	if _, err := verify(r, []byte(vecBody), vecID, vecKey, time.Unix(ts, 0)); err != nil {
		t.Fatalf("Node-style request refused: %v", err)
	}
}

// TestOfficialSDKSignatures sends real SDK requests (POST, GET, a security
// token, a path prefix) and checks the emulator accepts each, and refuses a
// wrong key with the cloud's code.
func TestOfficialSDKSignatures(t *testing.T) {
	env := newEnv(t, 0)
	cases := []struct {
		name string
		tune func(cpf *profile.ClientProfile)
		cred *common.Credential
	}{
		{"POST", nil, common.NewCredential(Profile.Credentials.ID, Profile.Credentials.Secret)},
		{"GET with flattened query", func(cpf *profile.ClientProfile) { cpf.HttpProfile.ReqMethod = "GET" }, common.NewCredential(Profile.Credentials.ID, Profile.Credentials.Secret)},
		{"security token", nil, common.NewTokenCredential(Profile.Credentials.ID, Profile.Credentials.Secret, "sts-token")},
		{"path prefix", func(cpf *profile.ClientProfile) { cpf.HttpProfile.Endpoint += "/some/prefix" }, common.NewCredential(Profile.Credentials.ID, Profile.Credentials.Secret)},
		{"unsigned payload", func(cpf *profile.ClientProfile) { cpf.UnsignedPayload = true }, common.NewCredential(Profile.Credentials.ID, Profile.Credentials.Secret)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := env.client(t, "ap-guangzhou", c.cred, c.tune)
			req := vpc.NewDescribeAddressesRequest()
			req.AddressIds = common.StringPtrs([]string{"eip-gz000001", "eip-gz000002"})
			req.Limit = common.Int64Ptr(100)
			resp, err := cl.DescribeAddressesWithContext(context.Background(), req)
			if err != nil {
				t.Fatalf("DescribeAddresses: %v", err)
			}
			if n := len(resp.Response.AddressSet); n != 2 {
				t.Fatalf("got %d addresses, want 2", n)
			}
		})
	}
	t.Run("wrong secret key", func(t *testing.T) {
		cl := env.client(t, "ap-guangzhou", common.NewCredential(Profile.Credentials.ID, "not-the-secret"), nil)
		_, err := cl.DescribeAddressesWithContext(context.Background(), vpc.NewDescribeAddressesRequest())
		wantCode(t, err, codeSignatureFailure)
	})
	t.Run("unknown secret id", func(t *testing.T) {
		cl := env.client(t, "ap-guangzhou", common.NewCredential("AKIDnobody", Profile.Credentials.Secret), nil)
		_, err := cl.DescribeAddressesWithContext(context.Background(), vpc.NewDescribeAddressesRequest())
		wantCode(t, err, codeSecretIDNotFound)
	})
	t.Run("stale timestamp", func(t *testing.T) {
		stale := newEnv(t, 0)
		stale.clock.Advance(10 * time.Minute)
		cl := stale.client(t, "ap-guangzhou", nil, nil)
		_, err := cl.DescribeAddressesWithContext(context.Background(), vpc.NewDescribeAddressesRequest())
		wantCode(t, err, codeSignatureExpire)
	})
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := err.(*tcerr.TencentCloudSDKError)
	if !ok {
		t.Fatalf("error = %v (%T), want a TencentCloudSDKError %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("error code = %s (%s), want %s", e.Code, e.Message, code)
	}
	if e.RequestId == "" {
		t.Fatalf("error %s came without a RequestId", e.Code)
	}
}

// TestSDKRetryReplaysAreAccepted: the SDK's own rate-limit retry re-sends the
// byte-identical signed request; the emulator must not treat it as a replay.
func TestSDKRetryReplaysAreAccepted(t *testing.T) {
	env := newEnv(t, 0)
	env.s.Inject(sim.Fault{Provider: provider, Action: "DescribeAddresses", Kind: sim.FaultThrottle})
	cl := env.client(t, "ap-guangzhou", nil, func(cpf *profile.ClientProfile) {
		cpf.RateLimitExceededMaxRetries = 1
		cpf.RateLimitExceededRetryDuration = profile.ConstantDurationFunc(10 * time.Millisecond)
	})
	if _, err := cl.DescribeAddressesWithContext(context.Background(), vpc.NewDescribeAddressesRequest()); err != nil {
		t.Fatalf("the SDK's retry of a throttled request was refused: %v", err)
	}
	sent := 0
	for _, e := range env.s.Journal() {
		if e.Action == "DescribeAddresses" {
			sent++
		}
	}
	if sent != 2 {
		t.Fatalf("%d DescribeAddresses reached the emulator, want the throttled one and its replay", sent)
	}
}
