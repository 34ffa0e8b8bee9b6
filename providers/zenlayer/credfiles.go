package zenlayer

import (
	"encoding/json"
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
	path := filepath.Join(home, ".zenlayer", "credentials.json")
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	f := eip.CredentialFile{Path: path, Mode: fi.Mode().Perm()}
	var profiles map[string]zenoProfile
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &profiles) != nil {
		f.Secrets = true // unreadable here; assume the worst for the mode check
		return []eip.CredentialFile{f}
	}
	for name, p := range profiles {
		f.Profiles = append(f.Profiles, name)
		f.Secrets = f.Secrets || p.AccessKeySecret != "" || p.Token != ""
	}
	sort.Strings(f.Profiles)
	return []eip.CredentialFile{f}
}
