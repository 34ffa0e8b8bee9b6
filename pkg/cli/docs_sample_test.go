package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// sampleMark precedes a fenced block of terminal output in docs/*.md and README.md:
//
//	<!-- sample: eip associate --sim ... -o table -->
//
// The block must be what those arguments print (stdout, then stderr) on a
// fresh emulator; commands joined by " ;; " run in turn and the last one's
// output is the sample. EIPCTL_UPDATE_SAMPLES=1 rewrites the blocks instead.
var sampleMark = regexp.MustCompile("(?m)^<!-- sample: (.+) -->\n```\n((?s:.*?))```\n")

// The docs' sample output is what eipctl prints today.
func TestDocsSamplesMatchARealRun(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "..", "README.md"))
	n := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(b)
		out := sampleMark.ReplaceAllStringFunc(doc, func(block string) string {
			m := sampleMark.FindStringSubmatch(block)
			n++
			got := sampleRun(t, m[1])
			if got != m[2] && os.Getenv("EIPCTL_UPDATE_SAMPLES") == "" {
				t.Errorf("%s: the sample of `%s` is not what eipctl prints (EIPCTL_UPDATE_SAMPLES=1 rewrites it):\n--- in the doc\n%s--- printed\n%s", file, m[1], m[2], got)
			}
			return strings.Replace(block, "```\n"+m[2]+"```\n", "```\n"+got+"```\n", 1)
		})
		if out != doc && os.Getenv("EIPCTL_UPDATE_SAMPLES") != "" {
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n < 3 {
		t.Fatalf("found %d samples; README.md, the user guide and output.md have some", n)
	}
}

// sampleRun runs the commands of one sample in a fresh state.
func sampleRun(t *testing.T, line string) string {
	t.Helper()
	isolate(t)
	var stdout, stderr string
	for _, c := range strings.Split(line, " ;; ") {
		_, stdout, stderr = run(t, strings.Fields(c)...)
	}
	return stdout + stderr
}

// docs/output.md's section of each document names every JSON key its rows
// have, so a key added to the code is a key added to the page.
func TestOutputDocNamesEveryKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "output.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, c := range []struct {
		section string
		row     any
		doc     []string // the document's own keys
	}{
		{"## `eip list`", listRow{}, []string{"eips", "errors"}},
		{"## `config doctor -o json`", doctorRow{}, []string{"providers", "files"}},
		{"## `config doctor -o json`", doctorFile{}, nil},
	} {
		start := strings.Index(doc, c.section+"\n")
		if start < 0 {
			t.Fatalf("docs/output.md has no section %q", c.section)
		}
		text := doc[start+len(c.section):]
		if end := strings.Index(text, "\n## "); end >= 0 {
			text = text[:end]
		}
		for _, key := range append(jsonKeys(reflect.TypeOf(c.row)), c.doc...) {
			if !strings.Contains(text, `"`+key+`"`) && !strings.Contains(text, "`"+key+"`") {
				t.Errorf("docs/output.md %s does not name the key %q", c.section, key)
			}
		}
	}
}

// jsonKeys are the JSON names of a struct's fields, embedded ones' included.
func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous:
			keys = append(keys, jsonKeys(f.Type)...)
		case name != "" && name != "-":
			keys = append(keys, name)
		}
	}
	return keys
}
