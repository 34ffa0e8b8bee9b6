package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/eipctl/eipctl/pkg/config"
)

// doctorFile is a file `config doctor` looked at for credentials, in the
// document's "files" list; its JSON names are a public contract. Problem is
// "" when the file is fine.
type doctorFile struct {
	Path    string `json:"path" yaml:"path"`
	Mode    string `json:"mode" yaml:"mode"`
	Secrets bool   `json:"secrets" yaml:"secrets"`
	Problem string `json:"problem" yaml:"problem"`
}

// doctorFiles checks eipctl's config file and each cloud's own CLI files:
// a file that holds secrets must not be readable by others. eipctl refuses
// the credentials of its own file then; the clouds' CLIs may not, so theirs
// are reported, not refused.
func (f *Factory) doctorFiles(cfg *config.Config) []doctorFile {
	out := []doctorFile{}
	if path := cfg.File(); path != "" {
		d := doctorFile{Path: path, Mode: fmt.Sprintf("%04o", cfg.FileMode())}
		for _, c := range f.Clouds() {
			cr, err := cfg.Credentials(c.Spec.Name, config.CredentialVars{})
			var ee *config.ExposedError
			if errors.As(err, &ee) {
				d.Secrets, d.Problem = true, ee.Error()
				break
			}
			d.Secrets = d.Secrets || cr.Secret != "" || cr.Token != ""
		}
		out = append(out, d)
	}
	for _, c := range f.Clouds() {
		if c.Spec.CredentialFiles == nil {
			continue
		}
		for _, file := range c.Spec.CredentialFiles() {
			d := doctorFile{Path: file.Path, Mode: fmt.Sprintf("%04o", file.Mode.Perm()), Secrets: file.Secrets}
			if file.Secrets && file.Mode.Perm()&0o077 != 0 {
				d.Problem = exposedProblem(file.Path, file.Mode)
			}
			out = append(out, d)
		}
	}
	return out
}

func exposedProblem(path string, mode fs.FileMode) string {
	return fmt.Sprintf("%s holds secrets but is readable by others (mode %04o): run chmod 600 %s", path, mode.Perm(), path)
}

// reportFiles says each file's problem on stderr, for a reader of the table.
func (f *Factory) reportFiles(files []doctorFile) {
	for _, d := range files {
		if d.Problem != "" {
			fmt.Fprintf(f.Streams.Err, "eipctl: warning: %s\n", d.Problem)
		}
	}
}
