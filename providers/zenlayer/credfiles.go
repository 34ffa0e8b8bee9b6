package zenlayer

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/eipctl/eipctl/pkg/eip"
)

// credentialFiles is zeno's ~/.zenlayer/credentials.json when it exists:
// the profiles it defines and whether any holds a secret or token.
func credentialFiles() []eip.CredentialFile {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	f, profiles := eip.JSONCredentialFile[map[string]zenoProfile](filepath.Join(home, ".zenlayer", "credentials.json"))
	if f == nil {
		return nil
	}
	for name, p := range profiles {
		f.Profiles = append(f.Profiles, name)
		f.Secrets = f.Secrets || p.AccessKeySecret != "" || p.Token != ""
	}
	sort.Strings(f.Profiles)
	return []eip.CredentialFile{*f}
}
