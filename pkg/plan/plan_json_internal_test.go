package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"
)

// treeJSON reads a JSON plan as readJSON did before it streamed: the whole
// text into one node tree, then the tree read as a YAML plan is.
func treeJSON(data []byte) (PlanItem, []planRow, error) {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	root, err := p.value()
	if err != nil || root == nil {
		return PlanItem{}, nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return PlanItem{}, nil, fmt.Errorf("line %d: more after the plan's closing brace: a JSON plan is one object", p.line())
	}
	return readPlanNode(root)
}

// sameRead fails the test where streaming reads data otherwise than the tree.
func sameRead(t *testing.T, data []byte) {
	t.Helper()
	wd, wrows, werr := treeJSON(data)
	gd, grows, gerr := readJSON(data)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%q: error %v, the tree's was %v", data, gerr, werr)
	}
	if werr != nil {
		return
	}
	if !reflect.DeepEqual(gd, wd) {
		t.Fatalf("%q: defaults %+v, the tree's were %+v", data, gd, wd)
	}
	if len(grows) != len(wrows) {
		t.Fatalf("%q: %d rows, the tree's had %d", data, len(grows), len(wrows))
	}
	for i := range grows {
		g, w := grows[i], wrows[i]
		if !reflect.DeepEqual(g.item, w.item) || g.line != w.line || fmt.Sprint(g.err) != fmt.Sprint(w.err) {
			t.Fatalf("%q: row %d is %+v, the tree's was %+v", data, i, g, w)
		}
	}
}

var jsonPlans = []string{
	`{"bindings":[{"provider":"alibaba","region":"cn-hangzhou","eip":"eip-1","target":"i-1"}]}`,
	"{\n \"bindings\": [\n  {\"eip\": \"eip-1\", \"target\": \"i-1\"},\n  {\"eip\": 2},\n  7,\n  null\n ],\n \"defaults\": {\"provider\": \"tencent\"}\n}",
	`{"defaults":{"provider":"zenlayer","region":"asia-east-1"},"bindings":[{"eip":"eip-1","target":"nat-1","force":true}]}`,
	`{"bindings":null}`, `{"bindings":{}}`, `{"bindings":"eip-1"}`, `{"bindings":[]}`, `{}`, `null`, `[]`, `[{"eip":"x"}]`, `7`, ``,
	`{"nope":1,"bindings":[{"eip":"eip-1"}]}`, `{"nope":1,"bindings":[{"eip":"eip-1"}`, `{"bindings":[{"eip":"eip-1"}],"nope":[`,
	`{"defaults":{"nope":1},"bindings":[{"eip":"a"}]}`, `{"defaults":[],"bindings":[{"eip":"a"}]}`,
	`{"bindings":[{"eip":"a"}],"bindings":[{"eip":"b"}]}`, `{"bindings":[{"eip":"a","eip":"b"}]}`,
	`{"bindings":[{"eip":"a"}]} {}`, `{"bindings":[{"eip":"a"},]}`, `{"bindings":[{"eip":"a"}`, `{"bindings":`, `{"bindings"`,
	`{"eips":[{"provider":"alibaba","region":"r","eipId":"e","targetId":"i","targetType":"instance"}],"errors":[]}`,
	`{"eips":[],"errors":[{"provider":"alibaba"}]}`, `{"eips":[],"bindings":[{"eip":"a"}]}`,
	`{"bindings":[[{"eip":"a"}]]}`, `{"bindings":[{"pool":["a","b"],"target":"i"}]}`,
}

// Reading a JSON plan a binding at a time gives what reading it as one
// tree gave: the same defaults, rows, lines and errors, the same error first.
func TestJSONStreamsAsTheTreeRead(t *testing.T) {
	for _, s := range jsonPlans {
		sameRead(t, []byte(s))
	}
}

func FuzzJSONStreamsAsTheTreeRead(f *testing.F) {
	for _, s := range jsonPlans {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameRead(t, data) })
}
