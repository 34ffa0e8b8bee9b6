package plan

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Types in YAML and JSON plans are strict: force: takes true or false, not
// the text "true"; count: takes a whole number, not the text "3"; a text key
// takes text (or a number: Zenlayer IDs are numbers), not true/false or a
// date. A quoted "true" is most often a template that quoted every value,
// and reading it as the word it spells would hide that the template means
// something else by it. CSV holds only text, and is read as text.

// valueType is the type of value a plan key takes in YAML and JSON.
type valueType int

const (
	typeText valueType = iota
	typeBool
	typeInt
)

// tagWords are the standard YAML tags a plan may hold, as the reader
// resolves them, and what each is called in a message. Any other tag
// (!foo, !!binary, !!set) is refused: eipctl would read its text and drop
// what the tag says.
var tagWords = map[string]string{
	"!!str": "text", "!!int": "a number", "!!float": "a number", "!!bool": "true or false",
	"!!null": "null", "!!timestamp": "a date", "!!map": "a mapping", "!!seq": "a list", "!!merge": "a merge key",
}

// checkType refuses a value of the wrong type for key k.
func checkType(k key, v *yaml.Node) error {
	got := tagWords[v.Tag]
	switch {
	case k.typ == typeBool && v.Tag != "!!bool":
		return fmt.Errorf("line %d: %s: want true or false, unquoted, not %s %q", v.Line, k.name, got, v.Value)
	case k.typ == typeInt && v.Tag != "!!int":
		return fmt.Errorf("line %d: %s: want a whole number, unquoted (such as 3), not %s %q", v.Line, k.name, got, v.Value)
	case k.typ == typeText && v.Tag != "!!str" && v.Tag != "!!int" && v.Tag != "!!float":
		return fmt.Errorf("line %d: %s: want text, not %s (%s): put the value in quotes", v.Line, k.name, got, v.Value)
	}
	return nil
}

// checkTags refuses a tag that is not one of tagWords anywhere in a YAML
// document, naming its line and the key it is under. Aliases are checked
// where their anchor is.
func checkTags(n *yaml.Node, under string) error {
	if n.Kind == yaml.AliasNode {
		return nil
	}
	if _, ok := tagWords[n.Tag]; !ok && n.Kind != yaml.DocumentNode {
		where := ""
		if under != "" {
			where = under + ": "
		}
		return fmt.Errorf("line %d: %sthe tag %s is not one a plan takes: remove it (a plan holds text, numbers, true/false, lists and mappings)", n.Line, where, strings.TrimSpace(n.Tag))
	}
	for i, c := range n.Content {
		name := under
		if n.Kind == yaml.MappingNode && i%2 == 1 {
			name = n.Content[i-1].Value
		}
		if err := checkTags(c, name); err != nil {
			return err
		}
	}
	return nil
}
