package emulator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"
	zec "github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/zec20250901"

	"github.com/eipctl/eipctl/providers/all/alltest"
	"github.com/eipctl/eipctl/providers/conformance"
	"github.com/eipctl/eipctl/providers/zenlayer/emulator"
)

// FuzzRequests: the body parsing and the ZC2 verifier refuse every unsigned
// request in ZEC's shape: a non-200 status and {requestId, code, message},
// all strings (the Python SDK reads all three by key).
func FuzzRequests(f *testing.F) {
	f.Add("POST", "/api/v2/zec", "X-Zc-Action: DescribeEips\nContent-Type: application/json\nX-Zc-Timestamp: 1\nAuthorization: ZC2-HMAC-SHA256 Credential=ZL, SignedHeaders=content-type;host, Signature=00", []byte(`{"eipIds":["eip-1"]}`))
	f.Add("GET", "/api/v2/zec", "Authorization: Bearer x", []byte("{"))
	conformance.FuzzFront(f, alltest.For(f, emulator.Profile.Provider), func(t *testing.T, status int, _ http.Header, body []byte) {
		var e map[string]any
		err := json.Unmarshal(body, &e)
		if _, ours := e["code"]; !ours && status == http.StatusNotFound {
			return // not a Zenlayer request: the shared handler's own answer
		}
		if status == http.StatusOK || err != nil {
			t.Fatalf("an unsigned request was answered %d %s", status, body)
		}
		for _, k := range []string{"requestId", "code", "message"} {
			if _, str := e[k].(string); !str {
				t.Fatalf("the error's %s is %T, want a string: %s", k, e[k], body)
			}
		}
	})
}

// FuzzSignedBySDK: whatever values the official SDK signs into a body, the
// emulator's ZC2 verifier accepts the signature and the body parser answers
// without panicking.
func FuzzSignedBySDK(f *testing.F) {
	f.Add("eip-ae0001", "name", "BINDED", 20)
	f.Add("é\"\\\u2028", "\x00", "", -5)
	cfg := common.NewConfig().WithScheme("http").WithRateLimitRetry(0, nil)
	cfg.Domain = "127.0.0.1:8080"
	readable := alltest.For(f, emulator.Profile.Provider) // with eipctl's readable IDs, as the seeds are
	readable.Profile = emulator.Readable
	cfg.Transport = conformance.InProcess(readable.Front(f))
	c, err := zec.NewClient(cfg, emulator.Profile.Credentials.ID, emulator.Profile.Credentials.Secret)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id, name, status string, pageSize int) {
		req := zec.NewDescribeEipsRequest()
		req.EipIds = []string{id}
		req.Name, req.Status, req.PageSize = &name, &status, &pageSize
		_, err := c.DescribeEips(req)
		var se *common.ZenlayerCloudSdkError
		if errors.As(err, &se) && (strings.HasPrefix(se.Code, "AUTHFAILURE") || se.Code == common.JsonParseError) {
			t.Fatalf("the SDK's signed request was refused or answered unreadably: %s %s", se.Code, se.Message)
		}
	})
}
