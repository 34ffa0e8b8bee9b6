package flock_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/flock"
)

// holder makes the test binary a second process that takes the lock at the
// path it is given, reports it, then waits to be killed.
const holder eiptest.Role = "EIPCTL_FLOCK_TEST_HOLD"

func TestMain(m *testing.M) {
	holder.Main(m, func(path string) int {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil || flock.Lock(f, true, false) != nil {
			return 3
		}
		os.Stdout.WriteString("locked\n")
		select {}
	})
}

// An exclusive lock held by another process refuses a non-blocking Lock with
// ErrLocked, in either mode; once it is released the lock can be taken.
func TestLockIsExclusiveAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	cmd := holder.Command(t, path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		cmd.Process.Kill()
		t.Fatalf("the other process did not take the lock: %q %v", buf, err)
	}
	for _, exclusive := range []bool{true, false} {
		if err := flock.Lock(f, exclusive, false); !errors.Is(err, flock.ErrLocked) {
			t.Errorf("Lock(exclusive=%v) while another process holds it: %v, want ErrLocked", exclusive, err)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if err := flock.Lock(f, true, true); err != nil {
		t.Fatalf("Lock after the holder exited: %v", err)
	}
	if err := flock.Unlock(f); err != nil {
		t.Fatal(err)
	}
}
