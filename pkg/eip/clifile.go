package eip

import (
	"encoding/json"
	"os"
)

// JSONCredentialFile describes a cloud CLI's JSON file at path for the mode
// check, with its content decoded as a T; nil when no file is there. A file
// that cannot be read or is not JSON gives T's zero value, nothing to list,
// and Secrets already true: the mode check assumes the worst of it.
func JSONCredentialFile[T any](path string) (*CredentialFile, T) {
	var content T
	fi, err := os.Stat(path)
	if err != nil {
		return nil, content
	}
	f := &CredentialFile{Path: path, Mode: fi.Mode().Perm()}
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &content) != nil {
		var none T
		f.Secrets = true
		return f, none
	}
	return f, content
}

// CLIProfileName picks the profile of a cloud CLI's file as the CLI itself
// does: the --profile flag's, else the environment variable env's, else the
// file's current one (current is asked only then). how says which chose it,
// for messages.
func CLIProfileName(flag, env string, current func() string) (name, how string) {
	if flag != "" {
		return flag, "--profile"
	}
	if name = os.Getenv(env); name != "" {
		return name, env
	}
	return current(), "its current profile"
}
