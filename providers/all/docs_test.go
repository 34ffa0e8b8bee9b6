// The docs describe a release's clouds; a build with the test-only fourth
// cloud (-tags eipctl_fourth) is no release, and its docs are not written.
//go:build !eipctl_fourth

package all_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/providers/all"
)

// The documents that list the clouds agree with the registry: a cloud added
// (or a prefix changed) in its folder fails here until the docs say so.

func readDoc(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func capabilities(t *testing.T, c all.Cloud) eip.Capabilities {
	t.Helper()
	p, err := c.Spec.New(eip.ProviderConfig{Endpoint: "http://127.0.0.1:1", Credentials: eip.Credentials{ID: "id", Secret: "secret"}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Capabilities()
}

// TestUnifiedVerbPrefixTable: docs/unified-verb.md's table of the prefixes
// --target-type is inferred from has one column per cloud, in registry order,
// and each cell holds exactly that cloud's prefixes for the type.
func TestUnifiedVerbPrefixTable(t *testing.T) {
	doc := readDoc(t, "docs/unified-verb.md")
	_, rest, ok := strings.Cut(doc, "Target type inferred from the ID's prefix:")
	if !ok {
		t.Fatal("docs/unified-verb.md has no prefix table")
	}
	rows := tableRows(rest)
	clouds := all.Clouds()
	var names []string
	for _, c := range clouds {
		names = append(names, c.Spec.Name)
	}
	if got := lower(rows[0][1:]); strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("the table's columns are %v, the registry's clouds %v", got, names)
	}
	byType := map[string][]string{}
	for _, r := range rows[2:] {
		byType[strings.Trim(r[0], "`")] = r[1:]
	}
	for _, typ := range eip.TargetTypes {
		cells, ok := byType[string(typ)]
		if !ok {
			t.Errorf("the table has no row for %s", typ)
			continue
		}
		for i, c := range clouds {
			var want []string
			for p, pt := range capabilities(t, c).Prefixes() {
				if pt == typ {
					want = append(want, "`"+p+"`")
				}
			}
			sort.Strings(want)
			if got := prefixCell(cells[i]); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s %s: the table says %v, the adapter %v", c.Spec.Name, typ, got, want)
			}
		}
	}
}

// TestReadmeNamesEveryCloud: README's opening line names the clouds by their
// titles, its credentials paragraph names each cloud's first ID variable,
// and it links each cloud's page, which exists.
func TestReadmeNamesEveryCloud(t *testing.T) {
	readme := readDoc(t, "README.md")
	var titles []string
	for _, c := range all.Clouds() {
		titles = append(titles, c.Spec.Title)
		if !strings.Contains(readme, "`"+c.Spec.Env.ID[0]) {
			t.Errorf("README does not name %s's credential variable %s", c.Spec.Name, c.Spec.Env.ID[0])
		}
		page := "docs/providers/" + c.Spec.Name + ".md"
		if !strings.Contains(readme, "("+page+")") {
			t.Errorf("README does not link %s", page)
		}
		readDoc(t, page)
	}
	list := strings.Join(titles[:len(titles)-1], ", ") + " and " + titles[len(titles)-1]
	if !strings.Contains(readme, "**"+list+"**") {
		t.Errorf("README's opening does not name the clouds as %q", list)
	}
}

// tableRows splits the first markdown table in s into cells.
func tableRows(s string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	return rows
}

func lower(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(x)
	}
	return out
}

// prefixCell keeps a cell's backticked prefixes ("— (ZEC binds to a vNIC)" has none).
func prefixCell(cell string) []string {
	var out []string
	for _, f := range strings.Fields(cell) {
		if strings.HasPrefix(f, "`") && strings.HasSuffix(f, "`") {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}
