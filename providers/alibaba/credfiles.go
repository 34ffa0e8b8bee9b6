package alibaba

import (
	"os"
	"path/filepath"

	"github.com/eipctl/eipctl/pkg/eip"
)

// credentialFiles is the aliyun CLI's ~/.aliyun/config.json when it exists:
// its profile names, and whether any profile holds a secret (an AK or STS
// profile does; an EcsRamRole one does not). See cliProfile.
func credentialFiles() []eip.CredentialFile {
	home := os.Getenv("HOME") // what the SDK reads
	if home == "" {
		return nil
	}
	type cliFile struct {
		Profiles []struct {
			Name   string `json:"name"`
			Secret string `json:"access_key_secret"`
			Token  string `json:"sts_token"`
		} `json:"profiles"`
	}
	f, conf := eip.JSONCredentialFile[cliFile](filepath.Join(home, ".aliyun", "config.json"))
	if f == nil {
		return nil
	}
	for _, p := range conf.Profiles {
		f.Profiles = append(f.Profiles, p.Name)
		f.Secrets = f.Secrets || p.Secret != "" || p.Token != ""
	}
	return []eip.CredentialFile{*f}
}
