package tencent

import (
	"context"
	"errors"
	"strings"
	"testing"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/providers/tencent/emulator"
)

// byClass is every code of the table with the class it must have, written
// out again so that a changed row fails here.
var byClass = map[eip.Class][]string{
	eip.ClassThrottled: {"RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "RequestLimitExceeded.IPLimitExceeded",
		"RequestLimitExceeded.GlobalRegionUinLimitExceeded", "LimitExceeded.ActionLimited"},
	eip.ClassConflict: {"OperationDenied.MutexTaskRunning", "UnsupportedOperation.MutexOperationTaskRunning",
		"DesOperation.MutexTaskRunning", "UnsupportedOperation.InstanceStateNotSupported", "InvalidParameterValue.InvalidInstanceState",
		"UnsupportedOperation.InvalidState", "ResourceInUse",
		"UnsupportedOperation.AddressStatusNotPermit", "InvalidAddressIdStatus.NotPermit", "InvalidAddressState",
		"UnsupportedOperation.InvalidAddressState", "UnsupportedOperation.AddressIpStatusNotPermit",
		"InvalidInstanceId.AlreadyBindEip", "InvalidParameterValue.LBAlreadyBindEip", "InvalidPrivateIpAddress.AlreadyBindEip",
		"InvalidParameterValue.NetworkInterfaceIdNotMatch", "InvalidParameterValue.PrivateIpAddressNotMatch", "ResourceInUse.Address",
		"UnsupportedOperation.BindEIP", "UnsupportedOperation.UnbindEIP"},
	eip.ClassTransient: {"ServiceUnavailable", "InternalError", "InternalError.ModuleError", "InternalServerError",
		"ResourceUnavailable", "ResourceInsufficient", "ResourceBusy", "FailedOperation", "FailedOperation.TaskFailed",
		"ClientError.NetworkError", "ClientError.HttpStatusCodeError", "ClientError.ParseJsonError"},
	eip.ClassNotFound: {"InvalidAddressId.NotFound", "InvalidParameterValue.AddressNotFound", "UnsupportedOperation.PublicIpAddressIsNotExisted",
		"FailedOperation.AddressEniInfoNotFound", "FailedOperation.MasterEniNotFound", "InvalidInstanceId.NotFound",
		"InvalidNetworkInterfaceId.NotFound", "InvalidParameterValue.NetworkInterfaceNotFound", "InvalidParameterValue.MissingAssociateEntity",
		"UnsupportedOperation.ActionNotFound", "ResourceNotFound", "UnsupportedRegion"},
	eip.ClassInvalid: {"InvalidAddressId.Blocked", "OperationDenied.AddressInArrears", "InvalidParameterValue.InstanceNormalPublicIpBlocked",
		"InvalidAccount.NotSupported", "UnsupportedOperation.NatGatewayRestricted", "UnsupportedOperation.InstanceStatusNotPermit",
		"UnsupportedOperation.PublicIpAddressDisassociate", "LimitExceeded", "LimitExceeded.InstanceAddressQuota",
		"LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded", "LimitExceeded.AddressQuotaLimitExceeded",
		"LimitExceeded.DailyAllocateAddressQuotaLimitExceeded", "AddressQuotaLimitExceeded", "AddressQuotaLimitExceeded.DailyAllocate",
		"InvalidParameterConflict", "InvalidParameter.Conflict", "InvalidParameterValue.AddressIdMalformed",
		"InvalidParameterValue.InstanceIdMalformed", "InvalidParameterValue.NetworkInterfaceIdMalformed", "InvalidParameterValue.ResourceIdMalformed",
		"InvalidParameterValue.AddressNotApplicable", "InvalidParameterValue.Combination", "InvalidParameterValue.EIPBrandWidthOutInvalid",
		"InvalidParameterValue.InstanceDoesNotSupportAnycast", "InvalidParameterValue.InstanceHasNoWanIP", "InvalidParameterValue.InstanceHasWanIP",
		"InvalidParameterValue.InstanceNoWanIP", "InvalidParameterValue.InstanceNotMatchAssociateEni",
		"InvalidParameterValue.InvalidInstanceInternetChargeType", "InvalidParameterValue.OnlySupportedForMasterNetworkCard",
		"InvalidParameterValue.ResourceNotSupport", "InvalidParameterValue.InstanceDoesNotSupportEipVisibleOnEni",
		"InvalidParameterValue.InstanceVpcDoesNotSupportEipVisibleOnEni", "InvalidParameterValue.PrivateIpAddressDoesNotSupportEipVisibleOnEni",
		"InvalidInstance.NotSupported", "UnsupportedOperation", "UnsupportedOperation.AddressIpNotSupportInstance",
		"UnsupportedOperation.IncorrectAddressResourceType", "UnsupportedOperation.InvalidAction",
		"UnsupportedOperation.InvalidAddressInternetChargeType", "UnsupportedOperation.IspNotSupported",
		"UnsupportedOperation.PublicIpAddressIsNotBGPIp", "UnsupportedOperation.PublicIpAddressNotBilledByTraffic",
		"UnsupportedOperation.UnsupportedBindLocalZoneEIP", "InvalidParameterValue", "InvalidParameterValue.Malformed",
		"InvalidParameterValue.Duplicate", "MissingParameter", "UnknownParameter", "InvalidParameter", "InvalidParameter.FormatError",
		"InvalidParameter.InvalidFilter", "InvalidParameterValue.LimitExceeded", "InvalidParameterValue.InvalidDedicatedClusterId",
		"LimitExceeded.NumberOfFilters", "InvalidRequest", "DryRunOperation", "RequestSizeLimitExceeded", "ResponseSizeLimitExceeded",
		"ActionOffline", "InvalidAction", "NoSuchProduct", "NoSuchVersion", "UnsupportedProtocol"},
	eip.ClassAuth: {"AuthFailure", "AuthFailure.SignatureFailure", "AuthFailure.SecretIdNotFound", "AuthFailure.InvalidSecretId",
		"AuthFailure.InvalidAuthorization", "AuthFailure.MFAFailure", "AuthFailure.SignatureExpire", "AuthFailure.TokenFailure",
		"AuthFailure.UnauthorizedOperation", "UnauthorizedOperation", "IpInBlacklist", "IpNotInWhitelist", "ClientError.CredentialError"},
}

func wantClass(t *testing.T) map[string]eip.Class {
	out := map[string]eip.Class{}
	for class, codes := range byClass {
		for _, code := range codes {
			if prev, dup := out[code]; dup {
				t.Errorf("%s is listed as both %s and %s", code, prev, class)
			}
			out[code] = class
		}
	}
	return out
}

// wantFamily is every family row, checked through a sub-code the exact
// table does not list.
var wantFamily = map[string]eip.Class{
	"RequestLimitExceeded": eip.ClassThrottled, "InternalError": eip.ClassTransient, "ResourceUnavailable": eip.ClassTransient,
	"ResourceInUse": eip.ClassConflict, "InvalidAddressIdStatus": eip.ClassConflict, "ResourceNotFound": eip.ClassNotFound,
	"AuthFailure": eip.ClassAuth, "UnauthorizedOperation": eip.ClassAuth,
}

func sdkError(code, msg string) error {
	return tcerr.NewTencentCloudSDKError(code, msg, "req-1")
}

func TestEveryTableRowClassifiesWithTheCloudsWordsAndAHint(t *testing.T) {
	fromCloud := func(code, msg string) *eip.Error { return classify(sdkError(code, msg)) }
	eiptest.CheckRules(t, rules, wantClass(t), "", fromCloud)
	eiptest.CheckRules(t, families, wantFamily, ".SomeSubCode", fromCloud)
	for code, want := range map[string]eip.Class{
		"RequestLimitExceeded": eip.ClassThrottled, "RequestLimitExceeded.UinLimitExceeded": eip.ClassThrottled,
		"RequestLimitExceeded.IPLimitExceeded": eip.ClassThrottled, "RequestLimitExceeded.GlobalRegionUinLimitExceeded": eip.ClassThrottled,
		"InternalError.ModuleError": eip.ClassTransient, "ResourceInUse.Address": eip.ClassConflict,
		"InvalidVpcId.NotFound": eip.ClassNotFound, "SomeNewCode.NeverSeen": eip.ClassInvalid,
	} {
		if got := classify(sdkError(code, "m")); got.Class != want {
			t.Errorf("%s -> %s, want %s", code, got.Class, want)
		}
	}
}

func TestClassifyOwnAndTransportErrors(t *testing.T) {
	if got := classify(errors.New("dial tcp 127.0.0.1:1: connection refused")); got.Class != eip.ClassTransient {
		t.Errorf("transport error: class %s, want transient", got.Class)
	}
	if got := classify(context.Canceled); got.Code != "Canceled" {
		t.Errorf("cancel: %+v", got)
	}
	own := eip.Errorf(eip.ClassInvalid, "MissingAddressIp", "x")
	if got := eip.Classify(own, "", classify); got != own {
		t.Errorf("an eip.Error must pass through unchanged, got %+v", got)
	}
}

// A message echoing the SecretId shows at most its first four characters
// (the conformance suite checks the emulator's signature refusals too).
func TestEchoedSecretIDIsMasked(t *testing.T) {
	id := emulator.Profile.Credentials.ID
	p := &Provider{cfg: eip.ProviderConfig{Credentials: eip.Credentials{ID: id}}}
	echo := p.Classify(sdkError("AuthFailure.SignatureFailure", "signature of Credential="+id+"/2026-01-01/vpc/tc3_request; SecretId "+id+" refused"))
	if strings.Contains(echo.Message, id) || strings.Count(echo.Message, id[:4]+"****") != 2 {
		t.Errorf("echoed SecretId not masked: %q", echo.Message)
	}
}

// The five codes that say the EIP's status does not permit the call
// (InvalidAddressState "指定EIP的当前状态不允许进行该操作",
// UnsupportedOperation.AddressStatusNotPermit "该地址状态不支持此操作", ...)
// mean the same, so they have one rule: one class and one hint.
func TestStatusNotPermitCodesAreOneClass(t *testing.T) {
	same := []string{"InvalidAddressState", "UnsupportedOperation.AddressStatusNotPermit", "InvalidAddressIdStatus.NotPermit",
		"UnsupportedOperation.InvalidAddressState", "UnsupportedOperation.AddressIpStatusNotPermit"}
	for _, code := range same[1:] {
		if rules[code] != rules[same[0]] {
			t.Errorf("%s is %+v, %s is %+v: they mean the same", code, rules[code], same[0], rules[same[0]])
		}
	}
	if c := rules[same[0]].Class; c != eip.ClassConflict {
		t.Errorf("status-not-permit codes are %s, want conflict (read again, then retried)", c)
	}
}
