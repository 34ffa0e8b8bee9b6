package output_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/eipctl/eipctl/pkg/output"
)

func TestParseFormat(t *testing.T) {
	for _, c := range []struct {
		in   string
		tty  bool
		want output.Format
	}{
		{"", true, output.Table},
		{"", false, output.JSON},
		{"table", false, output.Table},
		{"json", true, output.JSON},
		{"yaml", true, output.YAML},
		{"jsonl", true, output.JSONL},
	} {
		if got, err := output.ParseFormat(c.in, c.tty); err != nil || got != c.want {
			t.Errorf("ParseFormat(%q, tty=%v) = %q, %v; want %q", c.in, c.tty, got, err, c.want)
		}
	}
	for _, bad := range []string{"JSON", "text", "wide"} {
		_, err := output.ParseFormat(bad, true)
		if err == nil || !strings.Contains(err.Error(), `"`+bad+`"`) || !strings.Contains(err.Error(), "table, json, jsonl or yaml") {
			t.Errorf("ParseFormat(%q): %v, want an error naming it and listing the formats", bad, err)
		}
	}
}

type row struct {
	EIPID    string  `json:"eipId" yaml:"eipId"`
	TargetID string  `json:"targetId" yaml:"targetId"`
	Error    *string `json:"error" yaml:"error"`
}

type doc struct {
	Results []row `json:"results" yaml:"results"`
}

var sample = doc{Results: []row{{EIPID: "eip-1", TargetID: "i-1"}, {EIPID: "eip-22", TargetID: "ngw-long-name"}}}

func tableOf(d doc) func() output.Rows {
	return func() output.Rows {
		r := output.Rows{Header: []string{"EIP", "TARGET"}}
		for _, x := range d.Results {
			r.Rows = append(r.Rows, []string{x.EIPID, x.TargetID})
		}
		return r
	}
}

func TestPrintJSON(t *testing.T) {
	s, out, errb := output.Test()
	if err := output.Print(s.Out, output.JSON, sample, nil); err != nil {
		t.Fatal(err)
	}
	var got map[string][]map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	first := got["results"][0]
	if first["eipId"] != "eip-1" || first["targetId"] != "i-1" {
		t.Fatalf("first row %v: want the tagged field names eipId and targetId", first)
	}
	if v, ok := first["error"]; !ok || v != nil {
		t.Fatalf("error field %v (present %v): want an explicit null", v, ok)
	}
	if !strings.HasSuffix(out.String(), "}\n") || errb.Len() != 0 {
		t.Fatalf("stdout %q stderr %q: want one document ending in a newline and nothing on stderr", out, errb)
	}
}

func TestPrintYAML(t *testing.T) {
	s, out, _ := output.Test()
	if err := output.Print(s.Out, output.YAML, sample, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "eipId: eip-1") || strings.Contains(out.String(), "eipid") {
		t.Fatalf("YAML %q: want the tagged name eipId", out)
	}
	var back doc
	if err := yaml.Unmarshal(out.Bytes(), &back); err != nil || len(back.Results) != 2 || back.Results[1].TargetID != "ngw-long-name" {
		t.Fatalf("YAML does not read back: %v %+v\n%s", err, back, out)
	}
}

func TestPrintTable(t *testing.T) {
	s, out, _ := output.Test()
	if err := output.Print(s.Out, output.Table, sample, tableOf(sample)); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	find := func(cells ...string) int {
		for i, l := range lines {
			ok := true
			for _, c := range cells {
				ok = ok && strings.Contains(l, c)
			}
			if ok {
				return i
			}
		}
		t.Fatalf("no line holds %q in\n%s", cells, text)
		return -1
	}
	h, r1, r2 := find("EIP", "TARGET"), find("eip-1", "i-1"), find("eip-22", "ngw-long-name")
	if !(h < r1 && r1 < r2) {
		t.Fatalf("header on line %d, rows on %d and %d: want the header first, rows in order\n%s", h, r1, r2, text)
	}
	// Columns line up: the second column starts at the same place on every line.
	if a, b := strings.Index(lines[h], "TARGET"), strings.Index(lines[r2], "ngw-long-name"); a != b {
		t.Fatalf("TARGET at column %d, its cell at %d: columns not aligned\n%s", a, b, text)
	}
	if strings.Contains(text, "{") {
		t.Fatalf("table output contains JSON:\n%s", text)
	}
}

func TestTestStreamsAreNotTTYs(t *testing.T) {
	s, _, _ := output.Test()
	if s.OutTTY || s.ErrTTY {
		t.Fatal("test streams claim to be terminals")
	}
	if f, _ := output.ParseFormat("", s.OutTTY); f != output.JSON {
		t.Fatalf("default format for a script is %s, want json", f)
	}
}
