package emulator

import (
	"fmt"
	"net/http"

	"github.com/eipctl/eipctl/pkg/sim"
)

// Phases of the emulator's own, which the core's state machine does not
// drive (sim.Cloud.Hold): an EIP DeleteEip sent to the recycle bin, and one
// deleted from there.
const (
	phaseRecycled sim.Phase = "recycled"
	phaseDeleting sim.Phase = "deleting"
)

// lifecycleWords are the status words of those phases.
var lifecycleWords = map[sim.Phase]string{phaseRecycled: StatusRecycled, phaseDeleting: StatusDeleting}

type deleteRequest struct {
	EipID string `json:"eipId"`
}

// deleteEip serves DeleteEip far enough to show RECYCLED and DELETING over
// the wire. The record: the zeno CLI's delete-eip.yaml says an EIP must be
// unbound before it is deleted; the Terraform provider's
// resource_zc_zec_eip.go deletes in two steps, DeleteEip until the EIP
// reads RECYCLED (retrying while RECYCLING or DELETING), then DeleteEip
// again to release it. The emulator plays an account with a recycle bin:
// the first DeleteEip of an UNBIND EIP makes it RECYCLED at once (RECYCLING
// is shown only through Options.Lifecycle), the second makes it DELETING,
// and there it stays, so that a client can see it (the emulator removes no
// EIP). A bound EIP, or one in any other status, is refused with ZEC's
// OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT (the code is the emulator's
// choice: DeleteEip's page lists none).
func (f *front) deleteEip(req deleteRequest) (any, *apiError) {
	if req.EipID == "" {
		return nil, errInvalidParameter("eipId is required")
	}
	var aerr *apiError
	err := f.s.Update(Provider, func(c *sim.Cloud) error {
		r, e := findEIP(c, req.EipID)
		switch {
		case e == nil:
			aerr = errEIPNotFound(req.EipID)
		case f.status(e) == StatusUnbind:
			aerr = hold(c, r, e, phaseRecycled)
		case f.status(e) == StatusRecycled:
			aerr = hold(c, r, e, phaseDeleting)
		default:
			aerr = &apiError{http.StatusInternalServerError, "OPERATION_DENIED_EIP_STATUS_NOT_SUPPORT", fmt.Sprintf("The operation is not supported in the current status (%s) of the elastic IP `%s`: unbind it before deleting it.", f.status(e), e.ID)}
		}
		return nil
	})
	if aerr = refusal(aerr, err); aerr != nil {
		return nil, aerr
	}
	return map[string]any{}, nil
}

func hold(c *sim.Cloud, r *sim.Region, e *sim.EIP, p sim.Phase) *apiError {
	if err := c.Hold(r.Name, e.ID, p); err != nil {
		return fromSim(err, "")
	}
	return nil
}
