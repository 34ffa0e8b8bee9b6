// Command eipctl-docs regenerates what comes from eipctl's command tree, so
// the reference pages and man pages always say what `--help` says:
//
//	go run ./cmd/eipctl-docs                      # docs/reference/ and docs/man/
//	go run ./cmd/eipctl-docs -dir OUT -man MAN    # elsewhere ("" skips one)
//	go run ./cmd/eipctl-docs -completions DIR     # also the shell completion scripts
//	go generate ./cmd/eipctl-docs                 # the same as the first line
//
// Man pages are dated with -date (a Unix time; releases pass the commit time),
// else SOURCE_DATE_EPOCH, else now; a page shows only the month. examples/examples_test.go
// fails when the committed pages differ from what this writes.
package main

//go:generate go run . -dir ../../docs/reference -man ../../docs/man

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/eipctl/eipctl/cmd/eipctl-docs/docgen"
)

func main() {
	md := flag.String("dir", filepath.Join("docs", "reference"), "directory to write the Markdown pages into (\"\" for none)")
	man := flag.String("man", filepath.Join("docs", "man"), "directory to write the man pages into (\"\" for none)")
	comp := flag.String("completions", "", "directory to write the bash, zsh, fish and PowerShell completion scripts into (\"\" for none)")
	date := flag.String("date", os.Getenv("SOURCE_DATE_EPOCH"), "Unix time the man pages are dated with (default $SOURCE_DATE_EPOCH, else now)")
	flag.Parse()
	if err := run(*md, *man, *comp, *date); err != nil {
		fmt.Fprintln(os.Stderr, "eipctl-docs:", err)
		os.Exit(1)
	}
}

func run(md, man, comp, epoch string) error {
	if md != "" {
		if err := docgen.Markdown(md); err != nil {
			return err
		}
	}
	if man != "" {
		date := time.Now().UTC()
		if epoch != "" {
			sec, err := strconv.ParseInt(epoch, 10, 64)
			if err != nil {
				return fmt.Errorf("-date %q is not a Unix time: %v", epoch, err)
			}
			date = time.Unix(sec, 0).UTC()
		}
		if err := docgen.Man(man, date); err != nil {
			return err
		}
	}
	if comp != "" {
		return docgen.Completions(comp)
	}
	return nil
}
