package output_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/eipctl/eipctl/pkg/output"
)

// A doctor row with a long error made a ~600-column line; fitted to 140
// columns, no line is wider than 140 and every word of the error is kept.
func TestTableFitsTheWidth(t *testing.T) {
	msg := strings.Repeat("the credentials were refused by the cloud: InvalidAccessKeyId.NotFound ", 8)
	r := output.Rows{Header: []string{"PROVIDER", "SOURCE", "REGION", "ENDPOINT", "CHECK", "ERROR"},
		Rows: [][]string{{"alibaba", "env ALIBABA_CLOUD_ACCESS_KEY_ID", "cn-hangzhou", "https://vpc.cn-hangzhou.aliyuncs.com", "refused", msg}}}
	var b bytes.Buffer
	if err := (output.View{Format: output.Table, Width: 140}).Print(&b, nil, func() output.Rows { return r }); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if w := runewidth.StringWidth(l); w > 140 {
			t.Fatalf("a line is %d columns wide, want at most 140:\n%s", w, b.String())
		}
	}
	words := strings.Fields(strings.NewReplacer("│", " ").Replace(b.String()))
	if got, want := strings.Count(strings.Join(words, " "), "InvalidAccessKeyId.NotFound"), 8; got != want {
		t.Errorf("the error's code appears %d times, want %d (wrapped, not cut):\n%s", got, want, b.String())
	}
	// IDs and URLs are not cut while wrapping the error is enough.
	if !strings.Contains(b.String(), "https://vpc.cn-hangzhou.aliyuncs.com") {
		t.Errorf("the endpoint was cut:\n%s", b.String())
	}
	// Narrower than the longest words: words are cut, the width still holds.
	b.Reset()
	_ = (output.View{Format: output.Table, Width: 80}).Print(&b, nil, func() output.Rows { return r })
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if w := runewidth.StringWidth(l); w > 80 {
			t.Fatalf("a line is %d columns wide, want at most 80:\n%s", w, b.String())
		}
	}
	// No limit: one line per row.
	b.Reset()
	_ = output.PrintTable(&b, r)
	if n := strings.Count(b.String(), "\n"); n != 5 {
		t.Errorf("without a limit the table has %d lines, want 5 (borders, header, one row)", n)
	}
}

func TestTableWidth(t *testing.T) {
	tty := func() (int, error) { return 132, nil }
	notTTY := func() (int, error) { return 0, errors.New("not a terminal") }
	for _, c := range []struct {
		columns string
		size    func() (int, error)
		want    int
	}{
		{"", tty, 132}, {"", notTTY, 0}, {"90", notTTY, 90}, {"90", tty, 90}, {"0", tty, 0}, {"wide", tty, 132},
	} {
		if got := output.TableWidth(c.columns, c.size); got != c.want {
			t.Errorf("TableWidth(COLUMNS=%q) = %d, want %d", c.columns, got, c.want)
		}
	}
}

type inner struct {
	Code string `json:"code"`
}
type base struct {
	ID string `json:"id"`
}
type outer struct {
	base
	Err    *inner `json:"error"`
	Hidden string `json:"-"`
	Name   string `json:"name,omitempty"`
}

func TestKeysAndColumns(t *testing.T) {
	keys := output.Keys(outer{})
	if got := strings.Join(keys, ","); got != "id,error,error.code,name" {
		t.Fatalf("Keys = %s", got)
	}
	if _, err := output.ParseColumns("id,nope", keys); err == nil || !strings.Contains(err.Error(), "id, error, error.code, name") {
		t.Errorf("unknown column: %v, want the valid keys listed", err)
	}
	var b bytes.Buffer
	doc := map[string]any{"rows": []outer{{base: base{"a"}, Err: &inner{"X"}}, {base: base{"b"}}}, "summary": map[string]int{"n": 2}}
	cols, _ := output.ParseColumns("error.code,id", keys)
	if err := (output.View{Format: output.Table, Columns: cols}).Print(&b, doc, nil); err != nil {
		t.Fatal(err)
	}
	want := "│ ERROR CODE │ ID │\n├────────────┼────┤\n│ X          │ a  │\n│            │ b  │\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("table:\n%s\nwant it to hold:\n%s", b.String(), want)
	}
}

func TestQueryPrintsJSONOrYAML(t *testing.T) {
	q, err := output.CompileQuery("rows[].id")
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"rows": []outer{{base: base{"a"}}, {base: base{"b"}}}}
	for f, want := range map[output.Format]string{output.Table: "[\n  \"a\",\n  \"b\"\n]\n", output.JSON: "[\n  \"a\",\n  \"b\"\n]\n",
		output.JSONL: "[\"a\",\"b\"]\n", output.YAML: "- a\n- b\n"} {
		var b bytes.Buffer
		if err := (output.View{Format: f, Query: q}).Print(&b, doc, nil); err != nil || b.String() != want {
			t.Errorf("-o %s: %q, %v; want %q", f, b.String(), err, want)
		}
	}
	if _, err := output.CompileQuery("rows[?"); err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "--query") {
		t.Errorf("bad expression: %q, want one line starting with --query", err)
	}
}
