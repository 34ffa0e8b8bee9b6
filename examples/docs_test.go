package examples_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/cmd/eipctl-docs/docgen"
)

// docs/reference and docs/man must be what cmd/eipctl-docs writes from
// today's command tree; the same generator (docgen) writes them here. Man
// pages are compared without their date line, which names the month they
// were made in.
func TestReferenceIsUpToDate(t *testing.T) {
	const fix = "run `go generate ./cmd/eipctl-docs` and commit docs/reference and docs/man"
	for _, c := range []struct {
		dir, pattern string
		gen          func(string) error
	}{
		{"reference", "eipctl*.md", docgen.Markdown},
		{"man", "eipctl*.1", func(dir string) error { return docgen.Man(dir, time.Now()) }},
	} {
		dir := t.TempDir()
		if err := c.gen(dir); err != nil {
			t.Fatal(err)
		}
		committed := filepath.Join("..", "docs", c.dir)
		want, err := filepath.Glob(filepath.Join(dir, c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		have, err := filepath.Glob(filepath.Join(committed, c.pattern))
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 10 {
			t.Fatalf("the generator wrote %d pages into %s; is the tree still there?", len(want), c.dir)
		}
		names := map[string]bool{}
		for _, p := range have {
			names[filepath.Base(p)] = true
		}
		for _, p := range want {
			name := filepath.Base(p)
			if !names[name] {
				t.Errorf("docs/%s/%s is missing: %s", c.dir, name, fix)
				continue
			}
			delete(names, name)
			gen, _ := os.ReadFile(p)
			old, _ := os.ReadFile(filepath.Join(committed, name))
			undated := func(b []byte) []byte { return docgen.ManDate.ReplaceAll(b, []byte("$1")) }
			if !bytes.Equal(undated(gen), undated(old)) {
				t.Errorf("docs/%s/%s is stale: %s", c.dir, name, fix)
			}
		}
		for name := range names {
			t.Errorf("docs/%s/%s documents a command that no longer exists: %s", c.dir, name, fix)
		}
	}
}

// mdLink finds Markdown links; the first group is the target.
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// slug is the anchor GitHub gives a heading: lower case, spaces to hyphens,
// other punctuation dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b := readFile(t, path)
	out := map[string]bool{}
	fenced := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "#") {
			out[slug(strings.TrimLeft(line, "#"))] = true
		}
	}
	return out
}

// Every relative link in the documentation (and the top-level README) points
// at a file that exists and, with #anchor, at a heading it has: pages that
// name examples and each other must not rot when files move.
func TestDocsLinksResolve(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join("..", "docs", "providers", "*.md"))
	pages = append(pages, more...)
	if _, err := os.Stat(filepath.Join("..", "README.md")); err == nil {
		pages = append(pages, filepath.Join("..", "README.md"))
	}
	checked := 0
	for _, page := range pages {
		b := readFile(t, page)
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := page
			if file != "" {
				dest = filepath.Join(filepath.Dir(page), file)
			}
			if _, err := os.Stat(dest); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, target)
				continue
			}
			if anchor != "" && strings.HasSuffix(dest, ".md") && !anchors(t, dest)[anchor] {
				t.Errorf("%s links to %s, but %s has no heading with anchor #%s", page, target, dest, anchor)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d links: is the link pattern still right?", checked)
	}
}
