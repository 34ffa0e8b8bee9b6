package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/eipctl/eipctl/pkg/config"
	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/output"
	"github.com/eipctl/eipctl/pkg/pace"
)

// doctorRow is one provider in `config doctor`; its JSON names are a public
// contract. It never holds a secret: KeyID is a short prefix.
type doctorRow struct {
	Provider string `json:"provider" yaml:"provider"`
	Source   string `json:"source" yaml:"source"`
	KeyID    string `json:"keyId" yaml:"keyId"`
	Region   string `json:"region" yaml:"region"`
	Endpoint string `json:"endpoint" yaml:"endpoint"`
	// Check is ok, refused (the credentials were refused or could not be
	// had), failed (the read failed for another reason) or not-configured.
	Check string `json:"check" yaml:"check"`
	Error string `json:"error" yaml:"error"`
	// exposed: eipctl's config file holds the credentials and others may
	// read it, which every other command refuses with exit 2.
	exposed bool
}

// doctorTimeout bounds each provider's signed read.
const doctorTimeout = 20 * time.Second

func newConfigDoctorCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "doctor [--provider P] [--region R] [flags]",
		Short: "Show where each cloud's credentials come from and check them with one signed read",
		Long: `For each provider (or only --provider), show which source supplied the credentials
(environment variable names, file and profile, or instance role), the access key ID
shortened to a prefix, the region and endpoint, and whether one signed read call
(the first EIP of the region) succeeds. Secrets are never shown.

With --sim the embedded emulator answers. Without --region, each cloud is read in a
region every account has.

Every problem found is reported, not only the first: a row per provider, and under
"files" (on stderr with a table) each credentials file, eipctl's and the clouds' own
CLIs', that holds secrets but is readable by others.

Exit status: 0 when every configured provider's read succeeds, 2 when eipctl's
config file holds credentials and others may read it (as every command refuses it;
with --sim, which checks the emulator's credentials, the file is only listed), 5
when any provider's credentials are refused (or no provider has any), 1 when a
read fails for another reason.`,
		Example: `  eipctl config doctor
  eipctl config doctor --provider alibaba --profile prod -o json
  eipctl config doctor --sim`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, cfg, err := f.FormatConfig(cmd)
			if err != nil {
				return err
			}
			only := cfg.String("provider")
			if only != "" {
				if _, err := f.cloud(only); err != nil {
					return err
				}
			}
			rows := []doctorRow{}
			for _, c := range f.Clouds() {
				if only != "" && c.Spec.Name != only {
					continue
				}
				row, err := f.doctor(cmd, c.Spec, cfg.String("region"), cfg.String("endpoint"), only != "")
				if err != nil {
					return err
				}
				rows = append(rows, row)
			}
			files := f.doctorFiles(cfg)
			if format == output.Table {
				defer f.reportFiles(files)
			}
			err = f.print(map[string]any{"providers": rows, "files": files}, func() output.Rows {
				t := output.Rows{Header: []string{"PROVIDER", "SOURCE", "KEY ID", "REGION", "ENDPOINT", "CHECK", "ERROR"}}
				for _, r := range rows {
					t.Rows = append(t.Rows, []string{r.Provider, r.Source, r.KeyID, r.Region, r.Endpoint, r.Check, r.Error})
				}
				return t
			})
			if err != nil {
				return err
			}
			return doctorOutcome(rows)
		},
	}
	cmd.Flags().String("provider", "", f.providerFlagHelp("check only this cloud: "))
	cmd.Flags().String("region", "", "region to read in (env EIPCTL_REGION; default one every account has)")
	return cmd
}

// doctor checks one provider. Only usage errors stop the command; everything
// the check learns goes in the row.
func (f *Factory) doctor(cmd *cobra.Command, spec eip.Spec, region, endpoint string, asked bool) (doctorRow, error) {
	row := doctorRow{Provider: spec.Name}
	p, err := f.Provider(cmd, spec.Name)
	var nc *noCredentials
	var ae *authError
	switch {
	case errors.As(err, &nc) && !asked:
		row.Check, row.Error = "not-configured", nc.msg
		return row, nil
	case errors.As(err, &ae):
		row.Check, row.Error = "refused", ae.msg
		return row, nil
	case errors.As(err, new(*config.ExposedError)):
		row.Check, row.Error, row.exposed = "refused", err.Error(), true
		return row, nil
	case err != nil:
		return row, err
	}
	var id string
	if s, ok := pace.Unwrap(p).(interface{ source() *eip.CredentialSource }); ok {
		src := s.source()
		row.Source = src.Describe
		c, err := src.Get(cmd.Context())
		if err != nil {
			row.Check, row.Error = "refused", err.Error()
			return row, nil
		}
		id = c.ID
		if id == "" && c.Token != "" {
			id = "(bearer token)"
		}
	} else if f.global.sim {
		row.Source = "embedded emulator (its built-in credentials)"
		for _, c := range f.Clouds() {
			if c.Spec.Name == spec.Name {
				id = c.Profile.Credentials.ID
			}
		}
	}
	row.KeyID = eip.MaskKeyID(id)
	if id == "(bearer token)" {
		row.KeyID = id
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), doctorTimeout)
	defer cancel()
	checked, err := checkCredentials(ctx, p, region)
	row.Region = checked
	row.Endpoint = endpointOf(spec, endpoint, checked)
	if f.global.sim && f.emu != nil {
		row.Endpoint = f.emu.url
	}
	if err == nil {
		row.Check = "ok"
		return row, nil
	}
	row.Check, row.Error = "failed", err.Error()
	if ce := p.Classify(err); ce != nil {
		row.Error = ce.Error()
		if ce.Class == eip.ClassAuth {
			row.Check = "refused"
		}
	}
	return row, nil
}

// endpointOf is where a provider's requests go: --endpoint, else the cloud's
// own for the region.
func endpointOf(spec eip.Spec, endpoint, region string) string {
	if endpoint != "" {
		return endpoint
	}
	if spec.EndpointFor != nil {
		return spec.EndpointFor(region)
	}
	e, _, _ := strings.Cut(spec.DefaultEndpoint, " (")
	return strings.ReplaceAll(e, "<region>", region)
}

// doctorOutcome: refused credentials, or none anywhere, are exit 5; other
// failed reads exit 1.
func doctorOutcome(rows []doctorRow) error {
	code, configured := ExitOK, 0
	for _, r := range rows {
		switch {
		case r.exposed:
			code = ExitUsage
		case r.Check == "refused" && code != ExitUsage:
			code = ExitAuth
		case r.Check == "failed" && code == ExitOK:
			code = ExitFailure
		}
		if r.Check != "not-configured" {
			configured++
		}
	}
	if configured == 0 {
		return &exitError{code: ExitAuth, msg: "no provider has credentials: see docs/configuration.md#credentials, or try --sim"}
	}
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}

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
