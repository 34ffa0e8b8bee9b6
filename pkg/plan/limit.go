package plan

import (
	"errors"
	"io"
	"os"

	"github.com/eipctl/eipctl/pkg/eip"
)

// The size limits of a plan (docs/plans.md). They are generous: 100,000
// bindings is far beyond the largest run eipctl has been asked to make, and
// 8 MiB holds them written in full (about 80 bytes each). They exist so
// that an endless or mistaken input (a log piped to -f -, /dev/zero) is
// refused with exit 2 at once instead of growing without bound, and so
// that reading the largest plan stays within a few hundred MB (a YAML node
// tree costs some 50-90 bytes per byte of input).
const (
	MaxBytes = 8 << 20 // bytes read from a plan file or standard input
	MaxItems = 100_000 // bindings in one plan
)

// readAll reads a plan up to MaxBytes; where names it in the message.
func readAll(where string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, eip.Usagef("%s: %v", where, pathErr(err))
	}
	if len(data) > MaxBytes {
		return nil, tooBig(where)
	}
	return data, nil
}

// pathErr drops the path an *os.PathError repeats: messages name the file.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func tooBig(where string) error {
	return eip.Usagef("%s: the plan is larger than %d MiB, the most eipctl reads: split it into several plans (at most %d bindings each)", where, MaxBytes>>20, MaxItems)
}

func tooMany(where string) error {
	return eip.Usagef("%s: the plan has more than %d bindings, the most eipctl takes in one run: split it into several plans", where, MaxItems)
}

// ReadStdin reads a plan from standard input (-f -) up to MaxBytes: the
// CLI reads it, so that a signal can end the wait, and passes the bytes to
// ParsePlan("-", ...).
func ReadStdin(r io.Reader) ([]byte, error) { return readAll(stdinName, r) }

const stdinName = "-f - (standard input)"
