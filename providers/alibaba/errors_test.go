package alibaba

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/sim"
	"github.com/eipctl/eipctl/providers/alibaba/emulator"
)

// A request that never reaches the cloud is transient, and its message names
// the endpoint without the signed query (access key ID, signature, nonce).
func TestUnreachableEndpointIsTransientAndShowsNoSignedURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	p, err := New(eip.ProviderConfig{Endpoint: "http://" + addr, Credentials: eip.Credentials{ID: "LTAIvisible", Secret: "s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Describe(context.Background(), "cn-hangzhou", []string{"eip-1"})
	if err == nil {
		t.Fatal("describe against a closed port succeeded")
	}
	ce := p.Classify(err)
	if ce.Class != eip.ClassTransient || ce.Code != "NetworkError" {
		t.Fatalf("class %s code %s, want transient NetworkError", ce.Class, ce.Code)
	}
	for _, leak := range []string{"LTAIvisible", "Signature", "SignatureNonce", "s3cret"} {
		if strings.Contains(ce.Message, leak) {
			t.Fatalf("message %q shows %s", ce.Message, leak)
		}
	}
	if !strings.Contains(ce.Message, addr) {
		t.Fatalf("message %q should name the endpoint %s", ce.Message, addr)
	}
}

// wantClass is every code of the table with the class it must have, written
// out again so that a changed row fails here.
var wantClass = map[string]eip.Class{
	"Throttling": eip.ClassThrottled, "Throttling.User": eip.ClassThrottled, "Throttling.Api": eip.ClassThrottled,
	"Throttling.DeepPageSkip": eip.ClassThrottled, "Rejected.Throttling": eip.ClassThrottled,

	"ServiceUnavailable": eip.ClassTransient, "OperationFailed.SystemBusy": eip.ClassTransient, "SystemBusy": eip.ClassTransient,
	"InternalError": eip.ClassTransient, "UnknownError": eip.ClassTransient, "SignatureNonceUsed": eip.ClassTransient,
	"OperationFailed.QueryCommodityInfo": eip.ClassTransient, "ResourceQueryError": eip.ClassTransient,

	"TaskConflict": eip.ClassConflict, "OperationConflict": eip.ClassConflict, "LastTokenProcessing": eip.ClassConflict,
	"OperationFailed.LastTokenProcessing": eip.ClassConflict, "IncorrectEipStatus": eip.ClassConflict,
	"IncorrectStatus": eip.ClassConflict, "IncorrectStatus.NatGateway": eip.ClassConflict,
	"IncorrectInstanceStatus": eip.ClassConflict, "IncorrectHaVipStatus": eip.ClassConflict,
	"InvalidBindingStatus": eip.ClassConflict, "InvalidStatus.EniStatusNotSupport": eip.ClassConflict,
	"InvalidStatus.EcsStatusNotSupport": eip.ClassConflict, "InvalidStatus.NotAllow": eip.ClassConflict,
	"OperationFailed.EcsMigrating": eip.ClassConflict, "InvalidAction.Denied": eip.ClassConflict,
	"InvalidAssociation.Duplicated": eip.ClassInvalid, "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP": eip.ClassConflict,
	"InvalidStatus.SnatOrDnat": eip.ClassConflict, "InvalidIpStatus.HasBeenUsedBySnatTable": eip.ClassConflict,
	"InvalidIpStatus.HasBeenUsedByForwardEntry": eip.ClassConflict, "InvalidStatus.InstanceHasBandWidth": eip.ClassConflict,
	"ResourceAlreadyAssociated.IpAddress": eip.ClassConflict,

	"OperationDenied": eip.ClassInvalid, "InvalidParameter": eip.ClassInvalid, "InvalidParameter.Mismatch": eip.ClassInvalid,
	"InvalidParameter.InstanceTypeNotSupport": eip.ClassInvalid, "InvalidParameter.EniInstanceId": eip.ClassInvalid,
	"InvalidInstanceType.ValueNotSupported": eip.ClassInvalid, "InvalidInstanceId.MisMatch": eip.ClassInvalid,
	"InstanceType.NotSupport": eip.ClassInvalid, "INSTANCE_TYPE_NOT_SUPPORT": eip.ClassInvalid,
	"BindInstance.NotSupported": eip.ClassInvalid, "EipBatchBind.TypeNotSupport": eip.ClassInvalid,
	"Invalid.DirectEip.BindType": eip.ClassInvalid, "Invalid.Function.NotSupported": eip.ClassInvalid,
	"OperationUnsupported.MultiIp": eip.ClassInvalid, "OperationUnsupported.EipBindModel": eip.ClassInvalid,
	"IllegalParam.Mode": eip.ClassInvalid, "Mode.Conflict": eip.ClassInvalid, "OperationFailed.EipBindModeConflict": eip.ClassInvalid,
	"Mode.NotSupport": eip.ClassInvalid, "Eni.Attached": eip.ClassInvalid, "Eni.HasSubIp": eip.ClassInvalid,
	"OperationFailed.EniSubIp": eip.ClassInvalid, "InvalidNexthop.DirectEni": eip.ClassInvalid,
	"EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP": eip.ClassInvalid, "DependencyViolation.SnatEntry": eip.ClassInvalid,
	"Forbidden.InstanceBandwidthNotZero": eip.ClassInvalid, "InvalidEipBandwidth.OutOfMaxValue": eip.ClassInvalid,
	"Forbidden.EipCanNotBindGatgw": eip.ClassInvalid, "OperationFailed.HavipBoundPortmap": eip.ClassInvalid,
	"OperationFailed.IpPrefixConflict": eip.ClassInvalid, "OperationDenied.NoAvailablePrivateIp": eip.ClassInvalid,
	"OperationDenied.CloudBoxResourceExist": eip.ClassInvalid, "OperationDenied.CloudBoxVSwitchExist": eip.ClassInvalid,
	"ServerRegion.Invalid": eip.ClassInvalid, "EipBindRemote.BackendRegionMustBeSingle": eip.ClassInvalid,
	"InvalidParameter.BindingInstanceRegion": eip.ClassInvalid, "OperationFailed.RegionNotMatch": eip.ClassInvalid,
	"UnsupportedRegion": eip.ClassInvalid, "OperationDenied.UnsupportedEipBindMode": eip.ClassInvalid,
	"OperationDenied.Ipv4GatewayExist": eip.ClassInvalid, "OperationDenied.VpcIpv4GatewayEnabled": eip.ClassInvalid,
	"OperationFailed.Ipv4GatewayNotOpenedInVpc": eip.ClassInvalid, "OperationFailed.Ipv4GatewayNotActivatedInVpc": eip.ClassInvalid,
	"OperationDenied.L2EipBindIpAddress": eip.ClassInvalid, "UnsupportedFeature.EipBindIpAddress": eip.ClassInvalid,
	"UnsupportedFeature.EipBindPrefixIp": eip.ClassInvalid,
	"QuotaExceeded.NumberOfEip":          eip.ClassInvalid, "QuotaExceeded.NumberOfTrafficEip": eip.ClassInvalid,
	"QuotaExceed.MultiBindedEip": eip.ClassInvalid, "InvalidEip.EipQuotaExceeded": eip.ClassInvalid,
	"NATGATEWAY_FINANCIALLOCKED": eip.ClassInvalid, "Forbidden.FinancialLocked": eip.ClassInvalid,
	"InvalidEIPStatus.BizDisabled": eip.ClassInvalid, "OperationDenied.Unauthorized": eip.ClassInvalid,
	"BIND_INSTANCE_OWENER_ERROR": eip.ClassInvalid, "Forbidden": eip.ClassInvalid,
	"IdempotentParameterMismatch": eip.ClassInvalid, "MissingParameter": eip.ClassInvalid,
	"InvalidTimeStamp.Format": eip.ClassInvalid, "InvalidVersion": eip.ClassInvalid,
	"InvalidLockReason.NotFound": eip.ClassInvalid, "InvalidIAssociatedInstanceType.ValueNotSupported": eip.ClassInvalid,
	"InvalidChargeType.ValueNotSupported": eip.ClassInvalid, "InvalidResourceGroupId": eip.ClassInvalid,
	"OperationUnsupported.ResourceGroupId": eip.ClassInvalid, "InvalidAction.NotFound": eip.ClassInvalid,

	"InvalidAllocationId.NotFound": eip.ClassNotFound, "InvalidInstanId.NotFound": eip.ClassNotFound,
	"InvalidInstanceId.NotFound": eip.ClassNotFound, "InvalidParams.NotFound": eip.ClassNotFound,
	"InvalidNicOrVm.NotFound": eip.ClassNotFound, "InvalidInstance.NotExist": eip.ClassNotFound,
	"InvalidBindInstance.NotFound": eip.ClassNotFound, "InvalidLoadBalancerId.NotFound": eip.ClassNotFound,
	"OperationFailed.InstanceNotExist": eip.ClassNotFound, "InvalidBandwidthPackageId.NotFound": eip.ClassNotFound,
	"InvalidRegionId.NotFound": eip.ClassNotFound, "Forbidden.RegionNotFound": eip.ClassNotFound,

	"InvalidAccessKeyId.NotFound": eip.ClassAuth, "InvalidAccessKeyId": eip.ClassAuth, "InvalidAccessKeyId.Inactive": eip.ClassAuth,
	"InvalidAccessKeySecret": eip.ClassAuth, "SignatureDoesNotMatch": eip.ClassAuth, "IncompleteSignature": eip.ClassAuth,
	"InvalidTimeStamp.Expired": eip.ClassAuth, "InvalidSecurityToken.Expired": eip.ClassAuth,
	"InvalidSecurityToken.Malformed": eip.ClassAuth, "Forbidden.RAM": eip.ClassAuth,
	"Forbbiden": eip.ClassAuth, "NoPermission": eip.ClassAuth,
}

// serverError is what the SDK makes of an Alibaba error answer.
func serverError(t *testing.T, status int, code, message string, headers map[string][]string) error {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"RequestId": "R1", "HostId": "vpc.aliyuncs.com", "Code": code, "Message": message, "Recommend": "https://api.aliyun.com/troubleshoot?q=" + code})
	se := sdkerrors.NewServerError(status, string(body), "").(*sdkerrors.ServerError)
	se.RespHeaders = headers
	return se
}

func TestEveryTableRowClassifiesWithTheCloudsWordsAndAHint(t *testing.T) {
	eiptest.CheckRules(t, rules, wantClass, "", func(code, msg string) *eip.Error {
		return classify(serverError(t, 400, code, msg, nil))
	})
}

func TestUnlistedCodesFallBackOnTheirShape(t *testing.T) {
	for _, c := range []struct {
		code   string
		status int
		want   eip.Class
	}{
		{"Throttling.Something.New", 400, eip.ClassThrottled},
		{"InvalidVSwitchId.NotFound", 404, eip.ClassNotFound},
		{"", 503, eip.ClassTransient}, // an HTML 5xx page
		{"SomethingRefused", 403, eip.ClassAuth},
		{"SomethingNew", 400, eip.ClassInvalid},
	} {
		if got := classify(serverError(t, c.status, c.code, "m", nil)); got.Class != c.want {
			t.Errorf("%q (%d) -> %s, want %s", c.code, c.status, got.Class, c.want)
		}
	}
	if got := classify(sdkerrors.NewClientError("SDK.CanNotResolveEndpoint", "no endpoint", nil)); got.Class != eip.ClassInvalid {
		t.Errorf("CanNotResolveEndpoint -> %s, want invalid", got.Class)
	}
	if got := classify(sdkerrors.NewClientError("SDK.TimeoutError", "slow", nil)); got.Class != eip.ClassTransient {
		t.Errorf("SDK.TimeoutError -> %s, want transient", got.Class)
	}
}

func TestRetryAfterHeaderBecomesTheHint(t *testing.T) {
	for _, c := range []struct {
		headers map[string][]string
		want    time.Duration
	}{
		{map[string][]string{"X-Acs-Retry-After": {"1500"}}, 1500 * time.Millisecond},
		{map[string][]string{"x-acs-retry-after": {" 20 "}}, 20 * time.Millisecond},
		{map[string][]string{"X-Acs-Retry-After": {"soon"}}, 0},
		{map[string][]string{"X-Acs-Retry-After": {"-5"}}, 0},
		{map[string][]string{"X-Acs-Retry-After": {"999999999999"}}, time.Hour}, // capped
		{nil, 0},
	} {
		got := classify(serverError(t, 400, "Throttling.User", "Request was denied due to user flow control.", c.headers))
		if got.RetryAfter != c.want || got.Class != eip.ClassThrottled {
			t.Errorf("headers %v -> RetryAfter %s class %s, want %s throttled", c.headers, got.RetryAfter, got.Class, c.want)
		}
	}
}

// The emulator, like Alibaba, answers a bad signature with the server's
// string to sign, which holds the whole AccessKeyId. Rows and stderr show
// its first four characters only.
func TestSignatureErrorShowsNoAccessKeyID(t *testing.T) {
	s, err := sim.New(sim.Options{Profiles: []sim.Profile{emulator.Profile}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(emulator.New(s)))
	defer srv.Close()
	id := emulator.Profile.Credentials.ID
	p, err := New(eip.ProviderConfig{Endpoint: srv.URL, Credentials: eip.Credentials{ID: id, Secret: "not-the-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Describe(context.Background(), "cn-hangzhou", []string{"eip-hz0001"})
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) || se.ErrorCode() != "SignatureDoesNotMatch" || !strings.Contains(se.Message(), id) {
		t.Fatalf("want the emulator's SignatureDoesNotMatch echoing %s, got %v", id, err)
	}
	got := p.Classify(err)
	if got.Class != eip.ClassAuth || strings.Contains(got.Message, id) || strings.Contains(got.Error(), id) {
		t.Fatalf("classified %s %q: shows the access key ID %s", got.Class, got.Message, id)
	}
	if !strings.Contains(got.Message, "string to sign is:") || !strings.Contains(got.Message, id[:4]+"****") {
		t.Errorf("message %q should keep the server's text with the key ID cut to %s****", got.Message, id[:4])
	}
}
