package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"reflect"
	"slices"
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
	keys := slices.Sorted(maps.Keys(doc)) // encoding/json orders map keys so
	s := &spill{w: bufio.NewWriter(w)}
	s.b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			s.b.WriteString(",")
		}
		name, err := json.Marshal(k)
		if err != nil {
			return err
		}
		s.b.WriteString("\n  ")
		s.b.Write(name)
		s.b.WriteString(": ")
		if err := s.value(doc[k]); err != nil {
			return err
		}
	}
	s.b.WriteString("\n}\n")
	if err := s.out(); err != nil {
		return err
	}
	return s.w.Flush()
}

// spill gathers the text of one element at a time in b and hands it to w.
type spill struct {
	w *bufio.Writer
	b bytes.Buffer
}

func (s *spill) out() error {
	_, err := s.w.Write(s.b.Bytes())
	s.b.Reset()
	return err
}

// value writes one top-level value at depth one: a list element by
// element, anything else whole.
func (s *spill) value(v any) error {
	rv := reflect.ValueOf(v)
	if !streamable(rv) {
		return s.indented(v, "  ")
	}
	if rv.Len() == 0 {
		s.b.WriteString("[]")
		return nil
	}
	s.b.WriteString("[")
	for i := range rv.Len() {
		if i > 0 {
			s.b.WriteString(",")
		}
		el := rv.Index(i)
		if el.CanAddr() {
			// As inside the list: a method on the pointer applies.
			el = el.Addr()
		}
		s.b.WriteString("\n    ")
		if err := s.indented(el.Interface(), "    "); err != nil {
			return err
		}
		if err := s.out(); err != nil {
			return err
		}
	}
	s.b.WriteString("\n  ]")
	return nil
}

// indented adds v as json.MarshalIndent writes it at prefix's depth.
func (s *spill) indented(v any, prefix string) error {
	text, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	s.b.Write(text)
	return nil
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
