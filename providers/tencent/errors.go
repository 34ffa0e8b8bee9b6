package tencent

import (
	"context"
	"errors"
	"strings"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/eipctl/eipctl/pkg/eip"
)

// classes maps Tencent error codes to unified classes. An exact code wins;
// otherwise its first segment (before the first dot) is looked up in
// families, so RequestLimitExceeded.UinLimitExceeded is throttling too.
// The retryable ones follow the protocol notes (B6) and the Terraform
// provider's retry lists.
var classes = map[string]eip.Class{
	"OperationDenied.MutexTaskRunning":               eip.ClassConflict,
	"UnsupportedOperation.MutexOperationTaskRunning": eip.ClassConflict,
	"DesOperation.MutexTaskRunning":                  eip.ClassConflict,
	// The EIP is not UNBIND yet: it may be finishing an unbind.
	"UnsupportedOperation.AddressStatusNotPermit": eip.ClassConflict,
	"InvalidAddressIdStatus.NotPermit":            eip.ClassConflict,
	"UnsupportedOperation.InvalidState":           eip.ClassConflict,
	// The target already holds an EIP: retrying cannot help.
	"InvalidInstanceId.AlreadyBindEip":       eip.ClassInvalid,
	"InvalidParameterValue.LBAlreadyBindEip": eip.ClassInvalid,
	"InvalidPrivateIpAddress.AlreadyBindEip": eip.ClassInvalid,
	"UnsupportedOperation.BindEIP":           eip.ClassInvalid,

	"InternalServerError":             eip.ClassTransient,
	"ResourceBusy":                    eip.ClassTransient,
	"FailedOperation.TaskFailed":      eip.ClassTransient,
	"ClientError.NetworkError":        eip.ClassTransient,
	"ClientError.HttpStatusCodeError": eip.ClassTransient,
	"ClientError.ParseJsonError":      eip.ClassTransient,

	"InvalidAddressId.NotFound":                        eip.ClassNotFound,
	"InvalidInstanceId.NotFound":                       eip.ClassNotFound,
	"InvalidNetworkInterfaceId.NotFound":               eip.ClassNotFound,
	"InvalidParameterValue.AddressNotFound":            eip.ClassNotFound,
	"InvalidParameterValue.NetworkInterfaceNotFound":   eip.ClassNotFound,
	"InvalidParameterValue.MissingAssociateEntity":     eip.ClassNotFound,
	"UnsupportedOperation.PublicIpAddressIsNotExisted": eip.ClassNotFound,

	"ClientError.CredentialError": eip.ClassAuth,
	"InvalidAccount.NotSupported": eip.ClassAuth,
}

var families = map[string]eip.Class{
	"RequestLimitExceeded":  eip.ClassThrottled,
	"InternalError":         eip.ClassTransient,
	"ResourceUnavailable":   eip.ClassTransient,
	"ResourceInUse":         eip.ClassConflict,
	"ResourceNotFound":      eip.ClassNotFound,
	"AuthFailure":           eip.ClassAuth,
	"UnauthorizedOperation": eip.ClassAuth,
}

// Classify keeps Tencent's own code and message and picks the unified class.
func (p *Provider) Classify(err error) *eip.Error { return classify(err) }

func classify(err error) *eip.Error {
	var ue *eip.Error
	if errors.As(err, &ue) {
		return ue
	}
	var se *tcerr.TencentCloudSDKError
	if errors.As(err, &se) {
		return &eip.Error{Code: se.Code, Message: se.Message, Class: classOf(se.Code)}
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

func classOf(code string) eip.Class {
	if c, ok := classes[code]; ok {
		return c
	}
	family, _, _ := strings.Cut(code, ".")
	if c, ok := families[family]; ok {
		return c
	}
	if strings.HasSuffix(code, ".NotFound") {
		return eip.ClassNotFound
	}
	return eip.ClassInvalid
}

// errNoResponse is a 200 reply without the Response wrapper, which the SDK
// decodes as success with nothing in it.
func errNoResponse(action string) error {
	return eip.Errorf(eip.ClassTransient, "ClientError.ParseJsonError", "%s answered without a Response object: retry, or report the endpoint's reply", action)
}
