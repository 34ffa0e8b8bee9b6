package alibaba

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Hints shared by many codes.
const (
	hintThrottled = "Alibaba's rate limit for this action: eipctl slowed down and retried; if it persists, lower limits: in your profile (docs/rate-limits.md)"
	hintTransient = "a failure on Alibaba's side: eipctl retried; run the same command again later"
	hintBusy      = "the EIP or its target is changing state or busy with another task: eipctl retried; check it with `eipctl eip list` and run again"
	hintHeld      = "the target or the EIP is already bound: eipctl reads the EIP again to see whether it is already where you asked; otherwise unbind the other one first"
	hintRequest   = "Alibaba cannot do this for this EIP and target: check the target type, --mode and --private-ip (docs/providers/alibaba.md)"
	hintAccount   = "the account or resource is locked or not allowed this: resolve it in the Alibaba console, then run again"
	hintQuota     = "a quota is full (a NAT gateway holds 20 EIPs by default): bind to another target or raise the quota in the Alibaba console"
	hintEIP       = "no such EIP in this region: check the ID and --region (`eipctl eip list --provider alibaba --region ...`)"
	hintTarget    = "no such target in this region: check --target and --region"
	hintRegion    = "the region is not known to Alibaba VPC: check --region (and --instance-region)"
	hintKey       = "the access key is wrong, disabled or unknown: check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET or the profile's credentials"
	hintClock     = "the request's timestamp is too far from Alibaba's clock (15 minutes): fix this machine's clock (NTP)"
	hintToken     = "the security token has expired or is malformed: refresh ALIBABA_CLOUD_SECURITY_TOKEN"
	hintRAM       = "the credentials lack permission for this action: grant it in RAM (vpc:AssociateEipAddress and friends)"
	hintEndpoint  = "the endpoint does not speak this API version: check --endpoint"
	hintToken2    = "this --client-token was already used for a different request: use a new token"
)

// rules classifies every Alibaba code the EIP calls are documented to return
// (the AssociateEipAddress and AssociateEipAddressBatch pages, the protocol
// notes' retry lists A6, the signature checks A2) and every code the
// emulator sends. Unlisted codes fall back on their shape (see ruleFor).
var rules = map[string]eip.Rule{
	"Throttling":              eip.ClassThrottled.With(hintThrottled),
	"Throttling.User":         eip.ClassThrottled.With(hintThrottled),
	"Throttling.Api":          eip.ClassThrottled.With(hintThrottled),
	"Throttling.DeepPageSkip": eip.ClassThrottled.With(hintThrottled),
	"Rejected.Throttling":     eip.ClassThrottled.With(hintThrottled),

	"ServiceUnavailable": eip.ClassTransient.With(hintTransient),
	"SystemBusy":         eip.ClassTransient.With(hintTransient),
	"InternalError":      eip.ClassTransient.With(hintTransient),
	"UnknownError":       eip.ClassTransient.With(hintTransient),
	// The Go SDK re-signs every send with a fresh nonce, so a resend passes.
	"SignatureNonceUsed": eip.ClassTransient.With("Alibaba saw this request's nonce before: eipctl sent it again with a new one"),

	"TaskConflict":                        eip.ClassConflict.With(hintBusy),
	"OperationConflict":                   eip.ClassConflict.With(hintBusy),
	"LastTokenProcessing":                 eip.ClassConflict.With(hintBusy),
	"OperationFailed.LastTokenProcessing": eip.ClassConflict.With(hintBusy),
	"IncorrectEipStatus":                  eip.ClassConflict.With(hintBusy),
	"IncorrectStatus":                     eip.ClassConflict.With(hintBusy),
	"IncorrectStatus.NatGateway":          eip.ClassConflict.With(hintBusy),
	"IncorrectInstanceStatus":             eip.ClassConflict.With(hintBusy),
	"IncorrectHaVipStatus":                eip.ClassConflict.With(hintBusy),
	"InvalidBindingStatus":                eip.ClassConflict.With(hintBusy),
	"InvalidStatus.EniStatusNotSupport":   eip.ClassConflict.With(hintBusy),
	"InvalidStatus.EcsStatusNotSupport":   eip.ClassConflict.With(hintBusy),
	"InvalidStatus.NotAllow":              eip.ClassConflict.With(hintBusy),
	"OperationFailed.EcsMigrating":        eip.ClassConflict.With(hintBusy),
	"InvalidAction.Denied":                eip.ClassConflict.With("the EIP's configuration is still being changed: eipctl retried; run again when it has finished"),
	// A resend of a bind that went through meets the binding it made.
	"InvalidAssociation.Duplicated":          eip.ClassConflict.With(hintHeld),
	"BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP": eip.ClassConflict.With("the instance already holds an EIP or has port forwarding rules: eipctl reads the EIP again; otherwise remove them first"),

	"OperationDenied":                           eip.ClassInvalid.With(hintRequest),
	"InvalidParameter":                          eip.ClassInvalid.With(hintRequest),
	"InvalidParameter.Mismatch":                 eip.ClassInvalid.With("the EIP and the target are in different regions: use a target in the EIP's region, or --instance-region"),
	"InvalidParameter.InstanceTypeNotSupport":   eip.ClassInvalid.With(hintRequest),
	"InvalidParameter.EniInstanceId":            eip.ClassInvalid.With(hintRequest),
	"InvalidInstanceType.ValueNotSupported":     eip.ClassInvalid.With(hintRequest),
	"InvalidInstanceId.MisMatch":                eip.ClassInvalid.With("the EIP is bound to another target than the one named: check --target"),
	"InstanceType.NotSupport":                   eip.ClassInvalid.With(hintRequest),
	"INSTANCE_TYPE_NOT_SUPPORT":                 eip.ClassInvalid.With(hintRequest),
	"BindInstance.NotSupported":                 eip.ClassInvalid.With(hintRequest),
	"EipBatchBind.TypeNotSupport":               eip.ClassInvalid.With("AssociateEipAddressBatch takes only NAT gateways and secondary ENIs: bind other targets one by one"),
	"Invalid.DirectEip.BindType":                eip.ClassInvalid.With("a cut-through (passthrough) EIP binds only to an ENI: change --mode or the target"),
	"Invalid.Function.NotSupported":             eip.ClassInvalid.With("multi-EIP on one ENI is not open to this account or region: use --mode nat"),
	"Eni.Attached":                              eip.ClassInvalid.With("a cut-through EIP needs an ENI detached from its instance: detach it first"),
	"EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP":      eip.ClassInvalid.With("the instance has a NAT public IP: release it before binding an EIP"),
	"InvalidIpStatus.HasBeenUsedBySnatTable":    eip.ClassInvalid.With("the EIP is used by an SNAT entry: remove the entry first"),
	"InvalidIpStatus.HasBeenUsedByForwardEntry": eip.ClassInvalid.With("the EIP is used by a DNAT entry: remove the entry first"),
	"InvalidStatus.SnatOrDnat":                  eip.ClassInvalid.With("the EIP is used by SNAT or DNAT entries: remove them first"),
	"InvalidStatus.InstanceHasBandWidth":        eip.ClassInvalid.With(hintRequest),
	"Forbidden.InstanceBandwidthNotZero":        eip.ClassInvalid.With(hintRequest),
	"InvalidEipBandwidth.OutOfMaxValue":         eip.ClassInvalid.With("the EIP's bandwidth exceeds what the target allows: lower it first"),
	"Forbidden.EipCanNotBindGatgw":              eip.ClassInvalid.With(hintRequest),
	"ServerRegion.Invalid":                      eip.ClassInvalid.With(hintRegion),
	"OperationFailed.RegionNotMatch":            eip.ClassInvalid.With("the EIP is not in this region: check --region"),
	"OperationDenied.UnsupportedEipBindMode":    eip.ClassInvalid.With("the NAT gateway's EIP binding mode does not allow this: check the gateway's settings"),
	"OperationDenied.Ipv4GatewayExist":          eip.ClassInvalid.With("the VPC has an IPv4 gateway, which refuses this binding"),
	"OperationDenied.VpcIpv4GatewayEnabled":     eip.ClassInvalid.With("the VPC has an IPv4 gateway, which refuses this binding"),
	"QuotaExceeded.NumberOfEipBinded":           eip.ClassInvalid.With(hintQuota),
	"QuotaExceeded.NumberOfTrafficEip":          eip.ClassInvalid.With(hintQuota),
	"QuotaExceeded.Eip":                         eip.ClassInvalid.With(hintQuota),
	"NATGATEWAY_FINANCIALLOCKED":                eip.ClassInvalid.With("the NAT gateway has expired: renew it first"),
	"Forbidden.FinancialLocked":                 eip.ClassInvalid.With("overdue payment locks this resource: settle it in the Alibaba console"),
	"InvalidEIPStatus.BizDisabled":              eip.ClassInvalid.With(hintAccount),
	"OperationDenied.Unauthorized":              eip.ClassInvalid.With(hintAccount),
	"BIND_INSTANCE_OWENER_ERROR":                eip.ClassInvalid.With("the EIP or the target belongs to another account: use this account's resources"),
	"IdempotentParameterMismatch":               eip.ClassInvalid.With(hintToken2),
	"MissingParameter":                          eip.ClassInvalid.With("the request lacked a parameter: report it as an eipctl bug"),
	"InvalidTimeStamp.Format":                   eip.ClassInvalid.With("the request's timestamp was malformed: report it as an eipctl bug"),
	"InvalidVersion":                            eip.ClassInvalid.With(hintEndpoint),
	"InvalidAction.NotFound":                    eip.ClassInvalid.With(hintEndpoint),

	"InvalidAllocationId.NotFound": eip.ClassNotFound.With(hintEIP),
	"InvalidInstanId.NotFound":     eip.ClassNotFound.With(hintTarget),
	"InvalidInstanceId.NotFound":   eip.ClassNotFound.With(hintTarget),
	"InvalidParams.NotFound":       eip.ClassNotFound.With(hintTarget),
	"InvalidRegionId.NotFound":     eip.ClassNotFound.With(hintRegion),
	"Forbidden.RegionNotFound":     eip.ClassNotFound.With(hintRegion),

	"InvalidAccessKeyId.NotFound":    eip.ClassAuth.With(hintKey),
	"InvalidAccessKeyId":             eip.ClassAuth.With(hintKey),
	"InvalidAccessKeyId.Inactive":    eip.ClassAuth.With(hintKey),
	"InvalidAccessKeySecret":         eip.ClassAuth.With(hintKey),
	"SignatureDoesNotMatch":          eip.ClassAuth.With("the access key secret does not match the key ID: check ALIBABA_CLOUD_ACCESS_KEY_SECRET or the profile's secret"),
	"IncompleteSignature":            eip.ClassAuth.With(hintKey),
	"InvalidTimeStamp.Expired":       eip.ClassAuth.With(hintClock),
	"InvalidSecurityToken.Expired":   eip.ClassAuth.With(hintToken),
	"InvalidSecurityToken.Malformed": eip.ClassAuth.With(hintToken),
	"Forbidden.RAM":                  eip.ClassAuth.With(hintRAM),
	"Forbidden":                      eip.ClassAuth.With(hintRAM),
	"Forbbiden":                      eip.ClassAuth.With(hintRAM), // sic, as the API documents it
	"NoPermission":                   eip.ClassAuth.With(hintRAM),
}

// ruleFor looks a code up, then falls back on its shape: Throttling* is the
// rate limit, *.NotFound a missing thing, 5xx Alibaba's failure, 403 a
// permission; anything else is a request retrying cannot fix.
func ruleFor(code string, status int) eip.Rule {
	if r, ok := rules[code]; ok {
		return r
	}
	switch {
	case strings.Contains(code, "Throttling"):
		return eip.Rule{Class: eip.ClassThrottled, Hint: hintThrottled}
	case strings.HasSuffix(code, ".NotFound"):
		return eip.Rule{Class: eip.ClassNotFound, Hint: "check the IDs and --region"}
	case status >= 500:
		return eip.Rule{Class: eip.ClassTransient, Hint: hintTransient}
	case status == http.StatusForbidden:
		return eip.Rule{Class: eip.ClassAuth, Hint: hintRAM}
	}
	return eip.Rule{Class: eip.ClassInvalid, Hint: "look the code up at https://api.aliyun.com/troubleshoot"}
}

// Classify keeps Alibaba's own code and message, picks the unified class,
// and masks this adapter's access key ID wherever a message echoes it.
func (p *Provider) Classify(err error) *eip.Error {
	return classify(err).Redacted(p.cfg.Credentials.ID)
}

func classify(err error) *eip.Error {
	var ue *eip.Error
	if errors.As(err, &ue) {
		return ue
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		e := eip.CloudError(se.ErrorCode(), se.Message(), ruleFor(se.ErrorCode(), se.HttpStatus()))
		e.RetryAfter = retryAfter(se.RespHeaders)
		return e
	}
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) {
		r := eip.Rule{Class: eip.ClassTransient, Hint: "the request did not complete: eipctl retried; check the network and --endpoint"}
		if ce.ErrorCode() == "SDK.CanNotResolveEndpoint" {
			r = eip.Rule{Class: eip.ClassInvalid, Hint: hintRegion}
		}
		return eip.CloudError(ce.ErrorCode(), ce.Message(), r)
	}
	if errors.Is(err, context.Canceled) {
		return &eip.Error{Code: "Canceled", Message: "interrupted", Class: eip.ClassTransient}
	}
	// Connection refused, timeouts, resets: the request may not have arrived.
	return &eip.Error{Code: "NetworkError", Message: eip.TransportMessage(err), Class: eip.ClassTransient}
}

// retryAfter reads Alibaba's x-acs-retry-after header (milliseconds), which
// its own SDK core honours on throttling answers. Absent or malformed: zero.
func retryAfter(h map[string][]string) time.Duration {
	for k, v := range h {
		if strings.EqualFold(k, "x-acs-retry-after") && len(v) > 0 {
			ms, err := strconv.ParseInt(strings.TrimSpace(v[0]), 10, 64)
			if err != nil || ms <= 0 {
				return 0
			}
			return time.Duration(min(ms, int64(time.Hour/time.Millisecond))) * time.Millisecond
		}
	}
	return 0
}

// recoverSDK turns a panic inside the SDK into an error. The SDK type-asserts
// the error body's Code, Message, RequestId, HostId and Recommend to strings
// and panics when one is not (found by FuzzResponses: {"Code":1} from any
// endpoint, a broken proxy say, crashed eipctl). Such an answer is not
// Alibaba's: transient, like any other unreadable reply.
func recoverSDK(err *error) {
	if v := recover(); v != nil {
		*err = eip.Errorf(eip.ClassTransient, "SDK.UnreadableAnswer",
			"the endpoint's answer could not be read by the Alibaba SDK (%v): check --endpoint, or run again", v)
	}
}
