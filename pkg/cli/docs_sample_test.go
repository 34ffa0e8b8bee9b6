package cli

import (
	"os"
	"path/filepath"
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
