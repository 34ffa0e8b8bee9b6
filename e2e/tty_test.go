package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair with plain ioctls (Linux), so the
// binary's own terminal check sees a real terminal on stderr.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminals on this machine: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatalf("unlock pty: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatalf("pty number: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// With stderr on a terminal, a run draws one progress line redrawn in place
// and erases it; stdout, a pipe, still gets only the JSON document. With
// stderr on a pipe (cron), nothing is animated and a good run says nothing.
func TestProgressLineOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("EIPCTL_SIM_BIND_DELAY", "1s")
	master, slave := openPTY(t)
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := e.command(ctx, "eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0001,eip-hz0002", "--target", "ngw-hz0001", "-o", "json")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, slave
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close() // the child holds its own copy; EOF on the master once it exits
	var tty bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&tty, master); close(done) }()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("eipctl: %v\nterminal:\n%q", err, tty.String())
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("the terminal did not close after eipctl exited:\n%q", tty.String())
	}
	screen := tty.String()
	for _, want := range []string{"\r", "(2/2)", "associate: moved 0, failed 0"} {
		if !strings.Contains(screen, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, screen)
		}
	}
	if strings.Contains(strings.TrimRight(screen, " \r"), "\n") {
		t.Errorf("the progress line must stay one line, redrawn in place:\n%q", screen)
	}
	if !strings.HasSuffix(screen, "\r") {
		t.Errorf("the progress line is not erased at the end:\n%q", screen)
	}
	r := result{stdout: out.String()}
	var d runDoc
	decodeOnly(t, r, &d)
	d.wantRows(t, map[string]string{"eip-hz0001": "associated", "eip-hz0002": "associated"})

	// The same run with stderr on a pipe, as cron runs it.
	quiet := e.run("eip", "associate", "--sim", "--provider", "alibaba", "--region", "cn-hangzhou",
		"--eip", "eip-hz0003", "--target", "ngw-hz0001", "-o", "json")
	mustExit(t, quiet, 0)
	if quiet.stderr != "" {
		t.Errorf("stderr not a terminal: want nothing on it, got %q", quiet.stderr)
	}
}
