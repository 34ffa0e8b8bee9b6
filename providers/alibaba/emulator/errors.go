package emulator

import (
	"net/http"

	"github.com/eipctl/eipctl/pkg/sim"
)

// apiError is an Alibaba error reply: a non-2xx status and string fields
// only (the Go SDK panics on a numeric Code).
type apiError struct {
	status  int
	code    string
	message string
}

func writeError(w http.ResponseWriter, e *apiError) {
	sim.SetCode(w, e.code)
	sim.WriteJSON(w, e.status, map[string]string{
		"RequestId": sim.RequestID(),
		"HostId":    "vpc.aliyuncs.com",
		"Code":      e.code,
		"Message":   e.message,
		"Recommend": "https://api.aliyun.com/troubleshoot?q=" + e.code,
	})
}

func errMalformed(msg string) *apiError { return &apiError{400, "InvalidParameter", msg} }

func errMissing(name string) *apiError {
	return &apiError{400, "MissingParameter", "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied."}
}

// coreError maps a refusal by the emulator core to Alibaba's code for it,
// as the AssociateEipAddress and UnassociateEipAddress pages document them.
func coreError(err error) *apiError {
	ce, ok := err.(*sim.Error)
	if !ok {
		return &apiError{500, "InternalError", "The request processing has failed due to some unknown error."}
	}
	switch ce.Kind {
	case sim.ErrRegionNotFound:
		return &apiError{400, "InvalidRegionId.NotFound", "Specified region is not found: " + ce.ID}
	case sim.ErrEIPNotFound:
		return &apiError{404, "InvalidAllocationId.NotFound", "Specified allocation ID is not found"}
	case sim.ErrTargetNotFound:
		return &apiError{404, "InvalidInstanId.NotFound", "Specified instance does not exist."}
	case sim.ErrEIPBusy:
		return &apiError{400, "TaskConflict", "The EIP " + ce.ID + " is in a transition; try again later."}
	case sim.ErrEIPInUse, sim.ErrNotBound:
		return &apiError{400, "IncorrectEipStatus", "Current elastic IP status does not support this operation"}
	case sim.ErrTargetFull, sim.ErrPrivateIPInUse:
		return &apiError{400, "InvalidAssociation.Duplicated", "Specified instance already is associated."}
	case sim.ErrPrivateIP:
		return &apiError{400, "InvalidParameter", "The specified PrivateIpAddress " + ce.ID + " is not valid for this instance."}
	}
	return &apiError{500, "InternalError", "The request processing has failed due to some unknown error."}
}
