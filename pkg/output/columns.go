package output

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// Keys lists the JSON keys of a row type, in field order, as --columns
// accepts them: a nested object's keys as parent.child (error.code). row is
// a value of the type (or a pointer to one); embedded structs add their keys.
func Keys(row any) []string {
	return keysOf(reflect.TypeOf(row), "")
}

func keysOf(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			out = append(out, keysOf(f.Type, prefix)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, prefix+name)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() != "time" {
			out = append(out, keysOf(ft, prefix+name+".")...)
		}
	}
	return out
}

// ParseColumns splits --columns a,b,c and checks each name against the
// row's keys; an unknown one is an error naming the valid ones.
func ParseColumns(list string, keys []string) ([]string, error) {
	valid := map[string]bool{}
	for _, k := range keys {
		valid[k] = true
	}
	var cols []string
	for _, c := range strings.Split(list, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !valid[c] {
			return nil, fmt.Errorf("--columns: %q is not a column: use JSON keys of the rows: %s", c, strings.Join(keys, ", "))
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("--columns is empty: name JSON keys of the rows, split by commas: %s", strings.Join(keys, ", "))
	}
	return cols, nil
}

// columnsTable builds a table of the chosen keys from the rows of doc's
// JSON shape: the list under key ("eips", "results", ...).
func columnsTable(doc any, key string, cols []string) (Rows, error) {
	v, err := generic(doc)
	if err != nil {
		return Rows{}, err
	}
	t := Rows{}
	for _, c := range cols {
		t.Header = append(t.Header, headerWord(c))
	}
	for _, r := range rowsOf(v, key) {
		obj, _ := r.(map[string]any)
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = cell(lookup(obj, c))
		}
		t.Rows = append(t.Rows, line)
	}
	return t, nil
}

// rowsOf finds the rows of a document: the document itself when it is a
// list, else the list under key, else its one top-level value that is a list.
func rowsOf(v any, key string) []any {
	switch d := v.(type) {
	case []any:
		return d
	case map[string]any:
		if l, ok := d[key].([]any); ok {
			return l
		}
		var found []any
		n := 0
		for _, x := range d {
			if l, ok := x.([]any); ok {
				found, n = l, n+1
			}
		}
		if n == 1 {
			return found
		}
	}
	return nil
}

func lookup(obj map[string]any, path string) any {
	var v any = obj
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// cell shows a JSON value in a table: text as it is, null as nothing,
// lists and objects as compact JSON.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// headerWord turns a JSON key into a table heading: eipId is "EIP ID",
// error.code "ERROR CODE".
func headerWord(key string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range key {
		switch {
		case r == '.' || r == '_':
			r = ' '
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToUpper(r))
		prev = r
	}
	return b.String()
}
