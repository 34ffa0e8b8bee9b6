package zenlayer

import (
	"context"
	"fmt"
	"net"
	"testing"

	"github.com/zenlayer/zenlayercloud-sdk-go/zenlayercloud/common"

	"github.com/eipctl/eipctl/pkg/eip"
)

func TestClassifyKeepsZenlayersWordsAndPicksTheClass(t *testing.T) {
	cases := []struct {
		code string
		want eip.Class
	}{
		{"REQUEST_LIMIT_EXCEEDED", eip.ClassThrottled},
		{"SERVICE_TEMPORARY_UNAVAILABLE", eip.ClassTransient},
		{"INTERNAL_SERVER_ERROR", eip.ClassTransient},
		{"INVALID_OPERATION_TIMEOUT", eip.ClassTransient},
		{common.NetworkError, eip.ClassTransient},
		{common.JsonParseError, eip.ClassTransient},
		{"OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT", eip.ClassConflict},
		{"INVALID_EIP_NOT_FOUND", eip.ClassNotFound},
		{"INVALID_NIC_NOT_FOUND", eip.ClassNotFound},
		{"INVALID_NAT_NOT_FOUND", eip.ClassNotFound},
		{"INVALID_LB_NOT_FOUND", eip.ClassNotFound},
		{"INVALID_HAVIP_NOT_FOUND", eip.ClassNotFound},
		{"INVALID_REGION_NOT_FOUND", eip.ClassNotFound}, // by the _NOT_FOUND rule
		{"INVALID_REGION_MISMATCH", eip.ClassInvalid},
		{"OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED", eip.ClassInvalid},
		{"OPERATION_DENIED_EIP_IS_DEFAULT", eip.ClassInvalid},
		{"INVALID_PARAMETER", eip.ClassInvalid},
		{"AUTHFAILURE_SIGNATURE_FAILURE", eip.ClassAuth},
		{"AUTHFAILURE_SECRET_KEY_ID_DISABLED", eip.ClassAuth}, // by the AUTHFAILURE rule
		{common.CredentialMissingError, eip.ClassAuth},
		{"SOMETHING_NEW", eip.ClassInvalid},
	}
	for _, c := range cases {
		err := fmt.Errorf("wrapped: %w", &common.ZenlayerCloudSdkError{Code: c.code, Message: "msg " + c.code, RequestId: "T1"})
		got := classify(err)
		if got.Class != c.want || got.Code != c.code || got.Message != "msg "+c.code {
			t.Errorf("%s -> %+v, want class %s with code and message unchanged", c.code, got, c.want)
		}
	}
}

func TestClassifyTransportAndOwnErrors(t *testing.T) {
	if got := classify(&net.OpError{Op: "dial", Err: fmt.Errorf("connection refused")}); got.Class != eip.ClassTransient {
		t.Errorf("a dial error -> %+v, want transient", got)
	}
	if got := classify(context.DeadlineExceeded); got.Class != eip.ClassTransient {
		t.Errorf("a deadline -> %+v, want transient", got)
	}
	own := eip.Errorf(eip.ClassTransient, "REQUEST_TIMEOUT", "slow")
	if got := classify(own); got != own {
		t.Errorf("an eipctl error was rewritten: %+v", got)
	}
	if got := classify(eip.Usagef("bad flag")); got.Class != eip.ClassInvalid {
		t.Errorf("a usage error -> %+v, want invalid", got)
	}
}
