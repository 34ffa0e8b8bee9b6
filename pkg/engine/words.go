package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/eipctl/eipctl/pkg/eip"
)

// putBackErr is the row's error once the EIP is back where it was.
func (r *row) putBackErr() *eip.Error {
	ce := r.moveErr
	return reworded(ce, "%s (binding EIP %s to %s failed; eipctl put it back on %s %s, where it was before the run)",
		ce.Message, r.EIPID, r.want.Target, r.from.TargetType, r.from.TargetID)
}

// unboundErr is the row's error when putting the EIP back failed too. It
// says where the last read found the EIP: unbound, or on whatever holds it.
func (r *row) unboundErr(back *eip.Error) *eip.Error {
	ce := r.moveErr
	now := fmt.Sprintf("EIP %s is UNBOUND", r.EIPID)
	if r.addr.TargetID != "" {
		now = fmt.Sprintf("EIP %s was last read %s on %s", r.EIPID, cmp.Or(r.addr.NativeStatus, string(r.addr.State)), where(r.addr))
	}
	return reworded(ce, "%s (binding EIP %s to %s failed, and putting it back on %s failed too: %s). %s; %s",
		ce.Message, r.EIPID, r.want.Target, r.from.TargetID, back.Error(), now, r.wayBack())
}

// wayBack says how to end a move that could not finish: rerun it (the
// journal holds it, so the rerun binds the EIP or puts it back), or the
// command that puts it back by hand.
func (r *row) wayBack() string {
	if r.journaled || r.finishes != "" {
		return fmt.Sprintf("The move is in the journal: run the same command again to finish it, or put the EIP back with `%s`", r.restoreCommand())
	}
	return fmt.Sprintf("Put it back with `%s`", r.restoreCommand())
}

// restoreCommand is the eipctl command that binds a moved EIP back where it
// was: only if it is still free or still leaving its holder (--from), with
// a private IP and mode only where the target type takes them.
func (r *row) restoreCommand() string {
	f := r.from
	cmd := []string{"eipctl eip associate", "--provider", r.Provider, "--region", r.Region, "--eip", r.EIPID,
		"--target", f.TargetID, "--target-type", string(f.TargetType)}
	caps := r.prov.Capabilities()
	if f.PrivateIP != "" && caps.Syntax.TakesPrivateIP(f.TargetType) {
		cmd = append(cmd, "--private-ip", f.PrivateIP)
	}
	if m := orMode(f.Mode); m != eip.ModeNAT && slices.Contains(caps.ModesFor(f.TargetType), m) {
		cmd = append(cmd, "--mode", string(m))
	}
	cmd = append(cmd, "--force", "--from", f.TargetID+","+eip.FromNone)
	return strings.Join(cmd, " ")
}

// notRead is the error of a row the run was stopped while reading: nothing
// was sent for it, and its EIP is where it was (as last read, if ever).
func (r *row) notRead() *eip.Error {
	seen := "its state is unknown (it was not read)"
	if r.read {
		seen = "it was last read " + cmp.Or(r.addr.NativeStatus, string(r.addr.State))
		if r.addr.TargetID != "" {
			seen += " on " + where(r.addr)
		}
	}
	return eip.Errorf(eip.ClassTransient, "Interrupted",
		"interrupted while reading EIP %s: nothing was sent for it, so this run changed nothing; %s. Run the command again, or check with `eipctl eip list`",
		r.EIPID, seen)
}

// reworded is ce with its message replaced, keeping the cloud's code and class.
func reworded(ce *eip.Error, format string, args ...any) *eip.Error {
	out := *ce
	out.Message = fmt.Sprintf(format, args...)
	return &out
}

func orMode(m eip.Mode) eip.Mode {
	if m == "" {
		return eip.ModeNAT
	}
	return m
}

// targetPtr is a target ID as a row holds it: nil (JSON null) for none.
func targetPtr(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// where says what holds a, with the private IP and mode when the cloud
// reports them: "ENI eni-1 at 10.0.0.5 (mode nat)".
func where(a eip.Address) string {
	s := string(a.TargetType) + " " + a.TargetID
	if a.PrivateIP != "" {
		s += " at " + a.PrivateIP
	}
	if a.Mode != "" {
		s += " (mode " + string(a.Mode) + ")"
	}
	return s
}
