package output_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/output"
)

type streamRow struct {
	ID   string  `json:"id"`
	Prev *string `json:"prev"`
	Note string  `json:"note,omitempty"`
	Tags []string
}

// loud has a MarshalJSON on its pointer, which encoding/json calls for the
// elements of a slice (they are addressable) but not for a copy.
type loud struct{ s string }

func (l *loud) MarshalJSON() ([]byte, error) { return json.Marshal(strings.ToUpper(l.s)) }

// The JSON a script reads must not change by a byte now that a document's
// lists are written an element at a time: every shape a command prints is
// compared with what json.Encoder (two-space indent) writes for it.
func TestJSONIsTheEncodersByteForByte(t *testing.T) {
	held := "i-<a&b>"
	docs := map[string]any{
		"report": map[string]any{
			"results": []streamRow{{ID: "eip-1", Prev: &held, Tags: []string{"x"}}, {ID: "eip-\u2028", Note: "n"}},
			"summary": map[string]int{"total": 2, "failed": 0},
		},
		"empty list":        map[string]any{"eips": []streamRow{}, "errors": []string{}},
		"nil list":          map[string]any{"eips": []streamRow(nil), "errors": nil},
		"bytes":             map[string]any{"b": []byte("raw"), "a": [2]byte{1, 2}},
		"array":             map[string]any{"a": [3]int{1, 2, 3}},
		"nested":            map[string]any{"providers": []map[string]any{{"name": "x", "regions": []string{"a", "b"}}, {}}},
		"list of lists":     map[string]any{"l": [][]int{{1}, {}, nil}},
		"pointer methods":   map[string]any{"l": []loud{{"a"}, {"b"}}, "one": loud{"c"}},
		"scalars":           map[string]any{"s": "<tag>", "n": 1.5, "t": true, "z": nil, "file": "/tmp/x"},
		"list of anys":      map[string]any{"eips": []any{map[string]any{"k": 1}, "s", nil, 3}},
		"empty document":    map[string]any{},
		"not a map":         []streamRow{{ID: "a"}},
		"a query's result":  []any{"1.2.3.4", "5.6.7.8"},
		"a string":          "plain",
		"a nil document":    nil,
		"key needs escapes": map[string]any{"a\"b<": []int{1}},
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			if err := enc.Encode(doc); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := output.Print(&got, output.JSON, doc, nil); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("-o json differs from encoding/json:\n got: %q\nwant: %q", got.String(), want.String())
			}
		})
	}
}

// A value encoding/json refuses is an error, as it was.
func TestJSONUnsupportedValueIsAnError(t *testing.T) {
	var got bytes.Buffer
	err := output.Print(&got, output.JSON, map[string]any{"eips": []any{func() {}}}, nil)
	if err == nil {
		t.Fatalf("a func in the document printed %q and no error", got.String())
	}
}
