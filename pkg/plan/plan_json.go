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
// trailing commas, one document, no key twice) and turned into the node tree
// the YAML reader walks, lines kept, so both formats check keys and report
// items the same way.
func readJSON(data []byte) (PlanItem, []planRow, error) {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
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
	return readPlanNode(root)
}

type jsonParser struct {
	data []byte
	dec  *json.Decoder
	// lines counted in data[:at]: the decoder only moves forward, so each
	// byte is counted once (counting from the start for every value made a
	// 10,000-item plan take seconds).
	at, lines int
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
	line := p.line()
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
			seen := map[string]int{}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.wrap(err)
				}
				key, kline := kt.(string), p.line()
				if first, dup := seen[key]; dup {
					return nil, fmt.Errorf("line %d: key %q given twice (also line %d): keep one", kline, key, first)
				}
				seen[key] = kline
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				if v == nil {
					return nil, fmt.Errorf("line %d: the plan ends inside an object", kline)
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: kline}, v)
			}
			_, err := p.dec.Token() // '}'
			return n, p.wrap(err)
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
			for p.dec.More() {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				if v == nil {
					return nil, fmt.Errorf("line %d: the plan ends inside a list", line)
				}
				n.Content = append(n.Content, v)
			}
			_, err := p.dec.Token() // ']'
			return n, p.wrap(err)
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
