// Package output turns results into bytes: a table for people, JSON, JSON
// Lines or YAML for scripts, on stdout; progress and warnings go to stderr.
// It is the only importer of tablewriter and of the progress bar library.
package output

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// Format is how a document is printed.
type Format string

const (
	Table Format = "table"
	JSON  Format = "json"
	YAML  Format = "yaml"
	// JSONL is JSON Lines: one compact object per line. Verbs that stream
	// (associate, disassociate) write a line per row as it settles; other
	// documents are one line.
	JSONL Format = "jsonl"
)

// ParseFormat accepts table, json, jsonl or yaml; empty picks table on a terminal
// and JSON otherwise, so scripts get a stable document without asking.
func ParseFormat(s string, tty bool) (Format, error) {
	switch Format(s) {
	case Table, JSON, JSONL, YAML:
		return Format(s), nil
	case "":
		if tty {
			return Table, nil
		}
		return JSON, nil
	}
	return "", fmt.Errorf("-o %q is not a format: use table, json, jsonl or yaml", s)
}

// Streams are the three standard streams and what is attached to them.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	OutTTY bool
	ErrTTY bool
	// Width is the limit tables are fitted to, in columns; 0: none.
	Width int
}

// System returns the process's own streams.
func System() *Streams {
	return &Streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		Width:  TableWidth(os.Getenv("COLUMNS"), func() (int, error) { w, _, err := term.GetSize(int(os.Stdout.Fd())); return w, err }),
	}
}

// TableWidth is the width tables are fitted to: $COLUMNS when it is a
// positive number (set it to fit a pipe, or COLUMNS=0 for no limit), else
// the terminal's width when stdout is one (size answers), else no limit:
// a table piped to a file, a pager or grep keeps its rows whole.
func TableWidth(columns string, size func() (int, error)) int {
	if n, err := strconv.Atoi(strings.TrimSpace(columns)); err == nil && n >= 0 {
		return n
	}
	if w, err := size(); err == nil && w > 0 {
		return w
	}
	return 0
}

// Test returns streams writing to buffers, as scripts see them (no TTY).
func Test() (*Streams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Streams{In: &bytes.Buffer{}, Out: &out, Err: &errb}, &out, &errb
}

// Rows is a document's table form.
type Rows struct {
	Header []string
	Rows   [][]string
}

// Print writes doc in the format; rows gives the table form. It is the
// View of a bare -o: no query, the command's own columns, no width limit.
func Print(w io.Writer, f Format, doc any, rows func() Rows) error {
	return View{Format: f}.Print(w, doc, rows)
}

// PrintTable renders rows as an aligned table, with no width limit.
func PrintTable(w io.Writer, r Rows) error { return fitTable(w, r, 0) }
