package tencent

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"

	"github.com/eipctl/eipctl/pkg/eip"
)

// tccliFile is what the mode check reads of a ~/.tccli/<profile>.credential file.
type tccliFile struct {
	Key   string `json:"secretKey"`
	Token string `json:"token"`
}

// credentialFiles are the files credentialChain reads, where they exist:
// the SDKs' INI file (its [default] section only, as the SDK reads no other)
// and tccli's ~/.tccli/<profile>.credential files.
func credentialFiles() []eip.CredentialFile {
	var out []eip.CredentialFile
	home := os.Getenv("HOME")
	ini, set := os.LookupEnv(common.EnvCredentialFile)
	if !set && home != "" {
		ini = filepath.Join(home, ".tencentcloud", "credentials")
	}
	if fi, err := os.Stat(ini); ini != "" && err == nil {
		f := eip.CredentialFile{Path: ini, Mode: fi.Mode().Perm()}
		data, _ := os.ReadFile(ini)
		section := ""
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
				section = strings.TrimSpace(line[1 : len(line)-1])
				if section == "default" {
					f.Profiles = []string{"default"}
				}
				continue
			}
			if k, v, ok := strings.Cut(line, "="); ok && section == "default" && strings.TrimSpace(k) == "secret_key" && strings.TrimSpace(v) != "" {
				f.Secrets = true
			}
		}
		out = append(out, f)
	}
	if home == "" {
		return out
	}
	paths, _ := filepath.Glob(filepath.Join(home, ".tccli", "*.credential"))
	sort.Strings(paths)
	for _, path := range paths {
		f, c := eip.JSONCredentialFile[tccliFile](path)
		if f == nil {
			continue
		}
		f.Profiles = []string{strings.TrimSuffix(filepath.Base(path), ".credential")}
		f.Secrets = f.Secrets || c.Key != "" || c.Token != ""
		out = append(out, *f)
	}
	return out
}
