package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// readJSON reads a JSON plan: the same keys as YAML ({"defaults": {...},
// "bindings": [{...}, ...]}). It is parsed strictly as JSON (no comments, no
// trailing commas, one document, no key twice) into the nodes the YAML
// reader walks, lines kept, so both formats check keys and report items the
// same way. The plan object's keys go to a planReader as they are parsed,
// and bindings one item at a time: a 10,000-item plan held as one node
// tree was 24 MB, the largest thing a large run held at its start.
func readJSON(data []byte) (PlanItem, []planRow, error) {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), plan: newPlanReader()}
	p.dec.UseNumber()
	r := p.plan
	root, err := p.value()
	if err != nil {
		return PlanItem{}, nil, err
	}
	if root == nil {
		return PlanItem{}, nil, nil
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return PlanItem{}, nil, fmt.Errorf("line %d: more after the plan's closing brace: a JSON plan is one object", p.line())
	}
	if root.Kind != yaml.MappingNode { // not an object: the YAML reader's words for it
		return readPlanNode(root)
	}
	// A problem with a key shows only once the whole text parsed: a syntax
	// error anywhere is told first, as when the tree was read after parsing.
	if p.planErr != nil {
		return PlanItem{}, nil, p.planErr
	}
	return r.defaults, r.rows, nil
}

type jsonParser struct {
	data []byte
	dec  *json.Decoder
	// lines counted in data[:at]: the decoder only moves forward, so each
	// byte is counted once (counting from the start for every value made a
	// 10,000-item plan take seconds).
	at, lines int
	// plan takes the keys of the first value parsed, when it is an object
	// (the plan), then is nil; planErr is the first problem it found.
	plan    *planReader
	planErr error
}

// line is the line the decoder has read up to.
func (p *jsonParser) line() int {
	return p.lineAt(int(p.dec.InputOffset()))
}

// lineAt is the line of data[off].
func (p *jsonParser) lineAt(off int) int {
	off = min(off, len(p.data))
	if off < p.at {
		return 1 + bytes.Count(p.data[:off], []byte("\n"))
	}
	p.lines += bytes.Count(p.data[p.at:off], []byte("\n"))
	p.at = off
	return 1 + p.lines
}

// value reads one JSON value into a node; nil at the end of an empty input.
func (p *jsonParser) value() (*yaml.Node, error) {
	tok, err := p.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, p.wrap(err)
	}
	return p.node(tok)
}

// node reads the value that begins with tok.
func (p *jsonParser) node(tok json.Token) (*yaml.Node, error) {
	line := p.line()
	plan := p.plan // the first value parsed is the plan
	p.plan = nil
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
			err := p.members(func(k *yaml.Node) error {
				if plan != nil {
					return p.planMember(plan, k)
				}
				v, err := p.member(k)
				n.Content = append(n.Content, k, v)
				return err
			})
			return n, err
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
			return n, p.elements(line, func(v *yaml.Node) { n.Content = append(n.Content, v) })
		}
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t, Line: line}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(t.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String(), Line: line}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t), Line: line}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: line}, nil
	}
	return nil, fmt.Errorf("line %d: unexpected %v", line, tok)
}

// members reads an object's members after its '{', handing each key to
// fn, which reads the value; a key given twice is refused.
func (p *jsonParser) members(fn func(k *yaml.Node) error) error {
	seen := map[string]int{}
	for p.dec.More() {
		kt, err := p.dec.Token()
		if err != nil {
			return p.wrap(err)
		}
		key, kline := kt.(string), p.line()
		if first, dup := seen[key]; dup {
			return fmt.Errorf("line %d: key %q given twice (also line %d): keep one", kline, key, first)
		}
		seen[key] = kline
		if err := fn(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: kline}); err != nil {
			return err
		}
	}
	_, err := p.dec.Token() // '}'
	return p.wrap(err)
}

// member reads the value of key k.
func (p *jsonParser) member(k *yaml.Node) (*yaml.Node, error) {
	v, err := p.value()
	if err == nil && v == nil {
		err = fmt.Errorf("line %d: the plan ends inside an object", k.Line)
	}
	return v, err
}

// elements reads a list's elements after its '[' (on line), handing each
// to fn as soon as it is read.
func (p *jsonParser) elements(line int, fn func(v *yaml.Node)) error {
	for p.dec.More() {
		v, err := p.value()
		if err != nil {
			return err
		}
		if v == nil {
			return fmt.Errorf("line %d: the plan ends inside a list", line)
		}
		fn(v)
	}
	_, err := p.dec.Token() // ']'
	return p.wrap(err)
}

// planMember reads one key of the plan object into r: bindings: a list is
// read an item at a time, anything else whole. The first problem r finds
// is kept for the end (planErr), and nothing more is given to r after it.
func (p *jsonParser) planMember(r *planReader, k *yaml.Node) error {
	tok, err := p.dec.Token()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("line %d: the plan ends inside an object", k.Line)
	}
	if err != nil {
		return p.wrap(err)
	}
	if d, ok := tok.(json.Delim); ok && d == '[' && k.Value == "bindings" {
		line := p.line()
		if p.planErr == nil {
			p.planErr = r.entry(k, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line})
		}
		return p.elements(line, func(v *yaml.Node) {
			if p.planErr == nil {
				r.binding(v)
			}
		})
	}
	v, err := p.node(tok)
	if err == nil && p.planErr == nil {
		p.planErr = r.entry(k, v)
	}
	return err
}

// wrap gives a decoder error the line it happened on.
func (p *jsonParser) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("line %d: the JSON ends early: close every { and [", p.line())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: not valid JSON: %v", p.lineAt(int(se.Offset)), se)
	}
	return fmt.Errorf("line %d: %v", p.line(), err)
}
