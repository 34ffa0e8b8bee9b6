package cli

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/journal"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/sim"
)

// rowTypes names every command that prints a data document, with a value of
// the key of its rows in the JSON document and a value of its row type:
// --query and --columns are added to these commands only (any other command
// refuses them as unknown flags, exit 2), and --columns takes the row type's
// JSON keys. A new command that prints data adds a line here.
var rowTypes = map[string]rowType{
	"eipctl eip associate":    {"results", eip.Result{}},
	"eipctl eip disassociate": {"results", eip.Result{}},
	"eipctl eip wait":         {"results", eip.Result{}},
	"eipctl eip list":         {"eips", listRow{}},
	"eipctl eip history":      {"entries", journal.Entry{}},
	"eipctl eip describe":     {"eips", describedEIP{}},
	"eipctl sim inventory":    {"providers", sim.InventoryRegion{}},
	"eipctl config doctor":    {"providers", doctorRow{}},
	"eipctl config list":      {"profiles", listedProfile{}},
}

type rowType struct {
	key string // where the rows are in the document
	row any
}

// addViewFlags gives --query and --columns to the commands of rowTypes
// once the tree is built.
func addViewFlags(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if _, ok := rowTypes[c.CommandPath()]; ok {
			fl := c.Flags()
			fl.String("query", "", "JMESPath expression applied to the JSON document, e.g. 'eips[].ip'; prints its result as JSON (docs/output.md)")
			fl.String("columns", "", "table columns: JSON keys of the rows split by commas, e.g. eipId,ip,status (implies -o table)")
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// readView completes the format with --query, --columns and the table
// width, all checked before anything is sent.
func (f *Factory) readView(cmd *cobra.Command, format output.Format, explicit bool) (output.Format, error) {
	v := output.View{Format: format, Width: f.Streams.Width}
	fl := cmd.Flags()
	if q := fl.Lookup("query"); q != nil && q.Changed {
		query, err := output.CompileQuery(q.Value.String())
		if err != nil {
			return "", &usageError{err}
		}
		v.Query = query
	}
	if c := fl.Lookup("columns"); c != nil && c.Changed {
		switch {
		case v.Query != nil:
			return "", eip.Usagef("--columns and --query both given: with --query the output is JSON; pick fields in the expression instead, e.g. --query 'eips[].{id: eipId, ip: ip}'")
		case explicit && format != output.Table:
			return "", eip.Usagef("--columns applies to -o table, not -o %s: drop one of them", format)
		}
		rt := rowTypes[cmd.CommandPath()]
		cols, err := output.ParseColumns(c.Value.String(), output.Keys(rt.row))
		if err != nil {
			return "", &usageError{err}
		}
		v.Format, v.Columns, v.RowsKey = output.Table, cols, rt.key
	}
	f.view = v
	return v.Format, nil
}

// print writes a command's document to stdout as the invocation's view
// says (readView ran in Format). A --query that fails on the document is
// bad input: exit 2.
func (f *Factory) print(doc any, rows func() output.Rows) error {
	err := f.view.Print(f.Streams.Out, doc, rows)
	var qe *output.QueryError
	if errors.As(err, &qe) {
		return &usageError{err}
	}
	return err
}

// lines is the JSON Lines writer of stdout, applying --query to each line.
func (f *Factory) lines() *output.Lines {
	return output.NewLines(f.Streams.Out).WithQuery(f.view.Query)
}

// explicitFormat tells whether -o was given (flag, env or profile) rather
// than picked from the terminal.
func explicitFormat(s string) bool { return strings.TrimSpace(s) != "" }
