package output

import (
	"bufio"
	"encoding/json"
	"io"
	"reflect"
	"sort"
)

// writeJSON writes v as json.Encoder with a two-space indent does, byte for
// byte, but a document's top-level lists one element at a time. A run's
// report for 10,000 EIPs is about 5 MB of JSON; the encoder would hold it
// twice (compact, then indented) at the run's end, which was the largest
// part of the process's peak memory. Only a map with string keys (every
// command's document) is streamed; anything else goes to the encoder.
func writeJSON(w io.Writer, v any) error {
	doc, ok := v.(map[string]any)
	if !ok || len(doc) == 0 {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys) // encoding/json orders map keys so
	bw := bufio.NewWriter(w)
	bw.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			bw.WriteString(",")
		}
		name, err := json.Marshal(k)
		if err != nil {
			return err
		}
		bw.WriteString("\n  ")
		bw.Write(name)
		bw.WriteString(": ")
		if err := writeValue(bw, doc[k]); err != nil {
			return err
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// writeValue writes one top-level value at depth one: a list element by
// element, anything else whole.
func writeValue(w *bufio.Writer, v any) error {
	rv := reflect.ValueOf(v)
	if !streamable(rv) {
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	if rv.Len() == 0 {
		_, err := w.WriteString("[]")
		return err
	}
	w.WriteString("[")
	for i := range rv.Len() {
		if i > 0 {
			w.WriteString(",")
		}
		el := rv.Index(i)
		if el.CanAddr() {
			// As inside the list: a method on the pointer applies.
			el = el.Addr()
		}
		b, err := json.MarshalIndent(el.Interface(), "    ", "  ")
		if err != nil {
			return err
		}
		w.WriteString("\n    ")
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := w.WriteString("\n  ]")
	return err
}

var marshaler = reflect.TypeFor[json.Marshaler]()

// streamable tells whether json.Marshal would write rv as a JSON array of
// its elements: a non-nil slice or an array, not bytes (base64 text), not a
// type with a MarshalJSON of its own.
func streamable(rv reflect.Value) bool {
	switch {
	case !rv.IsValid(), rv.Type().Implements(marshaler):
		return false
	case rv.Kind() == reflect.Slice:
		return !rv.IsNil() && rv.Type().Elem().Kind() != reflect.Uint8
	case rv.Kind() == reflect.Array:
		return rv.Type().Elem().Kind() != reflect.Uint8
	}
	return false
}
