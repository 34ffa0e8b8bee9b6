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

// wantClass is every code of the tables with the class it must have, written
// out again so that a changed row fails here.
var wantClass = map[string]eip.Class{
	"LimitExceeded.ActionLimited": eip.ClassThrottled,

	"OperationDenied.MutexTaskRunning": eip.ClassConflict, "UnsupportedOperation.MutexOperationTaskRunning": eip.ClassConflict,
	"DesOperation.MutexTaskRunning": eip.ClassConflict, "UnsupportedOperation.InstanceStateNotSupported": eip.ClassConflict,
	"InvalidParameterValue.InvalidInstanceState": eip.ClassConflict, "UnsupportedOperation.InvalidState": eip.ClassConflict,
	"UnsupportedOperation.AddressStatusNotPermit": eip.ClassConflict, "InvalidAddressIdStatus.NotPermit": eip.ClassConflict,
	"InvalidInstanceId.AlreadyBindEip": eip.ClassConflict, "InvalidParameterValue.LBAlreadyBindEip": eip.ClassConflict,
	"InvalidPrivateIpAddress.AlreadyBindEip": eip.ClassConflict, "UnsupportedOperation.BindEIP": eip.ClassConflict,
	"UnsupportedOperation.UnbindEIP": eip.ClassConflict, "UnsupportedOperation.PublicIpAddressDisassociate": eip.ClassConflict,

	"InternalServerError": eip.ClassTransient, "ResourceBusy": eip.ClassTransient, "FailedOperation.TaskFailed": eip.ClassTransient,
	"ClientError.NetworkError": eip.ClassTransient, "ClientError.HttpStatusCodeError": eip.ClassTransient,
	"ClientError.ParseJsonError": eip.ClassTransient,

	"InvalidAddressId.NotFound": eip.ClassNotFound, "InvalidParameterValue.AddressNotFound": eip.ClassNotFound,
	"UnsupportedOperation.PublicIpAddressIsNotExisted": eip.ClassNotFound, "FailedOperation.AddressEniInfoNotFound": eip.ClassNotFound,
	"InvalidInstanceId.NotFound": eip.ClassNotFound, "InvalidNetworkInterfaceId.NotFound": eip.ClassNotFound,
	"InvalidParameterValue.NetworkInterfaceNotFound": eip.ClassNotFound, "InvalidParameterValue.MissingAssociateEntity": eip.ClassNotFound,
	"UnsupportedOperation.ActionNotFound": eip.ClassNotFound, "UnsupportedRegion": eip.ClassNotFound,

	"InvalidAddressId.Blocked": eip.ClassInvalid, "OperationDenied.AddressInArrears": eip.ClassInvalid,
	"InvalidParameterValue.InstanceNormalPublicIpBlocked": eip.ClassInvalid, "InvalidAccount.NotSupported": eip.ClassInvalid,
	"LimitExceeded.InstanceAddressQuota": eip.ClassInvalid, "LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded": eip.ClassInvalid,
	"AddressQuotaLimitExceeded.DailyAllocate": eip.ClassInvalid, "InvalidParameterConflict": eip.ClassInvalid,
	"InvalidParameterValue.AddressIdMalformed": eip.ClassInvalid, "InvalidParameterValue.InstanceIdMalformed": eip.ClassInvalid,
	"InvalidParameterValue.AddressNotApplicable": eip.ClassInvalid, "InvalidParameterValue.Combination": eip.ClassInvalid,
	"InvalidParameterValue.InstanceDoesNotSupportAnycast": eip.ClassInvalid, "InvalidParameterValue.InstanceHasNoWanIP": eip.ClassInvalid,
	"InvalidParameterValue.InstanceHasWanIP": eip.ClassInvalid, "InvalidParameterValue.InstanceNoWanIP": eip.ClassInvalid,
	"InvalidParameterValue.InstanceNotMatchAssociateEni":      eip.ClassInvalid,
	"InvalidParameterValue.InvalidInstanceInternetChargeType": eip.ClassInvalid,
	"InvalidParameterValue.ResourceNotSupport":                eip.ClassInvalid, "UnsupportedOperation.AddressIpNotSupportInstance": eip.ClassInvalid,
	"UnsupportedOperation.IncorrectAddressResourceType": eip.ClassInvalid, "UnsupportedOperation.InvalidAction": eip.ClassInvalid,
	"UnsupportedOperation.InvalidAddressInternetChargeType": eip.ClassInvalid, "UnsupportedOperation.IspNotSupported": eip.ClassInvalid,
	"MissingParameter": eip.ClassInvalid, "UnknownParameter": eip.ClassInvalid, "InvalidAction": eip.ClassInvalid,
	"InvalidParameter": eip.ClassInvalid, "InvalidParameter.FormatError": eip.ClassInvalid,
	"InvalidParameter.InvalidFilter": eip.ClassInvalid, "InvalidParameterValue": eip.ClassInvalid,
	"InvalidParameterValue.LimitExceeded": eip.ClassInvalid, "InvalidParameterValue.Duplicate": eip.ClassInvalid,
	"InvalidParameterValue.Malformed": eip.ClassInvalid, "LimitExceeded.NumberOfFilters": eip.ClassInvalid,

	"AuthFailure.SignatureFailure": eip.ClassAuth, "AuthFailure.SecretIdNotFound": eip.ClassAuth,
	"AuthFailure.InvalidSecretId": eip.ClassAuth, "AuthFailure.InvalidAuthorization": eip.ClassAuth,
	"AuthFailure.SignatureExpire": eip.ClassAuth, "AuthFailure.TokenFailure": eip.ClassAuth,
	"AuthFailure.UnauthorizedOperation": eip.ClassAuth, "UnauthorizedOperation": eip.ClassAuth,
	"ClientError.CredentialError": eip.ClassAuth,
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
	eiptest.CheckRules(t, rules, wantClass, "", fromCloud)
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
	if got := classify(own); got != own {
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
