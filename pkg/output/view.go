package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/jmespath/go-jmespath"
	"go.yaml.in/yaml/v3"
)

// View is how one invocation shapes the document it prints: the format,
// an optional --query (JMESPath, as the aliyun and tccli CLIs have) applied
// to the JSON shape, the --columns of a table, and the table's width limit.
type View struct {
	Format  Format
	Query   *Query
	Columns []string // JSON keys to show as table columns; nil: the command's own table
	RowsKey string   // the document's key holding the rows --columns shows ("eips")
	Width   int      // the table's width limit in columns; 0: none
}

// Query is a compiled --query expression.
type Query struct {
	expr string
	jp   *jmespath.JMESPath
}

// CompileQuery checks a JMESPath expression once, before anything is sent.
// The error is one line naming --query.
func CompileQuery(expr string) (*Query, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, fmt.Errorf("--query is empty: give a JMESPath expression, e.g. --query 'eips[].ip'")
	}
	jp, err := jmespath.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("--query %q is not a JMESPath expression: %s (see https://jmespath.org)", expr, oneLine(err.Error()))
	}
	return &Query{expr: expr, jp: jp}, nil
}

// QueryError is a --query that compiled but could not be applied to the
// document (a function given the wrong type, such as sort_by on an object).
type QueryError struct{ msg string }

func (e *QueryError) Error() string { return e.msg }

// Apply evaluates the query on doc's JSON shape: the same keys and values
// that -o json prints, whatever Go types hold them.
func (q *Query) Apply(doc any) (any, error) {
	v, err := generic(doc)
	if err != nil {
		return nil, err
	}
	res, err := q.jp.Search(v)
	if err != nil {
		return nil, &QueryError{fmt.Sprintf("--query %q: %s", q.expr, searchError(err))}
	}
	return res, nil
}

// generic turns doc into what encoding/json decodes into any: maps, slices,
// strings, float64, bool and nil, so an expression sees exactly the JSON keys.
func generic(doc any) (any, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var v any
	err = json.Unmarshal(b, &v)
	return v, err
}

// searchError shortens the library's type errors, which print the whole
// value given: "Invalid type for: <document>, expected: []jmespath.jpType{"array"}".
func searchError(err error) string {
	msg := oneLine(err.Error())
	if !strings.HasPrefix(msg, "Invalid type for:") {
		return msg
	}
	want := []string{}
	if i := strings.LastIndex(msg, ", expected: "); i >= 0 {
		for _, part := range strings.Split(msg[i:], `"`)[1:] {
			if w := strings.Trim(part, "{}, "); w != "" && !strings.ContainsAny(w, "{}") {
				want = append(want, w)
			}
		}
	}
	return "invalid type: a function was given a value that is not " + strings.Join(want, " or ")
}

// oneLine keeps the parser's message on one line (it draws a caret under
// the expression on a second one).
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// Print writes doc as the view says: the query's result (JSON; YAML with
// -o yaml; one compact line with -o jsonl), else the document in the format.
// rows gives the command's own table; with Columns the table is built from
// the rows of the document's JSON shape instead.
func (v View) Print(w io.Writer, doc any, rows func() Rows) error {
	if v.Query != nil {
		res, err := v.Query.Apply(doc)
		if err != nil {
			return err
		}
		return printValue(w, v.Format, res)
	}
	if v.Format != Table {
		return printValue(w, v.Format, doc)
	}
	if len(v.Columns) > 0 {
		t, err := columnsTable(doc, v.RowsKey, v.Columns)
		if err != nil {
			return err
		}
		return fitTable(w, t, v.Width)
	}
	return fitTable(w, rows(), v.Width)
}

// printValue writes a document or a query's result; a table view prints
// JSON, since a query's result has no table form.
func printValue(w io.Writer, f Format, v any) error {
	switch f {
	case JSONL:
		return NewLines(w).Write(v)
	case YAML:
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return err
		}
		return enc.Close()
	default:
		return writeJSON(w, v)
	}
}
