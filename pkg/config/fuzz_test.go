package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/eipctl/eipctl/pkg/config"
)

// FuzzEditKeepsTheRest: whatever YAML a user wrote by hand, `config set`
// then `config unset` of one key either refuse with an error naming the file
// or do exactly that: the key reads back as set, then as gone, and every
// other key of every profile reads back as it was. An edit that dropped or
// changed a neighbour would lose a user's settings without a word.
func FuzzEditKeepsTheRest(f *testing.F) {
	for _, s := range []string{
		"",
		"default-profile: prod\nprofiles:\n  prod:\n    region: cn-hangzhou # home\n    regions:\n      alibaba: [cn-hangzhou, cn-beijing]\n",
		"profiles:\n  fz:\n    region:\n",
		"profiles:\n  fz: oops\n",
		"profiles:\n  fz:\n    region: [a, b]\n    credentials: {alibaba: {id: LTAI5t}}\n",
		"base: &b {region: x}\nprofiles:\n  fz: *b\n  other:\n    <<: *b\n",
		"- a\n- b\n",
		"profiles: !!str x\n",
		"profiles:\n  fz:\n    region: \"\"\n    'a.b': c\n",
	} {
		f.Add([]byte(s), "region")
	}
	f.Add([]byte("profiles:\n  fz:\n    credentials:\n      alibaba:\n        id: x\n"), "credentials.alibaba.secret")
	f.Fuzz(func(t *testing.T, data []byte, key string) {
		if !keyShape.MatchString(key) {
			return // `config set` takes only the keys pkg/cli/config_keys.go lists, all of this shape
		}
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := config.OpenFile(path)
		if err != nil {
			wantNamesFile(t, err, path)
			return
		}
		before := settings(file, key)
		if err := file.Set("fz", key, "v1", config.KindString); err != nil {
			wantNamesFile(t, err, path)
			return
		}
		file = saveAndReopen(t, file)
		if got, ok := file.Get("fz", key); !ok || got != "v1" {
			t.Fatalf("after set, %s reads %q (set %v), want v1; file:\n%s", key, got, ok, data)
		}
		sameSettings(t, "set", before, settings(file, key), data)
		if !file.Unset("fz", key) {
			t.Fatalf("unset says %s was not set, just after setting it; file:\n%s", key, data)
		}
		file = saveAndReopen(t, file)
		if got, ok := file.Get("fz", key); ok {
			t.Fatalf("after unset, %s still reads %q; file:\n%s", key, got, data)
		}
		sameSettings(t, "unset", before, settings(file, key), data)
	})
}

// keyShape is a profile key's: region, regions.alibaba,
// limits.tencent.AssociateAddress, credentials.zenlayer.instance-role.
var keyShape = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*){0,2}$`)

func wantNamesFile(t *testing.T, err error, path string) {
	t.Helper()
	if !strings.Contains(err.Error(), path) {
		t.Fatalf("error %q does not name the file %s", err, path)
	}
}

func saveAndReopen(t *testing.T, file *config.File) *config.File {
	t.Helper()
	if err := file.Save(); err != nil {
		t.Fatalf("save: %v", err)
	}
	again, err := config.OpenFile(file.Path())
	if err != nil {
		b, _ := os.ReadFile(file.Path())
		t.Fatalf("the file eipctl wrote does not read back: %v\n%s", err, b)
	}
	return again
}

// settings is every profile's every key as Get reads it, but, in profile
// fz, the edited key, the keys below it (which setting it replaces), and an
// empty key above it ("credentials:" with nothing: a null, which set makes
// the mapping that leads to the key, and unset removes once it is empty).
func settings(file *config.File, edited string) map[string]string {
	out := map[string]string{}
	for _, p := range file.Profiles() {
		for _, k := range file.Keys(p) {
			v, _ := file.Get(p, k)
			if p == "fz" && (k == edited || strings.HasPrefix(k, edited+".") || v == "" && strings.HasPrefix(edited, k+".")) {
				continue
			}
			out[p+" "+k] = v
		}
	}
	return out
}

func sameSettings(t *testing.T, edit string, before, after map[string]string, data []byte) {
	t.Helper()
	for k, v := range before {
		if got, ok := after[k]; !ok || got != v {
			t.Fatalf("%s changed %s from %q to %q (present %v); file:\n%s", edit, k, v, got, ok, data)
		}
	}
}
