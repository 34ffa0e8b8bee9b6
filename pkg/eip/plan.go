package eip

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// PlanItem is one binding in a plan file. Its field names are the file
// format: the YAML keys and the CSV header words.
type PlanItem struct {
	Provider       string `yaml:"provider"`
	Region         string `yaml:"region"`
	EIP            string `yaml:"eip"`
	Target         string `yaml:"target"`
	TargetType     string `yaml:"targetType"`
	PrivateIP      string `yaml:"privateIp"`
	Mode           string `yaml:"mode"`
	InstanceRegion string `yaml:"instanceRegion"`
	ClientToken    string `yaml:"clientToken"`
}

// planFile is the YAML document: defaults apply to every binding that
// leaves a field empty.
type planFile struct {
	Defaults PlanItem   `yaml:"defaults"`
	Bindings []PlanItem `yaml:"bindings"`
}

var csvColumns = []string{"provider", "region", "eip", "target", "targetType", "privateIp", "mode", "instanceRegion", "clientToken"}

// ReadPlan reads a .yaml/.yml or .csv plan file. Fields a row leaves empty
// are taken from the file's defaults, then from base (the command's flags).
// Every problem names the file, the item and the field.
func ReadPlan(path string, base PlanItem) ([]Binding, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, Usagef("-f %s: %v", path, errors.Unwrap(err))
	}
	defer fh.Close()
	var items []PlanItem
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		items, err = readYAML(fh, &base)
	case ".csv":
		items, err = readCSV(fh)
	default:
		return nil, Usagef("-f %s: unknown plan format: name it .yaml, .yml or .csv", path)
	}
	if err != nil {
		return nil, Usagef("-f %s: %v", path, err)
	}
	if len(items) == 0 {
		return nil, Usagef("-f %s: the plan has no bindings", path)
	}
	out := make([]Binding, 0, len(items))
	for i, it := range items {
		b, err := it.withDefaults(base).binding()
		if err != nil {
			return nil, Usagef("-f %s: binding %d: %v", path, i+1, err)
		}
		out = append(out, b)
	}
	return out, nil
}

func readYAML(r io.Reader, base *PlanItem) ([]PlanItem, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	// A misspelt key is an error, not a silently ignored field. The check is
	// ours rather than the decoder's KnownFields so that the message names
	// the binding and the keys allowed instead of a Go type.
	if err := checkKeys(&doc); err != nil {
		return nil, err
	}
	var pf planFile
	if err := doc.Decode(&pf); err != nil {
		return nil, err
	}
	*base = pf.Defaults.withDefaults(*base)
	return pf.Bindings, nil
}

func checkKeys(doc *yaml.Node) error {
	root := deref(doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = deref(root.Content[0])
	}
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a plan is a mapping with the keys defaults: and bindings:", root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], deref(root.Content[i+1])
		switch k.Value {
		case "defaults":
			if err := checkItem(v, "defaults"); err != nil {
				return err
			}
		case "bindings":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return fmt.Errorf("line %d: bindings: must be a list, one \"- eip: ...\" entry per binding", v.Line)
			}
			for j, it := range v.Content {
				if err := checkItem(deref(it), fmt.Sprintf("binding %d", j+1)); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("line %d: unknown key %q: a plan has only defaults: and bindings:", k.Line, k.Value)
		}
	}
	return nil
}

func checkItem(n *yaml.Node, where string) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s (line %d): want a mapping of %s", where, n.Line, strings.Join(csvColumns, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Value != "<<" && !contains(csvColumns, k.Value) {
			return fmt.Errorf("%s (line %d): unknown key %q: use %s", where, k.Line, k.Value, strings.Join(csvColumns, ", "))
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func readCSV(r io.Reader) ([]PlanItem, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("no header row: start with a line naming the columns, e.g. %s", strings.Join(csvColumns[:4], ","))
	}
	for _, h := range header {
		if !contains(csvColumns, strings.TrimSpace(h)) {
			return nil, fmt.Errorf("unknown column %q: use %s", h, strings.Join(csvColumns, ", "))
		}
	}
	var items []PlanItem
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return nil, err
		}
		var it PlanItem
		for i, h := range header {
			if i < len(rec) {
				*it.field(strings.TrimSpace(h)) = strings.TrimSpace(rec[i])
			}
		}
		items = append(items, it)
	}
}

func (it *PlanItem) field(name string) *string {
	switch name {
	case "provider":
		return &it.Provider
	case "region":
		return &it.Region
	case "eip":
		return &it.EIP
	case "target":
		return &it.Target
	case "targetType":
		return &it.TargetType
	case "privateIp":
		return &it.PrivateIP
	case "mode":
		return &it.Mode
	case "instanceRegion":
		return &it.InstanceRegion
	}
	return &it.ClientToken
}

func (it PlanItem) withDefaults(d PlanItem) PlanItem {
	for _, name := range csvColumns {
		if f := it.field(name); *f == "" {
			*f = *d.field(name)
		}
	}
	return it
}

// ReadItem turns one plan item (or the equivalent flags) into a Binding.
func ReadItem(it PlanItem) (Binding, error) { return it.binding() }

func (it PlanItem) binding() (Binding, error) {
	b := Binding{Provider: it.Provider, Region: it.Region, EIP: it.EIP, Target: it.Target,
		PrivateIP: it.PrivateIP, InstanceRegion: it.InstanceRegion, ClientToken: it.ClientToken}
	if it.TargetType != "" {
		t, err := ParseTargetType(it.TargetType)
		if err != nil {
			return b, fmt.Errorf("targetType: %v", err)
		}
		b.TargetType = t
	}
	m, err := ParseMode(it.Mode)
	if err != nil {
		return b, fmt.Errorf("mode: %v", err)
	}
	b.Mode = m
	return b, nil
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}
