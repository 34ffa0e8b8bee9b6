package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Sample is one series of a parsed exposition.
type Sample struct {
	Name       string
	Type       string // the family's # TYPE
	Labels     map[string]string
	LabelNames []string // in the order the line gives them
	Value      float64
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	types      = map[string]bool{"counter": true, "gauge": true, "untyped": true}
)

// Parse reads the Prometheus text format (version 0.0.4) strictly, as far
// as eipctl writes it: # HELP and # TYPE at most once per family and
// before its samples, a family's samples together, no series twice, valid
// names, quoted label values with \\ \" \n escapes, a float value with no
// timestamp, counters named _total, and a newline at the end. Histograms
// and summaries are refused (eipctl writes neither).
//
// eipctl reads its previous file with it (to add counters), and the tests
// check every file against it. We do not use prometheus/common/expfmt:
// v0.74.0 raises golang.org/x/sys, golang.org/x/text and yaml in the
// shipped binary and adds protobuf, client_model and go-abnf, all for a
// format this small.
func Parse(r io.Reader) ([]Sample, error) {
	br := bufio.NewReader(r)
	var out []Sample
	typ := map[string]string{}
	help := map[string]bool{}
	done := map[string]bool{} // families whose samples are behind us
	seen := map[string]bool{}
	current := ""
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			if line != "" {
				return nil, fmt.Errorf("line %d: the exposition does not end with a newline", n)
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line = strings.TrimSuffix(line, "\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			if err := comment(line, typ, help, seen); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			continue
		}
		s, err := sample(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if s.Type = typ[s.Name]; s.Type == "" {
			return nil, fmt.Errorf("line %d: %s has no # TYPE before it", n, s.Name)
		}
		if s.Type == "counter" && !strings.HasSuffix(s.Name, "_total") {
			return nil, fmt.Errorf("line %d: counter %s is not named _total", n, s.Name)
		}
		if s.Name != current {
			if done[s.Name] {
				return nil, fmt.Errorf("line %d: samples of %s are not together", n, s.Name)
			}
			done[current], current = true, s.Name
		}
		id := s.Name
		for _, l := range s.LabelNames {
			id += "\x00" + l + "=" + s.Labels[l]
		}
		if seen[id] {
			return nil, fmt.Errorf("line %d: series %s given twice", n, line)
		}
		seen[id], seen[s.Name] = true, true
		out = append(out, s)
	}
}

// comment checks a # line: HELP and TYPE are checked, others are free text.
func comment(line string, typ map[string]string, help, seen map[string]bool) error {
	f := strings.Fields(line)
	if len(f) < 3 || (f[1] != "HELP" && f[1] != "TYPE") {
		return nil
	}
	name := f[2]
	if !metricName.MatchString(name) {
		return fmt.Errorf("%q is not a metric name", name)
	}
	if f[1] == "HELP" {
		if help[name] {
			return fmt.Errorf("second # HELP for %s", name)
		}
		help[name] = true
		return nil
	}
	if len(f) != 4 || !types[f[3]] {
		return fmt.Errorf("# TYPE %s: want counter, gauge or untyped", name)
	}
	if typ[name] != "" || seen[name] {
		return fmt.Errorf("# TYPE for %s comes twice or after its samples", name)
	}
	typ[name] = f[3]
	return nil
}

// sample parses name{l="v",...} value.
func sample(line string) (Sample, error) {
	s := Sample{Labels: map[string]string{}}
	end := strings.IndexAny(line, "{ ")
	if end < 0 {
		return s, fmt.Errorf("%q has no value", line)
	}
	s.Name, line = line[:end], line[end:]
	if !metricName.MatchString(s.Name) {
		return s, fmt.Errorf("%q is not a metric name", s.Name)
	}
	if strings.HasPrefix(line, "{") {
		rest, err := labels(line[1:], &s)
		if err != nil {
			return s, err
		}
		line = rest
	}
	if !strings.HasPrefix(line, " ") {
		return s, fmt.Errorf("%s: want one space before the value", s.Name)
	}
	v := line[1:]
	if strings.ContainsAny(v, " \t") {
		return s, fmt.Errorf("%s: a timestamp or trailing text after the value %q", s.Name, v)
	}
	var err error
	switch v {
	case "+Inf":
		s.Value = math.Inf(1)
	case "-Inf":
		s.Value = math.Inf(-1)
	case "NaN":
		s.Value = math.NaN()
	default:
		s.Value, err = strconv.ParseFloat(v, 64)
	}
	if err != nil {
		return s, fmt.Errorf("%s: %q is not a float", s.Name, v)
	}
	return s, nil
}

// labels parses l="v",...} and returns what follows the brace.
func labels(line string, s *Sample) (string, error) {
	for {
		if strings.HasPrefix(line, "}") {
			return line[1:], nil
		}
		eq := strings.Index(line, `="`)
		if eq < 0 || !labelName.MatchString(line[:eq]) {
			return "", fmt.Errorf("%s: bad label in %q", s.Name, line)
		}
		name := line[:eq]
		if _, dup := s.Labels[name]; dup {
			return "", fmt.Errorf("%s: label %s twice", s.Name, name)
		}
		var v strings.Builder
		i := eq + 2
		for ; i < len(line) && line[i] != '"'; i++ {
			if line[i] != '\\' {
				v.WriteByte(line[i])
				continue
			}
			if i++; i == len(line) {
				break
			}
			switch line[i] {
			case '\\', '"':
				v.WriteByte(line[i])
			case 'n':
				v.WriteByte('\n')
			default:
				return "", fmt.Errorf("%s: bad escape \\%c in label %s", s.Name, line[i], name)
			}
		}
		if i >= len(line) {
			return "", fmt.Errorf("%s: label %s is not closed", s.Name, name)
		}
		s.Labels[name] = v.String()
		s.LabelNames = append(s.LabelNames, name)
		line = line[i+1:]
		if strings.HasPrefix(line, ",") {
			line = line[1:]
		} else if !strings.HasPrefix(line, "}") {
			return "", fmt.Errorf("%s: want , or } after label %s", s.Name, name)
		}
	}
}
