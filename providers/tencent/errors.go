package tencent

import (
	"context"
	"errors"
	"strings"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Hints shared by many codes.
const (
	hintThrottled = "Tencent's rate limit for this action: eipctl slowed down and retried; if it persists, lower limits: in your profile (docs/rate-limits.md)"
	hintTransient = "a failure on Tencent's side or on the way there: eipctl retried; run the same command again later"
	hintBusy      = "another task is running on the EIP or its target: eipctl retried; check it with `eipctl eip list` and run again"
	// A resend of a call that went through meets what it did: the engine
	// reads the EIP again and reports what it finds.
	hintThere     = "the EIP or the target is already bound (or already unbound): eipctl reads the EIP again to see whether it is already where you asked; otherwise unbind the other one first"
	hintRequest   = "Tencent cannot do this for this EIP and target: check the target type, --mode and --private-ip (docs/providers/tencent.md)"
	hintAccount   = "the EIP or the account is blocked, in arrears or not allowed this: resolve it in the Tencent Cloud console"
	hintQuota     = "a quota is full: a retry cannot help; raise the quota or release what is unused"
	hintFull      = "the target holds as many EIPs as it may (a NAT gateway 10 by default, a CVM a few): bind to another target, unbind one from it, or raise its quota"
	hintEIP       = "no such EIP in this region: check the ID and --region (`eipctl eip list --provider tencent --region ...`)"
	hintTarget    = "no such target (or private IP on it) in this region: check --target, --private-ip and --region"
	hintKey       = "the SecretId or SecretKey is wrong or unknown: check TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY or the profile's credentials"
	hintClock     = "the request's timestamp is more than 5 minutes from Tencent's clock: fix this machine's clock (NTP)"
	hintCAM       = "the credentials lack permission for this action: grant it in CAM"
	hintBug       = "Tencent refused the request's form: report it as an eipctl bug, with the code"
	hintMalformed = "an ID is malformed: check --eip and --target (Tencent IDs look like eip-xxxxxxxx, ins-xxxxxxxx, eni-xxxxxxxx)"
	hintEndpoint  = "the endpoint does not serve this VPC 2017-03-12 action over this protocol: check --endpoint"
	hintIP        = "Tencent refuses calls from this machine's IP address for this key: check the key's IP allow-list in CAM"
)

// rules classifies, each on purpose, every code the Tencent SDK declares for
// the calls eipctl makes (the "可能返回的错误码" lists in tencentcloud-sdk-go
// vpc/v20170312/client.go, v1.0.1100 as pinned and v1.3.166 the newest read),
// every common error code (the "公共错误码" table of each API's error code
// page), the codes the AssociateAddress page lists, and every code the
// emulator sends. TestEverySDKCodeIsClassified reads the SDK in the module
// cache and fails for a code missing here. An exact code wins; otherwise the
// code's family (before the first dot) is looked up in families.
var rules = map[string]eip.Rule{
	// Throttling: the common codes (RequestLimitExceeded and its sub-codes).
	"RequestLimitExceeded":                              eip.ClassThrottled.With(hintThrottled),
	"RequestLimitExceeded.UinLimitExceeded":             eip.ClassThrottled.With(hintThrottled),
	"RequestLimitExceeded.IPLimitExceeded":              eip.ClassThrottled.With(hintThrottled),
	"RequestLimitExceeded.GlobalRegionUinLimitExceeded": eip.ClassThrottled.With(hintThrottled),
	"LimitExceeded.ActionLimited":                       eip.ClassThrottled.With(hintThrottled),

	// Another task holds the EIP or its target: it ends on its own.
	"OperationDenied.MutexTaskRunning":               eip.ClassConflict.With(hintBusy),
	"UnsupportedOperation.MutexOperationTaskRunning": eip.ClassConflict.With(hintBusy),
	"DesOperation.MutexTaskRunning":                  eip.ClassConflict.With(hintBusy),
	"UnsupportedOperation.InstanceStateNotSupported": eip.ClassConflict.With(hintBusy),
	"InvalidParameterValue.InvalidInstanceState":     eip.ClassConflict.With(hintBusy),
	"UnsupportedOperation.InvalidState":              eip.ClassConflict.With(hintBusy),
	"ResourceInUse":                                  eip.ClassConflict.With(hintBusy),
	// The EIP's status does not permit the call. Five codes say it in the
	// SDK's words ("该地址状态不支持此操作", "指定EIP的当前状态不允许进行该操作");
	// all mean the same, so all have one class: the EIP is mid-transition,
	// or already where a resent call asks, and a read tells which.
	"UnsupportedOperation.AddressStatusNotPermit":   eip.ClassConflict.With(hintThere),
	"InvalidAddressIdStatus.NotPermit":              eip.ClassConflict.With(hintThere),
	"InvalidAddressState":                           eip.ClassConflict.With(hintThere),
	"UnsupportedOperation.InvalidAddressState":      eip.ClassConflict.With(hintThere),
	"UnsupportedOperation.AddressIpStatusNotPermit": eip.ClassConflict.With(hintThere),
	// "Already bound" when a call is sent again after a lost answer.
	"InvalidInstanceId.AlreadyBindEip":                 eip.ClassConflict.With(hintThere),
	"InvalidParameterValue.LBAlreadyBindEip":           eip.ClassConflict.With(hintThere),
	"InvalidPrivateIpAddress.AlreadyBindEip":           eip.ClassConflict.With(hintThere),
	"InvalidParameterValue.NetworkInterfaceIdNotMatch": eip.ClassConflict.With(hintThere),
	"InvalidParameterValue.PrivateIpAddressNotMatch":   eip.ClassConflict.With(hintThere),
	"ResourceInUse.Address":                            eip.ClassConflict.With(hintThere),
	"UnsupportedOperation.BindEIP":                     eip.ClassConflict.With(hintThere),
	"UnsupportedOperation.UnbindEIP":                   eip.ClassConflict.With(hintThere),

	// Tencent's side, or the way there: worth the same call again.
	"ServiceUnavailable":              eip.ClassTransient.With(hintTransient),
	"InternalError":                   eip.ClassTransient.With(hintTransient),
	"InternalError.ModuleError":       eip.ClassTransient.With(hintTransient),
	"InternalServerError":             eip.ClassTransient.With(hintTransient),
	"ResourceUnavailable":             eip.ClassTransient.With(hintTransient),
	"ResourceInsufficient":            eip.ClassTransient.With(hintTransient),
	"ResourceBusy":                    eip.ClassTransient.With(hintTransient),
	"FailedOperation":                 eip.ClassTransient.With(hintTransient),
	"FailedOperation.TaskFailed":      eip.ClassTransient.With("Tencent's task for this call failed: eipctl retried; run the same command again"),
	"ClientError.NetworkError":        eip.ClassTransient.With(hintTransient),
	"ClientError.HttpStatusCodeError": eip.ClassTransient.With(hintTransient),
	"ClientError.ParseJsonError":      eip.ClassTransient.With(hintTransient),

	"InvalidAddressId.NotFound":                        eip.ClassNotFound.With(hintEIP),
	"InvalidParameterValue.AddressNotFound":            eip.ClassNotFound.With(hintEIP),
	"UnsupportedOperation.PublicIpAddressIsNotExisted": eip.ClassNotFound.With(hintEIP),
	"FailedOperation.AddressEniInfoNotFound":           eip.ClassNotFound.With(hintTarget),
	"FailedOperation.MasterEniNotFound":                eip.ClassNotFound.With(hintTarget),
	"InvalidInstanceId.NotFound":                       eip.ClassNotFound.With(hintTarget),
	"InvalidNetworkInterfaceId.NotFound":               eip.ClassNotFound.With(hintTarget),
	"InvalidParameterValue.NetworkInterfaceNotFound":   eip.ClassNotFound.With(hintTarget),
	"InvalidParameterValue.MissingAssociateEntity":     eip.ClassNotFound.With(hintTarget),
	"UnsupportedOperation.ActionNotFound":              eip.ClassNotFound.With(hintTarget),
	"ResourceNotFound":                                 eip.ClassNotFound.With("no such resource in this region: check the IDs and --region"),
	"UnsupportedRegion":                                eip.ClassNotFound.With("Tencent VPC does not serve this region: check --region"),

	"InvalidAddressId.Blocked":                            eip.ClassInvalid.With(hintAccount),
	"OperationDenied.AddressInArrears":                    eip.ClassInvalid.With(hintAccount),
	"InvalidParameterValue.InstanceNormalPublicIpBlocked": eip.ClassInvalid.With(hintAccount),
	"InvalidAccount.NotSupported":                         eip.ClassInvalid.With(hintAccount),
	"UnsupportedOperation.NatGatewayRestricted":           eip.ClassInvalid.With(hintAccount),
	"UnsupportedOperation.InstanceStatusNotPermit":        eip.ClassInvalid.With("the CVM is stopped in no-charge mode, which cannot take an EIP: start it, then run again"),
	// "Nat网关至少存在一个弹性IP，弹性IP不能解绑": a NAT gateway keeps one EIP.
	"UnsupportedOperation.PublicIpAddressDisassociate": eip.ClassInvalid.With("a NAT gateway keeps at least one EIP: bind another EIP to the gateway first, then move or unbind this one"),
	"LimitExceeded": eip.ClassInvalid.With(hintQuota),
	// The target holds as many EIPs as it may ("实例绑定的弹性IP超过配额",
	// "NAT网关绑定的弹性IP超过上限", SDK errors.go): a capacity refusal, so
	// the EIPs of a batch that fit can still be bound (Rule.Full). The
	// "already bound" codes above are not: a resent call meets them too.
	"LimitExceeded.InstanceAddressQuota":                                  eip.ClassInvalid.With(hintFull).Full(),
	"LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded":             eip.ClassInvalid.With(hintFull).Full(),
	"LimitExceeded.AddressQuotaLimitExceeded":                             eip.ClassInvalid.With(hintQuota),
	"LimitExceeded.DailyAllocateAddressQuotaLimitExceeded":                eip.ClassInvalid.With(hintQuota),
	"AddressQuotaLimitExceeded":                                           eip.ClassInvalid.With(hintQuota),
	"AddressQuotaLimitExceeded.DailyAllocate":                             eip.ClassInvalid.With(hintQuota),
	"InvalidParameterConflict":                                            eip.ClassInvalid.With("give either an instance or an ENI with --private-ip, not both"),
	"InvalidParameter.Conflict":                                           eip.ClassInvalid.With("give either an instance or an ENI with --private-ip, not both"),
	"InvalidParameterValue.AddressIdMalformed":                            eip.ClassInvalid.With("the EIP ID is malformed: Tencent EIP IDs look like eip-xxxxxxxx"),
	"InvalidParameterValue.InstanceIdMalformed":                           eip.ClassInvalid.With(hintMalformed),
	"InvalidParameterValue.NetworkInterfaceIdMalformed":                   eip.ClassInvalid.With(hintMalformed),
	"InvalidParameterValue.ResourceIdMalformed":                           eip.ClassInvalid.With(hintMalformed),
	"InvalidParameterValue.AddressNotApplicable":                          eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.Combination":                                   eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.EIPBrandWidthOutInvalid":                       eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InstanceDoesNotSupportAnycast":                 eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InstanceHasNoWanIP":                            eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InstanceHasWanIP":                              eip.ClassInvalid.With("the instance has an ordinary public IP: release it or bind the EIP elsewhere"),
	"InvalidParameterValue.InstanceNoWanIP":                               eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InstanceNotMatchAssociateEni":                  eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InvalidInstanceInternetChargeType":             eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.OnlySupportedForMasterNetworkCard":             eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.ResourceNotSupport":                            eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InstanceDoesNotSupportEipVisibleOnEni":         eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.InstanceVpcDoesNotSupportEipVisibleOnEni":      eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.PrivateIpAddressDoesNotSupportEipVisibleOnEni": eip.ClassInvalid.With(hintRequest),
	"InvalidInstance.NotSupported":                                        eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation":                                                eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation.AddressIpNotSupportInstance":                    eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation.IncorrectAddressResourceType":                   eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation.InvalidAction":                                  eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation.InvalidAddressInternetChargeType":               eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation.IspNotSupported":                                eip.ClassInvalid.With(hintRequest),
	"UnsupportedOperation.PublicIpAddressIsNotBGPIp":                      eip.ClassInvalid.With("a NAT gateway takes only BGP EIPs: bind another EIP"),
	"UnsupportedOperation.PublicIpAddressNotBilledByTraffic":              eip.ClassInvalid.With("a NAT gateway takes only EIPs billed by traffic: bind another EIP"),
	"UnsupportedOperation.UnsupportedBindLocalZoneEIP":                    eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue":                                               eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.Malformed":                                     eip.ClassInvalid.With(hintRequest),
	"InvalidParameterValue.Duplicate":                                     eip.ClassInvalid.With("an EIP is listed twice in one request: list each EIP once"),
	// Requests eipctl builds wrong: never the user's doing.
	"MissingParameter":                                eip.ClassInvalid.With(hintBug),
	"UnknownParameter":                                eip.ClassInvalid.With(hintBug),
	"InvalidParameter":                                eip.ClassInvalid.With(hintBug),
	"InvalidParameter.FormatError":                    eip.ClassInvalid.With(hintBug),
	"InvalidParameter.InvalidFilter":                  eip.ClassInvalid.With(hintBug),
	"InvalidParameterValue.LimitExceeded":             eip.ClassInvalid.With(hintBug),
	"InvalidParameterValue.InvalidDedicatedClusterId": eip.ClassInvalid.With(hintBug),
	"LimitExceeded.NumberOfFilters":                   eip.ClassInvalid.With(hintBug),
	"InvalidRequest":                                  eip.ClassInvalid.With(hintBug),
	"DryRunOperation":                                 eip.ClassInvalid.With(hintBug),
	"RequestSizeLimitExceeded":                        eip.ClassInvalid.With(hintBug),
	"ResponseSizeLimitExceeded":                       eip.ClassInvalid.With(hintBug),
	"ActionOffline":                                   eip.ClassInvalid.With(hintEndpoint),
	"InvalidAction":                                   eip.ClassInvalid.With(hintEndpoint),
	"NoSuchProduct":                                   eip.ClassInvalid.With(hintEndpoint),
	"NoSuchVersion":                                   eip.ClassInvalid.With(hintEndpoint),
	"UnsupportedProtocol":                             eip.ClassInvalid.With(hintEndpoint),

	"AuthFailure":                       eip.ClassAuth.With(hintKey),
	"AuthFailure.SignatureFailure":      eip.ClassAuth.With(hintKey),
	"AuthFailure.SecretIdNotFound":      eip.ClassAuth.With(hintKey),
	"AuthFailure.InvalidSecretId":       eip.ClassAuth.With(hintKey),
	"AuthFailure.InvalidAuthorization":  eip.ClassAuth.With(hintKey),
	"AuthFailure.MFAFailure":            eip.ClassAuth.With("the account requires MFA for this key: use a key without MFA protection for API calls"),
	"AuthFailure.SignatureExpire":       eip.ClassAuth.With(hintClock),
	"AuthFailure.TokenFailure":          eip.ClassAuth.With("the security token is wrong or expired: refresh it"),
	"AuthFailure.UnauthorizedOperation": eip.ClassAuth.With(hintCAM),
	"UnauthorizedOperation":             eip.ClassAuth.With(hintCAM),
	"IpInBlacklist":                     eip.ClassAuth.With(hintIP),
	"IpNotInWhitelist":                  eip.ClassAuth.With(hintIP),
	"ClientError.CredentialError":       eip.ClassAuth.With(hintKey),
}

// families classifies a code by its first segment when the exact code is not
// listed: RequestLimitExceeded.UinLimitExceeded is throttling too.
var families = map[string]eip.Rule{
	"RequestLimitExceeded":   eip.ClassThrottled.With(hintThrottled),
	"InternalError":          eip.ClassTransient.With(hintTransient),
	"ResourceUnavailable":    eip.ClassTransient.With(hintTransient),
	"ResourceInUse":          eip.ClassConflict.With(hintBusy),
	"InvalidAddressIdStatus": eip.ClassConflict.With(hintThere),
	"ResourceNotFound":       eip.ClassNotFound.With("no such resource in this region: check the IDs and --region"),
	"AuthFailure":            eip.ClassAuth.With(hintKey),
	"UnauthorizedOperation":  eip.ClassAuth.With(hintCAM),
}

// Classify keeps Tencent's own code and message, picks the unified class,
// and masks this adapter's SecretId wherever a message echoes it.
func (p *Provider) Classify(err error) *eip.Error {
	return eip.Classify(err, p.cfg.Credentials.ID, classify)
}

// classify reads an error that is not an *eip.Error yet.
func classify(err error) *eip.Error {
	var se *tcerr.TencentCloudSDKError
	if errors.As(err, &se) {
		return eip.CloudError(se.Code, se.Message, ruleFor(se.Code))
	}
	if eip.IsUsage(err) {
		return &eip.Error{Message: err.Error(), Class: eip.ClassInvalid}
	}
	if errors.Is(err, context.Canceled) {
		return &eip.Error{Code: "Canceled", Message: "interrupted", Class: eip.ClassTransient}
	}
	// Connection refused, timeouts, resets: the request may not have arrived.
	return &eip.Error{Code: "ClientError.NetworkError", Message: eip.TransportMessage(err), Class: eip.ClassTransient}
}

func ruleFor(code string) eip.Rule {
	if r, ok := rules[code]; ok {
		return r
	}
	family, _, _ := strings.Cut(code, ".")
	if r, ok := families[family]; ok {
		return r
	}
	if strings.HasSuffix(code, ".NotFound") {
		return eip.ClassNotFound.With("check the IDs and --region")
	}
	return eip.ClassInvalid.With("look the code up in Tencent's VPC error codes (cloud.tencent.com/document/api/215/15755)")
}

// errNoResponse is a 200 reply without the Response wrapper, which the SDK
// decodes as success with nothing in it.
func errNoResponse(action string) error {
	return eip.Errorf(eip.ClassTransient, "ClientError.ParseJsonError", "%s answered without a Response object: retry, or report the endpoint's reply", action)
}
