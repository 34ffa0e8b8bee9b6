package plan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode"

	"github.com/eipctl/eipctl/pkg/eip"
)

// PlanItem is one binding in a plan file, or the same values from flags.
// Its fields are the one table of plan keys, in the order messages list
// them: each yaml tag names a key (the YAML and JSON key, the CSV header
// word; its flag is the same words, dashed: targetType, --target-type), and
// a plan tag says what else a key is (see key). Every value is kept as text
// until binding(), so that defaults merge the same way for every key.
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
	Force          string `yaml:"force" plan:"bool"`                                  // "true" or "false"; empty takes the default
	From           string `yaml:"from" plan:"list=target IDs (or none)"`              // a comma list (YAML, JSON: or a list) of holders a move may take the EIP from
	Pool           string `yaml:"pool" plan:"list=EIP IDs, addresses or CIDR blocks"` // a comma list (YAML, JSON: or a list); see pool.go
	Count          string `yaml:"count" plan:"int"`                                   // how many EIPs of the pool; empty means 1
}

// key is one plan key: its name in files, the flag that sets it, what a
// YAML or JSON list of it holds when it may be given as one (read as a
// comma list; "" when it may not: plan:"list=..."), the type a YAML or JSON
// value of it must have (typeText, or plan:"bool" typeBool, plan:"int"
// typeInt; CSV holds only text), and which PlanItem field holds its value.
type key struct {
	name, flag string
	list       string
	typ        valueType
	field      int
}

// of returns the value behind k in it.
func (k key) of(it *PlanItem) *string {
	return reflect.ValueOf(it).Elem().Field(k.field).Addr().Interface().(*string)
}

// keys are PlanItem's fields read as plan keys.
var keys = func() []key {
	t := reflect.TypeFor[PlanItem]()
	out := make([]key, t.NumField())
	for i := range out {
		tag := t.Field(i).Tag
		k := key{name: tag.Get("yaml"), typ: typeText, field: i}
		k.flag = "--" + dashed(k.name)
		switch p := tag.Get("plan"); {
		case p == "bool":
			k.typ = typeBool
		case p == "int":
			k.typ = typeInt
		case strings.HasPrefix(p, "list="):
			k.list = strings.TrimPrefix(p, "list=")
		}
		out[i] = k
	}
	return out
}()

// dashed spells a key's words as a flag's: targetType, target-type.
func dashed(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsUpper(r) {
			b.WriteByte('-')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// planKeys are the keys' names, for messages.
var planKeys = func() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}()

// flagNames are the flags that set each plan key.
var flagNames = func() map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k.name] = k.flag
	}
	return out
}()

// lookup returns a plan key by name.
func lookup(name string) (key, bool) {
	for _, k := range keys {
		if k.name == name {
			return k, true
		}
	}
	return key{}, false
}

// field returns the value behind a plan key, or nil for an unknown key.
func (it *PlanItem) field(name string) *string {
	if k, ok := lookup(name); ok {
		return k.of(it)
	}
	return nil
}

// withDefaults fills the fields it leaves empty from d.
func (it PlanItem) withDefaults(d PlanItem) PlanItem {
	for _, k := range planKeys {
		if f := it.field(k); *f == "" {
			*f = *d.field(k)
		}
	}
	return it
}

// planFormat is one way of writing a plan.
type planFormat struct {
	name string
	read func(data []byte) (defaults PlanItem, items []planRow, err error)
}

// planRow is one item as read, with where it was read (0 when the format has
// no lines) and the first problem found in it.
type planRow struct {
	item PlanItem
	line int
	err  error
}

var (
	yamlFormat = planFormat{"YAML", readYAML}
	jsonFormat = planFormat{"JSON", readJSON}
	csvFormat  = planFormat{"CSV", readCSV}
)

// ReadPlan reads a plan file: .yaml/.yml, .json or .csv (standard input is
// the caller's to read: ParsePlan("-", data, base)). Fields an
// item leaves empty are taken from the file's defaults, then from base (the
// command's flags). Every invalid item is reported, one line each, naming
// the file, the item, its line and the field; nothing is returned then.
func ReadPlan(path string, base PlanItem) ([]eip.Binding, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, eip.Usagef("-f %s: %v", shownName(path), pathErr(err))
	}
	defer file.Close()
	data, err := readAll("-f "+shownName(path), file)
	if err != nil {
		return nil, err
	}
	return ParsePlan(path, data, base)
}

// shownName quotes a file name that would not print as one clean line.
func shownName(name string) string {
	if eip.CheckText("", name) != nil || strings.ContainsAny(name, " \"") {
		return fmt.Sprintf("%q", name)
	}
	return name
}

// ParsePlan is ReadPlan over bytes already read; name is the file name
// ("-" for standard input) that picks the format and prefixes messages.
func ParsePlan(name string, data []byte, base PlanItem) ([]eip.Binding, error) {
	where := "-f " + shownName(name)
	if name == "-" {
		where = stdinName
	}
	if len(data) > MaxBytes {
		return nil, tooBig(where)
	}
	format, err := formatOf(name, data)
	if err != nil {
		return nil, eip.Usagef("%s: %v", where, err)
	}
	defaults, rows, err := format.read(data)
	if err != nil {
		return nil, eip.Usagef("%s: %s", where, oneLine(err.Error()))
	}
	if len(rows) > MaxItems {
		return nil, tooMany(where)
	}
	if len(rows) == 0 {
		return nil, eip.Usagef("%s: the plan has no bindings: list them under bindings: (YAML, JSON) or one per row under a header (CSV)", where)
	}
	base = defaults.withDefaults(trimmed(base))
	out := make([]eip.Binding, 0, len(rows))
	var bad []string
	for i, r := range rows {
		var b eip.Binding
		if r.err == nil {
			b, r.err = r.item.withDefaults(base).binding(nil)
		}
		if r.err != nil {
			// The item's own line is in the prefix; a problem on another
			// line (a merged anchor) keeps its own.
			msg := strings.TrimPrefix(oneLine(r.err.Error()), fmt.Sprintf("line %d: ", r.line))
			bad = append(bad, fmt.Sprintf("%s: item %d%s: %s", where, i+1, lineNote(r.line), msg))
			continue
		}
		b.Line = r.line
		out = append(out, b)
	}
	if len(bad) > 0 {
		return nil, &eip.UsageError{Msg: strings.Join(bad, "\n")}
	}
	return out, nil
}

// formatOf picks the format from the file name, or for standard input from
// the content: JSON starts with '{', YAML's first line holds a "key:" (or
// "---"), and anything else is a CSV header.
func formatOf(name string, data []byte) (planFormat, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return yamlFormat, nil
	case ".json":
		return jsonFormat, nil
	case ".csv":
		return csvFormat, nil
	}
	if name != "-" {
		return planFormat{}, fmt.Errorf("unknown plan format: name it .yaml, .yml, .json or .csv (or pass - to read standard input)")
	}
	text := withoutBOM(data)
	for _, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "{"), strings.HasPrefix(line, "["):
			return jsonFormat, nil
		case line == "---" || strings.Contains(line, ":"):
			return yamlFormat, nil
		}
		return csvFormat, nil
	}
	return yamlFormat, nil // empty: reported as a plan with no bindings
}

// ReadItem turns the flags' values into a Binding, checked the way a plan
// item is; messages name the flags.
func ReadItem(it PlanItem) (eip.Binding, error) { return trimmed(it).binding(flagNames) }

// binding checks the words of one item and builds its Binding. Values are
// trimmed first, so 'eip-1 ' is eip-1 whichever format it came from.
func (it PlanItem) binding(names map[string]string) (eip.Binding, error) {
	it = trimmed(it)
	for _, k := range planKeys {
		if err := eip.CheckText(named(names, k), *it.field(k)); err != nil {
			return eip.Binding{}, err
		}
	}
	b := eip.Binding{Provider: it.Provider, Region: it.Region, EIP: it.EIP, Target: it.Target,
		PrivateIP: it.PrivateIP, InstanceRegion: it.InstanceRegion, ClientToken: it.ClientToken}
	if it.TargetType != "" {
		t, err := eip.ParseTargetType(it.TargetType)
		if err != nil {
			return b, fmt.Errorf("targetType: %v", err)
		}
		b.TargetType = t
	}
	m, err := eip.ParseMode(it.Mode)
	if err != nil {
		return b, fmt.Errorf("mode: %v", err)
	}
	b.Mode = m
	switch it.Force {
	case "", "false":
	case "true":
		b.Force = true
	default:
		return b, fmt.Errorf("force: %q is not true or false: write force: true to move an EIP bound elsewhere", it.Force)
	}
	if it.From != "" {
		from, err := eip.ParseFrom(named(names, "from"), it.From)
		if err != nil {
			return b, err
		}
		b.From = from
	}
	return b, it.claim(&b, names)
}

// named is what messages call key k: its flag when names maps it (the
// values came from flags), else the key itself.
func named(names map[string]string, k string) string {
	if n, ok := names[k]; ok {
		return n
	}
	return k
}

func trimmed(it PlanItem) PlanItem {
	for _, k := range planKeys {
		f := it.field(k)
		*f = strings.TrimSpace(*f)
	}
	return it
}

func lineNote(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}

// withoutBOM drops the byte-order mark an editor may put first.
func withoutBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) }

// oneLine keeps a parser's message on the one line a usage error gets.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", "; ", "\n", "; ", "\r", " ").Replace(strings.TrimSpace(s))
}
