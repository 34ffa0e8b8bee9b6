package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/flock"
)

// lockPoll is how often a run waiting for the lock (--lock-wait) tries again.
const lockPoll = 100 * time.Millisecond

// lock takes the run lock, so two runs (two cron jobs, two operators failing
// over at once) never fight over the same EIPs. The lock is an flock(2) on a
// file: the state directory's eipctl.lock, or --lock FILE. The kernel drops
// it when the process ends, however it ends, so a kill -9 leaves nothing to
// clean up. With --lock-wait it waits that long for another run to finish,
// and stops waiting at the first SIGINT/SIGTERM.
func (f *Factory) lock(ctx context.Context, cmd *cobra.Command, r *runFlags) (func(), error) {
	path := r.lockFile
	if path == "" {
		cfg, err := f.Config(cmd)
		if err != nil {
			return nil, err
		}
		dir := cfg.StateDir()
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("state directory %s: %w", dir, err)
		}
		path = filepath.Join(dir, "eipctl.lock")
	}
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		if r.lockFile != "" {
			return nil, fmt.Errorf("--lock %s: %w: give a file in a directory that exists and is writable", path, err)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	deadline := time.Now().Add(r.lockWait)
	for {
		err := flock.Lock(fh, true, false)
		if err == nil {
			return func() { flock.Unlock(fh); fh.Close() }, nil
		}
		if !errors.Is(err, flock.ErrLocked) {
			fh.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !time.Now().Before(deadline) {
			fh.Close()
			if r.lockWait > 0 {
				return nil, &lockError{fmt.Sprintf("another eipctl run still holds %s after --lock-wait %s: wait longer, or pass --no-lock if the runs touch different EIPs", path, r.lockWait)}
			}
			return nil, &lockError{fmt.Sprintf("another eipctl run holds %s: wait for it to finish (--lock-wait 30s waits for you), or pass --no-lock if the runs touch different EIPs", path)}
		}
		select {
		case <-time.After(min(lockPoll, time.Until(deadline))):
		case <-f.interrupt.stopped():
			fh.Close()
			return nil, &exitError{code: f.interrupt.code(), msg: "interrupted while waiting for the run lock " + path + "; nothing was sent"}
		case <-ctx.Done():
			fh.Close()
			return nil, &exitError{code: f.interrupt.code(), msg: "interrupted while waiting for the run lock " + path + "; nothing was sent"}
		}
	}
}
