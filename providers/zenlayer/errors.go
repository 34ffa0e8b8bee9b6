package zenlayer

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"

	"github.com/eipctl/eipctl/pkg/eip"
)

// classes maps ZEC error codes (UPPER_SNAKE on the wire) to unified classes,
// from the protocol notes' lists and the Terraform provider's retry lists.
var classes = map[string]eip.Class{
	"REQUEST_LIMIT_EXCEEDED": eip.ClassThrottled,

	"SERVICE_TEMPORARY_UNAVAILABLE": eip.ClassTransient,
	"INTERNAL_SERVER_ERROR":         eip.ClassTransient,
	"REQUEST_TIMED_OUT":             eip.ClassTransient,
	"INVALID_OPERATION_TIMEOUT":     eip.ClassTransient,
	// Made by the SDK itself, never sent by the server.
	common.NetworkError:   eip.ClassTransient,
	common.IoError:        eip.ClassTransient,
	common.JsonParseError: eip.ClassTransient,

	// The EIP is changing state (ZEC documents this one with HTTP 500) or is
	// not bound yet: waiting can fix both.
	"OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT": eip.ClassConflict,
	"OPERATION_DENIED_EIP_NOT_ASSIGNED":       eip.ClassConflict,

	"INVALID_EIP_NOT_FOUND":               eip.ClassNotFound,
	"INVALID_LB_NOT_FOUND":                eip.ClassNotFound,
	"INVALID_NIC_NOT_FOUND":               eip.ClassNotFound,
	"INVALID_NAT_NOT_FOUND":               eip.ClassNotFound,
	"INVALID_HAVIP_NOT_FOUND":             eip.ClassNotFound,
	"OPERATION_FAILED_RESOURCE_NOT_FOUND": eip.ClassNotFound,

	// Retrying cannot help: the request or the account must change.
	"INVALID_REGION_MISMATCH":                                 eip.ClassInvalid,
	"INVALID_LB_STATUS":                                       eip.ClassInvalid,
	"OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED":            eip.ClassInvalid, // a quota: ask Zenlayer to raise it
	"OPERATION_DENIED_EIP_IS_DEFAULT":                         eip.ClassInvalid,
	"OPERATION_DENIED_EIP_NOT_ASSIGN_NIC":                     eip.ClassInvalid,
	"OPERATION_DENIED_EIP_NOT_SUPPORT_PASS_THROUGH_BIND_TYPE": eip.ClassInvalid,
	"OPERATION_DENIED_NIC_NOT_EXIST_INSTANCE":                 eip.ClassInvalid,

	"AUTHFAILURE_SIGNATURE_FAILURE": eip.ClassAuth,
	common.CredentialMissingError:   eip.ClassAuth,
}

// Classify keeps Zenlayer's own code and message and picks the unified class.
func (p *Provider) Classify(err error) *eip.Error { return classify(err) }

func classify(err error) *eip.Error {
	var ue *eip.Error
	if errors.As(err, &ue) {
		return ue
	}
	if eip.IsUsage(err) {
		return &eip.Error{Message: err.Error(), Class: eip.ClassInvalid}
	}
	var se *common.ZenlayerCloudSdkError
	if errors.As(err, &se) {
		return &eip.Error{Code: se.Code, Message: se.Message, Class: classOf(se.Code)}
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

// classOf looks a code up, then falls back on ZEC's naming: AUTHFAILURE_*
// for credentials, *_NOT_FOUND for missing things, INVALID_* and
// OPERATION_DENIED_* for requests the cloud will keep refusing. An unknown
// code is not retried: sending the same request again rarely changes an
// answer nobody has documented.
func classOf(code string) eip.Class {
	if c, ok := classes[code]; ok {
		return c
	}
	switch {
	case strings.HasPrefix(code, "AUTHFAILURE") || strings.HasPrefix(code, "UNAUTHORIZED") || strings.Contains(code, "PERMISSION_DENIED"):
		return eip.ClassAuth
	case strings.Contains(code, "LIMIT_EXCEEDED") && strings.HasPrefix(code, "REQUEST"):
		return eip.ClassThrottled
	case strings.HasSuffix(code, "_NOT_FOUND"):
		return eip.ClassNotFound
	case strings.Contains(code, "TEMPORARY") || strings.Contains(code, "TIMEOUT") || strings.Contains(code, "TIMED_OUT"):
		return eip.ClassTransient
	}
	return eip.ClassInvalid
}
