package engine

import (
	"fmt"
	"strings"

	"github.com/eipctl/eipctl/pkg/eip"
)

// putBackErr is the row's error once the EIP is back where it was.
func (r *row) putBackErr() *eip.Error {
	ce := r.moveErr
	return reworded(ce, "%s (binding EIP %s to %s failed; eipctl put it back on %s %s, where it was before the run)",
		ce.Message, r.EIPID, r.want.Target, r.from.TargetType, r.from.TargetID)
}

// unboundErr is the row's error when putting the EIP back failed too.
func (r *row) unboundErr(back *eip.Error) *eip.Error {
	ce := r.moveErr
	return reworded(ce, "%s (binding EIP %s to %s failed, and putting it back on %s failed too: %s). EIP %s is UNBOUND; restore it with `%s`",
		ce.Message, r.EIPID, r.want.Target, r.from.TargetID, back.Error(), r.EIPID, r.restoreCommand())
}

// restoreCommand is the eipctl command that binds a moved EIP back where it was.
func (r *row) restoreCommand() string {
	f := r.from
	cmd := []string{"eipctl eip associate", "--provider", r.Provider, "--region", r.Region, "--eip", r.EIPID,
		"--target", f.TargetID, "--target-type", string(f.TargetType)}
	if f.PrivateIP != "" {
		cmd = append(cmd, "--private-ip", f.PrivateIP)
	}
	if m := orMode(f.Mode); m != eip.ModeNAT {
		cmd = append(cmd, "--mode", string(m))
	}
	return strings.Join(cmd, " ")
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

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// targetPtr is a target ID as a row holds it: nil (JSON null) for none.
func targetPtr(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}
