package e2e_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLayoutNamesEveryPackage holds docs/development.md's layout block to the
// tree: a newcomer reads it to find where a behaviour lives, so a folder of Go
// code it does not name (or a name it keeps after the folder is gone) misleads.
func TestLayoutNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "development.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)## Layout\n\n```\n(.*?)```").FindSubmatch(doc)
	if block == nil {
		t.Fatal("docs/development.md has no ```-fenced block under ## Layout")
	}
	named := map[string]bool{}
	for _, line := range strings.Split(string(block[1]), "\n") {
		for _, f := range strings.Fields(line) {
			f = strings.TrimRight(f, ",")
			if strings.HasSuffix(f, "/") {
				named[strings.TrimSuffix(f, "/")] = true
			}
		}
	}
	var missing []string
	seen := map[string]bool{}
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		dir, _ := filepath.Rel("..", filepath.Dir(p))
		dir = filepath.ToSlash(dir)
		if seen[dir] {
			return nil
		}
		seen[dir] = true
		// A cloud's folders are named once for all: providers/<cloud>/ and
		// providers/<cloud>/emulator/ (the test-only fourth cloud too).
		parts := strings.Split(dir, "/")
		if len(parts) >= 2 && parts[0] == "providers" {
			parts[1] = "<cloud>"
		}
		generic := strings.Join(parts, "/")
		for _, want := range []string{dir, generic, filepath.Base(dir)} {
			if named[want] {
				return nil
			}
		}
		// A helper folder under a named parent may be named on the parent's
		// line ("(the writer: docgen/)").
		if named[filepath.ToSlash(filepath.Dir(generic))] && strings.Contains(string(block[1]), filepath.Base(dir)+"/)") {
			return nil
		}
		missing = append(missing, dir)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("docs/development.md's layout block does not name these folders of Go code: %v", missing)
	}
	for name := range named {
		if strings.ContainsAny(name, "<>") || !strings.Contains(name, "/") && !seen[name] && name != "docs" {
			continue // a cloud's folders, or a helper named on its parent's line
		}
		if _, err := os.Stat(filepath.Join("..", name)); err != nil {
			t.Errorf("docs/development.md's layout block names %s/, which does not exist", name)
		}
	}
}
