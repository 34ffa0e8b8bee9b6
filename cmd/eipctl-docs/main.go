// Command eipctl-docs regenerates docs/reference/ from eipctl's command tree,
// so the reference pages always say what `--help` says.
//
//	go run ./cmd/eipctl-docs            # writes docs/reference/
//	go run ./cmd/eipctl-docs -dir OUT   # writes elsewhere
//	go generate ./cmd/eipctl-docs       # the same as the first line
//
// examples/examples_test.go fails when the committed pages differ from
// what this writes.
package main

//go:generate go run . -dir ../../docs/reference

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra/doc"

	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/output"
)

func main() {
	dir := flag.String("dir", filepath.Join("docs", "reference"), "directory to write the Markdown pages into")
	flag.Parse()
	if err := generate(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "eipctl-docs:", err)
		os.Exit(1)
	}
}

// generate replaces every page in dir. Stale pages of removed commands are
// deleted first, so the directory never documents a command that is gone.
func generate(dir string) error {
	old, err := filepath.Glob(filepath.Join(dir, "eipctl*.md"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The streams are never written: the tree is only walked, not run.
	root := cli.NewRoot(cli.NewFactory(output.System(), "dev"))
	// cobra adds `completion` only when the tree is executed; add it here so
	// the reference lists every command the binary really has.
	root.InitDefaultCompletionCmd()
	// Without this each page ends in today's date, and the pages would change
	// on every run even when no help text did.
	root.DisableAutoGenTag = true
	return doc.GenMarkdownTree(root, dir)
}
