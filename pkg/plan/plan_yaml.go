package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// readYAML reads a plan document: a mapping with defaults: and bindings:.
// The document is walked as nodes rather than decoded into structs, so that
// every key is checked (a misspelt one is an error, not a silently ignored
// field, also inside merge keys), each item's problem names its line, and
// one bad item does not hide the next.
func readYAML(data []byte) (PlanItem, []planRow, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return PlanItem{}, nil, nil
		}
		return PlanItem{}, nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return PlanItem{}, nil, fmt.Errorf("after the first document: %v", err)
	default:
		return PlanItem{}, nil, fmt.Errorf("line %d: a second YAML document (after ---): eipctl reads one plan per file, so put every binding under one bindings: list", docLine(&next))
	}
	if err := checkTags(&doc, ""); err != nil {
		return PlanItem{}, nil, err
	}
	return readPlanNode(&doc)
}

func docLine(n *yaml.Node) int {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return max(n.Content[0].Line-1, 1)
	}
	return n.Line
}

// readPlanNode reads the plan from a YAML node tree (also what JSON plans
// are turned into).
func readPlanNode(doc *yaml.Node) (PlanItem, []planRow, error) {
	root := deref(doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = deref(root.Content[0])
	}
	if isNull(root) {
		return PlanItem{}, nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return PlanItem{}, nil, fmt.Errorf("line %d: a plan is a mapping with the keys defaults: and bindings:", root.Line)
	}
	r := newPlanReader()
	for i := 0; i+1 < len(root.Content); i += 2 {
		if err := r.entry(root.Content[i], deref(root.Content[i+1])); err != nil {
			return PlanItem{}, nil, err
		}
	}
	return r.defaults, r.rows, nil
}

// planReader takes a plan's top-level keys as they come: the YAML reader
// hands it a whole tree, the JSON reader each binding as soon as it is
// parsed, so a 10,000-item plan is never a tree all at once.
type planReader struct {
	defaults PlanItem
	rows     []planRow
	top      map[string]int // line of each top-level key
}

func newPlanReader() *planReader { return &planReader{top: map[string]int{}} }

// entry reads one top-level key and its value.
func (r *planReader) entry(k, v *yaml.Node) error {
	if err := once(r.top, k); err != nil {
		return err
	}
	switch k.Value {
	case "defaults":
		it, err := readItemNode(v)
		if err != nil {
			return fmt.Errorf("defaults (line %d): %v", k.Line, err)
		}
		r.defaults = it
	case "bindings":
		if isNull(v) {
			return nil
		}
		if v.Kind != yaml.SequenceNode {
			return fmt.Errorf("line %d: bindings: must be a list, one \"- eip: ...\" entry per binding", v.Line)
		}
		for _, n := range v.Content {
			r.binding(n)
		}
	case "eips", "errors":
		snap, err := readSnapshot(k.Value, v)
		if err != nil {
			return err
		}
		r.rows = append(r.rows, snap...)
	default:
		return fmt.Errorf("line %d: unknown key %q: a plan has only defaults: and bindings: (or is the output of eip list: eips:)", k.Line, k.Value)
	}
	return nil
}

// binding reads one item of bindings:; its problem stays with its row, so
// one bad item does not hide the next.
func (r *planReader) binding(n *yaml.Node) {
	it, err := readItemNode(deref(n))
	r.rows = append(r.rows, planRow{item: it, line: n.Line, err: err})
}

// readItemNode reads one item mapping. Merge keys (<<: *anchor, or a list of
// anchors) are read like the item itself, every key checked; keys written in
// the item win over merged ones, and earlier merges over later, as YAML says.
func readItemNode(n *yaml.Node) (PlanItem, error) {
	var it PlanItem
	if isNull(n) {
		return it, nil
	}
	set := map[string]bool{}
	budget := maxMerges
	if err := mergeItem(&it, set, n, 0, &budget); err != nil {
		return it, err
	}
	return it, nil
}

// maxMerges bounds the mappings one item may merge in all: aliases can
// multiply (a merge of ten anchors that each merge ten more ...), and a plan
// must not be able to keep eipctl busy forever.
const maxMerges = 100

func mergeItem(it *PlanItem, set map[string]bool, n *yaml.Node, depth int, budget *int) error {
	if *budget--; depth > 8 || *budget < 0 {
		return fmt.Errorf("line %d: merge keys nested too deep or too many: merge at most %d mappings per binding", n.Line, maxMerges)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping of %s", n.Line, strings.Join(planKeys, ", "))
	}
	// Own keys first, so they win over anything merged.
	var merges []*yaml.Node
	own := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if err := once(own, k); err != nil {
			return err
		}
		if k.Value == "<<" {
			merges = append(merges, v)
			continue
		}
		f := it.field(k.Value)
		if f == nil {
			return fmt.Errorf("line %d: unknown key %q: use %s", k.Line, k.Value, strings.Join(planKeys, ", "))
		}
		if set[k.Value] {
			continue
		}
		val, err := scalar(k.Value, v)
		if err != nil {
			return err
		}
		*f, set[k.Value] = val, true
	}
	for _, m := range merges {
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			if err := mergeItem(it, set, deref(s), depth+1, budget); err != nil {
				return err
			}
		}
	}
	return nil
}

// once refuses a key written twice in one mapping: the parser keeps the
// last silently, which would drop the first value.
func once(seen map[string]int, k *yaml.Node) error {
	if first, dup := seen[k.Value]; dup {
		return fmt.Errorf("line %d: key %q given twice (also line %d): keep one", k.Line, k.Value, first)
	}
	seen[k.Value] = k.Line
	return nil
}

// scalar reads one value as text. A list or a mapping where a single value
// belongs is refused rather than flattened.
func scalar(key string, v *yaml.Node) (string, error) {
	k, _ := lookup(key)
	if k.list != "" && v.Kind == yaml.SequenceNode {
		return commaList(k, v)
	}
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: %s: want a single value, not a %s", v.Line, key, kindWord(v.Kind))
	}
	if isNull(v) {
		return "", nil
	}
	if err := checkType(k, v); err != nil {
		return "", err
	}
	if k.typ == typeBool {
		return strings.ToLower(v.Value), nil // YAML's True and TRUE
	}
	return v.Value, nil
}

func kindWord(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "structure"
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }
