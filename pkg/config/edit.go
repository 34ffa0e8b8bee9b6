package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Path is the config file `config set` and friends edit: --config, then
// EIPCTL_CONFIG, then the default location (which may not exist yet).
func Path(configFile string) string {
	return cmp.Or(configFile, os.Getenv("EIPCTL_CONFIG"), defaultFile())
}

// ProfileKeys are the keys `config set` accepts in a profile, beside
// credentials.<provider>.<CredentialKeys>.
var (
	CredentialKeys = []string{"id", "secret", "token", "profile", "instance-role"}
	SecretKeys     = []string{"secret", "token"}
)

// File is eipctl's config file as a YAML node tree. Edits change the nodes
// in place, so comments, order and unknown keys survive a rewrite.
type File struct {
	path string
	doc  yaml.Node
}

// OpenFile reads path; a file that does not exist is an empty document.
func OpenFile(path string) (*File, error) {
	f := &File{path: path}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data = nil
	case err != nil:
		return nil, fmt.Errorf("config file %s: %v", path, err)
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &f.doc); err != nil {
			return nil, fmt.Errorf("config file %s: %v: fix the YAML first", path, err)
		}
	}
	if f.doc.Kind == 0 {
		f.doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	if len(f.doc.Content) == 0 || f.doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config file %s: the top level must be a mapping (default-profile:, profiles:)", path)
	}
	return f, nil
}

// Path is the file's location.
func (f *File) Path() string { return f.path }

func (f *File) root() *yaml.Node { return f.doc.Content[0] }

// lookup walks keys down from m; nil when a step is missing.
func lookup(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == k {
				next = m.Content[i+1]
			}
		}
		m = next
	}
	return m
}

// ensure walks keys down from m, adding empty mappings where missing.
func ensure(m *yaml.Node, keys ...string) (*yaml.Node, error) {
	for n, k := range keys {
		next := lookup(m, k)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, next)
		}
		if next.Kind != yaml.MappingNode {
			if next.Kind == yaml.ScalarNode && next.Value == "" && next.Tag != "!!str" { // "key:" with nothing: make it a mapping
				next.Kind, next.Tag = yaml.MappingNode, ""
			} else {
				return nil, fmt.Errorf("%s is not a mapping", strings.Join(keys[:n+1], "."))
			}
		}
		m = next
	}
	return m, nil
}

// Kind is how a key's value is written, so that it reads back typed:
// `allow-unknown-region: true` is a YAML boolean, not the string "true".
type Kind int

// The kinds of value a profile key takes.
const (
	KindString   Kind = iota
	KindBool          // true or false
	KindDuration      // a Go duration (30s, 5m), written as a plain scalar
	KindInt           // a whole number
	KindList          // a list of words, given comma-separated
)

// Get returns a profile's key (dotted, e.g. region or credentials.alibaba.id);
// a list comes back comma-separated.
func (f *File) Get(profile, key string) (string, bool) {
	n := lookup(f.root(), append([]string{"profiles", profile}, strings.Split(key, ".")...)...)
	switch {
	case n == nil:
		return "", false
	case n.Kind == yaml.ScalarNode:
		return n.Value, true
	case n.Kind == yaml.SequenceNode:
		var items []string
		for _, it := range n.Content {
			items = append(items, it.Value)
		}
		return strings.Join(items, ","), true
	}
	return "", false
}

// valueNode is value as a YAML node of its kind.
func valueNode(value string, kind Kind) *yaml.Node {
	switch kind {
	case KindBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: value}
	case KindInt:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: value}
	case KindList:
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, it := range strings.Split(value, ",") {
			if it = strings.TrimSpace(it); it != "" {
				seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: it})
			}
		}
		return seq
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
}

// Set sets a profile's key, creating the profile and the path to the key.
// The value is written as kind says; a comment on the old value is kept.
func (f *File) Set(profile, key, value string, kind Kind) error {
	parts := strings.Split(key, ".")
	m, err := ensure(f.root(), append([]string{"profiles", profile}, parts[:len(parts)-1]...)...)
	if err != nil {
		return fmt.Errorf("config file %s: %v", f.path, err)
	}
	last := parts[len(parts)-1]
	v := valueNode(value, kind)
	if n := lookup(m, last); n != nil {
		if n.Kind != yaml.ScalarNode && n.Kind != yaml.SequenceNode {
			return fmt.Errorf("config file %s: %s in profile %s is not a single value or a list", f.path, key, profile)
		}
		v.HeadComment, v.LineComment, v.FootComment = n.HeadComment, n.LineComment, n.FootComment
		*n = *v
		return nil
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: last}, v)
	return nil
}

// Unset removes a profile's key, then the mappings that removal leaves
// empty below the profile. It tells whether the key was there.
func (f *File) Unset(profile, key string) bool {
	path := append([]string{"profiles", profile}, strings.Split(key, ".")...)
	if lookup(f.root(), path...) == nil {
		return false
	}
	for depth := len(path); depth > 2; depth-- {
		parent := lookup(f.root(), path[:depth-1]...)
		child := lookup(parent, path[depth-1])
		if depth < len(path) && (child.Kind != yaml.MappingNode || len(child.Content) > 0) {
			break // still holds other keys
		}
		for i := 0; i+1 < len(parent.Content); i += 2 {
			if parent.Content[i].Value == path[depth-1] {
				parent.Content = append(parent.Content[:i], parent.Content[i+2:]...)
				break
			}
		}
	}
	return true
}

// Profiles lists the profiles the file defines.
func (f *File) Profiles() []string {
	var out []string
	if m := lookup(f.root(), "profiles"); m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			out = append(out, m.Content[i].Value)
		}
	}
	sort.Strings(out)
	return out
}

// HasProfile tells whether the file defines name.
func (f *File) HasProfile(name string) bool {
	return lookup(f.root(), "profiles", name) != nil
}

// Keys lists a profile's settings (values and lists) as dotted keys, in file order.
func (f *File) Keys(profile string) []string {
	var out []string
	var walk func(prefix string, m *yaml.Node)
	walk = func(prefix string, m *yaml.Node) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := prefix+m.Content[i].Value, m.Content[i+1]
			switch v.Kind {
			case yaml.MappingNode:
				walk(k+".", v)
			case yaml.ScalarNode, yaml.SequenceNode:
				out = append(out, k)
			}
		}
	}
	if m := lookup(f.root(), "profiles", profile); m != nil && m.Kind == yaml.MappingNode {
		walk("", m)
	}
	return out
}

// DefaultProfile is default-profile, or "".
func (f *File) DefaultProfile() string {
	if n := lookup(f.root(), "default-profile"); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// SetDefaultProfile sets default-profile.
func (f *File) SetDefaultProfile(name string) {
	if n := lookup(f.root(), "default-profile"); n != nil && n.Kind == yaml.ScalarNode {
		n.Value, n.Tag, n.Style = name, "!!str", 0
		return
	}
	r := f.root()
	r.Content = append([]*yaml.Node{{Kind: yaml.ScalarNode, Value: "default-profile"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: name}}, r.Content...)
}

// Save writes the file with mode 0600 (it may hold secrets), through a
// temporary file and a rename, so a crash never leaves half a file.
func (f *File) Save() error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&f.doc); err != nil {
		return fmt.Errorf("config file %s: %v", f.path, err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config file %s: %v", f.path, err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return fmt.Errorf("config file %s: %v", f.path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("config file %s: %v", f.path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path)
}
