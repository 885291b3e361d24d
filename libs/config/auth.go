package config

import (
	"fmt"
)

// DevModeVar is the environment variable that puts a process in development
// mode (TRUSTENGINE_DEV_MODE=1).
const DevModeVar = "TRUSTENGINE_DEV_MODE"

// DevJWTSecret is the published development HS256 secret of user tokens.
// Anyone who reads this repository can sign tokens with it, so a process
// takes it (as the default of an empty JWT_HS256_SECRET) only in
// development mode and refuses it outside.
const DevJWTSecret = "dev-only-insecure-secret-change-me"

// minSecretBytes is the shortest HS256 secret accepted outside development
// mode: a shorter one can be guessed offline from any token it signed.
const minSecretBytes = 32

// Auth is how a process checks (and signs) tokens, and whether it runs in
// development mode. Embedded in Common; the gateway embeds it too.
type Auth struct {
	// DevMode is the explicit development mode (TRUSTENGINE_DEV_MODE=1). In
	// it, empty secrets take the published development values, the GBV key
	// ring defaults to seal.DevKeys and gRPC reflection is open. Outside it,
	// a process refuses to start with any of those. Default: off.
	DevMode bool `env:"TRUSTENGINE_DEV_MODE"`
	// JWTSecret is the HS256 secret of user tokens (JWT_HS256_SECRET).
	// Default: empty; DevJWTSecret in development mode.
	JWTSecret string `env:"JWT_HS256_SECRET"`
	// JWTPublicKeyFile is a PEM RSA public key (JWT_RS256_PUBLIC_KEY_FILE).
	// When set, user tokens are verified with RS256 and JWTSecret is not
	// used. Default: empty.
	JWTPublicKeyFile string `env:"JWT_RS256_PUBLIC_KEY_FILE"`
	// JWTPrivateKeyFile is the PEM RSA private key a service signs its own
	// service tokens with when the deployment uses RS256
	// (JWT_RS256_PRIVATE_KEY_FILE). When empty, service tokens are signed with
	// JWTSecret. Default: empty.
	JWTPrivateKeyFile string `env:"JWT_RS256_PRIVATE_KEY_FILE"`
}

// ForService returns a with the development defaults filled in, or the
// reason a service must not start with it: outside development mode, user
// tokens need JWT_RS256_PUBLIC_KEY_FILE or a JWT_HS256_SECRET of at least 32
// bytes that is not the published one.
func (a Auth) ForService() (Auth, error) {
	if a.JWTPublicKeyFile != "" && a.JWTPrivateKeyFile != "" {
		return a, nil
	}
	s, err := a.UserSecret()
	if err != nil {
		return a, err
	}
	a.JWTSecret = s
	return a, nil
}

// UserSecret returns the HS256 secret user tokens are signed and verified
// with: JWT_HS256_SECRET, or DevJWTSecret when it is empty in development
// mode. Outside development mode it refuses an empty, published or short
// secret, naming the variable to set.
func (a Auth) UserSecret() (string, error) {
	return a.secret("JWT_HS256_SECRET", a.JWTSecret, DevJWTSecret,
		"or JWT_RS256_PUBLIC_KEY_FILE to verify user tokens with a public key")
}

// secret applies the development-mode rule to one secret setting.
func (a Auth) secret(name, value, dev, alternative string) (string, error) {
	if a.DevMode {
		if value == "" {
			return dev, nil
		}
		return value, nil
	}
	hint := fmt.Sprintf("set %s to a random secret of at least %d bytes (e.g. openssl rand -base64 48)", name, minSecretBytes)
	if alternative != "" {
		hint += ", " + alternative
	}
	hint += ", or set " + DevModeVar + "=1 for development"
	switch {
	case value == "":
		return "", fmt.Errorf("config: %s is empty: %s", name, hint)
	case value == dev:
		return "", fmt.Errorf("config: %s is the published development secret: %s", name, hint)
	case len(value) < minSecretBytes:
		return "", fmt.Errorf("config: %s is shorter than %d bytes: %s", name, minSecretBytes, hint)
	}
	return value, nil
}
