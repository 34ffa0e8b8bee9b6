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
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true) // a misspelt key is an error, not a silently ignored field
	var pf planFile
	if err := dec.Decode(&pf); err != nil && err != io.EOF {
		return nil, err
	}
	*base = pf.Defaults.withDefaults(*base)
	return pf.Bindings, nil
}

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
