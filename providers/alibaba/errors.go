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
	hintSysBusy   = "Alibaba says its system is busy: eipctl waited and sent it again; if it persists, run the same command again later"
	hintLookup    = "Alibaba failed to look up the resource or its billing: eipctl retried; run the same command again later"
	hintBusy      = "the EIP or its target is changing state or busy with another task: eipctl retried; check it with `eipctl eip list` and run again"
	hintFull      = "the target already holds an EIP or a Global Accelerator instance and takes no more: unbind that one first, or bind to another target"
	hintHeld      = "the target or the EIP is already bound: eipctl reads the EIP again to see whether it is already where you asked; otherwise unbind the other one first"
	hintRequest   = "Alibaba cannot do this for this EIP and target: check the target type, --mode and --private-ip (docs/providers/alibaba.md)"
	hintMode      = "the ENI already holds EIPs in another mode: use the --mode of the EIPs already on it, or unbind them first"
	hintDirect    = "a cut-through (--mode passthrough) EIP needs an ENI detached from its instance and without secondary private IPs: use --mode nat or another ENI"
	hintIPTarget  = "this refusal is about binding to an IP address through an IPv4 gateway, which eipctl never asks for: check --target and --target-type"
	hintInstReg   = "--instance-region cannot be used for this binding: drop it, or check that it names the target's region"
	hintAccount   = "the account or resource is locked or not allowed this: resolve it in the Alibaba console, then run again"
	hintQuota     = "the NAT gateway holds as many EIPs as its quota allows (20 by default): bind to another NAT gateway, unbind one, or raise the quota in the Alibaba console"
	hintENIFull   = "the ENI holds as many EIPs as it can in this mode (one per private IP in NAT mode): add a private IP, use another ENI, or unbind one"
	hintOwner     = "the EIP or the target belongs to another Alibaba account: check the ID, and that the credentials are that account's"
	hintEIP       = "no such EIP in this region: check the ID and --region (`eipctl eip list --provider alibaba --region ...`)"
	hintTarget    = "no such target in this region (or not a VPC one): check --target, --target-type and --region"
	hintRegion    = "the region is not known to Alibaba VPC: check --region (and --instance-region)"
	hintKey       = "the access key is wrong, disabled or unknown: check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET or the profile's credentials"
	hintClock     = "the request's timestamp is too far from Alibaba's clock (15 minutes): fix this machine's clock (NTP)"
	hintToken     = "the security token has expired or is malformed: refresh ALIBABA_CLOUD_SECURITY_TOKEN"
	hintRAM       = "the credentials lack permission for this action: grant it in RAM (vpc:AssociateEipAddress and friends)"
	hintEndpoint  = "the endpoint does not speak this API version: check --endpoint"
	hintFilter    = "DescribeEipAddresses refused a filter eipctl does not send (it reads by ID and page only): check --endpoint, or report it as an eipctl bug"
	hintToken2    = "this --client-token was already used for a different request: use a new token"
	// The NAT entry codes: Terraform retries them on unbind, since an entry
	// being deleted clears by itself; one that stays is the user's to delete.
	// eipctl never sends Force=true, which would delete the entries for them.
	hintSnat        = "an SNAT entry of the NAT gateway uses this EIP: eipctl retried in case it was being deleted; delete the SNAT entries that use this EIP (eipctl never deletes NAT entries for you), then run again"
	hintDnat        = "a DNAT (port forwarding) entry of the NAT gateway uses this EIP: eipctl retried in case it was being deleted; delete the DNAT entries that use this EIP (eipctl never deletes NAT entries for you), then run again"
	hintSnatUnready = "an SNAT or DNAT entry that uses this EIP is being changed on its NAT gateway: eipctl waited and retried; run again once the gateway's entries have settled"
)

// rules classifies every code the record documents for the actions eipctl
// calls: the error tables of the AssociateEipAddress,
// AssociateEipAddressBatch and UnassociateEipAddress pages, the codes
// Terraform's alicloud provider retries, the gateway's common codes and the
// emulator's own (testdata/codes.tsv lists them with their sources, and
// errors_test.go holds the two in step). Unlisted codes fall back on their
// shape (see ruleFor).
var rules = map[string]eip.Rule{
	"Throttling":              eip.ClassThrottled.With(hintThrottled),
	"Throttling.User":         eip.ClassThrottled.With(hintThrottled),
	"Throttling.Api":          eip.ClassThrottled.With(hintThrottled),
	"Throttling.DeepPageSkip": eip.ClassThrottled.With(hintThrottled),
	"Rejected.Throttling":     eip.ClassThrottled.With(hintThrottled),

	"ServiceUnavailable": eip.ClassTransient.With(hintTransient),
	// "Try again later" (both pages); Terraform retries it (its list says
	// SystemBusy and matches it inside the answer).
	"OperationFailed.SystemBusy":         eip.ClassTransient.With(hintSysBusy),
	"SystemBusy":                         eip.ClassTransient.With(hintSysBusy),
	"InternalError":                      eip.ClassTransient.With(hintTransient),
	"UnknownError":                       eip.ClassTransient.With(hintTransient),
	"OperationFailed.QueryCommodityInfo": eip.ClassTransient.With(hintLookup),
	"ResourceQueryError":                 eip.ClassTransient.With(hintLookup),
	// The Go SDK re-signs every send with a fresh nonce, so a resend passes.
	"SignatureNonceUsed": eip.ClassTransient.With("Alibaba saw this request's nonce before: eipctl sent it again with a new one"),

	"TaskConflict":                              eip.ClassConflict.With(hintBusy),
	"OperationConflict":                         eip.ClassConflict.With(hintBusy),
	"LastTokenProcessing":                       eip.ClassConflict.With(hintBusy),
	"OperationFailed.LastTokenProcessing":       eip.ClassConflict.With(hintBusy),
	"IncorrectEipStatus":                        eip.ClassConflict.With(hintBusy),
	"IncorrectStatus":                           eip.ClassConflict.With(hintBusy),
	"IncorrectStatus.NatGateway":                eip.ClassConflict.With(hintBusy),
	"IncorrectInstanceStatus":                   eip.ClassConflict.With(hintBusy),
	"IncorrectHaVipStatus":                      eip.ClassConflict.With(hintBusy),
	"InvalidBindingStatus":                      eip.ClassConflict.With(hintBusy),
	"InvalidStatus.EniStatusNotSupport":         eip.ClassConflict.With(hintBusy),
	"InvalidStatus.EcsStatusNotSupport":         eip.ClassConflict.With(hintBusy),
	"InvalidStatus.NotAllow":                    eip.ClassConflict.With(hintBusy),
	"OperationFailed.EcsMigrating":              eip.ClassConflict.With(hintBusy),
	"InvalidAction.Denied":                      eip.ClassConflict.With("the EIP's configuration is still being changed: eipctl retried; run again when it has finished"),
	"InvalidStatus.SnatOrDnat":                  eip.ClassConflict.With(hintSnatUnready),
	"InvalidIpStatus.HasBeenUsedBySnatTable":    eip.ClassConflict.With(hintSnat),
	"InvalidIpStatus.HasBeenUsedByForwardEntry": eip.ClassConflict.With(hintDnat),
	// Terraform retries it on bind: the target's own public bandwidth may be
	// on its way out.
	"InvalidStatus.InstanceHasBandWidth": eip.ClassConflict.With("the target still has public bandwidth of its own (a fixed public IP being released, say): eipctl retried; if it persists, release the target's own public IP or set its bandwidth to 0, then run again"),
	// The address (an ENI private IP) is bound already: a resend of a bind
	// that went through meets the binding it made, so it is read again.
	"ResourceAlreadyAssociated.IpAddress":    eip.ClassConflict.With(hintHeld),
	"BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP": eip.ClassConflict.With("the instance already holds an EIP or has port forwarding rules: eipctl reads the EIP again; otherwise remove them first"),

	"OperationDenied":                              eip.ClassInvalid.With(hintRequest),
	"InvalidParameter":                             eip.ClassInvalid.With(hintRequest),
	"InvalidParameter.Mismatch":                    eip.ClassInvalid.With("the EIP and the target are in different regions: use a target in the EIP's region, or --instance-region"),
	"InvalidParameter.InstanceTypeNotSupport":      eip.ClassInvalid.With(hintRequest),
	"InvalidParameter.EniInstanceId":               eip.ClassInvalid.With(hintRequest),
	"InvalidInstanceType.ValueNotSupported":        eip.ClassInvalid.With(hintRequest),
	"InvalidInstanceId.MisMatch":                   eip.ClassInvalid.With("the EIP is bound to another target than the one named: check --target"),
	"InstanceType.NotSupport":                      eip.ClassInvalid.With(hintRequest),
	"INSTANCE_TYPE_NOT_SUPPORT":                    eip.ClassInvalid.With(hintRequest),
	"BindInstance.NotSupported":                    eip.ClassInvalid.With(hintRequest),
	"EipBatchBind.TypeNotSupport":                  eip.ClassInvalid.With("AssociateEipAddressBatch takes only NAT gateways and secondary ENIs: bind other targets one by one"),
	"Invalid.DirectEip.BindType":                   eip.ClassInvalid.With("a cut-through (passthrough) EIP binds only to an ENI: change --mode or the target"),
	"Invalid.Function.NotSupported":                eip.ClassInvalid.With("multi-EIP on one ENI is not open to this account or region: use --mode nat"),
	"OperationUnsupported.MultiIp":                 eip.ClassInvalid.With("multi-EIP on one ENI is not open to this account or region: use --mode nat"),
	"OperationUnsupported.EipBindModel":            eip.ClassInvalid.With("this ECS instance type takes no MULTI_BINDED EIP: use --mode nat"),
	"IllegalParam.Mode":                            eip.ClassInvalid.With("Alibaba refuses this --mode for this target: use --mode nat, or multi-binded / passthrough on an ENI"),
	"Mode.Conflict":                                eip.ClassInvalid.With(hintMode),
	"OperationFailed.EipBindModeConflict":          eip.ClassInvalid.With(hintMode),
	"Mode.NotSupport":                              eip.ClassInvalid.With("this account cannot bind several cut-through EIPs: use --mode multi-binded or nat"),
	"Eni.Attached":                                 eip.ClassInvalid.With(hintDirect),
	"Eni.HasSubIp":                                 eip.ClassInvalid.With(hintDirect),
	"OperationFailed.EniSubIp":                     eip.ClassInvalid.With(hintDirect),
	"InvalidNexthop.DirectEni":                     eip.ClassInvalid.With("an ENI with a cut-through EIP cannot be a route's next hop: use --mode nat or remove the route"),
	"EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP":         eip.ClassInvalid.With("the instance has a NAT public IP: release it before binding an EIP"),
	"DependencyViolation.SnatEntry":                eip.ClassInvalid.With("an SNAT entry or SNAT IP pool of the NAT gateway depends on this EIP: take the EIP out of it first (eipctl never deletes NAT entries for you)"),
	"Forbidden.InstanceBandwidthNotZero":           eip.ClassInvalid.With(hintRequest),
	"InvalidEipBandwidth.OutOfMaxValue":            eip.ClassInvalid.With("the EIP's bandwidth exceeds what the target allows: lower it first"),
	"Forbidden.EipCanNotBindGatgw":                 eip.ClassInvalid.With(hintRequest),
	"OperationFailed.HavipBoundPortmap":            eip.ClassInvalid.With("the HaVip has port forwarding rules: remove them before binding an EIP"),
	"OperationFailed.IpPrefixConflict":             eip.ClassInvalid.With("the private IP is part of an IP prefix of the ENI, which takes no EIP: use another --private-ip"),
	"OperationDenied.NoAvailablePrivateIp":         eip.ClassInvalid.With("the vSwitch has no free private IP left: free one, or use another target"),
	"OperationDenied.CloudBoxResourceExist":        eip.ClassInvalid.With("the VPC holds CloudBox resources, which refuse this binding"),
	"OperationDenied.CloudBoxVSwitchExist":         eip.ClassInvalid.With("the VPC holds a CloudBox vSwitch, which refuses this binding"),
	"ServerRegion.Invalid":                         eip.ClassInvalid.With(hintInstReg),
	"EipBindRemote.BackendRegionMustBeSingle":      eip.ClassInvalid.With(hintInstReg),
	"InvalidParameter.BindingInstanceRegion":       eip.ClassInvalid.With(hintInstReg),
	"OperationFailed.RegionNotMatch":               eip.ClassInvalid.With("the EIP is not in this region: check --region"),
	"UnsupportedRegion":                            eip.ClassInvalid.With(hintRegion),
	"OperationDenied.UnsupportedEipBindMode":       eip.ClassInvalid.With("the NAT gateway's EIP binding mode does not allow this: check the gateway's settings"),
	"OperationDenied.Ipv4GatewayExist":             eip.ClassInvalid.With("the VPC has an IPv4 gateway, which refuses this binding"),
	"OperationDenied.VpcIpv4GatewayEnabled":        eip.ClassInvalid.With("the VPC has an IPv4 gateway, which refuses this binding"),
	"OperationFailed.Ipv4GatewayNotOpenedInVpc":    eip.ClassInvalid.With(hintIPTarget),
	"OperationFailed.Ipv4GatewayNotActivatedInVpc": eip.ClassInvalid.With(hintIPTarget),
	"OperationDenied.L2EipBindIpAddress":           eip.ClassInvalid.With(hintIPTarget),
	"UnsupportedFeature.EipBindIpAddress":          eip.ClassInvalid.With(hintIPTarget),
	"UnsupportedFeature.EipBindPrefixIp":           eip.ClassInvalid.With("this region binds no EIP to an IP prefix: use another --private-ip"),
	// Capacity refusals: the target holds as many EIPs as it may. Retrying
	// cannot make room, but the other EIPs of a batch may still fit, so they
	// are marked Full: the engine fails only the EIPs that do not.
	// InvalidAssociation.Duplicated is the pages' "this instance is already
	// associated with an EIP or a Global Accelerator instance": a target of
	// one EIP that holds one. A resend after a lost answer is read again
	// before it is failed (the engine rechecks every resend), so eipctl's own
	// bind is still found.
	"InvalidAssociation.Duplicated":    eip.ClassInvalid.With(hintFull).Full(),
	"QuotaExceeded.NumberOfEip":        eip.ClassInvalid.With(hintQuota).Full(),
	"QuotaExceeded.NumberOfTrafficEip": eip.ClassInvalid.With(hintQuota).Full(),
	"QuotaExceed.MultiBindedEip":       eip.ClassInvalid.With("the ENI holds as many multi-binded EIPs as its quota allows: bind to another ENI or unbind one").Full(),
	"InvalidEip.EipQuotaExceeded":      eip.ClassInvalid.With(hintENIFull).Full(),
	"NATGATEWAY_FINANCIALLOCKED":       eip.ClassInvalid.With("the NAT gateway has expired: renew it first"),
	"Forbidden.FinancialLocked":        eip.ClassInvalid.With("overdue payment locks this resource: settle it in the Alibaba console"),
	"InvalidEIPStatus.BizDisabled":     eip.ClassInvalid.With(hintAccount),
	"OperationDenied.Unauthorized":     eip.ClassInvalid.With(hintAccount),
	// Both documented at HTTP 400 for another account's EIP; ruleFor sends a
	// 403 Forbidden (a permission refusal) to auth.
	"BIND_INSTANCE_OWENER_ERROR":  eip.ClassInvalid.With(hintOwner),
	"Forbidden":                   eip.ClassInvalid.With(hintOwner),
	"IdempotentParameterMismatch": eip.ClassInvalid.With(hintToken2),
	"MissingParameter":            eip.ClassInvalid.With("the request lacked a parameter: report it as an eipctl bug"),
	"InvalidTimeStamp.Format":     eip.ClassInvalid.With("the request's timestamp was malformed: report it as an eipctl bug"),
	// DescribeEipAddresses' refusals of filters eipctl never sends (it reads
	// by AllocationId and pages only): if one comes, the request was not
	// eipctl's to make.
	"InvalidLockReason.NotFound":                       eip.ClassInvalid.With(hintFilter),
	"InvalidIAssociatedInstanceType.ValueNotSupported": eip.ClassInvalid.With(hintFilter),
	"InvalidChargeType.ValueNotSupported":              eip.ClassInvalid.With(hintFilter),
	"InvalidResourceGroupId":                           eip.ClassInvalid.With(hintFilter),
	"OperationUnsupported.ResourceGroupId":             eip.ClassInvalid.With(hintFilter),
	"InvalidVersion":                                   eip.ClassInvalid.With(hintEndpoint),
	"InvalidAction.NotFound":                           eip.ClassInvalid.With(hintEndpoint),

	"InvalidAllocationId.NotFound":       eip.ClassNotFound.With(hintEIP),
	"InvalidInstanId.NotFound":           eip.ClassNotFound.With(hintTarget),
	"InvalidInstanceId.NotFound":         eip.ClassNotFound.With(hintTarget),
	"InvalidParams.NotFound":             eip.ClassNotFound.With(hintTarget),
	"InvalidNicOrVm.NotFound":            eip.ClassNotFound.With(hintTarget),
	"InvalidInstance.NotExist":           eip.ClassNotFound.With(hintTarget),
	"InvalidBindInstance.NotFound":       eip.ClassNotFound.With(hintTarget),
	"InvalidLoadBalancerId.NotFound":     eip.ClassNotFound.With(hintTarget),
	"OperationFailed.InstanceNotExist":   eip.ClassNotFound.With(hintTarget),
	"InvalidBandwidthPackageId.NotFound": eip.ClassNotFound.With("the EIP's Internet Shared Bandwidth instance no longer exists: check the EIP in the Alibaba console"),
	"InvalidRegionId.NotFound":           eip.ClassNotFound.With(hintRegion),
	"Forbidden.RegionNotFound":           eip.ClassNotFound.With(hintRegion),

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
	"Forbbiden":                      eip.ClassAuth.With(hintRAM), // sic, as the API documents it
	"NoPermission":                   eip.ClassAuth.With(hintRAM),
}

// ruleFor looks a code up, then falls back on its shape: Throttling* is the
// rate limit, *.NotFound a missing thing, 5xx Alibaba's failure, 403 a
// permission; anything else is a request retrying cannot fix.
func ruleFor(code string, status int) eip.Rule {
	if status == http.StatusForbidden && code == "Forbidden" {
		// The gateway's permission refusal (AllocateEipAddress documents it
		// at 403), not the 400 "eip instance owner error" of the EIP calls.
		return eip.Rule{Class: eip.ClassAuth, Hint: hintRAM}
	}
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
	return eip.Classify(err, p.cfg.Credentials.ID, classify)
}

// classify reads an error that is not an *eip.Error yet.
func classify(err error) *eip.Error {
	// A request this adapter refused to build (a client token grown past
	// Alibaba's limit by the engine's suffixes, say): nothing was sent, and
	// sending cannot help.
	var bad *eip.UsageError
	if errors.As(err, &bad) {
		return &eip.Error{Code: "InvalidInput", Message: bad.Msg, Class: eip.ClassInvalid}
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
