package alibaba

import (
	"context"
	"errors"
	"strings"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/eipctl/eipctl/pkg/eip"
)

// classes maps Alibaba error codes to unified classes. The retryable ones
// follow the protocol notes (A6) and the Terraform provider's retry lists.
var classes = map[string]eip.Class{
	"Throttling":          eip.ClassThrottled,
	"Throttling.User":     eip.ClassThrottled,
	"Throttling.Api":      eip.ClassThrottled,
	"Rejected.Throttling": eip.ClassThrottled,

	"ServiceUnavailable": eip.ClassTransient,
	"SystemBusy":         eip.ClassTransient,
	"InternalError":      eip.ClassTransient,

	"TaskConflict":                        eip.ClassConflict,
	"OperationConflict":                   eip.ClassConflict,
	"LastTokenProcessing":                 eip.ClassConflict,
	"OperationFailed.LastTokenProcessing": eip.ClassConflict,
	"IncorrectEipStatus":                  eip.ClassConflict,
	"IncorrectStatus":                     eip.ClassConflict,
	"IncorrectStatus.NatGateway":          eip.ClassConflict,
	"IncorrectInstanceStatus":             eip.ClassConflict,
	"IncorrectHaVipStatus":                eip.ClassConflict,
	"InvalidBindingStatus":                eip.ClassConflict,
	"InvalidAssociation.Duplicated":       eip.ClassInvalid, // the target holds another EIP: retrying cannot help

	"InvalidAllocationId.NotFound": eip.ClassNotFound,
	"InvalidInstanId.NotFound":     eip.ClassNotFound,
	"InvalidInstanceId.NotFound":   eip.ClassNotFound,
	"InvalidParams.NotFound":       eip.ClassNotFound,

	"InvalidAccessKeyId.NotFound":  eip.ClassAuth,
	"InvalidAccessKeyId":           eip.ClassAuth,
	"SignatureDoesNotMatch":        eip.ClassAuth,
	"IncompleteSignature":          eip.ClassAuth,
	"InvalidTimeStamp.Expired":     eip.ClassAuth,
	"InvalidSecurityToken.Expired": eip.ClassAuth,
	"Forbidden.RAM":                eip.ClassAuth,
	"Forbidden":                    eip.ClassAuth,
	"Forbbiden":                    eip.ClassAuth, // sic, as the API documents it
	"NoPermission":                 eip.ClassAuth,
}

// Classify keeps Alibaba's own code and message and picks the unified class.
func (p *Provider) Classify(err error) *eip.Error { return classify(err) }

func classify(err error) *eip.Error {
	var ue *eip.Error
	if errors.As(err, &ue) {
		return ue
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		class, ok := classes[code]
		switch {
		case ok:
		case strings.Contains(code, "Throttling"):
			class = eip.ClassThrottled
		case strings.HasSuffix(code, ".NotFound"):
			class = eip.ClassNotFound
		case se.HttpStatus() >= 500:
			class = eip.ClassTransient
		case se.HttpStatus() == 403:
			class = eip.ClassAuth
		default:
			class = eip.ClassInvalid
		}
		return &eip.Error{Code: code, Message: se.Message(), Class: class}
	}
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) {
		return &eip.Error{Code: ce.ErrorCode(), Message: ce.Message(), Class: eip.ClassTransient}
	}
	if errors.Is(err, context.Canceled) {
		return &eip.Error{Code: "Canceled", Message: "interrupted", Class: eip.ClassTransient}
	}
	// Connection refused, timeouts, resets: the request may not have arrived.
	return &eip.Error{Code: "NetworkError", Message: eip.TransportMessage(err), Class: eip.ClassTransient}
}
