package zenlayer

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"

	"github.com/eipctl/eipctl/pkg/eip"
)

// Hints shared by many codes.
const (
	hintThrottled = "Zenlayer's rate limit (unpublished): eipctl slowed down and retried; if it persists, lower limits: in your profile (docs/rate-limits.md)"
	hintTransient = "a failure on Zenlayer's side or on the way there: eipctl retried; run the same command again later"
	hintBusy      = "the EIP is changing state: eipctl retried; check it with `eipctl eip list` and run again"
	// A resend after a lost answer meets what the first send did.
	hintThere   = "the EIP is not where this call needs it (already bound, or already unbound): eipctl reads it again to see whether it is already where you asked"
	hintRequest = "Zenlayer cannot do this for this EIP and target: check the target type and --mode (docs/providers/zenlayer.md)"
	hintEIP     = "no such EIP in this region: check the ID and --region (`eipctl eip list --provider zenlayer --region ...`)"
	hintTarget  = "no such target (or private IP on it) in this region: check --target, --private-ip and --region"
	hintKey     = "the access key ID or password is wrong, or this machine's clock is off: check ZENLAYERCLOUD_ACCESS_KEY_ID / ZENLAYERCLOUD_ACCESS_KEY_PASSWORD or the profile's credentials"
	hintBug     = "Zenlayer refused the request's form: report it as an eipctl bug, with the code"
)

// rules classifies every ZEC code (UPPER_SNAKE on the wire) the public
// record gives for these calls, each on purpose: testdata/codes.txt lists
// them with their sources (the UnassociateEipAddress and ChangeEipBindType
// error tables, the truncated AssociateEipAddress one, the Terraform
// provider's retry lists and ZEC lookups, the SDK's own codes, the
// bare-metal twin's EIP codes), and errors_test.go fails until a code added
// there has a row here. The few rows no record gives (eipctl's own codes,
// the emulator's choices) are named in errors_test.go's ownCodes.
var rules = map[string]eip.Rule{
	"REQUEST_LIMIT_EXCEEDED": eip.ClassThrottled.With(hintThrottled),

	"SERVICE_TEMPORARY_UNAVAILABLE": eip.ClassTransient.With(hintTransient),
	"INTERNAL_SERVER_ERROR":         eip.ClassTransient.With(hintTransient),
	"REQUEST_TIMED_OUT":             eip.ClassTransient.With(hintTransient),
	"REQUEST_TIMEOUT":               eip.ClassTransient.With(hintTransient), // eipctl's own: no answer within the request timeout
	"INVALID_OPERATION_TIMEOUT":     eip.ClassTransient.With(hintTransient),
	// Made by the SDK itself, never sent by the server.
	common.NetworkError:   eip.ClassTransient.With(hintTransient),
	common.IoError:        eip.ClassTransient.With(hintTransient),
	common.JsonParseError: eip.ClassTransient.With(hintTransient),

	// ZEC documents this one with HTTP 500; waiting fixes it.
	"OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT": eip.ClassConflict.With(hintBusy),
	// Unbinding an EIP that is not bound: what a resend of a lost unbind meets.
	"OPERATION_DENIED_EIP_NOT_ASSIGNED": eip.ClassConflict.With(hintThere),
	// failedEipIds: ZEC gives no reason per EIP, and a resend of a bind or
	// unbind that went through lands here.
	codeAssociateFailed:   eip.ClassConflict.With(hintThere),
	codeUnassociateFailed: eip.ClassConflict.With(hintThere),

	"INVALID_EIP_NOT_FOUND":               eip.ClassNotFound.With(hintEIP),
	"OPERATION_FAILED_RESOURCE_NOT_FOUND": eip.ClassNotFound.With(hintEIP),
	"INVALID_LB_NOT_FOUND":                eip.ClassNotFound.With(hintTarget),
	"INVALID_NIC_NOT_FOUND":               eip.ClassNotFound.With(hintTarget),
	"INVALID_NAT_NOT_FOUND":               eip.ClassNotFound.With(hintTarget),
	"INVALID_HAVIP_NOT_FOUND":             eip.ClassNotFound.With(hintTarget),
	"INVALID_LAN_IP_NOT_FOUND":            eip.ClassNotFound.With(hintTarget),
	"INVALID_INSTANCE_NOT_FOUND":          eip.ClassNotFound.With(hintTarget),
	"INVALID_REGION_NOT_FOUND":            eip.ClassNotFound.With("Zenlayer does not know this region: check --region"),

	"INVALID_REGION_MISMATCH": eip.ClassInvalid.With("the EIP and the target are in different regions: use a target in the EIP's region"),
	"INVALID_LB_STATUS":       eip.ClassInvalid.With("the load balancer's state does not allow binding: check it in the Zenlayer console"),
	// A capacity refusal of the whole call (HTTP 400, no failedEipIds): the
	// EIPs asked for would take the target over its limit, which may be by
	// one. Full, so the engine splits the batch and binds what fits.
	"OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED":            eip.ClassInvalid.With("the target cannot hold this EIP as well (it holds as many as Zenlayer allows, or this request would take it over): bind the rest to another target, or ask Zenlayer to raise the quota").Full(),
	"OPERATION_DENIED_EIP_IS_DEFAULT":                         eip.ClassInvalid.With("an instance's default public IP cannot be unbound"),
	"OPERATION_DENIED_EIP_NOT_ASSIGN_NIC":                     eip.ClassInvalid.With(hintRequest),
	"OPERATION_DENIED_EIP_NOT_SUPPORT_PASS_THROUGH_BIND_TYPE": eip.ClassInvalid.With("this EIP cannot bind in passthrough mode: use --mode fullnat"),
	"OPERATION_DENIED_NIC_NOT_EXIST_INSTANCE":                 eip.ClassInvalid.With("the vNIC is attached to no instance: attach it first"),
	"OPERATION_DENIED_EIP_RECYCLED":                           eip.ClassInvalid.With("the EIP is in the recycle bin: restore it first"),
	"FAILED_OPERATION_FOR_RECYCLE_RESOURCE":                   eip.ClassInvalid.With("the EIP is in the recycle bin: restore it first"),
	"INVALID_PARAMETER":                                       eip.ClassInvalid.With(hintRequest),
	"UNSUPPORTED_OPERATION":                                   eip.ClassInvalid.With(hintRequest),
	"UNSUPPORTED_HTTP_METHOD":                                 eip.ClassInvalid.With(hintBug),

	"AUTHFAILURE_SIGNATURE_FAILURE": eip.ClassAuth.With(hintKey),
	common.CredentialMissingError:   eip.ClassAuth.With(hintKey),
}

// Codes eipctl gives the EIPs a call lists in failedEipIds.
const (
	codeAssociateFailed   = "EIP_ASSOCIATE_FAILED"
	codeUnassociateFailed = "EIP_UNASSOCIATE_FAILED"
)

// Classify keeps Zenlayer's own code and message, picks the unified class,
// and masks this adapter's access key ID wherever a message echoes it.
func (p *Provider) Classify(err error) *eip.Error { return eip.Classify(err, p.keyID, classify) }

// classify reads an error that is not an *eip.Error yet.
func classify(err error) *eip.Error {
	if eip.IsUsage(err) {
		return &eip.Error{Message: err.Error(), Class: eip.ClassInvalid}
	}
	var se *common.ZenlayerCloudSdkError
	if errors.As(err, &se) {
		return eip.CloudError(se.Code, se.Message, ruleFor(se.Code))
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &eip.Error{Code: "REQUEST_TIMEOUT", Message: err.Error(), Class: eip.ClassTransient}
	case errors.Is(err, context.Canceled):
		return &eip.Error{Code: "CANCELED", Message: err.Error(), Class: eip.ClassTransient}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return &eip.Error{Code: common.NetworkError, Message: eip.TransportMessage(err), Class: eip.ClassTransient}
	}
	return &eip.Error{Message: eip.TransportMessage(err), Class: eip.ClassTransient}
}

// ruleFor looks a code up, then falls back on ZEC's naming: AUTHFAILURE_*
// for credentials, *_NOT_FOUND for missing things, INVALID_* and
// OPERATION_DENIED_* for requests the cloud will keep refusing. An unknown
// code is not retried: sending the same request again rarely changes an
// answer nobody has documented.
func ruleFor(code string) eip.Rule {
	if r, ok := rules[code]; ok {
		return r
	}
	switch {
	case strings.HasPrefix(code, "AUTHFAILURE") || strings.HasPrefix(code, "UNAUTHORIZED") || strings.Contains(code, "PERMISSION_DENIED"):
		return eip.ClassAuth.With(hintKey)
	case strings.Contains(code, "LIMIT_EXCEEDED") && strings.HasPrefix(code, "REQUEST"):
		return eip.ClassThrottled.With(hintThrottled)
	case strings.HasSuffix(code, "_NOT_FOUND"):
		return eip.ClassNotFound.With("check the IDs and --region")
	case strings.Contains(code, "TEMPORARY") || strings.Contains(code, "TIMEOUT") || strings.Contains(code, "TIMED_OUT"):
		return eip.ClassTransient.With(hintTransient)
	}
	return eip.ClassInvalid.With("look the code up in Zenlayer's API reference (docs.console.zenlayer.com)")
}
