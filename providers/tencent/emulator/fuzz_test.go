package emulator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/eipctl/eipctl/providers/all/alltest"
	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

// FuzzRequests: the JSON body parsing and the TC3 verifier refuse every
// unsigned request in Tencent's shape: HTTP 200, Response.Error{Code,
// Message} and a RequestId, all strings (the Node SDK throws on any other
// status; the Go SDK needs the wrapper).
func FuzzRequests(f *testing.F) {
	f.Add("POST", "/", "X-TC-Action: DescribeAddresses\nAuthorization: TC3-HMAC-SHA256 Credential=AKID/2026-01-01/vpc/tc3_request, SignedHeaders=content-type;host, Signature=00\nX-TC-Timestamp: 1", []byte(`{"AddressIds":["eip-1"]}`))
	f.Add("GET", "/?AddressIds.0=eip-1", "X-TC-Action: DescribeAddresses\nAuthorization: TC3-HMAC-SHA256 Credential=/, Signature=", []byte{})
	conformance.FuzzFront(f, alltest.For(f, emulator.Profile.Provider), func(t *testing.T, status int, _ http.Header, body []byte) {
		var e struct {
			Response *struct {
				Error *struct {
					Code, Message *string
				}
				RequestId *string
			}
		}
		err := json.Unmarshal(body, &e)
		if status == http.StatusNotFound && (err != nil || e.Response == nil) {
			return // not a Tencent request: the shared handler's own answer
		}
		if status != http.StatusOK || err != nil || e.Response == nil || e.Response.Error == nil ||
			e.Response.Error.Code == nil || *e.Response.Error.Code == "" || e.Response.Error.Message == nil || e.Response.RequestId == nil {
			t.Fatalf("an unsigned request was answered %d %s, want 200 with Response.Error{Code, Message} and RequestId", status, body)
		}
	})
}

// FuzzSignedBySDK: whatever values the official SDK signs into a JSON body,
// the emulator's TC3 verifier accepts its signature, and the body parser
// answers without panicking.
func FuzzSignedBySDK(f *testing.F) {
	f.Add("eip-gz000001", "address-status", "BIND", int64(0), int64(20))
	f.Add("é\"\\\u2028", "", "\x00", int64(-1), int64(1000))
	transport := conformance.InProcess(alltest.For(f, emulator.Profile.Provider).Front(f))
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = "127.0.0.1:8080"
	cpf.HttpProfile.Scheme = "HTTP"
	c, err := vpc.NewClient(common.NewCredential(emulator.Profile.Credentials.ID, emulator.Profile.Credentials.Secret), "ap-guangzhou", cpf)
	if err != nil {
		f.Fatal(err)
	}
	c.WithHttpTransport(transport)
	f.Fuzz(func(t *testing.T, id, filter, value string, offset, limit int64) {
		req := vpc.NewDescribeAddressesRequest()
		req.AddressIds = common.StringPtrs([]string{id})
		if filter != "" {
			req.AddressIds = nil
			req.Filters = []*vpc.Filter{{Name: common.StringPtr(filter), Values: common.StringPtrs([]string{value})}}
		}
		req.Offset, req.Limit = common.Int64Ptr(offset), common.Int64Ptr(limit)
		_, err := c.DescribeAddresses(req)
		var se *tcerr.TencentCloudSDKError
		if errors.As(err, &se) && (strings.HasPrefix(se.Code, "AuthFailure") || se.Code == "ClientError.ParseJsonError") {
			t.Fatalf("the SDK's signed request was refused or answered unreadably: %s %s", se.Code, se.Message)
		}
	})
}
