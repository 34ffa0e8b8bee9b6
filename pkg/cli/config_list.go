package cli

import (
	"cmp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/output"
)

// listedProfile is one row of `config list`; its JSON names are a public
// contract. Settings hold every key of the profile, secrets shown only as set.
type listedProfile struct {
	Name     string            `json:"name" yaml:"name"`
	Default  bool              `json:"default" yaml:"default"`
	Settings map[string]string `json:"settings" yaml:"settings"`
}

func newConfigListCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the profiles in the config file and their settings",
		Long: `List the profiles of eipctl's config file, which one is the default, and each
profile's settings. Secrets are never printed, access key IDs only as a prefix.`,
		Example: `  eipctl config list
  eipctl config list -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := f.Format(cmd)
			if err != nil {
				return err
			}
			file, err := f.configFile()
			if err != nil {
				return err
			}
			def := cmp.Or(file.DefaultProfile(), "default")
			rows := []listedProfile{}
			for _, name := range file.Profiles() {
				p := listedProfile{Name: name, Default: name == def, Settings: map[string]string{}}
				for _, key := range file.Keys(name) {
					v, _ := file.Get(name, key)
					if k, err := f.parseProfileKey(key); err == nil {
						v = k.shown(v)
					} else if strings.HasPrefix(key, "credentials.") {
						v = "(not shown)" // an unknown credential key may still be secret
					}
					p.Settings[key] = v
				}
				rows = append(rows, p)
			}
			return f.print(map[string]any{"file": file.Path(), "profiles": rows}, func() output.Rows {
				t := output.Rows{Header: []string{"PROFILE", "DEFAULT", "SETTINGS"}}
				for _, r := range rows {
					mark := ""
					if r.Default {
						mark = "*"
					}
					var kv []string
					for _, key := range file.Keys(r.Name) {
						kv = append(kv, key+"="+r.Settings[key])
					}
					t.Rows = append(t.Rows, []string{r.Name, mark, strings.Join(kv, " ")})
				}
				return t
			})
		},
	}
}
