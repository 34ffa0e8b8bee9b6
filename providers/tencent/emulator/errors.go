package emulator

import (
	"fmt"

	"github.com/eipctl/eipctl/pkg/sim"
)

// apiError is a refusal in Tencent's own words: it travels in
// Response.Error{Code, Message} of an HTTP 200 reply.
type apiError struct {
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Codes the emulator answers with. They are the cloud's documented codes
// (seed AssociateAddress page, the SDK's per-operation lists and the common
// error codes), so users can look them up.
const (
	codeSignatureFailure   = "AuthFailure.SignatureFailure"
	codeSignatureExpire    = "AuthFailure.SignatureExpire"
	codeSecretIDNotFound   = "AuthFailure.SecretIdNotFound"
	codeInvalidAuth        = "AuthFailure.InvalidAuthorization"
	codeRequestLimit       = "RequestLimitExceeded"
	codeInternalError      = "InternalError"
	codeServiceUnavailable = "ServiceUnavailable"
	codeResourceInUseAny   = "ResourceInUse"
	codeInvalidAction      = "InvalidAction"
	codeUnsupportedRegion  = "UnsupportedRegion"
	codeMissingParameter   = "MissingParameter"
	codeInvalidParameter   = "InvalidParameter"
	codeInvalidValue       = "InvalidParameterValue"
	codeParamConflict      = "InvalidParameterConflict"
	codeAddressMalformed   = "InvalidParameterValue.AddressIdMalformed"
	codeNotApplicable      = "InvalidParameterValue.AddressNotApplicable"
	codeCombination        = "InvalidParameterValue.Combination"
	codeLimitValue         = "InvalidParameterValue.LimitExceeded"
	codeDuplicate          = "InvalidParameterValue.Duplicate"
	codeAddressNotFound    = "InvalidAddressId.NotFound"
	codeInstanceNotFound   = "InvalidInstanceId.NotFound"
	codeENINotFound        = "InvalidNetworkInterfaceId.NotFound"
	codeInstanceHasEIP     = "InvalidInstanceId.AlreadyBindEip"
	codeLBHasEIP           = "InvalidParameterValue.LBAlreadyBindEip"
	codePrivateIPHasEIP    = "InvalidPrivateIpAddress.AlreadyBindEip"
	codeInstanceQuota      = "LimitExceeded.InstanceAddressQuota"
	codeNATQuota           = "LimitExceeded.PublicIpAddressPerNatGatewayLimitExceeded"
	codeFilters            = "LimitExceeded.NumberOfFilters"
	codeInvalidFilter      = "InvalidParameter.InvalidFilter"
	codeStatusNotPermit    = "UnsupportedOperation.AddressStatusNotPermit"
	codeWrongResourceType  = "UnsupportedOperation.IncorrectAddressResourceType"
	codeMutexTask          = "OperationDenied.MutexTaskRunning"
	codeVPCMutexTask       = "UnsupportedOperation.MutexOperationTaskRunning"
	codeResourceNotFound   = "ResourceNotFound"
	codeResourceInUse      = "ResourceInUse.Address"
	codeIPNotExisted       = "UnsupportedOperation.PublicIpAddressIsNotExisted"
	codeHaVipBindEIP       = "UnsupportedOperation.BindEIP"
	codeHaVipUnbindEIP     = "UnsupportedOperation.UnbindEIP"
	codeUnsupportedOp      = "UnsupportedOperation"
	codeInvalidParamFormat = "InvalidParameter.FormatError"
)

// coreWords is how AssociateAddress and DisassociateAddress, whose
// documented codes differ from the NAT and HaVip calls, word each refusal by
// the emulator core: the code, and the message around the ID concerned.
var coreWords = map[sim.Kind]struct{ code, format string }{
	sim.ErrRegionNotFound: {codeUnsupportedRegion, "The region %s is not supported by this API."},
	sim.ErrEIPNotFound:    {codeAddressNotFound, "The specified AddressId %s is not found."},
	sim.ErrTargetNotFound: {codeInstanceNotFound, "The specified instance %s is not found."},
	sim.ErrEIPBusy:        {codeMutexTask, "A mutually exclusive task is running on %s: wait for it to finish."},
	sim.ErrEIPInUse:       {codeStatusNotPermit, "The status of address %s does not permit this operation: only UNBIND addresses can be bound."},
	sim.ErrNotBound:       {codeStatusNotPermit, "The status of address %s does not permit this operation: only BIND and BIND_ENI addresses can be unbound."},
	sim.ErrPrivateIP:      {codeENINotFound, "The private IP %s is not on the specified network interface."},
	sim.ErrPrivateIPInUse: {codePrivateIPHasEIP, "The private IP %s is already bound to an EIP."},
}

// fromCore words a refusal by the emulator core for AssociateAddress and
// DisassociateAddress (coreWords); a full target is worded by its type.
func fromCore(err error, target *sim.Target) *apiError {
	ce, ok := err.(*sim.Error)
	if !ok {
		return errorf(codeInternalError, "An internal error has occurred: %v", err)
	}
	if w, ok := coreWords[ce.Kind]; ok {
		return errorf(w.code, w.format, ce.ID)
	}
	if ce.Kind == sim.ErrTargetFull {
		switch {
		case target != nil && target.Type == "instance":
			return errorf(codeInstanceHasEIP, "The instance %s is already bound to an EIP: unbind it first.", ce.ID)
		case target != nil && target.Type == "lb":
			return errorf(codeLBHasEIP, "The CLB instance %s is already bound to an EIP.", ce.ID)
		}
		return errorf(codeInstanceQuota, "The number of EIPs bound to %s has reached the limit.", ce.ID)
	}
	return errorf(codeInternalError, "An internal error has occurred: %v", err)
}
