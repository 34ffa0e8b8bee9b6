// Package docgen writes what is generated from eipctl's command tree: the
// Markdown reference (docs/reference), the man pages (docs/man) and the shell
// completion scripts that release archives and packages ship. cmd/eipctl-docs
// runs it; examples/examples_test.go runs it too, to prove the committed
// pages are current.
package docgen

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/eipctl/eipctl/pkg/cli"
	"github.com/eipctl/eipctl/pkg/output"
)

// Tree is the command tree as the generated files describe it.
func Tree() *cobra.Command {
	// The streams are never written: the tree is only walked, not run.
	root := cli.NewRoot(cli.NewFactory(output.System(), "dev"))
	// Without this each page ends in today's date, and the pages would change
	// on every run even when no help text did.
	root.DisableAutoGenTag = true
	return root
}

// Markdown replaces every reference page in dir. Stale pages of removed
// commands are deleted first, so the directory never documents a command
// that is gone.
func Markdown(dir string) error {
	if err := clean(dir, "eipctl*.md"); err != nil {
		return err
	}
	return doc.GenMarkdownTree(Tree(), dir)
}

// Man replaces every man page (section 1) in dir. The page date is the
// month of date.
func Man(dir string, date time.Time) error {
	if err := clean(dir, "eipctl*.1"); err != nil {
		return err
	}
	return doc.GenManTree(Tree(), &doc.GenManHeader{
		Title: "EIPCTL", Section: "1", Date: &date, Source: "eipctl", Manual: "eipctl manual",
	}, dir)
}

// ManDate is the date line of a page, for comparing pages made in
// different months.
var ManDate = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "1") "[^"]*"`)

// Completions writes each shell's completion script into dir under the name
// that shell's package directories expect.
func Completions(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root := Tree()
	for _, s := range []struct {
		file string
		gen  func(string) error
	}{
		{"eipctl.bash", func(p string) error { return root.GenBashCompletionFileV2(p, true) }},
		{"_eipctl", root.GenZshCompletionFile},
		{"eipctl.fish", func(p string) error { return root.GenFishCompletionFile(p, true) }},
		{"eipctl.ps1", root.GenPowerShellCompletionFileWithDesc},
	} {
		if err := s.gen(filepath.Join(dir, s.file)); err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
	}
	return nil
}

func clean(dir, pattern string) error {
	old, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	return os.MkdirAll(dir, 0o755)
}
