package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func newSimCmd(f *Factory) *cobra.Command {
	return group("sim", "Run and inspect the built-in emulator of every cloud",
		`The emulator speaks each cloud's real wire protocol and verifies real signatures, so the
official SDKs (and eipctl) work against it unchanged. State persists in the state directory,
so runs agree with each other. See docs/emulator.md.`,
		`  # Every cloud on one loopback port, for SDKs, scripts and CI
  eipctl sim serve --listen 127.0.0.1:8780

  # Or no server at all: --sim on any command embeds one
  eipctl eip list --sim --provider tencent --region ap-guangzhou
  eipctl sim inventory -o table`,
		newSimServeCmd(f), newSimInventoryCmd(f))
}

// simState is the emulator's state directory, optionally emptied first.
func (f *Factory) simState(cmd *cobra.Command, reset bool) error {
	cfg, err := f.Config(cmd)
	if err != nil {
		return err
	}
	if !reset {
		return nil
	}
	dir := f.simDir(cfg)
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("--reset: %w", err)
	}
	return nil
}
