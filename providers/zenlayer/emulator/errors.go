package emulator

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/eipctl/eipctl/pkg/sim"
)

// apiError is a whole-request refusal: ZEC answers it with a non-200 status
// and {requestId, code, message}. All three keys are always present because
// the Python SDK reads them by key.
type apiError struct {
	status  int
	code    string
	message string
}

func errInvalidParameter(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf(format, args...)}
}

// notFoundCodes are ZEC's codes for a missing target, by sim target kind.
var notFoundCodes = map[string]string{
	"eni":   "INVALID_NIC_NOT_FOUND",
	"nat":   "INVALID_NAT_NOT_FOUND",
	"lb":    "INVALID_LB_NOT_FOUND",
	"havip": "INVALID_HAVIP_NOT_FOUND",
}

// nouns name each kind the way ZEC's messages do.
var nouns = map[string]string{
	"eni":   "vNIC",
	"nat":   "NAT gateway",
	"lb":    "load balancer",
	"havip": "HaVip",
}

func errEIPNotFound(id string) *apiError {
	return &apiError{http.StatusNotFound, "INVALID_EIP_NOT_FOUND", fmt.Sprintf("The elastic IP `%s` does not exist.", id)}
}

func errTargetNotFound(kind, id string) *apiError {
	return &apiError{http.StatusNotFound, notFoundCodes[kind], fmt.Sprintf("The %s `%s` does not exist.", nouns[kind], id)}
}

// errTargetFull refuses a bind that would take a target over its limit. The
// code and first sentence are ZEC's (the AssociateEipAddress error table);
// the counts are the emulator's, so a refusal of a target that holds one EIP
// says why.
func errTargetFull(kind, id string, held, capacity, asked int) *apiError {
	return errLimit(kind, id, fmt.Sprintf(" It holds %d of %d, and this request asks for %d more.", held, capacity, asked))
}

func errLimit(kind, id, detail string) *apiError {
	return &apiError{http.StatusBadRequest, "OPERATION_DENIED_EIP_ASSIGNED_LIMIT_EXCEEDED", fmt.Sprintf("Elastic IP binding exceeds the allowed limit of %s `%s`.%s", nouns[kind], id, detail)}
}

// fromSim turns a core refusal that concerns the whole request into ZEC's
// answer; per-EIP refusals never get here (they go to failedEipIds).
func fromSim(err error, kind string) *apiError {
	var se *sim.Error
	if !errors.As(err, &se) {
		return &apiError{http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", err.Error()}
	}
	switch se.Kind {
	case sim.ErrEIPNotFound:
		return errEIPNotFound(se.ID)
	case sim.ErrTargetNotFound:
		return errTargetNotFound(kind, se.ID)
	case sim.ErrPrivateIP:
		return &apiError{http.StatusBadRequest, "INVALID_LAN_IP_NOT_FOUND", fmt.Sprintf("The private IP `%s` is not assigned to the vNIC.", se.ID)}
	case sim.ErrTargetFull, sim.ErrPrivateIPInUse:
		return errLimit(kind, se.ID, "")
	}
	return &apiError{http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", err.Error()}
}

// contentType is what ZEC answers with (its SDKs send the same).
const contentType = "application/json"

func writeError(w http.ResponseWriter, e *apiError) {
	sim.SetCode(w, e.code)
	sim.WriteJSONAs(w, contentType, e.status, map[string]string{"requestId": requestID(), "code": e.code, "message": e.message})
}

// writeOK wraps an action's output in ZEC's success envelope: the same
// requestId outside and inside "response".
func writeOK(w http.ResponseWriter, resp any) {
	id := requestID()
	inner := map[string]any{}
	switch v := resp.(type) {
	case map[string]any:
		inner = v
	case nil:
	default:
		panic(fmt.Sprintf("emulator: response of type %T", resp))
	}
	inner["requestId"] = id
	sim.WriteJSONAs(w, contentType, http.StatusOK, map[string]any{"requestId": id, "response": inner})
}

// requestID looks like ZEC's: a "T" and an upper-case UUID.
func requestID() string { return "T" + sim.RequestID() }
