// Package output turns results into bytes: a table for people, JSON, JSON
// Lines or YAML for scripts, on stdout; progress and warnings go to stderr.
// It is the only importer of tablewriter and of the progress bar library.
package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"go.yaml.in/yaml/v3"
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
}

// System returns the process's own streams.
func System() *Streams {
	return &Streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY: isatty.IsTerminal(os.Stderr.Fd()),
	}
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

// Print writes doc in the format; rows gives the table form.
func Print(w io.Writer, f Format, doc any, rows func() Rows) error {
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case JSONL:
		return NewLines(w).Write(doc)
	case YAML:
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return err
		}
		return enc.Close()
	default:
		return PrintTable(w, rows())
	}
}

// PrintTable renders rows as an aligned table.
func PrintTable(w io.Writer, r Rows) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header(toAny(r.Header)...)
	for _, row := range r.Rows {
		if err := t.Append(toAny(row)...); err != nil {
			return err
		}
	}
	return t.Render()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
