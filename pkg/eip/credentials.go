package eip

import "context"

// CredentialSource is where one cloud's credentials come from, ready to sign
// with. Adapters ask it before every signed request, so temporary credentials
// (an instance role, an assumed role, an STS token) are refreshed before they
// expire during a long run instead of being signed with a stale snapshot.
type CredentialSource struct {
	// Describe names the source for messages and `config doctor`, never a
	// secret: "environment ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET",
	// "file /home/me/.aliyun/config.json profile default (mode AK)", "instance role NAME".
	Describe string
	// Get returns the credentials for the next request. It is safe for
	// concurrent use; an error is an *Error of ClassAuth naming the source.
	Get func(ctx context.Context) (Credentials, error)
}

// StaticSource wraps fixed credentials as a source.
func StaticSource(describe string, c Credentials) *CredentialSource {
	return &CredentialSource{Describe: describe, Get: func(context.Context) (Credentials, error) { return c, nil }}
}

// CredentialOptions tell a cloud's own credential chain (Spec.Credentials)
// what eipctl already found and which of the cloud's files and roles to use.
type CredentialOptions struct {
	// Base is what eipctl found in the environment or its own profile, nil
	// when nothing: a chain returns it as it is, or wraps it (assumes a role).
	Base *CredentialSource
	// Profile names the profile to read in the cloud's own CLI files; empty
	// means the cloud's own variable (ALIBABA_CLOUD_PROFILE, TCCLI_PROFILE,
	// ZENLAYER_PROFILE), then the file's current or default profile.
	Profile string
	// ProfileFromFlag says Profile is eipctl's own --profile: a vendor file
	// that lacks it is passed over rather than refused.
	ProfileFromFlag bool
	// InstanceRole is the profile's instance-role setting: "" (use the
	// instance's role only on that cloud's own hosts), a role name, "auto"
	// (discover it from the metadata service) or "off".
	InstanceRole string
}

// CredentialChecker is implemented by adapters that can check their
// credentials with one cheap signed read (`eipctl config doctor`). region may
// be empty: the adapter picks one every account has, and says which.
type CredentialChecker interface {
	CheckCredentials(ctx context.Context, region string) (checked string, err error)
}
