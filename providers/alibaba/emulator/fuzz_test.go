package emulator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/eipctl/eipctl/providers/alibaba/emulator"
	"github.com/eipctl/eipctl/providers/all/alltest"
	"github.com/eipctl/eipctl/providers/conformance"
)

// FuzzRequests: the RPC parameter parsing (query and form merged) and both
// signature verifiers (v1 HMAC-SHA1, ACS3) refuse every unsigned request in
// Alibaba's error shape: non-2xx, and Code, Message, RequestId, HostId and
// Recommend strings (a number there panics the Go SDK).
func FuzzRequests(f *testing.F) {
	f.Add("POST", "/?Action=DescribeEipAddresses", "Authorization: ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00\nX-Acs-Action: DescribeEipAddresses", []byte{})
	f.Add("POST", "/", "Content-Type: application/x-www-form-urlencoded", []byte("Action=AssociateEipAddress&AccessKeyId=LTAI5tEipctlEmulator&Signature=x&Timestamp=2026-01-01T00:00:00Z"))
	conformance.FuzzFront(f, alltest.For(f, emulator.Profile.Provider), func(t *testing.T, status int, _ http.Header, body []byte) {
		var e map[string]any
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("status %d: the answer is not JSON: %q", status, body)
		}
		if _, ours := e["Code"]; !ours && status == http.StatusNotFound {
			return // not an Alibaba request: the shared handler's own answer
		}
		if status < 400 {
			t.Fatalf("an unsigned request was answered %d: %s", status, body)
		}
		for _, k := range []string{"Code", "Message", "RequestId", "HostId", "Recommend"} {
			if v, ok := e[k]; ok {
				if _, str := v.(string); !str {
					t.Fatalf("%s is %T, not a string: %s", k, v, body)
				}
			} else if k != "HostId" && k != "Recommend" {
				t.Fatalf("the error has no %s: %s", k, body)
			}
		}
	})
}

// FuzzSignedBySDK: whatever values the official SDK signs, the emulator's v1
// verifier agrees with its signature (the canonical query's encoding of
// every byte), and the request parsers answer without panicking.
func FuzzSignedBySDK(f *testing.F) {
	f.Add("eip-hz0001", "", "cn-hangzhou", 10)
	f.Add("eip-hz0001,eip-hz0002", "name with spaces*~", "cn-hangzhou", 100)
	f.Add("é/?&=+%20", "\x00\xff", "", -1)
	transport := conformance.InProcess(alltest.For(f, emulator.Profile.Provider).Front(f))
	f.Fuzz(func(t *testing.T, ids, name, region string, pageSize int) {
		c, err := vpc.NewClientWithOptions("cn-hangzhou", sdk.NewConfig().WithScheme("HTTP"),
			credentials.NewStaticAKCredentialsProvider(emulator.Profile.Credentials.ID, emulator.Profile.Credentials.Secret))
		if err != nil {
			t.Fatal(err)
		}
		c.Domain = "127.0.0.1:8080"
		c.SetTransport(transport)
		req := vpc.CreateDescribeEipAddressesRequest()
		req.RegionId, req.AllocationId, req.EipName = region, ids, name
		req.PageSize = requests.NewInteger(pageSize)
		_, err = c.DescribeEipAddresses(req)
		var se *sdkerrors.ServerError
		if errors.As(err, &se) {
			switch se.ErrorCode() {
			case "SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId.NotFound", "InvalidTimeStamp.Format", "MissingParameter":
				t.Fatalf("the SDK's signed request was refused: %s %s", se.ErrorCode(), se.Message())
			}
		}
	})
}
