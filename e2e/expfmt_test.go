package e2e_test

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// This is a reader of the Prometheus text exposition format (0.0.4,
// https://prometheus.io/docs/instrumenting/exposition_formats/) written
// for the tests, apart from pkg/metrics' own, so the file eipctl writes is
// checked by something that did not write it. It is strict where a scraper
// or node_exporter's textfile collector would refuse a file: names, label
// syntax and escapes, float values, # TYPE once and before the family's
// samples, a family's lines together, no series twice, a final newline.

var (
	promName  = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	promLabel = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	promTypes = map[string]bool{"counter": true, "gauge": true, "histogram": true, "summary": true, "untyped": true}
)

// promFile is a parsed exposition: each series' value by its key
// (name{l1="v1",l2="v2"}, labels sorted), and each family's type.
type promFile struct {
	values map[string]float64
	types  map[string]string
}

// get is the value of one series; labels are name, value pairs.
func (f promFile) get(name string, labels ...string) (float64, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		m[labels[i]] = labels[i+1]
	}
	v, ok := f.values[seriesKey(name, m)]
	return v, ok
}

func seriesKey(name string, labels map[string]string) string {
	var ls []string
	for k, v := range labels {
		ls = append(ls, k+"="+strconv.Quote(v))
	}
	sort.Strings(ls)
	return name + "{" + strings.Join(ls, ",") + "}"
}

// parseProm reads text strictly; its error names the line.
func parseProm(text string) (promFile, error) {
	f := promFile{values: map[string]float64{}, types: map[string]string{}}
	if text == "" || !strings.HasSuffix(text, "\n") {
		return f, fmt.Errorf("the file does not end with a newline")
	}
	helped, closed, last := map[string]bool{}, map[string]bool{}, ""
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		family, err := f.line(line, helped)
		if err != nil {
			return f, fmt.Errorf("line %d %q: %w", i+1, line, err)
		}
		if family == "" || family == last {
			continue
		}
		if closed[family] {
			return f, fmt.Errorf("line %d: the lines of %s are not together", i+1, family)
		}
		closed[last], last = true, family
	}
	return f, nil
}

// line reads one line and returns the family it belongs to ("" for a
// blank line or a plain comment).
func (f promFile) line(line string, helped map[string]bool) (string, error) {
	if strings.TrimSpace(line) == "" {
		return "", nil
	}
	if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
		name, _, _ := strings.Cut(rest, " ")
		if helped[name] {
			return "", fmt.Errorf("a second HELP for %s", name)
		}
		helped[name] = true
		return name, checkName(name)
	}
	if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
		name, typ, _ := strings.Cut(rest, " ")
		if _, dup := f.types[name]; dup || !promTypes[typ] {
			return "", fmt.Errorf("TYPE %q for %s given twice or unknown", typ, name)
		}
		if f.hasSamples(name) {
			return "", fmt.Errorf("TYPE for %s after its samples", name)
		}
		f.types[name] = typ
		return name, checkName(name)
	}
	if strings.HasPrefix(line, "#") {
		return "", nil
	}
	name, labels, value, err := promSample(line)
	if err != nil {
		return "", err
	}
	if _, ok := f.types[name]; !ok {
		return "", fmt.Errorf("sample of %s before (or without) its TYPE", name)
	}
	key := seriesKey(name, labels)
	if _, dup := f.values[key]; dup {
		return "", fmt.Errorf("series %s given twice", key)
	}
	f.values[key] = value
	return name, nil
}

func (f promFile) hasSamples(name string) bool {
	for k := range f.values {
		if strings.HasPrefix(k, name+"{") {
			return true
		}
	}
	return false
}

func checkName(name string) error {
	if !promName.MatchString(name) {
		return fmt.Errorf("%q is not a metric name", name)
	}
	return nil
}

// promSample reads name{label="value",...} value, with no timestamp
// (a textfile must not carry one).
func promSample(line string) (string, map[string]string, float64, error) {
	end := strings.IndexAny(line, "{ ")
	if end < 0 {
		return "", nil, 0, fmt.Errorf("no value")
	}
	name, rest := line[:end], line[end:]
	if err := checkName(name); err != nil {
		return "", nil, 0, err
	}
	labels := map[string]string{}
	if strings.HasPrefix(rest, "{") {
		var err error
		if rest, err = promLabels(rest[1:], labels); err != nil {
			return "", nil, 0, err
		}
	}
	v, ok := strings.CutPrefix(rest, " ")
	if !ok || strings.ContainsAny(v, " \t") {
		return "", nil, 0, fmt.Errorf("want one space and a value (no timestamp), got %q", rest)
	}
	value, err := promFloat(v)
	return name, labels, value, err
}

// promLabels reads label="value" pairs up to the closing brace and
// returns what follows it.
func promLabels(s string, into map[string]string) (string, error) {
	for !strings.HasPrefix(s, "}") {
		eq := strings.Index(s, `="`)
		if eq < 0 || !promLabel.MatchString(s[:eq]) {
			return "", fmt.Errorf("bad label at %q", s)
		}
		name := s[:eq]
		if _, dup := into[name]; dup {
			return "", fmt.Errorf("label %s twice", name)
		}
		var val strings.Builder
		i := eq + 2
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				esc, ok := map[byte]byte{'\\': '\\', '"': '"', 'n': '\n'}[s[i]]
				if !ok {
					return "", fmt.Errorf(`label %s: escape \%c is not \\, \" or \n`, name, s[i])
				}
				val.WriteByte(esc)
				continue
			}
			val.WriteByte(s[i])
		}
		if i >= len(s) {
			return "", fmt.Errorf("label %s: unterminated value", name)
		}
		into[name] = val.String()
		s = strings.TrimPrefix(s[i+1:], ",")
	}
	return s[1:], nil
}

func promFloat(s string) (float64, error) {
	switch s {
	case "+Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	if strings.ContainsAny(s, "_xXpP") { // Go's ParseFloat takes 1_0 and hex; the format does not
		return 0, fmt.Errorf("value %q is not a float", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("value %q is not a float", s)
	}
	return v, nil
}

// The reader refuses what a scraper refuses, so a pass above means something.
func TestPromReaderIsStrict(t *testing.T) {
	t.Parallel()
	good := "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"q\\\"\\\\\\n\",y=\"\"} 1.5e+09\n"
	if f, err := parseProm(good); err != nil {
		t.Fatalf("a good file: %v", err)
	} else if v, _ := f.get("a_total", "x", "q\"\\\n", "y", ""); v != 1.5e9 {
		t.Errorf("a_total = %v, want 1.5e9 with the escapes read", v)
	}
	for _, bad := range []string{
		"# TYPE a gauge\na 1",                   // no final newline
		"a 1\n",                                 // no TYPE
		"# TYPE a gauge\na 1\n# TYPE a gauge\n", // TYPE twice
		"# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"1\"} 2\n", // a's lines apart
		"# TYPE a gauge\na 1\na 2\n",                               // a series twice
		"# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n",                   // a label twice
		"# TYPE a gauge\na{x=\"\\t\"} 1\n",                         // a bad escape
		"# TYPE a gauge\na{x=\"1} 1\n",                             // unterminated value
		"# TYPE a gauge\na{1x=\"1\"} 1\n",                          // bad label name
		"# TYPE 1a gauge\n1a 1\n",                                  // bad metric name
		"# TYPE a gauge\na one\n",                                  // not a float
		"# TYPE a gauge\na 1 1700000000\n",                         // a timestamp
		"# TYPE a meter\na 1\n",                                    // unknown type
	} {
		if _, err := parseProm(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
