package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eipctl/eipctl/pkg/eip"

	"go.yaml.in/yaml/v3"
)

// claim reads an item's pool: and count: into b; names maps keys to the
// flags that set them, for messages.
func (it PlanItem) claim(b *eip.Binding, names map[string]string) error {
	name := func(k string) string { return named(names, k) }
	if it.Pool == "" {
		if it.Count != "" {
			return fmt.Errorf("%s needs %s: name the pool to claim from", name("count"), name("pool"))
		}
		return nil
	}
	pool, err := eip.ParsePool(name("pool"), []string{it.Pool})
	if err != nil {
		return err
	}
	b.Pool, b.Count = pool, 1
	if it.Count != "" {
		n, err := strconv.Atoi(it.Count)
		if err != nil || n < 1 || n > eip.MaxPoolCount {
			return fmt.Errorf("%s %q: give a number from 1 to %d", name("count"), it.Count, eip.MaxPoolCount)
		}
		b.Count = n
	}
	return nil
}

// commaList reads a YAML (or JSON) list (of pool entries, of holders) as
// one comma list.
func commaList(k key, v *yaml.Node) (string, error) {
	var out []string
	for _, x := range v.Content {
		x = deref(x)
		if x.Kind != yaml.ScalarNode || isNull(x) {
			return "", fmt.Errorf("line %d: %s: want %s, one per list entry", x.Line, k.name, k.list)
		}
		out = append(out, x.Value)
	}
	return strings.Join(out, ","), nil
}
